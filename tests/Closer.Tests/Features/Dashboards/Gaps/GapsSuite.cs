using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Dashboards;
using Closer.Web.Features.Dashboards.Gaps;
using Closer.Web.Features.Funding;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using MiniExcelLibs;

namespace Closer.Tests.Features.Dashboards.Gaps;

/// <summary>The gap view (page and API): its figures against a recomputation from the raw tables, order, formats and languages.</summary>
public abstract partial class GapsSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static int Year => TimeProvider.System.GetUtcNow().Year;

    private static JsonElement Json(string s) => JsonDocument.Parse(s).RootElement;

    private static Dictionary<string, JsonElement> RowsByKey(JsonElement json) =>
        json.GetProperty("rows").EnumerateArray().ToDictionary(r => $"{r.GetProperty("country").GetString()}-{r.GetProperty("sector").GetString()}", StringComparer.Ordinal);

    [Fact]
    public async Task Api_EqualsARecomputationFromPlanReportsAndFunding()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var top = await db.Sectors.ToDictionaryAsync(s => s.Code, s => s.ParentCode ?? s.Code, Ct);
        var indicators = await db.Indicators.ToDictionaryAsync(i => i.Code, Ct);
        var targets = await db.PlanTargets.AsNoTracking().Where(t => t.Year == Year).ToListAsync(Ct);
        var reports = await db.ActivityReports.AsNoTracking()
            .Where(r => r.DeletedAt == null && r.Status == ReportStatus.Validated && r.Month.StartsWith(Year.ToString(CultureInfo.InvariantCulture))).ToListAsync(Ct);
        var funds = await db.Contributions.AsNoTracking().Where(c => c.Year == Year && c.DeletedAt == null && c.CountryIso3 != null && c.SectorCode != null
            && c.Status != ContributionStatus.Pledged).ToListAsync(Ct);
        string Cell(string country, string indicatorOrSector, bool isSector = false) =>
            $"{country}-{top[isSector ? indicatorOrSector : indicators[indicatorOrSector].SectorCode]}";
        var people = targets.Where(t => indicators[t.IndicatorCode].Unit == IndicatorUnit.People).ToList();
        var inNeed = people.GroupBy(t => Cell(t.CountryIso3, t.IndicatorCode))
            .ToDictionary(g => g.Key, g => g.GroupBy(t => t.PopulationGroup).Sum(pg => pg.Max(t => t.PeopleInNeed)));
        var targeted = people.GroupBy(t => Cell(t.CountryIso3, t.IndicatorCode)).ToDictionary(g => g.Key, g => g.Sum(t => t.Target));
        var required = targets.GroupBy(t => Cell(t.CountryIso3, t.IndicatorCode)).ToDictionary(g => g.Key, g => g.Sum(t => t.RequirementUsd) * 1m);
        var reached = reports.Where(r => indicators[r.IndicatorCode].Unit == IndicatorUnit.People)
            .GroupBy(r => (r.OrganisationId, r.CountryIso3, r.IndicatorCode, r.PopulationGroup))
            .GroupBy(s => Cell(s.Key.CountryIso3, s.Key.IndicatorCode))
            .ToDictionary(g => g.Key, g => g.Sum(s => s.GroupBy(r => r.Month).Max(m => m.Sum(r => r.ReachedToDate ?? r.Total))));
        var received = funds.GroupBy(c => Cell(c.CountryIso3!, c.SectorCode!, isSector: true)).ToDictionary(g => g.Key, g => g.Sum(c => c.AmountCents) / 100m);

        var rows = RowsByKey(Json(await app.Client().GetStringAsync($"/api/v1/dashboards/gaps?year={Year}", Ct)));
        Assert.NotEmpty(rows);
        Assert.Contains(rows.Values, r => r.GetProperty("reached").GetInt64() > 0);
        Assert.Contains(rows.Values, r => r.GetProperty("receivedUsd").GetDecimal() > 0);
        var keys = inNeed.Keys.Concat(targeted.Keys).Concat(required.Keys).Concat(reached.Keys).Concat(received.Keys).Distinct()
            .Where(k => inNeed.GetValueOrDefault(k) != 0 || targeted.GetValueOrDefault(k) != 0 || required.GetValueOrDefault(k) != 0 || reached.GetValueOrDefault(k) != 0 || received.GetValueOrDefault(k) != 0)
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(keys, rows.Keys.Order(StringComparer.Ordinal).ToList());
        foreach (var k in keys)
        {
            var r = rows[k];
            Assert.Equal((k, inNeed.GetValueOrDefault(k), targeted.GetValueOrDefault(k), reached.GetValueOrDefault(k), required.GetValueOrDefault(k), received.GetValueOrDefault(k)),
                (k, r.GetProperty("inNeed").GetInt64(), r.GetProperty("targeted").GetInt64(), r.GetProperty("reached").GetInt64(),
                    r.GetProperty("requiredUsd").GetDecimal(), r.GetProperty("receivedUsd").GetDecimal()));
        }
        // Each figure says when it stands: the plan's date on every planned row, the latest validated month where people were reached.
        Assert.All(rows.Values.Where(r => r.GetProperty("targeted").GetInt64() > 0), r => Assert.False(string.IsNullOrEmpty(r.GetProperty("planAsOf").GetString())));
        Assert.All(rows.Values.Where(r => r.GetProperty("reached").GetInt64() > 0), r => Assert.Matches("^\\d{4}-\\d{2}$", r.GetProperty("reachedAsOf").GetString()!));
        Assert.All(rows.Values.Where(r => r.GetProperty("receivedUsd").GetDecimal() > 0), r => Assert.Matches("^\\d{4}-\\d{2}-\\d{2}$", r.GetProperty("fundingAsOf").GetString()!));
    }

    [Fact]
    public async Task Contribution_MovesReceived_AndThePageFollows()
    {
        var admin = await app.ApiClientAsync(R.Admin);
        var anonymous = app.Client();
        async Task<(decimal Api, string Page)> ReceivedAsync()
        {
            var rows = RowsByKey(Json(await anonymous.GetStringAsync($"/api/v1/dashboards/gaps?year={Year}&country=ECU", Ct)));
            var page = await anonymous.GetStringAsync($"/en/data/gaps?year={Year}&country=ECU", Ct);
            var row = Regex.Match(page, "<tr>\\s*<th scope=\"row\" data-key=\"ECU-EDU\".*?</tr>", RegexOptions.Singleline).Value;
            return (rows.TryGetValue("ECU-EDU", out var r) ? r.GetProperty("receivedUsd").GetDecimal() : 0, row);
        }
        var (before, _) = await ReceivedAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/funding/contributions", new
        {
            year = Year, donor = "Gap test donor", donorType = "foundation", recipient = "CAMPO", country = "ECU", sector = "EDU", amountUsd = 12345.67m, status = "paid",
            date = $"{Year}-03-04", reference = "gap-test",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var pledged = await admin.PostAsJsonAsync("/api/v1/funding/contributions", new
        {
            year = Year, donor = "Gap test pledge", donorType = "foundation", recipient = "CAMPO", country = "ECU", sector = "EDU", amountUsd = 999m, status = "pledged",
            date = $"{Year}-03-05", reference = "gap-test-pledge",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, pledged.StatusCode);
        var (after, row) = await ReceivedAsync();
        Assert.Equal(before + 12345.67m, after);
        Assert.Contains($"data-usd=\"{after.ToString(CultureInfo.InvariantCulture)}\"", row, StringComparison.Ordinal);
    }

    /// <summary>
    /// The page and the API read the year's cells from the data cache: after each kind of change (a target, a contribution, a
    /// validated report, each saved through EF as every writer does) the cached view moves at once and equals a computation
    /// without the cache. (Population figures are not part of the gap view.)
    /// </summary>
    [Fact]
    public async Task CachedCells_FollowEachChange_OfTargetsFundingAndReports()
    {
        var cache = app.Services.GetRequiredService<HybridCache>();
        async Task<(GapRow? Cached, GapRow? Computed)> RowAsync(string country, string sector)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var sp = scope.ServiceProvider;
            var db = sp.GetRequiredService<CloserDbContext>();
            var names = await Names.LoadAsync(db, "en", Ct);
            var cached = await GapData.BuildAsync(db, sp.GetRequiredService<FundingCoverage>(), sp.GetRequiredService<DisclosureControl>(), names, Year, country, null, null, null, Ct, cache);
            var computed = await GapData.BuildAsync(db, sp.GetRequiredService<FundingCoverage>(), sp.GetRequiredService<DisclosureControl>(), names, Year, country, null, null, null, Ct);
            Assert.Equal(computed.Rows, cached.Rows);
            Assert.Equal(computed.Sources, cached.Sources);
            return (cached.Rows.FirstOrDefault(r => r.Sector == sector), computed.Rows.FirstOrDefault(r => r.Sector == sector));
        }
        async Task ChangeAsync(Func<CloserDbContext, Task> change)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            await change(db);
            await db.SaveChangesAsync(Ct);
        }

        async Task<string> TopSectorAsync(string indicatorCode)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            var code = await db.Indicators.Where(i => i.Code == indicatorCode).Select(i => i.SectorCode).FirstAsync(Ct);
            return await db.Sectors.Where(x => x.Code == code).Select(x => x.ParentCode ?? x.Code).FirstAsync(Ct);
        }
        IQueryable<PlanTarget> PeopleTargets(CloserDbContext db) => db.PlanTargets.Where(t => t.Year == Year && t.CountryIso3 == "PER")
            .Join(db.Indicators.Where(i => i.Unit == IndicatorUnit.People), t => t.IndicatorCode, i => i.Code, (t, i) => t).OrderBy(t => t.Id);
        IQueryable<ActivityReport> PeopleReports(CloserDbContext db) => db.ActivityReports.Where(r => r.CountryIso3 == "PER" && r.Status == ReportStatus.Validated
                && r.DeletedAt == null && r.Month.StartsWith(Year.ToString(CultureInfo.InvariantCulture)))
            .Join(db.Indicators.Where(i => i.Unit == IndicatorUnit.People && !i.SectorCode.StartsWith("PRO")), r => r.IndicatorCode, i => i.Code, (r, i) => r).OrderBy(r => r.Id);

        // A people target of Peru.
        string sector;
        await using (var read = app.Services.CreateAsyncScope())
        {
            sector = await TopSectorAsync((await PeopleTargets(read.ServiceProvider.GetRequiredService<CloserDbContext>()).FirstAsync(Ct)).IndicatorCode);
        }
        var (before, _) = await RowAsync("PER", sector);
        await ChangeAsync(async db =>
        {
            var target = await PeopleTargets(db).FirstAsync(Ct);
            target.Target += 7;
        });
        var (afterTarget, _) = await RowAsync("PER", sector);
        Assert.Equal(before!.Targeted + 7, afterTarget!.Targeted);

        // A paid contribution earmarked to that cell.
        await ChangeAsync(async db =>
        {
            var org = await db.Organisations.OrderBy(o => o.Id).Select(o => o.Id).FirstAsync(Ct);
            var now = TimeProvider.System.GetUtcNow();
            db.Contributions.Add(new Contribution
            {
                Year = Year, Donor = "Cache test donor", RecipientOrganisationId = org, CountryIso3 = "PER", SectorCode = sector, AmountCents = 4_321_00,
                Status = ContributionStatus.Paid, Date = new DateOnly(Year, 2, 3), CreatedAt = now, UpdatedAt = now, Version = 1,
            });
        });
        var (afterFunding, _) = await RowAsync("PER", sector);
        Assert.Equal(afterTarget.ReceivedUsd + 4321m, afterFunding!.ReceivedUsd);

        // A validated report of Peru in a people indicator (not Protection, where disclosure control may hide a cell): its figure to date becomes the series' best month.
        string reportSector;
        await using (var read = app.Services.CreateAsyncScope())
        {
            reportSector = await TopSectorAsync((await PeopleReports(read.ServiceProvider.GetRequiredService<CloserDbContext>()).FirstAsync(Ct)).IndicatorCode);
        }
        var (beforeReport, _) = await RowAsync("PER", reportSector);
        await ChangeAsync(async db =>
        {
            var report = await PeopleReports(db).FirstAsync(Ct);
            report.ReachedToDate = 9_000_000;
        });
        var (afterReport, computedReport) = await RowAsync("PER", reportSector);
        Assert.Equal(computedReport!.Reached, afterReport!.Reached);
        Assert.True(afterReport.Reached > (beforeReport?.Reached ?? 0) && afterReport.Reached >= 9_000_000, $"{beforeReport?.Reached} → {afterReport.Reached}");
    }

    [Theory]
    [InlineData("reached", "desc")]
    [InlineData("inNeed", "asc")]
    [InlineData("fundedPct", "desc")]
    public async Task Sort_OrdersTheRows_InPageAndApi(string sort, string dir)
    {
        var json = Json(await app.Client().GetStringAsync($"/api/v1/dashboards/gaps?year={Year}&sort={sort}&dir={dir}", Ct));
        var values = json.GetProperty("rows").EnumerateArray()
            .Select(r => r.GetProperty(sort).ValueKind == JsonValueKind.Null ? -1m : r.GetProperty(sort).GetDecimal()).ToList();
        Assert.True(values.Count > 3);
        var expected = dir == "desc" ? values.OrderByDescending(v => v).ToList() : values.Order().ToList();
        Assert.Equal(expected, values);
        Assert.NotEqual(values.Order().ToList(), values.OrderByDescending(v => v).ToList());

        var page = await app.Client().GetStringAsync($"/en/data/gaps?year={Year}&sort={sort}&dir={dir}", Ct);
        var pageKeys = Regex.Matches(page, "<th scope=\"row\" data-key=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(json.GetProperty("rows").EnumerateArray().Select(r => $"{r.GetProperty("country").GetString()}-{r.GetProperty("sector").GetString()}").ToList(), pageKeys);
        // The sorted column's header says so, and its link turns the order round (no script needed).
        var other = dir == "desc" ? "asc" : "desc";
        Assert.Matches($"aria-sort=\"{(dir == "desc" ? "descending" : "ascending")}\"><a href=\"[^\"]*sort={sort}&amp;dir={other}\"", page);
    }

    [Fact]
    public async Task CsvAndXlsx_CarryHxlAndTheSameRows()
    {
        var client = app.Client();
        var json = Json(await client.GetStringAsync($"/api/v1/dashboards/gaps?year={Year}", Ct));
        var count = json.GetProperty("rows").GetArrayLength();
        var csv = (await client.GetStringAsync($"/api/v1/dashboards/gaps?year={Year}&format=csv&lang=es", Ct)).TrimStart('\uFEFF');
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Código de país,País,", lines[0], StringComparison.Ordinal);
        foreach (var tag in new[] { "#country+code", "#sector+code", "#inneed", "#targeted", "#reached", "#value+requirement+usd", "#value+funding+usd", "#date+reported" })
        {
            Assert.Contains(tag, lines[1].Split(','));
        }
        Assert.Equal(count + 2, lines.Length);
        var xlsx = await client.GetByteArrayAsync($"/api/v1/dashboards/gaps?year={Year}&format=xlsx", Ct);
        Assert.Equal(count + 2, MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: false, excelType: ExcelType.XLSX).Count());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/dashboards/gaps?format=pdf", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("en", "Gaps: need, target, reach and funding", "People in need")]
    [InlineData("es", "Brechas: necesidades, metas, alcance y financiamiento", "Personas con necesidades")]
    [InlineData("pt", "Lacunas: necessidades, metas, alcance e financiamento", "Pessoas com necessidades")]
    [InlineData("pap", "Brecha: nesesidat, meta, alkanse i finansiamentu", "Hende ku nesesidat")]
    public async Task Page_SpeaksEachLanguage_AndIsLinkedFromData(string lang, string heading, string column)
    {
        var client = app.Client();
        var page = await client.GetAsync($"/{lang}/data/gaps", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(page.Headers.Contains("Set-Cookie"));
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains($"<h1>{WebUtility.HtmlEncode(heading)}</h1>", html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(column), html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/{lang}/data/gaps\"", await client.GetStringAsync($"/{lang}/data", Ct), StringComparison.Ordinal);
        // Unknown filters are ignored, not echoed.
        var odd = await client.GetStringAsync($"/{lang}/data/gaps?country=%3Cscript%3E&sector=XX&sort=nope", Ct);
        Assert.DoesNotContain("<script>", odd, StringComparison.Ordinal);
    }

    /// <summary>An unknown country, year or sector: the page says so (as /data does) and shows the default; the API refuses it.</summary>
    [Theory]
    [InlineData("country=XXX", "country", "Country: “XXX” is unknown")]
    [InlineData("year=1900", "year", "Plan year: “1900” is unknown")]
    [InlineData("sector=NOPE", "sector", "Sector: “NOPE” is unknown")]
    public async Task UnknownFilter_IsSaidOnThePage_AndRefusedByTheApi(string query, string key, string said)
    {
        var client = app.Client();
        var page = await client.GetAsync($"/en/data/gaps?{query}", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync(Ct));
        Assert.Contains("id=\"gap-unknown\"", html, StringComparison.Ordinal);
        Assert.Contains(said, html, StringComparison.Ordinal);
        // The default is shown instead: every row of the current year.
        Assert.Equal(Regex.Count(await client.GetStringAsync("/en/data/gaps", Ct), "<th scope=\"row\""), Regex.Count(html, "<th scope=\"row\""));
        Assert.DoesNotContain("id=\"gap-unknown\"", await client.GetStringAsync($"/en/data/gaps?year={Year}&country=COL", Ct), StringComparison.Ordinal);

        var api = await client.GetAsync($"/api/v1/dashboards/gaps?{query}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
        var problem = Json(await api.Content.ReadAsStringAsync(Ct));
        Assert.Equal($"unknown-{key}", problem.GetProperty("code").GetString());
        // Named in the reader's language (the API's contract answers unknown codes for every endpoint, the gap view its years).
        var value = query[(query.IndexOf('=', StringComparison.Ordinal) + 1)..];
        var title = problem.GetProperty("title").GetString()!;
        Assert.Contains(value, title, StringComparison.Ordinal);
        var es = await client.GetAsync($"/api/v1/dashboards/gaps?{query}&lang=es", Ct);
        var spanish = Json(await es.Content.ReadAsStringAsync(Ct)).GetProperty("title").GetString()!;
        Assert.Contains(value, spanish, StringComparison.Ordinal);
        Assert.NotEqual(title, spanish);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/dashboards/gaps?year={Year}&country=col", Ct)).StatusCode);
    }
}

public sealed class GapsSqlite(SqliteApp app) : GapsSuite<SqliteApp>(app);
public sealed class GapsPostgres(PostgresApp app) : GapsSuite<PostgresApp>(app);
