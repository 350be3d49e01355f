using System.Collections.Concurrent;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Closer.Web.Infrastructure.Api;

/// <summary>
/// The API keeps its word: a GET under <c>/api/v1</c> may carry only the query parameters its OpenAPI operation declares
/// (read from the same API descriptions the document is built from, so the two cannot drift), <c>page</c> and
/// <c>pageSize</c> on paged lists, and <c>lang</c> (the answer's language, one of the supported ones). Anything else is
/// a 400 problem in the caller's language, never silently ignored. On every method, a query value is checked before the
/// handler runs: it must bind to its parameter's type (so <c>year=abc</c> is a problem naming the parameter, not a bare 400)
/// and keep the rules the endpoint declares (<see cref="QueryRules"/>: values, shapes, codes of a directory).
/// </summary>
public static class ApiContract
{
    public const string Prefix = "/api/v1";

    /// <summary>The query parameter every API answer takes: its language.</summary>
    public const string LanguageParameter = "lang";

    private static readonly BadRequestError UnknownParameter = new("unknown-parameter", "This endpoint does not take that query parameter.");
    private static readonly BadRequestError UnknownLanguage = new("unknown-language", "The language is en, es, pt or pap.");

    // Marks an endpoint whose handler binds its own "lang" (documents: the files' language), so its values are its own.
    private const string OwnLanguage = "\0own-lang";

