using System.Net;
using Closer.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;

namespace Closer.Tests.Security;

/// <summary>
/// Generated from the app's pages: every page with a POST handler refuses a signed-in administrator's post
/// that lacks the antiforgery token. (API writes by cookie are covered by the API suites.)
/// </summary>
public sealed class AntiforgeryAuditTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task EveryPagePost_WithoutAntiforgeryToken_Is400()
    {
        var pages = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Page: e.Metadata.GetMetadata<CompiledPageActionDescriptor>()))
            .Where(p => p.Page is not null && p.Page.HandlerMethods.Any(h => string.Equals(h.HttpMethod, "Post", StringComparison.OrdinalIgnoreCase)))
            // The error page re-executes failed requests of any method and must not itself demand a token.
            .Where(p => !p.Endpoint.RoutePattern.RawText!.StartsWith("errors/", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(pages);

        var client = await app.SignedInClientAsync(R.Admin);
        var accepted = new List<string>();
        foreach (var (endpoint, page) in pages)
        {
            var path = RouteTemplates.Fill(endpoint.RoutePattern.RawText!, _ => "1");
            foreach (var handler in page!.HandlerMethods.Where(h => string.Equals(h.HttpMethod, "Post", StringComparison.OrdinalIgnoreCase)))
            {
                var target = handler.Name is null ? path : $"{path}?handler={handler.Name}";
                var response = await client.PostAsync(target, new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }), TestContext.Current.CancellationToken);
                if (response.StatusCode != HttpStatusCode.BadRequest)
                {
                    accepted.Add($"POST {target} → {(int)response.StatusCode}");
                }
            }
        }
        Assert.Empty(accepted);
    }
}
