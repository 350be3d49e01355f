using System.Net;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Dashboards;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Dashboards.Views;

/// <summary>Every state of /{lang}/data is in its URL (GET form, no script), written back as one canonical permalink; unknown values are named, not fatal.</summary>
public abstract class PermalinkSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(int Year, string Area)> KnownAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var year = await DashboardData.CurrentYearAsync(db, TimeProvider.System, Ct);
        var area = await db.Admin1Areas.Where(a => a.CountryIso3 == "COL" && a.RetiredAt == null).OrderBy(a => a.PCode).Select(a => a.PCode).FirstAsync(Ct);
        return (year, area);
    }

    private static string Permalink(string html) =>
        WebUtility.HtmlDecode(Regex.Match(html, "class=\"dash-permalink\">[^<]*<a href=\"([^\"]+)\"").Groups[1].Value);

    [Fact]
    public async Task EveryStateValue_IsInThePermalink_AndChangesThePage()
    {
        var (year, area) = await KnownAsync();
        var client = app.Client();
        var url = $"/es/data?c=per&chart=bars&group=host&admin1={area.ToLowerInvariant()}&sector=edu&country=col&year={year}&utm=x";
        var response = await client.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        // One canonical order, known values normalised, everything else dropped.
        Assert.Equal($"/es/data?year={year}&country=COL&sector=EDU&admin1={area}&group=host&chart=bars&c=PER", Permalink(html));
        Assert.DoesNotContain("id=\"dash-unknown\"", html, StringComparison.Ordinal);
        // The form shows the state back (a GET form: it works without script).
        Assert.Matches("<form method=\"get\" action=\"/es/data\" class=\"dash-filters dash-state\"", html);
        Assert.Contains("<option value=\"EDU\" selected=\"selected\">", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"host\" selected=\"selected\">", html, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{area}\" selected=\"selected\">", html, StringComparison.Ordinal);
        // Each value does something: the sector titles the country chart, the group is named, the area pointed out, bars instead of maps.
        Assert.Contains("id=\"dash-group-note\"", html, StringComparison.Ordinal);
        Assert.Contains("Personas alcanzadas frente a la meta por país en", html, StringComparison.Ordinal);
        Assert.Contains("id=\"dash-area-selected\"", html, StringComparison.Ordinal);
        Assert.Matches($"<tr class=\"dash-selected\" aria-current=\"true\"><th scope=\"row\" data-key=\"{area}\">", html);
        Assert.DoesNotContain("id=\"dash-map-t\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"dash-area-map-t\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"dash-c1-t\"", html, StringComparison.Ordinal);

        var maps = await client.GetStringAsync($"/es/data?chart=map&country=COL", Ct);
        Assert.Contains("id=\"dash-map-t\"", maps, StringComparison.Ordinal);
        Assert.Contains("id=\"dash-area-map-t\"", maps, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"dash-c1-t\"", maps, StringComparison.Ordinal);
        // The permalink opens the same page.
        Assert.Equal(Permalink(html), Permalink(await client.GetStringAsync(Permalink(html), Ct)));
    }

    [Fact]
    public async Task GroupView_LeavesTheSensitiveSectorsOut()
    {
        var html = await app.Client().GetStringAsync("/en/data?group=destination", Ct);
        var sectors = Regex.Match(html, "<table class=\"dash-table\" id=\"table-sectors\">.*?</table>", RegexOptions.Singleline).Value;
        Assert.Contains("data-key=\"EDU\"", sectors, StringComparison.Ordinal);
        Assert.DoesNotContain("data-key=\"PRO-GBV\"", sectors, StringComparison.Ordinal);
        Assert.DoesNotContain("data-key=\"PRO-CP\"", sectors, StringComparison.Ordinal);
        Assert.Contains("data-key=\"PRO-GBV\"", Regex.Match(await app.Client().GetStringAsync("/en/data", Ct),
            "<table class=\"dash-table\" id=\"table-sectors\">.*?</table>", RegexOptions.Singleline).Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "is unknown")]
    [InlineData("pap", "no ta konosí")]
    public async Task UnknownValues_AreNamed_AndTheDefaultShown(string lang, string unknown)
    {
        var response = await app.Client().GetAsync($"/{lang}/data?year=1850&country=XXX&sector=%3Cb%3E&admin1=NOPE&group=aliens&chart=pie&c=ZZZ&year=abc", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        var notice = Regex.Match(html, "<div class=\"notice\" role=\"status\" id=\"dash-unknown\">.*?</div>", RegexOptions.Singleline).Value;
        foreach (var value in new[] { "abc", "XXX", "&lt;b&gt;", "NOPE", "aliens", "pie", "ZZZ" })
        {
            Assert.Contains($"{value}", notice, StringComparison.Ordinal);
        }
        Assert.Contains(unknown, notice, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Equal($"/{lang}/data", Permalink(html));
    }
}

public sealed class PermalinkSqlite(SqliteApp app) : PermalinkSuite<SqliteApp>(app);
public sealed class PermalinkPostgres(PostgresApp app) : PermalinkSuite<PostgresApp>(app);
