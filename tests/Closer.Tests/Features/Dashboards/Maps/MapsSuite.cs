using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Dashboards.Maps;

/// <summary>The maps on /{lang}/data and the country pages, on the demo data.</summary>
public abstract partial class MapsSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    private static Dictionary<string, long[]> TableValues(string html, string tableId)
    {
        var table = Regex.Match(html, $"id=\"{tableId}\".*?</table>", RegexOptions.Singleline).Value;
        Assert.False(string.IsNullOrEmpty(table), $"No table {tableId}.");
        return RowPattern().Matches(table).Select(r => (Key: Regex.Match(r.Value, "data-key=\"([^\"]+)\"").Groups[1].Value,
                Values: Regex.Matches(r.Value, "data-value=\"(-?\\d+)\"").Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray()))
            .Where(r => r.Key.Length > 0).ToDictionary(r => r.Key, r => r.Values, StringComparer.Ordinal);
    }

    [Theory]
    [InlineData("en", "Map: refugees and migrants from Venezuela by country, latest figure")]
    [InlineData("es", "Mapa: refugiados y migrantes de Venezuela por país, última cifra")]
    [InlineData("pt", "Mapa: refugiados e migrantes da Venezuela por país, último número")]
    [InlineData("pap", "Mapa: refugiado i migrante di Venezuela pa pais, último sifra")]
    public async Task DataPage_DrawsTheRegionMap_WithEveryPlanCountryLabelled_AndItsTable(string language, string title)
    {
        var html = await app.Client().GetStringAsync($"/{language}/data", Ct);
        var text = WebUtility.HtmlDecode(html);
        Assert.Contains($"<title id=\"dash-map-t\">{title}</title>", text, StringComparison.Ordinal);
        Assert.Contains("<desc id=\"dash-map-d\">", text, StringComparison.Ordinal);
        var table = TableValues(html, "table-refugees");
        Assert.NotEmpty(table);
        // Every country with a figure is an area of the map named with its figure in the reader's number format.
        var culture = Languages.Culture(language);
        foreach (var (iso3, values) in table)
        {
            var area = Regex.Match(text, $"<g class=\"map-area\" tabindex=\"0\" role=\"img\" aria-label=\"([^\"]+)\" data-key=\"{iso3}\" fill=\"(#[0-9a-f]{{6}})\">");
            Assert.True(area.Success, $"{language}: no map area for {iso3}");
            Assert.Contains(values[0].ToString("N0", culture), area.Groups[1].Value, StringComparison.Ordinal);
            Assert.Contains(area.Groups[2].Value, Closer.Web.Features.Dashboards.Maps.MapPalette.Classes);
        }
        Assert.Contains("<script type=\"module\" src=\"/js/maps.", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "People reached by area in Colombia")]
    [InlineData("es", "Personas alcanzadas por área en Colombia")]
    [InlineData("pt", "Pessoas alcançadas por área em Colômbia")]
    [InlineData("pap", "Hende yegá pa área na Colombia")]
    public async Task CountryMap_ShowsEachAreasReachedAndPartners_AsTheRuleComputesFromValidatedRows(string language, string title)
    {
        var html = await app.Client().GetStringAsync($"/{language}/data?country=COL", Ct);
        var text = WebUtility.HtmlDecode(html);
        Assert.Contains(title, text, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"map-svg\" role=\"group\" aria-labelledby=\"dash-area-map-t dash-area-map-d\"", html, StringComparison.Ordinal);
        var table = TableValues(html, "dash-area-table");

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var year = TimeProvider.System.GetUtcNow().Year.ToString(CultureInfo.InvariantCulture);
        // People-unit indicators outside the sensitive sectors: those are published by country only (disclosure control).
        var disclosure = scope.ServiceProvider.GetRequiredService<Closer.Web.Features.OpenData.Disclosure.DisclosureControl>();
        var people = (await db.Indicators.Where(i => i.Unit == IndicatorUnit.People).Select(i => new { i.Code, i.SectorCode }).ToListAsync(Ct))
            .Where(i => !disclosure.IsSensitiveSector(i.SectorCode)).Select(i => i.Code).ToList();
        Assert.Contains(people, code => code.StartsWith("FSC", StringComparison.Ordinal));
        var raw = (await db.ActivityReports.AsNoTracking().Where(r => r.CountryIso3 == "COL" && r.DeletedAt == null && r.Status == ReportStatus.Validated).ToListAsync(Ct))
            .Where(r => r.Month.StartsWith(year, StringComparison.Ordinal)).ToList();
        var reached = raw.Where(r => people.Contains(r.IndicatorCode)).GroupBy(r => (r.Admin1PCode, r.OrganisationId, r.IndicatorCode, r.PopulationGroup))
            .GroupBy(s => s.Key.Admin1PCode).ToDictionary(g => g.Key, g => g.Sum(s => s.Max(r => r.ReachedToDate ?? r.Total)));
        var partners = raw.GroupBy(r => r.Admin1PCode).ToDictionary(g => g.Key, g => (long)g.Select(r => r.OrganisationId).Distinct().Count());
        Assert.NotEmpty(reached);
        var areas = await db.Admin1Areas.Where(a => a.CountryIso3 == "COL" && a.RetiredAt == null).Select(a => a.PCode).ToListAsync(Ct);
        Assert.Equal(areas.Order(StringComparer.Ordinal), table.Keys.Order(StringComparer.Ordinal));
        foreach (var pcode in areas)
        {
            Assert.Equal([reached.GetValueOrDefault(pcode), partners.GetValueOrDefault(pcode)], table[pcode]);
        }
        // Each area with an outline is drawn and named with its figure; San Andrés lies outside the mainland's frame.
        foreach (var pcode in areas.Where(p => p != "CO88"))
        {
            Assert.Matches($"aria-label=\"[^\"]*{Regex.Escape(table[pcode][0].ToString("N0", Languages.Culture(language)))}[^\"]*\" data-key=\"{pcode}\"", text);
        }
        Assert.DoesNotContain("data-key=\"CO88\" fill", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountryWithoutOutlines_GetsRankedBars_NeverNothing()
    {
        var html = await app.Client().GetStringAsync("/pap/data?country=CUW", Ct);
        Assert.Contains("aria-labelledby=\"dash-area-bars-t dash-area-bars-d\"", html, StringComparison.Ordinal);
        Assert.Equal(["CW01", "CW02", "CW03"], TableValues(html, "dash-area-table").Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("dash-area-map-t", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/en/data?country=XXX")]
    [InlineData("/en/data?country=")]
    [InlineData("/en/data?country=%3Cscript%3E")]
    public async Task UnknownCountry_ShowsTheChooserWithoutAMap(string path)
    {
        var response = await app.Client().GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"dash-country\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("dash-area-table", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "PER")]
    [InlineData("es", "BRA")]
    [InlineData("pt", "ARG")]
    [InlineData("pap", "CUW")]
    public async Task CountryPage_ShowsTheCountryMapAndItsTable(string language, string iso3)
    {
        var html = await app.Client().GetStringAsync($"/{language}/countries/{iso3}", Ct);
        Assert.Contains("id=\"country-areas-table\"", html, StringComparison.Ordinal);
        Assert.True(html.Contains("country-areas-map-t", StringComparison.Ordinal) || html.Contains("country-areas-bars-t", StringComparison.Ordinal));
        Assert.Contains($"href=\"/{language}/data?country={iso3}#dash-areas\"", html, StringComparison.Ordinal);
    }
}

public sealed class MapsSqlite(SqliteApp app) : MapsSuite<SqliteApp>(app);
public sealed class MapsPostgres(PostgresApp app) : MapsSuite<PostgresApp>(app);
