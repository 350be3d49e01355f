using System.Net;
using Closer.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Closer.Tests.Security;

/// <summary>
/// Generated from the app's own endpoint list: every endpoint must say who may call it (an explicit
/// [AllowAnonymous] or an authorization policy), and every protected one must refuse an anonymous caller.
/// A new endpoint without a rule fails here.
/// </summary>
public sealed class EndpointAuditTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    internal static IReadOnlyList<RouteEndpoint> AppEndpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            // Static files (fingerprinted assets) are public by nature.
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is null
                && !(e.DisplayName ?? "").Contains("static asset", StringComparison.OrdinalIgnoreCase)
                // MapStaticAssets' fallback for files outside the build manifest: public files only.
                && e.RoutePattern.RawText != "{**path:file}")
            .ToList();

    private static bool IsAnonymous(Endpoint e) => e.Metadata.GetMetadata<IAllowAnonymous>() is not null;
    private static bool HasPolicy(Endpoint e) => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0;

    [Fact]
    public void EveryEndpoint_DeclaresWhoMayCallIt()
    {
        var endpoints = AppEndpoints(app.Services);
        Assert.NotEmpty(endpoints);
        var undeclared = endpoints.Where(e => !IsAnonymous(e) && !HasPolicy(e)).Select(e => e.RoutePattern.RawText).ToList();
        Assert.Empty(undeclared);
    }

    [Fact]
    public async Task EveryProtectedEndpoint_RefusesAnAnonymousCaller()
    {
        var refusedWrongly = new List<string>();
        var protectedEndpoints = AppEndpoints(app.Services).Where(e => !IsAnonymous(e) && HasPolicy(e)).ToList();
        Assert.NotEmpty(protectedEndpoints);
        var client = app.Client();
        foreach (var endpoint in protectedEndpoints)
        {
            var path = RouteTemplates.Fill(endpoint.RoutePattern.RawText!, name => name switch
            {
                var n when n.StartsWith("id", StringComparison.Ordinal) || n.EndsWith("Id", StringComparison.Ordinal) || n.Contains(":int", StringComparison.Ordinal) => "1",
                _ => "x",
            });
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is not ("GET" or "HEAD"))
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }
                var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                var ok = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/login", StringComparison.Ordinal));
                if (!ok)
                {
                    refusedWrongly.Add($"{method} {path} → {(int)response.StatusCode}");
                }
            }
        }
        Assert.Empty(refusedWrongly);
    }
}
