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
/// leak a file or change the database. Some 15,000 requests: the four subclasses (who × which payloads), each on
/// its own app, run side by side instead of one two-minute class being the test run's tail.
/// </summary>
public abstract class InjectionProbeTests(SqliteApp app, bool asAdministrator, string[] payloads)
{
    internal static readonly string[] SqlPayloads =
    [
        "' OR '1'='1", "1; DROP TABLE \"Organisations\"; --", "1' UNION SELECT \"PasswordHash\" FROM \"AspNetUsers\" --",
        "\" OR \"\"=\"", "%27%20OR%201%3D1--", "1)) OR sleep(5)--", "${jndi:ldap://x}", "<script>alert(1)</script>",
    ];

    internal static readonly string[] PathPayloads =
    [
        "../../../../etc/passwd", "..%2F..%2F..%2Fetc%2Fpasswd", "....//....//etc/passwd", "%2e%2e%2f%2e%2e%2fappsettings.json",
        "..\\..\\appsettings.json", "/etc/passwd", "%00",
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
        var client = asAdministrator ? await app.SignedInClientAsync(R.Admin) : app.Client();
        var before = await CountsAsync();
        var templates = EndpointAuditTests.AppEndpoints(app.Services)
            .Where(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Contains("GET"))
            .Select(e => e.RoutePattern.RawText!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(templates);
        var failures = new List<string>();
        foreach (var template in templates)
        {
            foreach (var payload in payloads)
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
        Assert.Empty(failures);
        Assert.Equal(before, await CountsAsync());
    }
}

public sealed class AnonymousSqlProbeTests(SqliteApp app) : InjectionProbeTests(app, false, SqlPayloads), IClassFixture<SqliteApp>;

public sealed class AnonymousPathProbeTests(SqliteApp app) : InjectionProbeTests(app, false, PathPayloads), IClassFixture<SqliteApp>;

public sealed class AdministratorSqlProbeTests(SqliteApp app) : InjectionProbeTests(app, true, SqlPayloads), IClassFixture<SqliteApp>;

public sealed class AdministratorPathProbeTests(SqliteApp app) : InjectionProbeTests(app, true, PathPayloads), IClassFixture<SqliteApp>;
