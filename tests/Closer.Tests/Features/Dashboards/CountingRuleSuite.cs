using System.Net;
using System.Text.Json;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Dashboards;

namespace Closer.Tests.Features.Dashboards;

/// <summary>The notes under the charts of people reached (English keys of Resources/dashboards.*.json).</summary>
internal static class CountingNotes
{
    public const string Reached = "People reached in a year: for each organisation, country, indicator and population group, the highest monthly figure (the partner's de-duplicated figure to date when given), never a sum of months; then added up. Only indicators counted in people.";

    public const string Gaps = "In need: for each population group, the highest figure among the sector's indicators, then added up. Targeted and reached: as on the dashboard (reached is the highest monthly figure of each series, never a sum of months). Required: the plan's requirement; received: committed and paid contributions earmarked to that country and sector.";

    /// <summary>A dashboards UI string in a language, from the app's own string tables.</summary>
    public static string Translated(string key, string lang)
    {
        var file = Path.Combine(Repository.Root, "src", "Closer.Web", "Resources", $"dashboards.{lang}.json");
        var text = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty(key).GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(text));
        return text;
    }
}

/// <summary>
/// Issue 16, "Counting": every page with a people-reached chart says under it which rule counted the people, in the
/// reader's language, and every API answer with a reached figure names the rule (JSON field, CSV and XLSX header).
/// </summary>
public abstract class CountingRuleSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("pt")]
    [InlineData("pap")]
    public async Task PagesWithReachedCharts_SayTheRuleUnderThem_InTheReadersLanguage(string lang)
    {
        var client = app.Client();
        var data = WebUtility.HtmlDecode(await client.GetStringAsync($"/{lang}/data", Ct));
        Assert.Contains($"<p class=\"dash-rule\">{CountingNotes.Translated(CountingNotes.Reached, lang)}</p>", data, StringComparison.Ordinal);
        var gaps = WebUtility.HtmlDecode(await client.GetStringAsync($"/{lang}/data/gaps", Ct));
        Assert.Contains($"<p class=\"dash-rule\">{CountingNotes.Translated(CountingNotes.Gaps, lang)}</p>", gaps, StringComparison.Ordinal);
        if (lang != "en")
        {
            Assert.NotEqual(CountingNotes.Reached, CountingNotes.Translated(CountingNotes.Reached, lang));
        }
    }

    [Fact]
    public async Task PartnerDashboard_SaysTheRuleUnderEachReachedChart()
    {
        var staff = await app.SignedInClientAsync(R.Viewer);
        var page = WebUtility.HtmlDecode(await staff.GetStringAsync("/admin/dashboards", Ct));
        Assert.Contains($"<p class=\"dash-rule\">{CountingNotes.Reached}</p>", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/dashboards/response")]
    [InlineData("/api/v1/dashboards/response?by=cells")]
    [InlineData("/api/v1/dashboards/gaps")]
    public async Task TheApi_NamesTheRule_InJsonAndOnEveryDownload(string path)
    {
        var client = app.Client();
        var json = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var body = JsonDocument.Parse(await json.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(CountingRule.Code, body.GetProperty("reachedRule").GetString());
        Assert.Equal(CountingRule.Code, json.Headers.GetValues(CountingRule.Header).Single());
        foreach (var format in new[] { "csv", "xlsx" })
        {
            var file = await client.GetAsync(path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "format=" + format, Ct);
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal(CountingRule.Code, file.Headers.GetValues(CountingRule.Header).Single());
        }
    }
}

public sealed class CountingRuleSqlite(SqliteApp app) : CountingRuleSuite<SqliteApp>(app);
public sealed class CountingRulePostgres(PostgresApp app) : CountingRuleSuite<PostgresApp>(app);
