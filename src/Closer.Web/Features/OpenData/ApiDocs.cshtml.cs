using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Closer.Web.Features.OpenData;

public sealed record ApiParameterView(string Name, string In, bool Required, string? Description);
public sealed record ApiResponseView(string Status, string? Description, IReadOnlyList<string> MediaTypes);
public sealed record ApiOperationView(string Method, string Path, string? Summary, bool Public, IReadOnlyList<ApiParameterView> Parameters,
    IReadOnlyList<ApiResponseView> Responses)
{
    public string Anchor => (Method + Path).ToLowerInvariant().Replace('/', '-').Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal);
}

/// <summary>
/// The API reference, rendered on the server from the same OpenAPI document as <c>/openapi/v1.json</c>: no script,
/// no CDN (the CSP allows 'self' only), readable with JavaScript off.
/// </summary>
[AllowAnonymous]
public sealed class ApiDocsModel(IServiceProvider services) : PageModel
{
    public string? Description { get; private set; }
    public IReadOnlyList<IGrouping<string, ApiOperationView>> Groups { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var provider = services.GetRequiredKeyedService<IOpenApiDocumentProvider>(OpenApiSetup.DocumentName);
        var document = await provider.GetOpenApiDocumentAsync(ct);
        Description = document.Info?.Description;
        Groups = Operations(document).GroupBy(o => o.Tag, o => o.View).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
    }

    public static IEnumerable<(string Tag, ApiOperationView View)> Operations(OpenApiDocument document)
    {
        foreach (var (path, item) in document.Paths.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var (method, op) in item.Operations ?? [])
            {
                var parameters = (op.Parameters ?? []).Select(p => new ApiParameterView(p.Name ?? "", p.In?.ToString().ToLowerInvariant() ?? "", p.Required, p.Description)).ToList();
                if (op.RequestBody is { } body)
                {
                    parameters.Add(new ApiParameterView("body", "body", body.Required, string.Join(", ", body.Content?.Keys ?? [])));
                }
                var responses = (op.Responses ?? []).OrderBy(r => r.Key, StringComparer.Ordinal)
                    .Select(r => new ApiResponseView(r.Key, r.Value.Description, r.Value.Content?.Keys.ToList() ?? [])).ToList();
                var tag = op.Tags?.FirstOrDefault()?.Name ?? "API";
                yield return (tag, new ApiOperationView(method.Method, path, op.Summary, op.Security is null || op.Security.Count == 0, parameters, responses));
            }
        }
    }
}