    public static IApplicationBuilder UseApiContract(this IApplicationBuilder app)
    {
        var cache = new ConcurrentDictionary<Endpoint, Contract?>();
        return app.Use(async (http, next) =>
        {
            if (!http.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase)
                || http.GetEndpoint() is not RouteEndpoint endpoint)
            {
                await next(http);
                return;
            }
            var contract = cache.GetOrAdd(endpoint, e => ContractOf(http.RequestServices, e));
            if (contract is null)
            {
                await next(http);
                return;
            }
            var read = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
            if (await RefusalAsync(http, contract, read) is { } error)
            {
                await Errors.Write(http, error);
                return;
            }
            await next(http);
        });
    }

    /// <summary>What an endpoint's query takes: the names (<see cref="Declared"/>), each bound parameter's type, and its rules.</summary>
    private sealed record Contract(IReadOnlySet<string> Names, IReadOnlyList<(string Name, Type Type, bool Required)> Bound,
        IReadOnlyList<QueryValues> Values, IReadOnlyList<QueryPattern> Patterns, IReadOnlyList<QueryCodes> Codes);

    private static Contract? ContractOf(IServiceProvider services, Endpoint endpoint)
    {
        if (Description(services, endpoint) is not { } description)
        {
            return null;
        }
        var bound = description.ParameterDescriptions.Where(p => p.Source == BindingSource.Query && p.Type is not null)
            .Select(p => (p.Name, p.Type, p.IsRequired)).ToList();
        return new Contract(Names(description, endpoint), bound, [.. endpoint.Metadata.OfType<QueryValues>()],
            [.. endpoint.Metadata.OfType<QueryPattern>()], [.. endpoint.Metadata.OfType<QueryCodes>()]);
    }

    /// <summary>
    /// Why the query cannot be answered, or null: an undeclared parameter or language (reads only), a required parameter
    /// missing, a value that does not bind to its parameter's type, is not one of its values, has not its shape, or names a
    /// code no directory knows. Every refusal is a 400 problem naming what was refused, before the handler runs.
    /// </summary>
    private static async Task<Error?> RefusalAsync(HttpContext http, Contract contract, bool read)
    {
        var query = http.Request.Query;
        if (read && query.Keys.Any(k => !contract.Names.Contains(k)))
        {
            return UnknownParameter;
        }
        if (read && query.TryGetValue(LanguageParameter, out var lang) && !contract.Names.Contains(OwnLanguage)
            && lang.Any(l => !Languages.IsSupported(l)))
        {
            return UnknownLanguage;
        }
        foreach (var (name, type, required) in contract.Bound)
        {
            var values = query[name];
            if (required && values.All(string.IsNullOrEmpty) && Nullable.GetUnderlyingType(type) is null && !type.IsArray)
            {
                return new ParameterError("missing-parameter", "The parameter {0} is required.", name, "");
            }
            if (values.FirstOrDefault(v => !QueryRules.Binds(type, v)) is { } bad)
            {
                return new ParameterError("invalid-value", "The value {1} is not valid for the parameter {0}.", name, bad);
            }
        }
        foreach (var rule in contract.Values)
        {
            if (query[rule.Name].FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)
                && !rule.Values.Contains(v.Trim(), StringComparer.OrdinalIgnoreCase)) is { } bad)
            {
                return new ParameterError("unknown-value", "The parameter {0} does not take the value {1}: it takes {2}.", rule.Name, bad,
                    string.Join(", ", rule.Values));
            }
        }
        foreach (var rule in contract.Patterns)
        {
            if (query[rule.Name].FirstOrDefault(v => !QueryRules.Matches(rule, v)) is { } bad)
            {
                return new ParameterError("invalid-value", "The value {1} is not valid for the parameter {0}: write it as {2}.", rule.Name, bad, rule.Shape);
            }
        }
        foreach (var rule in contract.Codes)
        {
            var codes = query[rule.Name].SelectMany(QueryRules.Codes).Where(c => !rule.Also.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
            if (codes.Count == 0)
            {
                continue;
            }
            if (await http.RequestServices.GetRequiredService<ICodeDirectory>().FirstUnknownAsync(rule.List, codes, http.RequestAborted) is { } unknown)
            {
                return rule.List == CodeList.Countries
                    ? new ParameterError("unknown-country", "There is no country with the code {1} (parameter {0}).", rule.Name, unknown)
                    : new ParameterError("unknown-sector", "There is no sector with the code {1} (parameter {0}).", rule.Name, unknown);
            }
        }
        return null;
    }

    /// <summary>
    /// The contract's refusal of an undeclared query parameter (<c>unknown-parameter</c>, the same problem as every API
    /// endpoint's), for endpoints outside <c>/api/v1</c> that keep the same word (the dashboard's chart files), or null.
    /// </summary>
    public static Error? Undeclared(IQueryCollection query, IReadOnlySet<string> names) =>
        query.Keys.Any(k => !names.Contains(k)) ? UnknownParameter : null;

    /// <summary>
    /// The query parameters the endpoint declares, or null when it has no API description (not in the document:
    /// the contract is the document's).
    /// </summary>
    public static IReadOnlySet<string>? Declared(IServiceProvider services, Endpoint endpoint) =>
        Description(services, endpoint) is { } description ? Names(description, endpoint) : null;

    private static ApiDescription? Description(IServiceProvider services, Endpoint endpoint)
    {
        var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is [var first, ..] ? first : HttpMethods.Get;
        return services.GetService<IApiDescriptionGroupCollectionProvider>()?.ApiDescriptionGroups.Items
            .SelectMany(g => g.Items)
            .FirstOrDefault(d => d.ActionDescriptor.DisplayName == endpoint.DisplayName
                && string.Equals(d.HttpMethod, method, StringComparison.OrdinalIgnoreCase));
    }

    private static HashSet<string> Names(ApiDescription description, Endpoint endpoint)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { LanguageParameter };
        foreach (var p in description.ParameterDescriptions.Where(p => p.Source == BindingSource.Query))
        {
            if (string.Equals(p.Name, LanguageParameter, StringComparison.OrdinalIgnoreCase))
            {
                names.Add(OwnLanguage);
            }
            names.Add(p.Name);
        }
        if (endpoint.Metadata.GetMetadata<PagedList>() is not null)
        {
            names.UnionWith(Paging.Parameters);
        }
        return names;
    }
}
