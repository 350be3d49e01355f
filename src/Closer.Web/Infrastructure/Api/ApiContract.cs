using System.Collections.Concurrent;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Closer.Web.Infrastructure.Api;

/// <summary>
/// The API keeps its word: a GET under <c>/api/v1</c> may carry only the query parameters its OpenAPI operation declares
/// (read from the same API descriptions the document is built from, so the two cannot drift), <c>page</c> and
/// <c>pageSize</c> on paged lists, and <c>lang</c> (the answer's language, one of the supported ones). Anything else is
/// a 400 problem in the caller's language, never silently ignored.
/// </summary>
public static class ApiContract
{
    public const string Prefix = "/api/v1";

    /// <summary>The query parameter every API answer takes: its language.</summary>
    public const string LanguageParameter = "lang";

    private static readonly BadRequestError UnknownParameter = new("unknown-parameter", "This endpoint does not take that query parameter.");
    private static readonly BadRequestError UnknownLanguage = new("unknown-language", "The language is en, es, pt or pap.");

    public static IApplicationBuilder UseApiContract(this IApplicationBuilder app)
    {
        var cache = new ConcurrentDictionary<Endpoint, IReadOnlySet<string>?>();
        return app.Use(async (http, next) =>
        {
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
                || !http.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase)
                || http.GetEndpoint() is not RouteEndpoint endpoint
                || http.Request.Query.Count == 0)
            {
                await next(http);
                return;
            }
            var declared = cache.GetOrAdd(endpoint, e => Declared(http.RequestServices, e));
            if (declared is null)
            {
                await next(http);
                return;
            }
            if (http.Request.Query.Keys.Any(k => !declared.Contains(k)))
            {
                await Errors.Write(http, UnknownParameter);
                return;
            }
            if (http.Request.Query.TryGetValue(LanguageParameter, out var lang) && !declared.Contains(OwnLanguage)
                && lang.Any(l => !Languages.IsSupported(l)))
            {
                await Errors.Write(http, UnknownLanguage);
                return;
            }
            await next(http);
        });
    }

    // Marks an endpoint whose handler binds its own "lang" (documents: the files' language), so its values are its own.
    private const string OwnLanguage = "\0own-lang";

    /// <summary>
    /// The query parameters the endpoint declares, or null when it has no API description (not in the document:
    /// the contract is the document's).
    /// </summary>
    public static IReadOnlySet<string>? Declared(IServiceProvider services, Endpoint endpoint)
    {
        var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is [var first, ..] ? first : HttpMethods.Get;
        var description = services.GetService<IApiDescriptionGroupCollectionProvider>()?.ApiDescriptionGroups.Items
            .SelectMany(g => g.Items)
            .FirstOrDefault(d => d.ActionDescriptor.DisplayName == endpoint.DisplayName
                && string.Equals(d.HttpMethod, method, StringComparison.OrdinalIgnoreCase));
        if (description is null)
        {
            return null;
        }
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
