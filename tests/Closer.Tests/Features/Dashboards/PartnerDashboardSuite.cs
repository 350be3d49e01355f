using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Closer.Tests.Features.Dashboards;

/// <summary>The partner dashboard brought up to issue 20: the month chart's time axis, admin1, the country map, its tools and views.</summary>
public abstract partial class PartnerDashboardSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static int Year => TimeProvider.System.GetUtcNow().Year;

    // A series of FPUENTE in Colombia (returnees, WASH) reported in January and March only, in two areas, as drafts (only FPUENTE,
    // Colombia's coordinators and administrators see them): no demo data has it.
    private static string Filter => $"year={Year}&country=COL&sector=WSH&group=returnees&org=FPUENTE";

    private async Task SeedAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        if (db.ActivityReports.Any(r => r.IndicatorCode == "WSH-01" && r.PopulationGroup == "returnees" && r.Month == $"{Year}-01" && r.Total == 4100))
        {
            return;
        }
        var org = db.Organisations.Single(o => o.Acronym == "FPUENTE").Id;
        var now = TimeProvider.System.GetUtcNow();
        ActivityReport Report(string month, string admin1, long total) => new()
        {
            OrganisationId = org, CountryIso3 = "COL", Admin1PCode = admin1, IndicatorCode = "WSH-01", Month = month, PopulationGroup = "returnees",
            Men = total, Total = total, Status = ReportStatus.Draft, CreatedAt = now, UpdatedAt = now,
        };
        db.ActivityReports.AddRange(Report($"{Year}-01", "CO05", 4100), Report($"{Year}-01", "CO08", 900), Report($"{Year}-03", "CO05", 6000));
        await db.SaveChangesAsync(Ct);
    }

    private static string Between(string html, string start, string end)
    {
        var i = html.IndexOf(start, StringComparison.Ordinal);
        Assert.True(i >= 0, $"No {start}.");
        return html[i..html.IndexOf(end, i, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task MonthChart_IsOnARealTimeAxis_AMonthWithoutReportsIsAGap_InTheReadersLanguage()
    {
        await SeedAsync();
        var admin = await app.SignedInClientAsync(R.Admin);
        var html = await admin.GetStringAsync($"/admin/dashboards?{Filter}&lang=pap", Ct);
        var chart = Between(html, "aria-labelledby=\"p-c2-t p-c2-d\"", "</svg>");
        // January and March are points; February has no report: no point, and the two are not joined by a line.
        var points = Regex.Count(chart, "<circle class=\"dash-point dash-line-0\"");
        Assert.Equal(2, points);
        Assert.DoesNotMatch("<polyline class=\"dash-line dash-line-0\"", chart);
        // Ticks in Papiamentu (its culture's month names), not raw ISO months.
        Assert.DoesNotContain($">{Year}-01<", chart, StringComparison.Ordinal);
        var table = Between(html, "id=\"table-months\"", "</table>");
        Assert.Contains("data-key=\"" + Year + "-02\"", table, StringComparison.Ordinal);
        Assert.Contains($"yanüari {Year}", table, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("dash-gap", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin1_IsAPivotDimension_NamedInTheReadersLanguage_AndTheCountryMapShowsTheUsersScope()
    {
        await SeedAsync();
        var focal = await app.SignedInClientAsync(R.FocalPoint, "FPUENTE", "COL");
        var html = await focal.GetStringAsync($"/admin/dashboards?{Filter}&rows=Admin1&cols=Month&lang=es", Ct);
        var pivot = Between(html, "id=\"table-pivot\"", "</table>");
        Assert.Contains("data-key=\"CO05\"", pivot, StringComparison.Ordinal);
        Assert.Contains("data-key=\"CO08\"", pivot, StringComparison.Ordinal);
        Assert.Contains("Antioquia", pivot, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Admin1\"", html, StringComparison.Ordinal);
        // Each area by the rule on its own rows: CO05's best month 6,000, CO08's 900; the total is the series' best month (6,000), not 6,900.
        Assert.Matches("data-key=\"CO05\".*?data-value=\"6000\">[^<]*</td></tr>", Regex.Replace(pivot, "\\s+", " "));
        Assert.Contains("data-value=\"6000\">", Between(pivot, "<tfoot>", "</tfoot>")[^40..], StringComparison.Ordinal);

        // The country map, its table and maps.js, with the same area figures.
        Assert.Matches("src=\"/js/maps\\.([a-z0-9]+\\.)?js\"", html);
        var areas = Between(html, "id=\"p-area-table\"", "</table>");
        Assert.Matches("data-key=\"CO05\">[^<]*</th><td class=\"num\" data-value=\"6000\"", areas);
        Assert.Contains("aria-labelledby=\"p-area-map-t p-area-map-d\"", html, StringComparison.Ordinal);

        // Another organisation's focal point sees none of it.
        var other = await (await app.SignedInClientAsync(R.FocalPoint, "CAMPO", "COL")).GetStringAsync($"/admin/dashboards?{Filter}&rows=Admin1", Ct);
        Assert.DoesNotContain("data-key=\"CO05\"", Between(other, "id=\"table-pivot\"", "</table>"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tools_PermalinkAndChartFiles_KeepTheState_AreAuthorized_AndOfferNoEmbeddingOfPrivateFigures()
    {
        await SeedAsync();
        var focal = await app.SignedInClientAsync(R.FocalPoint, "FPUENTE", "COL");
        var html = await focal.GetStringAsync($"/admin/dashboards?{Filter}&chart=bars&rows=Admin1&admin1=CO05&bogus=1", Ct);
        var permalink = WebUtility.HtmlDecode(Regex.Match(html, "id=\"p-permalink\">([^<]+)<").Groups[1].Value);
        Assert.Equal($"/admin/dashboards?year={Year}&country=COL&sector=WSH&admin1=CO05&group=returnees&org=FPUENTE&rows=Admin1&chart=bars", permalink);
        Assert.Contains("name=\"chart\"", html, StringComparison.Ordinal);
        Assert.Contains("/data/views?view=page%3Dpartner", html, StringComparison.Ordinal);

        foreach (var figure in new[] { "sectors", "countries", "months", "partners", "map-country" })
        {
            Assert.Contains($"id=\"tools-{figure}\"", html, StringComparison.Ordinal);
            var svg = await focal.GetAsync($"/admin/dashboards?handler=Chart&figure={figure}&format=svg&{Filter}", Ct);
            Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
            Assert.Contains("no-store", svg.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
            Assert.StartsWith("<?xml", await svg.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        var csv = await focal.GetStringAsync($"/admin/dashboards?handler=Chart&figure=months&format=csv&{Filter}", Ct);
        Assert.Contains("#date+month", csv, StringComparison.Ordinal);
        Assert.Contains($"{Year}-03,6000,6000", csv, StringComparison.Ordinal);
        var png = await focal.GetAsync($"/admin/dashboards?handler=Chart&figure=sectors&format=png&{Filter}", Ct);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);

        // The private charts offer no embed snippet; the public refugees figures on the same page do.
        foreach (var figure in new[] { "sectors", "countries", "months", "partners", "map-country" })
        {
            Assert.DoesNotContain($"id=\"embed-{figure}\"", html, StringComparison.Ordinal);
        }
        Assert.Contains("id=\"embed-refugees\"", html, StringComparison.Ordinal);

        // Anonymous callers and other roles get nothing.
        var anonymous = await app.Client().GetAsync($"/admin/dashboards?handler=Chart&figure=sectors&format=csv&{Filter}", Ct);
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
        var editor = await (await app.SignedInClientAsync(R.Editor)).GetAsync($"/admin/dashboards?handler=Chart&figure=sectors&format=csv", Ct);
        Assert.NotEqual(HttpStatusCode.OK, editor.StatusCode);
        // Another organisation's focal point gets a file without FPUENTE's figures.
        var otherCsv = await (await app.SignedInClientAsync(R.FocalPoint, "CAMPO", "COL")).GetStringAsync($"/admin/dashboards?handler=Chart&figure=months&format=csv&{Filter}", Ct);
        Assert.DoesNotContain("6000", otherCsv, StringComparison.Ordinal);
    }

    /// <summary>
    /// A private file leaves the page too: it is framed as the public files are (title on top; under the drawing the bar
    /// labels, the source — the partner dashboard, said not public — the date and the page), in the reader's language.
    /// </summary>
    [Theory]
    [InlineData("en", "Source: Closer, partner dashboard (not public); ", "Retrieved on ")]
    [InlineData("pap", "Fuente: Closer, dashboard di socio (no públiko); ", "Konsultá ")]
    public async Task ChartFiles_SayTheirTitleSourceDateAndPage_AsThePublicFilesDo(string lang, string source, string retrieved)
    {
        await SeedAsync();
        var focal = await app.SignedInClientAsync(R.FocalPoint, "FPUENTE", "COL");
        var date = Closer.Web.Infrastructure.Localization.Languages.InCulture(lang, () => TimeProvider.System.GetUtcNow().ToString("D", CultureInfo.CurrentCulture));
        foreach (var figure in new[] { "sectors", "countries", "months", "partners", "map-country" })
        {
            var svg = await focal.GetStringAsync($"/admin/dashboards?handler=Chart&figure={figure}&format=svg&{Filter}&lang={lang}", Ct);
            System.Xml.Linq.XDocument.Parse(svg);
            Assert.Matches("<text class=\"chart-title\"", svg);
            var said = WebUtility.HtmlDecode(string.Join(' ', Regex.Matches(svg, "<text class=\"chart-credit\"[^>]*>([^<]*)</text>").Select(m => m.Groups[1].Value)));
            Assert.Contains(source, said, StringComparison.Ordinal);
            Assert.Contains(retrieved + date, said, StringComparison.Ordinal);
            Assert.Contains("/admin/dashboards?year=", said.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Equal(figure == "map-country", said.Contains("Natural Earth", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task SavedViews_KeepAPartnerDashboardView_AndOpenThePartnerDashboard()
    {
        var focal = await app.SignedInClientAsync(R.FocalPoint, "FPUENTE", "COL");
        var offer = $"page=partner&{Filter}&rows=Admin1&junk=1";
        var page = await focal.GetStringAsync("/en/data/views?view=" + Uri.EscapeDataString(offer), Ct);
        var query = WebUtility.HtmlDecode(Regex.Match(page, "name=\"query\" value=\"([^\"]+)\"").Groups[1].Value);
        Assert.Equal($"page=partner&year={Year}&country=COL&sector=WSH&group=returnees&org=FPUENTE&rows=Admin1", query);
        var token = WebUtility.HtmlDecode(Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
        var saved = await focal.PostAsync("/en/data/views?handler=Save", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "Returnees WASH", ["query"] = query, ["sharing"] = "Organisation", ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var colleague = await app.SignedInClientAsync(R.FocalPoint, "FPUENTE", "COL");
        var list = await colleague.GetStringAsync("/en/data/views", Ct);
        Assert.Contains(WebUtility.HtmlEncode($"/admin/dashboards?year={Year}&country=COL&sector=WSH&group=returnees&org=FPUENTE&rows=Admin1") + "\">Returnees WASH", list, StringComparison.Ordinal);
    }
}

public sealed class PartnerDashboardSqlite(SqliteApp app) : PartnerDashboardSuite<SqliteApp>(app);
public sealed class PartnerDashboardPostgres(PostgresApp app) : PartnerDashboardSuite<PostgresApp>(app);
