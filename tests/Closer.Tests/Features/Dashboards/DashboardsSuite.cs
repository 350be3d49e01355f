using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Features.Dashboards;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace Closer.Tests.Features.Dashboards;

/// <summary>The public dashboard, its downloads and the partner dashboard, on the demo data plus reports made here.</summary>
public abstract partial class DashboardsSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string M => TimeProvider.System.GetUtcNow().ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static JsonElement Json(string s) => JsonDocument.Parse(s).RootElement;

    /// <summary>data-value of the cells of a table's rows, keyed by the row's data-key (first value column, or the one given).</summary>
    private static Dictionary<string, long[]> TableValues(string html, string tableId)
    {
        var table = Regex.Match(html, $"id=\"{tableId}\".*?</table>", RegexOptions.Singleline).Value;
        Assert.False(string.IsNullOrEmpty(table), $"No table {tableId}.");
        var result = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (Match row in RowPattern().Matches(table))
        {
            var key = Regex.Match(row.Value, "data-key=\"([^\"]+)\"").Groups[1].Value;
            var values = ValuePattern().Matches(row.Value).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
            if (key.Length > 0)
            {
                result[key] = values;
            }
        }
        return result;
    }

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("data-value=\"(-?\\d+)\"")]
    private static partial Regex ValuePattern();

    private static async Task<(long Reached, long PageReached)> HealthInCuracaoAsync(HttpClient anonymous)
    {
        var json = Json(await anonymous.GetStringAsync("/api/v1/dashboards/response?country=CUW", Ct));
        var reached = json.GetProperty("sectors").EnumerateArray().Where(s => s.GetProperty("key").GetString() == "HEA").Select(s => s.GetProperty("reached").GetInt64()).SingleOrDefault();
        var page = await anonymous.GetStringAsync("/en/data", Ct);
        var pageCountry = TableValues(page, "table-countries").GetValueOrDefault("CUW")?[0] ?? 0;
        return (reached, pageCountry);
    }

    [Fact]
    public async Task PublicDashboardAndApi_CountAReportOnlyOnceValidated()
    {
        var anonymous = app.Client();
        var admin = await app.ApiClientAsync(R.Admin);
        var (apiBefore, pageBefore) = await HealthInCuracaoAsync(anonymous);

        // A new series (returnees are not in the demo data): KARIBE, Curaçao, HEA-01.
        var created = await admin.PostAsJsonAsync("/api/v1/reports", new
        {
            org = "KARIBE", country = "CUW", admin1 = "CW02", indicator = "HEA-01", month = M, populationGroup = "returnees", girls = 100, boys = 200, women = 300, men = 400,
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = Json(await created.Content.ReadAsStringAsync(Ct)).GetProperty("id").GetInt32();
        Assert.Equal((apiBefore, pageBefore), await HealthInCuracaoAsync(anonymous));
        var csv = await anonymous.GetStringAsync("/api/v1/dashboards/response?country=CUW&format=csv", Ct);
        Assert.DoesNotContain("1000", csv, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/reports/{id}/submit", null, Ct)).StatusCode);
        Assert.Equal((apiBefore, pageBefore), await HealthInCuracaoAsync(anonymous));

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/reports/{id}/validate", null, Ct)).StatusCode);
        Assert.Equal((apiBefore + 1000, pageBefore + 1000), await HealthInCuracaoAsync(anonymous));

        // Returned, it leaves the public figures again (and the cached page moves with it).
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/reports/{id}/return", new { reason = "Check." }, Ct)).StatusCode);
        Assert.Equal((apiBefore, pageBefore), await HealthInCuracaoAsync(anonymous));
    }

    [Fact]
    public async Task PublicFigures_EqualAComputationFromValidatedRawRowsOnly()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var year = TimeProvider.System.GetUtcNow().Year;
        var people = await db.Indicators.Where(i => i.Unit == IndicatorUnit.People).ToDictionaryAsync(i => i.Code, i => i.SectorCode, Ct);
        var raw = await db.ActivityReports.AsNoTracking()
            .Where(r => r.DeletedAt == null && r.Status == ReportStatus.Validated && r.Month.StartsWith(year.ToString(CultureInfo.InvariantCulture))).ToListAsync(Ct);
        var expected = raw.Where(r => people.ContainsKey(r.IndicatorCode))
            .GroupBy(r => (r.OrganisationId, r.CountryIso3, r.IndicatorCode, r.PopulationGroup))
            .GroupBy(s => people[s.Key.IndicatorCode])
            .ToDictionary(g => g.Key, g => g.Sum(s => s.GroupBy(r => r.Month).Max(m => m.Sum(r => r.ReachedToDate ?? r.Total))));
        var json = Json(await app.Client().GetStringAsync($"/api/v1/dashboards/response?year={year}", Ct));
        var actual = json.GetProperty("sectors").EnumerateArray().Where(s => s.GetProperty("reached").GetInt64() > 0)
            .ToDictionary(s => s.GetProperty("key").GetString()!, s => s.GetProperty("reached").GetInt64());
        Assert.NotEmpty(actual);
        Assert.Equal(expected.Where(kv => kv.Value > 0).OrderBy(kv => kv.Key, StringComparer.Ordinal), actual.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task ChartTables_HoldTheApisNumbers()
    {
        var client = app.Client();
        var page = await client.GetStringAsync("/en/data", Ct);
        var response = Json(await client.GetStringAsync("/api/v1/dashboards/response", Ct));
        var sectors = TableValues(page, "table-sectors");
        var apiSectors = response.GetProperty("sectors").EnumerateArray().ToList();
        Assert.NotEmpty(apiSectors);
        Assert.Equal(apiSectors.Count, sectors.Count);
        foreach (var s in apiSectors)
        {
            Assert.Equal([s.GetProperty("reached").GetInt64(), s.GetProperty("target").GetInt64()], sectors[s.GetProperty("key").GetString()!]);
        }
        var countries = TableValues(page, "table-countries");
        foreach (var c in response.GetProperty("countries").EnumerateArray())
        {
            Assert.Equal([c.GetProperty("reached").GetInt64(), c.GetProperty("target").GetInt64()], countries[c.GetProperty("key").GetString()!]);
        }
        var refugees = TableValues(page, "table-refugees");
        var latest = Json(await client.GetStringAsync("/api/v1/dashboards/refugees", Ct)).EnumerateArray().ToList();
        Assert.Equal(17, latest.Count);
        foreach (var f in latest)
        {
            Assert.Equal([f.GetProperty("refugeesAndMigrants").GetInt64()], refugees[f.GetProperty("country").GetString()!]);
        }
        var partners = Json(await client.GetStringAsync("/api/v1/dashboards/partners", Ct)).GetProperty("cells").EnumerateArray().ToList();
        Assert.NotEmpty(partners);
        var partnerTotal = Regex.Matches(Regex.Match(page, "id=\"table-partners\".*?</table>", RegexOptions.Singleline).Value, "data-value=\"(\\d+)\"")
            .Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal(partners.Sum(p => p.GetProperty("partners").GetInt64()), partnerTotal);
    }

    [Theory]
    [InlineData("/api/v1/dashboards/response?by=sector")]
    [InlineData("/api/v1/dashboards/response?by=country")]
    [InlineData("/api/v1/dashboards/response?by=cells")]
    [InlineData("/api/v1/dashboards/refugees")]
    [InlineData("/api/v1/dashboards/refugees/series?country=COL&country=PER")]
    [InlineData("/api/v1/dashboards/partners")]
    public async Task CsvAndXlsx_CarryAnHxlRowThatMatchesTheirColumns(string path)
    {
        var client = app.Client();
        var sep = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var csv = await client.GetStringAsync(path + sep + "format=csv&lang=es", Ct);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 2, "No data rows.");
        var headers = lines[0].Split(',');
        var tags = lines[1].Split(',');
        Assert.Equal(headers.Length, tags.Length);
        Assert.All(tags, t => Assert.Matches("^#[a-z_]+(\\+[a-z0-9_]+)*$", t));
        var byTag = new Dictionary<string, TabularColumn>(StringComparer.Ordinal)
        {
            [DashboardColumns.Reached.Hxl] = DashboardColumns.Reached, [DashboardColumns.Target.Hxl] = DashboardColumns.Target,
            [DashboardColumns.Country.Hxl] = DashboardColumns.Country, [DashboardColumns.Sector.Hxl] = DashboardColumns.Sector,
            [DashboardColumns.Figure.Hxl] = DashboardColumns.Figure, [DashboardColumns.AsOf.Hxl] = DashboardColumns.AsOf,
            [DashboardColumns.Source.Hxl] = DashboardColumns.Source, [DashboardColumns.Partners.Hxl] = DashboardColumns.Partners,
            [DashboardColumns.Year.Hxl] = DashboardColumns.Year, [DashboardColumns.CountryName.Hxl] = DashboardColumns.CountryName,
            [DashboardColumns.SectorName.Hxl] = DashboardColumns.SectorName, [DashboardColumns.Disclosure.Hxl] = DashboardColumns.Disclosure,
        };
        for (var i = 0; i < tags.Length; i++)
        {
            Assert.Equal(byTag[tags[i]].Es, headers[i]);
        }
        foreach (var line in lines.Skip(2).Where(l => !l.Contains('"', StringComparison.Ordinal)))
        {
            var cells = line.Split(',');
            Assert.Equal(tags.Length, cells.Length);
            for (var i = 0; i < tags.Length; i++)
            {
                // A reached figure hidden by disclosure control is empty, and its row says so.
                if (tags[i] is "#reached" or "#targeted" or "#affected+refugees+migrants" or "#indicator+num+partners" or "#date+year"
                    && !(tags[i] == "#reached" && cells[i].Length == 0 && cells[^1] == "suppressed"))
                {
                    Assert.True(long.TryParse(cells[i], NumberStyles.None, CultureInfo.InvariantCulture, out _), $"{tags[i]}: {cells[i]}");
                }
                if (tags[i] == "#country+code")
                {
                    Assert.Matches("^[A-Z]{3}$", cells[i]);
                }
            }
        }
        var xlsx = await client.GetByteArrayAsync(path + sep + "format=xlsx&lang=es", Ct);
        var rows = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(headers, rows[0].Values.Select(v => v?.ToString()).ToArray());
        Assert.Equal(tags, rows[1].Values.Select(v => v?.ToString()).ToArray());
        Assert.Equal(lines.Length, rows.Count);
    }

    [Theory]
    [InlineData("/en/data")]
    [InlineData("/api/v1/dashboards/response")]
    [InlineData("/api/v1/dashboards/response?format=csv")]
    public async Task AnonymousDashboard_SetsNoCookie(string path)
    {
        var response = await app.Client().GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"), string.Join(" ", response.Headers.Select(h => h.Key)));
    }

    [Theory]
    [InlineData("en", "People reached")]
    [InlineData("es", "Personas alcanzadas")]
    [InlineData("pt", "Pessoas alcançadas")]
    [InlineData("pap", "Hende alkansá")]
    public async Task PublicDashboard_RendersInEveryLanguage_WithNumbersInItsFormat(string language, string heading)
    {
        var html = await app.Client().GetStringAsync($"/{language}/data", Ct);
        Assert.Contains($"lang=\"{language}\"", html, StringComparison.Ordinal);
        Assert.Contains(heading, System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("role=\"img\"", html, StringComparison.Ordinal);
        // Colombia's latest figure, formatted by the page's culture (Papiamentu with its own culture).
        var latest = Json(await app.Client().GetStringAsync("/api/v1/dashboards/refugees", Ct)).EnumerateArray()
            .First(f => f.GetProperty("country").GetString() == "COL").GetProperty("refugeesAndMigrants").GetInt64();
        Assert.Contains(latest.ToString("N0", Languages.Culture(language)), System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataPageAndPartnerDashboard_EmbedFundingCoverage_AndAFundingChangeShowsAtOnce()
    {
        var anonymous = app.Client();
        var html = WebUtility.HtmlDecode(await anonymous.GetStringAsync("/en/data", Ct));
        Assert.Contains("id=\"data-funding-total\"", html, StringComparison.Ordinal);
        var year = int.Parse(Regex.Match(html, @"Funding coverage (\d{4})").Groups[1].Value, CultureInfo.InvariantCulture);
        string Total(string page) => Regex.Match(page, "<p class=\"funding-total\">(.*?)</p>", RegexOptions.Singleline).Groups[1].Value.Trim();
        var before = Total(html);
        Assert.NotEmpty(before);

        // A paid contribution changes the embedded coverage at once: the page is cached under the funding tag too.
        var admin = await app.ApiClientAsync(R.Admin);
        var created = await admin.PostAsJsonAsync("/api/v1/funding/contributions", new
        {
            year, donor = "Dashboards test donor", donorType = "government", recipient = "CAMPO", country = "COL", sector = "HEA",
            amountUsd = 1_234_567m, status = "paid", date = $"{year}-03-01",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var after = Total(WebUtility.HtmlDecode(await anonymous.GetStringAsync("/en/data", Ct)));
        Assert.NotEqual(before, after);

        var staff = await app.SignedInClientAsync(R.Admin);
        Assert.Contains("id=\"partner-funding-total\"", await staff.GetStringAsync("/admin/dashboards", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartnerDashboard_RepeatsThePublicCharts_WithTheApisNumbers()
    {
        var client = app.Client();
        var staff = await app.SignedInClientAsync(R.Viewer);
        var page = await staff.GetStringAsync("/admin/dashboards?status=validated", Ct);

        var refugees = TableValues(page, "table-refugees");
        var latest = Json(await client.GetStringAsync("/api/v1/dashboards/refugees", Ct)).EnumerateArray().ToList();
        Assert.Equal(17, refugees.Count);
        foreach (var f in latest)
        {
            Assert.Equal([f.GetProperty("refugeesAndMigrants").GetInt64()], refugees[f.GetProperty("country").GetString()!]);
        }

        // Validated only, the partner dashboard's reached vs target by country is the public API's.
        var countries = TableValues(page, "table-countries");
        var response = Json(await client.GetStringAsync("/api/v1/dashboards/response?by=country", Ct)).GetProperty("countries").EnumerateArray().ToList();
        Assert.NotEmpty(response);
        foreach (var c in response.Where(c => c.GetProperty("reached").GetInt64() > 0))
        {
            Assert.Equal([c.GetProperty("reached").GetInt64(), c.GetProperty("target").GetInt64()], countries[c.GetProperty("key").GetString()!]);
        }

        var partnerCells = Json(await client.GetStringAsync("/api/v1/dashboards/partners", Ct)).GetProperty("cells").EnumerateArray()
            .ToDictionary(c => c.GetProperty("country").GetString() + "-" + c.GetProperty("sector").GetString(), c => c.GetProperty("partners").GetInt64());
        var pagePartners = TableValues(page, "table-partner-sectors").ToDictionary(kv => kv.Key, kv => kv.Value[0]);
        Assert.Equal(partnerCells.OrderBy(kv => kv.Key, StringComparer.Ordinal), pagePartners.OrderBy(kv => kv.Key, StringComparer.Ordinal));

        // The line chart follows the country filter, and its own form keeps the other filters.
        var peru = await staff.GetStringAsync("/admin/dashboards?country=PER&status=validated", Ct);
        var time = Regex.Match(peru, "id=\"table-time\".*?</table>", RegexOptions.Singleline).Value;
        Assert.Contains("Peru", time, StringComparison.Ordinal);
        Assert.DoesNotContain("Colombia", time, StringComparison.Ordinal);
        Assert.Contains("name=\"country\" value=\"PER\"", peru, StringComparison.Ordinal);
        var chosen = await staff.GetStringAsync("/admin/dashboards?country=PER&c=URY&c=CHL", Ct);
        var chosenTime = Regex.Match(chosen, "id=\"table-time\".*?</table>", RegexOptions.Singleline).Value;
        Assert.Contains("Uruguay", chosenTime, StringComparison.Ordinal);
        Assert.Contains("Chile", chosenTime, StringComparison.Ordinal);
        Assert.DoesNotContain("Peru", chosenTime, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LineChart_ShowsTheCountriesChosenInTheGetForm()
    {
        var html = await app.Client().GetStringAsync("/en/data?c=URY&c=PRY", Ct);
        var table = Regex.Match(html, "id=\"table-time\".*?</table>", RegexOptions.Singleline).Value;
        Assert.Contains("Uruguay", table, StringComparison.Ordinal);
        Assert.Contains("Paraguay", table, StringComparison.Ordinal);
        Assert.DoesNotContain("Colombia", table, StringComparison.Ordinal);
        Assert.Contains("name=\"c\" value=\"URY\" checked", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartnerDashboard_ShowsOwnDrafts_ButNotOtherOrganisationsDrafts()
    {
        var admin = await app.ApiClientAsync(R.Admin);
        // A draft of FPUENTE in Colombia, returnees, WASH: not in the demo data.
        var created = await admin.PostAsJsonAsync("/api/v1/reports", new
        {
            org = "FPUENTE", country = "COL", admin1 = "CO05", indicator = "WSH-01", month = M, populationGroup = "returnees", girls = 1, boys = 2, women = 3, men = 4321,
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        const string query = "/admin/dashboards?country=COL&sector=WSH&rows=Organisation&cols=Group";

        var own = await (await app.SignedInClientAsync(R.FocalPoint, "FPUENTE", "COL")).GetStringAsync(query, Ct);
        Assert.Equal(4327, TableValues(own, "table-pivot")["FPUENTE"][PivotColumn(own, "returnees")]);

        var other = await (await app.SignedInClientAsync(R.FocalPoint, "CAMPO", "COL")).GetStringAsync(query, Ct);
        Assert.DoesNotContain("data-key=\"returnees\"", Regex.Match(other, "id=\"table-pivot\".*?</table>", RegexOptions.Singleline).Value, StringComparison.Ordinal);

        var coordinator = await (await app.SignedInClientAsync(R.Coordinator, null, "COL")).GetStringAsync(query, Ct);
        Assert.Equal(4327, TableValues(coordinator, "table-pivot")["FPUENTE"][PivotColumn(coordinator, "returnees")]);

        var viewer = await (await app.SignedInClientAsync(R.Viewer)).GetStringAsync(query, Ct);
        Assert.DoesNotContain("data-key=\"returnees\"", Regex.Match(viewer, "id=\"table-pivot\".*?</table>", RegexOptions.Singleline).Value, StringComparison.Ordinal);

        var editor = await app.SignedInClientAsync(R.Editor);
        Assert.NotEqual(HttpStatusCode.OK, (await editor.GetAsync("/admin/dashboards", Ct)).StatusCode);
    }

    private static int PivotColumn(string html, string key)
    {
        var head = Regex.Match(Regex.Match(html, "id=\"table-pivot\".*?</thead>", RegexOptions.Singleline).Value, "<thead>.*", RegexOptions.Singleline).Value;
        var keys = Regex.Matches(head, "data-key=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        var index = keys.IndexOf(key);
        Assert.True(index >= 0, $"No pivot column {key}.");
        return index;
    }

    [Fact]
    public async Task PivotExport_HasTheSameNumbersAsThePage()
    {
        var admin = await app.SignedInClientAsync(R.Admin);
        var page = await admin.GetStringAsync("/admin/dashboards?rows=Country&cols=Month&status=validated", Ct);
        var table = TableValues(page, "table-pivot");
        Assert.NotEmpty(table);
        var csv = await admin.GetStringAsync("/admin/dashboards?handler=Export&format=csv&rows=Country&cols=Month&status=validated", Ct);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines[0].Split(',').Length, lines[1].Split(',').Length);
        Assert.StartsWith("#country+code,", lines[1], StringComparison.Ordinal);
        foreach (var line in lines.Skip(2).SkipLast(1))
        {
            var cells = line.Split(',');
            Assert.Equal(table[cells[0]], cells.Skip(1).Select(c => long.Parse(c, CultureInfo.InvariantCulture)).ToArray());
        }
        var xlsx = await admin.GetByteArrayAsync("/admin/dashboards?handler=Export&format=xlsx&rows=Country&cols=Month&status=validated", Ct);
        Assert.Equal(lines.Length, MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: false, excelType: ExcelType.XLSX).Count());
    }
}

public sealed class DashboardsSqlite(SqliteApp app) : DashboardsSuite<SqliteApp>(app);
public sealed class DashboardsPostgres(PostgresApp app) : DashboardsSuite<PostgresApp>(app);
