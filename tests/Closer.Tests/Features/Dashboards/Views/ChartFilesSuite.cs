using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Dashboards;
using Closer.Web.Features.Dashboards.Views;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Dashboards.Views;

/// <summary>Each chart as SVG, PNG and CSV: a suppressed cell stays suppressed in all three; ETag revalidation; citation and embed snippet.</summary>
public abstract class ChartFilesSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Country = "GUY";

    /// <summary>Small validated counts of gender-based violence in one country: below the threshold, so every public output hides them.</summary>
    private async Task<int> SeedAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var year = await DashboardData.CurrentYearAsync(db, TimeProvider.System, Ct);
        db.ActivityReports.RemoveRange(await db.ActivityReports.Where(r => r.CountryIso3 == Country && r.IndicatorCode == "PRO-GBV-01").ToListAsync(Ct));
        await db.SaveChangesAsync(Ct);
        var org = await db.Organisations.OrderBy(o => o.Id).Select(o => o.Id).FirstAsync(Ct);
        var area = await db.Admin1Areas.Where(a => a.CountryIso3 == Country).OrderBy(a => a.PCode).Select(a => a.PCode).FirstAsync(Ct);
        db.ActivityReports.Add(new ActivityReport
        {
            OrganisationId = org, CountryIso3 = Country, Admin1PCode = area, IndicatorCode = "PRO-GBV-01", Month = $"{year}-02",
            PopulationGroup = PopulationGroups.HostCommunity, Girls = 2, Women = 1, Total = 3, Status = ReportStatus.Validated, IsDemo = true,
        });
        await db.SaveChangesAsync(Ct);
        return year;
    }

    [Fact]
    public async Task SuppressedCell_StaysSuppressed_InSvgPngAndCsv()
    {
        var year = await SeedAsync();
        var client = app.Client();
        var query = $"figure=countries&year={year}&sector=PRO-GBV";
        var csv = (await client.GetStringAsync($"/en/data/chart.csv?{query}", Ct)).TrimStart('\uFEFF');
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("#country+code", lines[1], StringComparison.Ordinal);
        var guyana = Assert.Single(lines, l => l.StartsWith($"{year},{Country},", StringComparison.Ordinal));
        var cells = guyana.Split(',');
        Assert.Equal("", cells[3]);
        Assert.Equal("suppressed", cells[^1]);

        var svgResponse = await client.GetAsync($"/en/data/chart.svg?{query}", Ct);
        Assert.Equal("image/svg+xml", svgResponse.Content.Headers.ContentType!.MediaType);
        var svg = await svgResponse.Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("<?xml", svg, StringComparison.Ordinal);
        Assert.Matches("<text class=\"dash-label\"[^>]*>Guyana</text>(<rect[^>]*/>)*<text class=\"dash-value\"[^>]*>– / ", svg);
        Assert.DoesNotContain("<script", svg, StringComparison.OrdinalIgnoreCase);
        // The page shows the same dash.
        var page = await client.GetStringAsync($"/en/data?year={year}&sector=PRO-GBV", Ct);
        Assert.Matches($"<th scope=\"row\" data-key=\"{Country}\">Guyana</th>\\s*<td class=\"num\" data-value=\"\">–</td>", page);

        // The PNG is that very SVG drawn (deterministic rendering), so it shows the dash and nothing else.
        var png = await client.GetByteArrayAsync($"/en/data/chart.png?{query}", Ct);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], png[..4]);
        Assert.Equal(ChartImages.Png(svg), png);
    }

    [Fact]
    public async Task Files_CarryAnETag_AndRevalidate()
    {
        var client = app.Client();
        foreach (var ext in new[] { "svg", "png", "csv" })
        {
            var first = await client.GetAsync($"/es/data/chart.{ext}?figure=sectors", Ct);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var etag = first.Headers.ETag!;
            using var again = new HttpRequestMessage(HttpMethod.Get, $"/es/data/chart.{ext}?figure=sectors");
            again.Headers.IfNoneMatch.Add(etag);
            Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again, Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/es/data/chart.svg?figure=nope", Ct)).StatusCode);
        // A file does not fall back to the default chart for values it cannot take (the page does, and says so).
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/es/data/chart.png?figure=countries&sector=XX&group=zz&year=1", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("en", "figure=countries&limit=5", "unknown-parameter", null, "does not take that query parameter")]
    [InlineData("es", "figure=countries&foo=bar", "unknown-parameter", null, "no admite ese parámetro")]
    [InlineData("pt", "figure=countries&year=1999", "unknown-value", "year", "não aceita o valor 1999")]
    [InlineData("pap", "figure=countries&sector=XX", "unknown-sector", "sector", "XX")]
    [InlineData("es", "figure=time&c=COL&c=ZZZ", "unknown-country", "c", "ZZZ")]
    [InlineData("en", "figure=countries&group=zz", "unknown-value", "group", "destination, transit")]
    [InlineData("pt", "figure=countries&chart=pie", "unknown-value", "chart", "pie")]
    [InlineData("en", "figure=map-country&country=COL&admin1=XX99", "invalid-value", "admin1", "XX99")]
    [InlineData("es", "figure=countries&admin1=CO05", "invalid-value", "admin1", "CO05")]
    public async Task ChartData_RefusesUnknownParametersAndValues_WithALocalizedProblem(string lang, string query, string code, string? parameter, string words)
    {
        var client = app.Client();
        foreach (var ext in new[] { "csv", "svg" })
        {
            using var response = await client.GetAsync($"/{lang}/data/chart.{ext}?{query}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
            Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.Contains(words, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
            if (parameter is not null)
            {
                Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
            }
        }
        // Every value the page writes into a chart file's link is taken.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/{lang}/data/chart.csv?figure=time&c=COL&c=PER&chart=bars&group=host&sector=HEA", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/{lang}/data/chart.csv?figure=map-country&country=COL&admin1=CO05", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("es", "Cite esta cifra:")]
    [InlineData("pap", "Sita e sifra aki:")]
    public async Task Page_GivesEachChart_FilesCitationAndEmbed(string lang, string cite)
    {
        var html = await app.Client().GetStringAsync($"/{lang}/data?country=COL&admin1=CO05", Ct);
        var figures = AssertEachChartHasTools(html, $"/{lang}/data", "country=COL&admin1=CO05", cite);
        // Every chart the page draws, found from its HTML: the files answer each figure the page names.
        Assert.Equal(ChartFiles.Figures.Order(StringComparer.Ordinal), figures.Order(StringComparer.Ordinal));
        // The date is the reader's: Papiamentu month names come from the app's culture.
        var month = (lang == "pap" ? PapiamentuCulture.Create() : CultureInfo.GetCultureInfo(lang)).DateTimeFormat.GetMonthName(TimeProvider.System.GetUtcNow().Month);
        Assert.Contains(month, html, StringComparison.Ordinal);
    }

    /// <summary>
    /// The charts of a page, read from its HTML (every drawn chart or map: an <c>&lt;svg&gt;</c> with role img or group), each
    /// followed by its own tools before the next chart: SVG, PNG and CSV links for the page's state, a citation in the reader's
    /// language with the page's address, and an embed snippet that is a plain image with a link (no iframe, no script).
    /// Returns the figures named. A chart added without tools fails here.
    /// </summary>
    internal static List<string> AssertEachChartHasTools(string html, string page, string state, string cite)
    {
        var main = html[html.IndexOf("<main", StringComparison.Ordinal)..html.IndexOf("</main>", StringComparison.Ordinal)];
        var charts = Regex.Matches(main, "<svg\\b[^>]*\\brole=\"(?:img|group)\"").Select(m => m.Index).ToList();
        var tools = Regex.Matches(main, "<details class=\"dash-tools\" id=\"tools-([a-z-]+)\">.*?</details>", RegexOptions.Singleline).ToList();
        Assert.NotEmpty(charts);
        var figures = new List<string>();
        for (var i = 0; i < charts.Count; i++)
        {
            var next = tools.FirstOrDefault(t => t.Index > charts[i]);
            Assert.True(next is not null && (i + 1 == charts.Count || next.Index < charts[i + 1]),
                $"The chart at {charts[i]} of {page} has no tools of its own: {main[charts[i]..Math.Min(main.Length, charts[i] + 160)]}");
            var figure = next!.Groups[1].Value;
            var block = next.Value;
            var query = state.Length > 0 ? "&amp;" + state.Replace("&", "&amp;", StringComparison.Ordinal) : "";
            var permalink = state.Length > 0 ? $"{page}?{state.Replace("&", "&amp;", StringComparison.Ordinal)}" : page;
            foreach (var ext in new[] { "svg", "png", "csv" })
            {
                Assert.Contains($"href=\"{page}/chart.{ext}?figure={figure}{query}\"", block, StringComparison.Ordinal);
            }
            Assert.Contains(cite, block, StringComparison.Ordinal);
            Assert.Contains("http://localhost" + permalink, block, StringComparison.Ordinal);
            Assert.Contains($"&lt;a href=&quot;http://localhost{permalink}&quot;&gt;&lt;img src=&quot;http://localhost{page}/chart.svg?figure={figure}", block, StringComparison.Ordinal);
            Assert.DoesNotContain("iframe", block, StringComparison.Ordinal);
            Assert.DoesNotContain("&lt;script", block, StringComparison.Ordinal);
            figures.Add(figure);
        }
        Assert.Equal(figures.Count, figures.Distinct(StringComparer.Ordinal).Count());
        return figures;
    }

    /// <summary>
    /// Choosing an area on /{lang}/data's country map (issue 20): each area of the map and each name of its table is a link
    /// (no script) that sets the state's admin1; the page then shows that area — marked on the map and in the table, its
    /// people reached and partners by sector (adding up to the area's figure) — keeps it in the permalink, and links back to
    /// all areas.
    /// </summary>
    [Fact]
    public async Task CountryMap_ChoosingAnArea_FiltersTheDashboardToIt_AndLeadsBackToAllAreas()
    {
        var client = app.Client();
        var html = await client.GetStringAsync("/en/data?country=COL&chart=map", Ct);
        var link = Regex.Match(html, "<a class=\"map-area\" href=\"([^\"]+)\" aria-label=\"[^\"]+\" data-key=\"CO05\"");
        Assert.True(link.Success, "The map's areas are not links.");
        Assert.Equal("/en/data?country=COL&admin1=CO05&chart=map#dash-area-h", WebUtility.HtmlDecode(link.Groups[1].Value));
        Assert.Contains("<a href=\"/en/data?country=COL&amp;admin1=CO05&amp;chart=map#dash-area-h\">", Regex.Match(html, "id=\"dash-area-table\">.*?</table>", RegexOptions.Singleline).Value, StringComparison.Ordinal);
        Assert.DoesNotContain("map-selected", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"dash-area-sectors\"", html, StringComparison.Ordinal);

        var chosen = await client.GetStringAsync("/en/data?country=COL&admin1=CO05&chart=map", Ct);
        Assert.Matches("<a class=\"map-area map-selected\" href=\"[^\"]+\" aria-label=\"[^\"]+\" data-key=\"CO05\" fill=\"#[0-9a-f]{6}\" aria-current=\"true\">", chosen);
        Assert.Equal(1, Regex.Count(chosen, "map-selected"));
        Assert.Matches("<tr class=\"dash-selected\" aria-current=\"true\"><th scope=\"row\" data-key=\"CO05\">", chosen);
        var areaReached = long.Parse(Regex.Match(chosen, "data-key=\"CO05\">\\s*<a [^>]*>[^<]*</a>\\s*</th><td class=\"num\" data-value=\"(\\d+)\"").Groups[1].Value, CultureInfo.InvariantCulture);
        var sectors = Regex.Match(chosen, "id=\"dash-area-sectors-table\">.*?</table>", RegexOptions.Singleline).Value;
        Assert.Contains("Antioquia", Regex.Match(chosen, "<h3 id=\"dash-area-sectors-h\">[^<]*</h3>").Value, StringComparison.Ordinal);
        var bySector = Regex.Matches(sectors, "<th scope=\"row\" data-key=\"[A-Z-]+\">[^<]*</th><td class=\"num\" data-value=\"(\\d+)\"")
            .Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(bySector);
        Assert.Equal(areaReached, bySector.Sum());
        // The permalink keeps the area; a clear way back to all areas keeps the rest of the state.
        Assert.Contains("/en/data?country=COL&amp;admin1=CO05&amp;chart=map", chosen, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/en/data?country=COL&amp;chart=map#dash-area-h\">Show all areas</a>", chosen, StringComparison.Ordinal);
        // Its chart is a file like the others.
        var csv = (await client.GetStringAsync("/en/data/chart.csv?figure=area-sectors&country=COL&admin1=CO05", Ct)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(bySector.Count, csv.Length - 2);
        Assert.Contains("#adm1+code", csv[1], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/en/data/chart.csv?figure=area-sectors&country=COL", Ct)).StatusCode);
    }

    /// <summary>
    /// A situation report's map and bars have the dashboard's tools too (issue 20), and their files are the page's drawing in the
    /// frame (title, source, date, the report's address), its table as CSV with HXL, in the reader's language.
    /// </summary>
    [Theory]
    [InlineData("en", "COL", "Cite this figure:", "Source: Closer, situation report; ", "Closer, situation report; source: ")]
    [InlineData("pt", "COL", "Cite este número:", "Fonte: Closer, relatório de situação; ", "Closer, relatório de situação; fonte: ")]
    [InlineData("pap", "region", "Sita e sifra aki:", "Fuente: Closer, rapòrt di situashon; ", "Closer, rapòrt di situashon; fuente: ")]
    public async Task SituationPage_GivesEachChart_FilesCitationAndEmbed(string lang, string scope, string cite, string source, string citedAs)
    {
        string month;
        await using (var services = app.Services.CreateAsyncScope())
        {
            var db = services.ServiceProvider.GetRequiredService<CloserDbContext>();
            month = await db.SituationReports.Where(r => r.Scope == scope && r.PublishedAt != null).OrderByDescending(r => r.Month).Select(r => r.Month).FirstAsync(Ct);
        }
        var client = app.Client();
        var page = $"/{lang}/data/situation/{scope}/{month}";
        var html = await client.GetStringAsync(page, Ct);
        var figures = AssertEachChartHasTools(html, page, "", cite);
        Assert.Equal(["map", "sectors"], figures);
        // Cited as the situation report it is, not as the data dashboard: one citation per chart.
        var citations = Regex.Matches(html, "<span class=\"dash-cite\">([^<]*)</span>").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(2, citations.Count);
        Assert.All(citations, c => Assert.Contains(citedAs, c, StringComparison.Ordinal));
        foreach (var figure in figures)
        {
            var svg = await client.GetStringAsync($"{page}/chart.svg?figure={figure}", Ct);
            System.Xml.Linq.XDocument.Parse(svg);
            var said = WebUtility.HtmlDecode(string.Join(' ', Regex.Matches(svg, "<text class=\"chart-credit\"[^>]*>([^<]*)</text>").Select(m => m.Groups[1].Value)));
            Assert.Contains(source, said, StringComparison.Ordinal);
            Assert.Contains($"http://localhost{page}", said.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
            var png = await client.GetByteArrayAsync($"{page}/chart.png?figure={figure}", Ct);
            Assert.Equal(ChartImages.Png(svg), png);
            var csv = (await client.GetStringAsync($"{page}/chart.csv?figure={figure}", Ct)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.True(csv.Length >= 3, string.Join('\n', csv));
            Assert.StartsWith("#", csv[1], StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"{page}/chart.svg?figure=nope", Ct)).StatusCode);
        // No report there (a month to come): no file either.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/{lang}/data/situation/{scope}/2999-01/chart.svg?figure=map", Ct)).StatusCode);
    }

    /// <summary>
    /// A file leaves the page that explained it, so it says itself, in the reader's language: the title on top, and under the
    /// drawing what the bar labels are, the source (Closer; the outlines' credit only where outlines are drawn), the date and
    /// the page. The PNG is that SVG drawn, so it is taller than the chart alone by the same lines.
    /// </summary>
    [Theory]
    [InlineData("en", "Source: Closer, data dashboard; ", "Bar labels: people reached / target.", "Retrieved on ")]
    [InlineData("es", "Fuente: Closer, tablero de datos; ", "Rótulos de las barras: personas alcanzadas / meta.", "Consultado el ")]
    [InlineData("pt", "Fonte: Closer, painel de dados; ", "Rótulos das barras: pessoas alcançadas / meta.", "Consultado em ")]
    [InlineData("pap", "Fuente: Closer, dashboard di datos; ", "Etiketa di e baranan: hende alkansá / meta.", "Konsultá ")]
    public async Task Files_SayTheirTitleSourceDateAndPage(string lang, string source, string bars, string retrieved)
    {
        var client = app.Client();
        string Text(string svg) => WebUtility.HtmlDecode(string.Join(' ', Regex.Matches(svg, "<text class=\"chart-(?:title|credit)\"[^>]*>([^<]*)</text>").Select(m => m.Groups[1].Value)));
        var date = Languages.InCulture(lang, () => TimeProvider.System.GetUtcNow().ToString("D", CultureInfo.CurrentCulture));
        foreach (var figure in ChartFiles.Figures)
        {
            var svg = await client.GetStringAsync($"/{lang}/data/chart.svg?figure={figure}&country=COL&admin1=CO05", Ct);
            System.Xml.Linq.XDocument.Parse(svg);
            // The visible title is the chart's (a map's accessible title adds "Map: " before it).
            var title = WebUtility.HtmlDecode(Regex.Match(svg, "<title[^>]*>([^<]*)</title>").Groups[1].Value);
            var shown = WebUtility.HtmlDecode(string.Join(' ', Regex.Matches(svg, "<text class=\"chart-title\"[^>]*>([^<]*)</text>").Select(m => m.Groups[1].Value)));
            Assert.NotEqual("", shown);
            Assert.EndsWith(shown, title, StringComparison.Ordinal);
            var said = Text(svg);
            Assert.Contains(source, said, StringComparison.Ordinal);
            Assert.Contains(retrieved + date, said, StringComparison.Ordinal);
            Assert.Contains($"http://localhost/{lang}/data?country=COL", said, StringComparison.Ordinal);
            Assert.Equal(figure is "sectors" or "countries", said.Contains(bars, StringComparison.Ordinal));
            Assert.Equal(figure.StartsWith("map-", StringComparison.Ordinal), said.Contains("Natural Earth", StringComparison.Ordinal));
            // The PNG draws the same: twice the framed size, taller than the chart's own drawing.
            var inner = Regex.Match(svg, "<g transform=\"translate\\(0 (\\d+)\\)\">").Groups[1].Value;
            Assert.NotEqual("", inner);
            var height = int.Parse(Regex.Match(svg, "<svg[^>]* height=\"(\\d+)\"").Groups[1].Value, CultureInfo.InvariantCulture);
            var png = await client.GetByteArrayAsync($"/{lang}/data/chart.png?figure={figure}&country=COL&admin1=CO05", Ct);
            using var bitmap = SkiaSharp.SKBitmap.Decode(png);
            Assert.Equal(2 * height, bitmap.Height);
        }
        // Aruba has no outlines: its areas are bars, and nothing credits outlines.
        var aruba = await client.GetStringAsync($"/{lang}/data/chart.svg?figure=map-country&country=ABW", Ct);
        Assert.Contains(source, Text(aruba), StringComparison.Ordinal);
        Assert.DoesNotContain("Natural Earth", aruba, StringComparison.Ordinal);
        Assert.DoesNotContain("Natural Earth", Regex.Match(await client.GetStringAsync($"/{lang}/data?country=ABW", Ct),
            "<section class=\"dash-section\" aria-labelledby=\"dash-area-h\">.*?</section>", RegexOptions.Singleline).Value, StringComparison.Ordinal);
    }

    /// <summary>
    /// The maps as files (issue 20): the region and a country by admin1 as SVG (the page's drawing with its legend), PNG and CSV
    /// with HXL tags; the CSV says what the page's table says, including the disclosure rule (sensitive sectors left out of areas).
    /// </summary>
    [Fact]
    public async Task Maps_AreFiles_WithTheirTable_AsOnThePage()
    {
        var year = await SeedAsync();
        var client = app.Client();
        var region = await client.GetAsync("/pt/data/chart.svg?figure=map-region", Ct);
        Assert.Equal("image/svg+xml", region.Content.Headers.ContentType!.MediaType);
        var regionSvg = await region.Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("<?xml", regionSvg, StringComparison.Ordinal);
        Assert.Contains("class=\"map-area\"", regionSvg, StringComparison.Ordinal);
        Assert.Contains("class=\"map-legend\"", regionSvg, StringComparison.Ordinal);
        Assert.Contains(">Refugiados e migrantes</text>", regionSvg, StringComparison.Ordinal);
        Assert.DoesNotContain("<figcaption", regionSvg, StringComparison.Ordinal);
        System.Xml.Linq.XDocument.Parse(regionSvg);
        var regionCsv = (await client.GetStringAsync("/pt/data/chart.csv?figure=map-region", Ct)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("#country+code", regionCsv[1], StringComparison.Ordinal);
        Assert.Equal(17, regionCsv.Length - 2);

        var query = $"figure=map-country&year={year}&country={Country}";
        var svg = await client.GetStringAsync($"/en/data/chart.svg?{query}", Ct);
        System.Xml.Linq.XDocument.Parse(svg);
        var png = await client.GetByteArrayAsync($"/en/data/chart.png?{query}", Ct);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], png[..4]);
        Assert.Equal(ChartImages.Png(svg), png);
        var csvResponse = await client.GetAsync($"/en/data/chart.csv?{query}", Ct);
        Assert.StartsWith("applied;", csvResponse.Headers.GetValues("Disclosure-Control").Single(), StringComparison.Ordinal);
        var csv = (await csvResponse.Content.ReadAsStringAsync(Ct)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("#date+year,#country+code,#country+name,#adm1+code,#adm1+name,#reached,#indicator+num+partners", csv[1]);
        // Every area of the page's table, with its figures (the small gender-based violence count is in no area).
        var page = await client.GetStringAsync($"/en/data?year={year}&country={Country}", Ct);
        var table = Regex.Match(page, "<table class=\"dash-table\" id=\"dash-area-table\">.*?</table>", RegexOptions.Singleline).Value;
        var rows = Regex.Matches(table, "<th scope=\"row\" data-key=\"([^\"]+)\">\\s*(?:<a [^>]*>)?[^<]*(?:</a>)?\\s*</th><td class=\"num\" data-value=\"(\\d+)\">[^<]*</td><td class=\"num\" data-value=\"(\\d+)\">")
            .Select(m => $"{m.Groups[1].Value}|{m.Groups[2].Value}|{m.Groups[3].Value}").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(rows);
        var fileRows = csv.Skip(2).Select(l => l.Split(',')).Select(c => $"{c[3]}|{c[^2]}|{c[^1]}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(rows, fileRows);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/en/data/chart.svg?figure=map-country", Ct)).StatusCode);
        // The country page links its map's files for its country.
        var countryPage = await client.GetStringAsync($"/es/countries/{Country}", Ct);
        Assert.Contains($"href=\"/es/data/chart.svg?figure=map-country&amp;country={Country}\"", countryPage, StringComparison.Ordinal);
    }
}

public sealed class ChartFilesSqlite(SqliteApp app) : ChartFilesSuite<SqliteApp>(app);
public sealed class ChartFilesPostgres(PostgresApp app) : ChartFilesSuite<PostgresApp>(app);
