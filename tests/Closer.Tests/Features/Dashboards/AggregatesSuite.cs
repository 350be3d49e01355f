using System.Globalization;
using System.Net;
using System.Text;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Features.Dashboards;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Dashboards;

/// <summary>
/// The pre-aggregated tables equal a recomputation from the raw reports after random sequences of imports, creates,
/// edits, submissions, validations, returns, bulk actions and deletes, all through the real API (fixed seeds).
/// </summary>
public abstract class AggregatesSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string Header = string.Join(',', ReportColumns.Import.Select(c => c.Key));

    private sealed record Key(string Org, string Admin1, string Indicator, string Month, string Group);

    [Theory]
    [InlineData(11)]
    [InlineData(23)]
    [InlineData(2027)]
    public async Task Aggregates_EqualARecomputationFromRawRows_AfterRandomSequencesOfWrites(int seed)
    {
        var admin = await app.ApiClientAsync(R.Admin);
        var months = await OpenMonthsAsync();
        Assert.NotEmpty(months);
        var random = new Random(seed);
        string[] orgs = ["FPUENTE", "CAMPO"];
        string[] admin1 = ["CO05", "CO08", "CO11"];
        string[] indicators = ["HEA-01", "EDU-01", "EDU-02", "PRO-CP-01"];
        string[] groups = ["destination", "returnees"];
        Key RandomKey() => new(orgs[random.Next(orgs.Length)], admin1[random.Next(admin1.Length)], indicators[random.Next(indicators.Length)],
            months[random.Next(months.Count)], groups[random.Next(groups.Length)]);
        string Numbers()
        {
            var (g, b, w, m) = (random.Next(0, 50), random.Next(0, 50), random.Next(0, 80), random.Next(0, 80));
            var toDate = random.Next(3) == 0 ? (g + b + w + m + random.Next(0, 300)).ToString(CultureInfo.InvariantCulture) : "";
            return $"{g},{b},{w},{m},0,{g + b + w + m},{toDate}";
        }

        for (var step = 1; step <= 30; step++)
        {
            var pool = await PoolAsync(orgs, months);
            switch (random.Next(9))
            {
                case 0:
                    var lines = Enumerable.Range(0, random.Next(1, 5)).Select(_ => RandomKey()).DistinctBy(k => k).Select(k =>
                        $"{k.Org},,COL,{k.Admin1},,{k.Indicator},{k.Month},{k.Group},{Numbers()},no,");
                    using (var form = new MultipartFormDataContent())
                    {
                        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(Header + "\r\n" + string.Join("\r\n", lines) + "\r\n")), "file", "5w.csv");
                        await admin.PostAsync("/api/v1/reports/import", form, Ct);
                    }
                    break;
                case 1:
                    var k1 = RandomKey();
                    var n = Numbers().Split(',');
                    await admin.PostAsJsonAsync("/api/v1/reports", new
                    {
                        org = k1.Org, country = "COL", admin1 = k1.Admin1, indicator = k1.Indicator, month = k1.Month, populationGroup = k1.Group,
                        girls = long.Parse(n[0], CultureInfo.InvariantCulture), boys = long.Parse(n[1], CultureInfo.InvariantCulture),
                        women = long.Parse(n[2], CultureInfo.InvariantCulture), men = long.Parse(n[3], CultureInfo.InvariantCulture),
                        reachedToDate = n[6].Length == 0 ? (long?)null : long.Parse(n[6], CultureInfo.InvariantCulture),
                    }, Ct);
                    break;
                case 2 when Pick(random, pool, ReportStatus.Draft, ReportStatus.Returned) is { } edit:
                    await admin.PutAsJsonAsync($"/api/v1/reports/{edit.Id}", new
                    {
                        girls = random.Next(0, 90), boys = random.Next(0, 90), women = random.Next(0, 90), men = random.Next(0, 90),
                        reachedToDate = random.Next(2) == 0 ? (long?)null : random.Next(400, 900),
                    }, Ct);
                    break;
                case 3 when Pick(random, pool, ReportStatus.Draft, ReportStatus.Returned) is { } draft:
                    await admin.PostAsync($"/api/v1/reports/{draft.Id}/submit", null, Ct);
                    break;
                case 4 when Pick(random, pool, ReportStatus.Submitted) is { } submitted:
                    await admin.PostAsync($"/api/v1/reports/{submitted.Id}/validate", null, Ct);
                    break;
                case 5 when Pick(random, pool, ReportStatus.Submitted, ReportStatus.Validated) is { } back:
                    await admin.PostAsJsonAsync($"/api/v1/reports/{back.Id}/return", new { reason = "Check the figures." }, Ct);
                    break;
                case 6 when Pick(random, pool, ReportStatus.Draft, ReportStatus.Returned) is { } gone:
                    await admin.DeleteAsync($"/api/v1/reports/{gone.Id}", Ct);
                    break;
                case 7:
                    var ids = pool.Where(r => r.Status == ReportStatus.Submitted).Select(r => r.Id).Take(3).ToList();
                    if (ids.Count > 0)
                    {
                        await admin.PostAsJsonAsync("/api/v1/reports/bulk", new { ids, action = "validate" }, Ct);
                    }
                    break;
                default:
                    var drafts = pool.Where(r => r.Status is ReportStatus.Draft or ReportStatus.Returned).Select(r => r.Id).Take(4).ToList();
                    if (drafts.Count > 0)
                    {
                        await admin.PostAsJsonAsync("/api/v1/reports/bulk", new { ids = drafts, action = "submit" }, Ct);
                    }
                    break;
            }
            if (step % 10 == 0)
            {
                await AssertAggregatesMatchRawAsync();
            }
        }
        var final = await PoolAsync(orgs, months);
        Assert.Contains(final, r => r.Status == ReportStatus.Validated);
    }

    [Fact]
    public async Task RebuildingEverything_GivesTheSameTablesAsTheIncrementalUpdates()
    {
        await AssertAggregatesMatchRawAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var before = (await db.ResponseYears.AsNoTracking().ToListAsync(Ct)).Select(Y).Order(StringComparer.Ordinal).ToList();
        await ResponseAggregates.RebuildAllAsync(db, Ct);
        var after = (await db.ResponseYears.AsNoTracking().ToListAsync(Ct)).Select(Y).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(after);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Backfill_FillsTheAggregatesOfADatabaseThatHasReportsButNone()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            await db.ResponseMonths.ExecuteDeleteAsync(Ct);
            await db.ResponseYears.ExecuteDeleteAsync(Ct);
            await db.ResponseTotals.ExecuteDeleteAsync(Ct);
            await db.ResponseToDates.ExecuteDeleteAsync(Ct);
            await db.ResponseAreaToDates.ExecuteDeleteAsync(Ct);
        }
        var backfill = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<AggregatesBackfill>().Single();
        await backfill.StartAsync(Ct);
        await AssertAggregatesMatchRawAsync();
        await using var check = app.Services.CreateAsyncScope();
        Assert.True(await check.ServiceProvider.GetRequiredService<CloserDbContext>().ResponseYears.AnyAsync(Ct));
    }

    [Fact]
    public async Task Backfill_FillsTheToDateTablesOfADatabaseUpgradedBeforeThem()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            Assert.True(await db.ResponseMonths.AnyAsync(m => m.Status == ReportStatus.Validated, Ct));
            await db.ResponseToDates.ExecuteDeleteAsync(Ct);
            await db.ResponseAreaToDates.ExecuteDeleteAsync(Ct);
        }
        var backfill = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<AggregatesBackfill>().Single();
        Assert.Equal(1, (await backfill.RunOnceAsync(Ct)).Items);
        await using var check = app.Services.CreateAsyncScope();
        Assert.True(await check.ServiceProvider.GetRequiredService<CloserDbContext>().ResponseToDates.AnyAsync(Ct));
        Assert.True(await check.ServiceProvider.GetRequiredService<CloserDbContext>().ResponseAreaToDates.AnyAsync(Ct));
        await AssertAggregatesMatchRawAsync();
    }

    private static ActivityReport? Pick(Random random, List<ActivityReport> pool, params ReportStatus[] statuses)
    {
        var candidates = pool.Where(r => statuses.Contains(r.Status)).ToList();
        return candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)];
    }

    private async Task<List<string>> OpenMonthsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var now = TimeProvider.System.GetUtcNow();
        var thisMonth = now.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var locked = await db.PeriodLocks.Where(l => l.CountryIso3 == "COL").Select(l => l.Month).ToListAsync(Ct);
        var months = await db.ReportingPeriods.Where(p => p.Year == now.Year).Select(p => p.Month).ToListAsync(Ct);
        return months.Where(m => !locked.Contains(m) && string.CompareOrdinal(m, thisMonth) <= 0).Order(StringComparer.Ordinal).TakeLast(3).ToList();
    }

    private async Task<List<ActivityReport>> PoolAsync(string[] orgs, List<string> months)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        return await db.ActivityReports.AsNoTracking()
            .Where(r => r.DeletedAt == null && r.CountryIso3 == "COL" && orgs.Contains(r.Organisation!.Acronym) && months.Contains(r.Month))
            .OrderBy(r => r.Id).ToListAsync(Ct);
    }

    private static string Y(ResponseYear y) => string.Join('|', y.Year, y.CountryIso3, y.SectorCode, y.IndicatorCode, y.PopulationGroup, y.OrganisationId, y.IsPeople,
        y.ReachedValidated, y.ReportsValidated, y.ReachedAll, y.ReportsAll, y.LastMonthValidated);

    /// <summary>An independent recomputation of both tables from every raw report, compared row for row.</summary>
    internal async Task AssertAggregatesMatchRawAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var indicators = await db.Indicators.AsNoTracking().ToDictionaryAsync(i => i.Code, Ct);
        var raw = await db.ActivityReports.AsNoTracking().Where(r => r.DeletedAt == null).ToListAsync(Ct);
        var expectedMonths = raw
            .GroupBy(r => (Year: int.Parse(r.Month[..4], CultureInfo.InvariantCulture), r.CountryIso3, r.IndicatorCode, r.Month, r.PopulationGroup, r.OrganisationId, r.Status))
            .Select(g => string.Join('|', g.Key.Year, g.Key.CountryIso3, indicators[g.Key.IndicatorCode].SectorCode, g.Key.IndicatorCode, g.Key.Month, g.Key.PopulationGroup,
                g.Key.OrganisationId, g.Key.Status, indicators[g.Key.IndicatorCode].Unit == IndicatorUnit.People, g.Count(), g.Sum(r => r.Girls), g.Sum(r => r.Boys),
                g.Sum(r => r.Women), g.Sum(r => r.Men), g.Sum(r => r.Other), g.Sum(r => r.Total), g.Sum(r => r.ReachedToDate ?? r.Total)))
            .Order(StringComparer.Ordinal).ToList();
        var actualMonths = (await db.ResponseMonths.AsNoTracking().ToListAsync(Ct))
            .Select(m => string.Join('|', m.Year, m.CountryIso3, m.SectorCode, m.IndicatorCode, m.Month, m.PopulationGroup, m.OrganisationId, m.Status, m.IsPeople,
                m.Reports, m.Girls, m.Boys, m.Women, m.Men, m.Other, m.Total, m.Reached))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedMonths, actualMonths);

        long YearFigure(IEnumerable<ActivityReport> rows) =>
            rows.GroupBy(r => r.Month, StringComparer.Ordinal).Select(m => m.Sum(r => r.ReachedToDate ?? r.Total)).DefaultIfEmpty(0).Max();
        var expectedYears = raw
            .GroupBy(r => (Year: int.Parse(r.Month[..4], CultureInfo.InvariantCulture), r.CountryIso3, r.IndicatorCode, r.PopulationGroup, r.OrganisationId))
            .Select(g =>
            {
                var validated = g.Where(r => r.Status == ReportStatus.Validated).ToList();
                var indicator = indicators[g.Key.IndicatorCode];
                return string.Join('|', g.Key.Year, g.Key.CountryIso3, indicator.SectorCode, g.Key.IndicatorCode, g.Key.PopulationGroup, g.Key.OrganisationId,
                    indicator.Unit == IndicatorUnit.People, YearFigure(validated), validated.Count, YearFigure(g), g.Count(),
                    validated.Select(r => r.Month).Order(StringComparer.Ordinal).LastOrDefault());
            })
            .Order(StringComparer.Ordinal).ToList();
        var actualYears = (await db.ResponseYears.AsNoTracking().ToListAsync(Ct)).Select(Y).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedYears, actualYears);

        var expectedTotals = raw
            .GroupBy(r => (Year: int.Parse(r.Month[..4], CultureInfo.InvariantCulture), r.CountryIso3, Sector: indicators[r.IndicatorCode].SectorCode))
            .Select(g =>
            {
                var series = g.Where(r => r.Status == ReportStatus.Validated).GroupBy(r => (r.OrganisationId, r.IndicatorCode, r.PopulationGroup)).ToList();
                var people = series.Where(s => indicators[s.Key.IndicatorCode].Unit == IndicatorUnit.People).Sum(s => YearFigure(s));
                var asOf = series.Where(s => indicators[s.Key.IndicatorCode].Unit == IndicatorUnit.People).SelectMany(s => s).Select(r => r.Month)
                    .Order(StringComparer.Ordinal).LastOrDefault();
                return (g.Key, Line: string.Join('|', g.Key.Year, g.Key.CountryIso3, g.Key.Sector, people, series.Select(s => s.Key.OrganisationId).Distinct().Count(), asOf),
                    Any: series.Count > 0);
            })
            .Where(x => x.Any).Select(x => x.Line).Order(StringComparer.Ordinal).ToList();
        var actualTotals = (await db.ResponseTotals.AsNoTracking().ToListAsync(Ct))
            .Select(t => string.Join('|', t.Year, t.CountryIso3, t.SectorCode, t.ReachedValidated, t.PartnersValidated, t.LastMonthValidated)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedTotals, actualTotals);

        // "To date" at each month of the year (January to it): per organisation × country × sector, and per area.
        var validatedRows = raw.Where(r => r.Status == ReportStatus.Validated).ToList();
        var expectedToDate = new List<string>();
        var expectedAreas = new List<string>();
        foreach (var year in validatedRows.Select(r => int.Parse(r.Month[..4], CultureInfo.InvariantCulture)).Distinct())
        {
            foreach (var month in Enumerable.Range(1, 12).Select(m => $"{year:D4}-{m:D2}"))
            {
                var upTo = validatedRows.Where(r => r.Month.StartsWith($"{year:D4}-", StringComparison.Ordinal) && string.CompareOrdinal(r.Month, month) <= 0).ToList();
                expectedToDate.AddRange(upTo.GroupBy(r => (r.CountryIso3, Sector: indicators[r.IndicatorCode].SectorCode, r.OrganisationId)).Select(g =>
                {
                    var people = g.Where(r => indicators[r.IndicatorCode].Unit == IndicatorUnit.People).GroupBy(r => (r.IndicatorCode, r.PopulationGroup)).ToList();
                    return string.Join('|', year, month, g.Key.CountryIso3, g.Key.Sector, g.Key.OrganisationId, people.Count, people.Sum(s => YearFigure(s)),
                        g.Count(r => r.Month == month));
                }));
                expectedAreas.AddRange(upTo.GroupBy(r => (r.CountryIso3, r.Admin1PCode, Sector: indicators[r.IndicatorCode].SectorCode, r.OrganisationId)).Select(g =>
                    string.Join('|', year, month, g.Key.CountryIso3, g.Key.Admin1PCode, g.Key.Sector, g.Key.OrganisationId,
                        g.Where(r => indicators[r.IndicatorCode].Unit == IndicatorUnit.People).GroupBy(r => (r.IndicatorCode, r.PopulationGroup))
                            .Sum(s => s.Max(r => r.ReachedToDate ?? r.Total)))));
            }
        }
        var actualToDate = (await db.ResponseToDates.AsNoTracking().ToListAsync(Ct))
            .Select(t => string.Join('|', t.Year, t.Month, t.CountryIso3, t.SectorCode, t.OrganisationId, t.PeopleSeries, t.Reached, t.ReportsInMonth)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedToDate.Order(StringComparer.Ordinal).ToList(), actualToDate);
        var actualAreas = (await db.ResponseAreaToDates.AsNoTracking().ToListAsync(Ct))
            .Select(t => string.Join('|', t.Year, t.Month, t.CountryIso3, t.Admin1PCode, t.SectorCode, t.OrganisationId, t.Reached)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedAreas.Order(StringComparer.Ordinal).ToList(), actualAreas);
    }
}

public sealed class AggregatesSqlite(SqliteApp app) : AggregatesSuite<SqliteApp>(app);
public sealed class AggregatesPostgres(PostgresApp app) : AggregatesSuite<PostgresApp>(app);
