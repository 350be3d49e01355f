using System.Net;
using Closer.Tests.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Security;

/// <summary>
/// SQL-injection and path-traversal probes through every route parameter of every GET endpoint and through
/// the query parameters the app uses, anonymously and as an administrator: no probe may cause a server error,
/// leak a file or change the database.
/// </summary>
public sealed class InjectionProbeTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static readonly string[] Payloads =
    [
        "' OR '1'='1", "1; DROP TABLE \"Organisations\"; --", "1' UNION SELECT \"PasswordHash\" FROM \"AspNetUsers\" --",
        "\" OR \"\"=\"", "%27%20OR%201%3D1--", "1)) OR sleep(5)--", "${jndi:ldap://x}",
        "../../../../etc/passwd", "..%2F..%2F..%2Fetc%2Fpasswd", "....//....//etc/passwd", "%2e%2e%2f%2e%2e%2fappsettings.json",
        "..\\..\\appsettings.json", "/etc/passwd", "%00", "<script>alert(1)</script>",
    ];

    private static readonly string[] QueryNames =
        ["q", "page", "pageSize", "country", "sector", "month", "status", "org", "format", "year", "from", "to", "lang", "id", "type", "returnUrl", "ReturnUrl"];

    private async Task<(int Orgs, int Users, int Countries)> CountsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        return (await db.Organisations.CountAsync(), await db.Users.CountAsync(), await db.Countries.CountAsync());
    }

    [Fact]
    public async Task Probes_NeverCauseServerErrors_LeakFiles_OrChangeData()
    {
        var admin = await app.SignedInClientAsync(R.Admin);
        var before = await CountsAsync();
        var templates = EndpointAuditTests.AppEndpoints(app.Services)
            .Where(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Contains("GET"))
            .Select(e => e.RoutePattern.RawText!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(templates);
        var failures = new List<string>();
        foreach (var client in new[] { app.Client(), admin })
        {
            foreach (var template in templates)
            {
                foreach (var payload in Payloads)
                {
                    var escaped = Uri.EscapeDataString(payload);
                    var path = RouteTemplates.Fill(template, _ => escaped);
                    var query = string.Join('&', QueryNames.Select(n => $"{n}={escaped}"));
                    foreach (var url in new[] { path, $"{path}?{query}" })
                    {
                        var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
                        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                        if ((int)response.StatusCode >= 500)
                        {
                            failures.Add($"{(int)response.StatusCode} GET {url}");
                        }
                        if (body.Contains("root:x:0:0", StringComparison.Ordinal) || body.Contains("\"ConnectionStrings\"", StringComparison.Ordinal)
                            || body.Contains("AQAAAA", StringComparison.Ordinal))
                        {
                            failures.Add($"leak GET {url}");
                        }
                    }
                }
            }
        }
        Assert.Empty(failures);
        Assert.Equal(before, await CountsAsync());
    }
}
