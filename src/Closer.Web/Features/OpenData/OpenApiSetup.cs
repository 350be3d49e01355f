using System.Globalization;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Closer.Web.Features.OpenData;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>. It includes every endpoint under <c>/api/v1</c> by convention
/// (no list to keep up to date), and two transformers complete what handlers do not declare: a summary and tag,
/// the formats of a <c>format</c> parameter (JSON, CSV with HXL, XLSX), the problem responses (400, 401, 403,
/// 404, 409, 422, 429) that follow from the route, the method and the endpoint's metadata, and the Bearer scheme.
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddCloserOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = d => (d.RelativePath ?? "").StartsWith("api/v1/", StringComparison.OrdinalIgnoreCase)
                || string.Equals(d.RelativePath, "api/v1", StringComparison.OrdinalIgnoreCase);
            o.AddDocumentTransformer(DescribeDocumentAsync);
            o.AddOperationTransformer(DescribeOperationAsync);
        });
        return services;
    }

    private static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Closer API",
            Version = "v1",
            Description = "Open data of the regional response (population figures, plan, validated activities, datasets) without a token; "
                + "coordination data with a partner's API token (Authorization: Bearer …), under the same permissions as the web pages. "
                + "Tables come as JSON, CSV with an HXL hashtag row, or XLSX with the same two header rows (format=json|csv|xlsx). "
                + "Public GET responses carry ETag and Last-Modified and answer If-None-Match / If-Modified-Since with 304. "
                + "Lists page with page and pageSize and answer with X-Total-Count and an RFC 8288 Link header (first, prev, next, last); "
                + "a CSV or XLSX without page and pageSize is the whole table. "
                + "Every GET takes only the query parameters listed here (and lang): an unknown parameter or value is a 400, never ignored. "
                + "Each dataset of /api/v1/datasets has a Frictionless Data Package (datapackage.json) and a CKAN record with HDX's fields (ckan.json). "
                + "Errors are RFC 7807 problem details.",
            License = new OpenApiLicense { Name = "CC BY 4.0 (own data)", Url = new Uri(DatasetCatalog.CcByUrl) },
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A partner's API token, created in the back office (/admin/tokens) or with the CLI.",
        };
        return Task.CompletedTask;
    }

    private static async Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = (description.HttpMethod ?? "GET").ToUpperInvariant();
        var path = "/" + (description.RelativePath ?? "").Split('?')[0];
        var isPublic = metadata.OfType<IAllowAnonymous>().Any();
        var hasRouteValues = path.Contains('{', StringComparison.Ordinal);

        if (string.IsNullOrWhiteSpace(operation.Summary))
        {
            operation.Summary = Summarise(method, path);
        }
        if (operation.Tags is null || operation.Tags.Count == 0)
        {
            var segment = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(2).FirstOrDefault() ?? "api";
            var tag = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(segment.Replace('-', ' '));
            operation.Tags = new HashSet<OpenApiTagReference> { new(tag, context.Document) };
        }
        if (method == "GET")
        {
            DeclareCommonParameters(operation, metadata.OfType<PagedList>().FirstOrDefault());
        }
        DescribeQueryRules(operation, metadata);
        var format = operation.Parameters?.FirstOrDefault(p => string.Equals(p.Name, "format", StringComparison.Ordinal));
        if (format is OpenApiParameter formatParameter)
        {
            var own = metadata.OfType<ApiFormats>().FirstOrDefault();
            formatParameter.Description = own is null
                ? "json (default), csv (header row, then the HXL hashtag row) or xlsx (the same two header rows)"
                : string.Join(", ", own.Formats) + $" ({own.Formats[0]} by default)";
            formatParameter.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. (own?.Formats ?? ["json", "csv", "xlsx"]).Select(f => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(f))],
            };
        }
        operation.Responses ??= new OpenApiResponses();
        var success = method switch { "POST" when operation.Responses.ContainsKey("201") => "201", "DELETE" when operation.Responses.ContainsKey("204") => "204", _ => "200" };
        if (!operation.Responses.ContainsKey(success) && !operation.Responses.Keys.Any(k => k.StartsWith('2')))
        {
            operation.Responses[success] = new OpenApiResponse { Description = "Success" };
        }
        if (format is not null && operation.Responses.TryGetValue("200", out var ok) && ok is OpenApiResponse okResponse)
        {
            okResponse.Content ??= new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
            if (metadata.OfType<ApiFormats>().FirstOrDefault() is not { } files || files.Formats.Contains("json"))
            {
                okResponse.Content.TryAdd("application/json", new OpenApiMediaType());
            }
            okResponse.Content[TabularContentTypes.CsvMediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            okResponse.Content[TabularContentTypes.Xlsx] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
        }
        if (isPublic && method == "GET")
        {
            operation.Responses.TryAdd("304", new OpenApiResponse { Description = "Not modified: the If-None-Match or If-Modified-Since validators still hold." });
        }

        var problem = ProblemSchema(context.Document!);
        void Problem(string status, string text) => operation.Responses.TryAdd(status, new OpenApiResponse
        {
            Description = text,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { ["application/problem+json"] = new() { Schema = problem } },
        });
        Problem("400", "Bad request: a parameter or the body is malformed.");
        if (!isPublic)
        {
            Problem("401", "No valid API token or sign-in.");
            Problem("403", "Outside the caller's role, organisation or country scope.");
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] }];
        }
        if (hasRouteValues)
        {
            Problem("404", "No such resource (or not visible to the caller).");
        }
        if (method is "POST" or "PUT" or "PATCH" or "DELETE")
        {
            Problem("409", "The resource's state does not allow this change.");
            Problem("422", "Validation failed: errors[] lists each field (and row) with its reason.");
        }
        if (metadata.OfType<EnableRateLimitingAttribute>().Any() || !isPublic || method != "GET")
        {
            Problem("429", "Too many requests: wait and try again.");
        }
    }

    /// <summary>
    /// What the endpoint's query rules (<see cref="QueryRules"/>, enforced by <see cref="ApiContract"/>) say of a parameter:
    /// its values as the schema's enum, its shape as the schema's pattern, the directory its codes come from as its
    /// description and <c>x-closer-codes</c> (countries or sectors).
    /// </summary>
    private static void DescribeQueryRules(OpenApiOperation operation, IList<object> metadata)
    {
        OpenApiParameter? Parameter(string name) => operation.Parameters?.OfType<OpenApiParameter>()
            .FirstOrDefault(p => p.In == ParameterLocation.Query && string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        static System.Text.Json.Nodes.JsonNode Value(string v) => System.Text.Json.Nodes.JsonValue.Create(v);
        foreach (var rule in metadata.OfType<QueryValues>())
        {
            if (Parameter(rule.Name) is { } p)
            {
                p.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. rule.Values.Select(Value)] };
            }
        }
        foreach (var rule in metadata.OfType<QueryPattern>())
        {
            if (Parameter(rule.Name) is { } p)
            {
                p.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = rule.Pattern };
                p.Description ??= rule.Shape;
            }
        }
        foreach (var rule in metadata.OfType<QueryCodes>())
        {
            if (Parameter(rule.Name) is { } p)
            {
                p.Description = rule.Description;
                p.Extensions ??= new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal);
                p.Extensions["x-closer-codes"] = new JsonNodeExtension(Value(rule.List == CodeList.Countries ? "countries" : "sectors"));
            }
        }
    }

    /// <summary>
    /// The query parameters the API contract (<see cref="ApiContract"/>) accepts beyond the handler's own: <c>lang</c> on
    /// every GET, <c>page</c> and <c>pageSize</c> on paged lists, with the paging headers of their answer.
    /// </summary>
    private static void DeclareCommonParameters(OpenApiOperation operation, PagedList? paged)
    {
        operation.Parameters ??= [];
        static OpenApiParameter Query(string name, string description, OpenApiSchema schema) =>
            new() { Name = name, In = ParameterLocation.Query, Description = description, Schema = schema };
        if (!operation.Parameters.Any(p => string.Equals(p.Name, ApiContract.LanguageParameter, StringComparison.OrdinalIgnoreCase)))
        {
            operation.Parameters.Add(Query(ApiContract.LanguageParameter, "Language of names and messages (else Accept-Language)",
                new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. Languages.All.Select(l => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(l))] }));
        }
        if (paged is null)
        {
            return;
        }
        foreach (var name in Paging.Parameters)
        {
            operation.Parameters.Remove(operation.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))!);
        }
        operation.Parameters.Add(Query("page", "Page number, from 1 (default 1)", new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" }));
        operation.Parameters.Add(Query("pageSize", FormattableString.Invariant($"Rows per page, 1 to {Paging.MaxPageSize} (default {paged.DefaultPageSize}); a CSV or XLSX without page and pageSize is the whole table"),
            new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = Paging.MaxPageSize.ToString(CultureInfo.InvariantCulture) }));
        operation.Description = (operation.Description is { Length: > 0 } d ? d + "\n\n" : "")
            + "A paged list: the answer carries X-Total-Count and an RFC 8288 Link header (first, prev, next, last).";
    }

    /// <summary>RFC 7807 problem details as Closer writes them (with its code and, for 422, the field errors), described once.</summary>
    private static OpenApiSchemaReference ProblemSchema(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        if (!document.Components.Schemas.ContainsKey("Problem"))
        {
            static OpenApiSchema Text() => new() { Type = JsonSchemaType.String | JsonSchemaType.Null };
            document.Components.Schemas["Problem"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "RFC 7807 problem details; title in the caller's language, code stable.",
                Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                {
                    ["type"] = Text(),
                    ["title"] = Text(),
                    ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                    ["detail"] = Text(),
                    ["code"] = Text(),
                    ["errors"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        Description = "422 only: each invalid field or spreadsheet cell.",
                        Items = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                            {
                                ["row"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null },
                                ["column"] = new OpenApiSchema { Type = JsonSchemaType.String },
                                ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                            },
                        },
                    },
                },
            };
        }
        return new OpenApiSchemaReference("Problem", document);
    }

    /// <summary>A readable summary from the method and path when the handler gives none: "GET /api/v1/reports/{id}" → "Get a report".</summary>
    internal static string Summarise(string method, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
        var nouns = segments.Where(s => !s.StartsWith('{')).Select(s => s.Replace('-', ' ')).ToList();
        var last = segments.LastOrDefault() ?? "";
        var subject = string.Join(" ", nouns);
        return method switch
        {
            "GET" when last.StartsWith('{') => $"Get one of {subject}",
            "GET" => $"List {subject}",
            "POST" when !last.StartsWith('{') && nouns.Count > 1 => $"{Capital(nouns[^1])} ({string.Join(" ", nouns.SkipLast(1))})",
            "POST" => $"Create in {subject}",
            "PUT" => $"Update one of {subject}",
            "DELETE" => $"Delete one of {subject}",
            _ => $"{method} {path}",
        };
    }

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
