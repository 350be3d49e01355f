// The gap view's budget (issue 20): GapData.BuildAsync (the page's and /api/v1/dashboards/gaps' computation, before any
// output cache) timed warm on the 1,000,000-row data set, with the dashboard's response query as the baseline of the run.
using System.Diagnostics;
using System.Globalization;
using Closer.Web.Features.Dashboards;
using Closer.Web.Features.Dashboards.Gaps;
using Closer.Web.Features.Funding;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

internal static class GapsBench
{
    public static async Task RunAsync(CloserDbContext db, IServiceProvider services, Names names, int year, long rows, TimeSpan generated, TimeSpan built)
    {
        var time = TimeProvider.System;
        // Funding: ten paid or committed contributions per country × sector with targets (the bench seeds no demo funding).
        var cells = await db.PlanTargets.Where(t => t.Year == year).Join(db.Indicators, t => t.IndicatorCode, i => i.Code, (t, i) => new { t.CountryIso3, i.SectorCode })
            .Distinct().ToListAsync();
        var org = await db.Organisations.Select(o => o.Id).FirstAsync();
        var now = time.GetUtcNow();
        foreach (var c in cells)
        {
            for (var k = 0; k < 10; k++)
            {
                db.Contributions.Add(new Contribution
                {
                    Year = year, Donor = $"Bench donor {k}", RecipientOrganisationId = org, CountryIso3 = c.CountryIso3, SectorCode = c.SectorCode,
                    AmountCents = 100_000_00 + (k * 1_000_00), Status = k % 3 == 0 ? ContributionStatus.Committed : ContributionStatus.Paid,
                    Date = new DateOnly(year, 1 + k, 10), CreatedAt = now, UpdatedAt = now, Version = 1, IsDemo = true,
                });
            }
        }
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        var coverage = new FundingCoverage(db, time, services.GetRequiredService<IStringLocalizer<SharedResource>>());

        async Task<(double Median, double Min, int Count)> TimeAsync(Func<Task<int>> run, int warmup, int runs)
        {
            var count = 0;
            for (var i = 0; i < warmup; i++)
            {
                count = await run();
            }
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                count = await run();
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            return (times[times.Count / 2], times[0], count);
        }

        var disclosure = services.GetRequiredService<Closer.Web.Features.OpenData.Disclosure.DisclosureControl>();
        var cache = services.GetRequiredService<Microsoft.Extensions.Caching.Hybrid.HybridCache>();
        // The page's and the API's path: the year's cells from the data cache (evicted by the data stamps), then filter, names, order.
        var gaps = await TimeAsync(async () => (await GapData.BuildAsync(db, coverage, disclosure, names, year, null, null, "reached", "desc", default, cache)).Rows.Count, 5, 30);
        var country = await TimeAsync(async () => (await GapData.BuildAsync(db, coverage, disclosure, names, year, "COL", null, "fundedPct", "desc", default, cache)).Rows.Count, 5, 30);
        // Cold: the same computed from the database (what the first request after a data change pays; the cache is empty then).
        var cold = await TimeAsync(async () => (await GapData.BuildAsync(db, coverage, disclosure, names, year, null, null, "reached", "desc", default)).Rows.Count, 3, 15);
        var dashboard = await TimeAsync(async () => (await DashboardData.ResponseAsync(db, names, year, null, null, services.GetRequiredService<Closer.Web.Features.OpenData.Disclosure.DisclosureControl>(), Closer.Web.Features.OpenData.Disclosure.DisclosureAudience.Public, default)).Cells.Count, 5, 30);
        var met = gaps.Median <= 20 ? "met" : "NOT met";
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        var lines = new List<string>
        {
            "# Gap view benchmark (issue 20)",
            "",
            string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow():yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores · {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} · SQLite · load average (1 min) when written: {load}"),
            "",
            "Command: `BENCH_GAPS=1 dotnet run -c Release --project bench/Closer.Bench.Dashboards`.",
            "",
            string.Create(CultureInfo.InvariantCulture, $"Data: the dashboard benchmark's {rows:N0} generated report rows for plan year {year} (generated in {generated.TotalSeconds:F1} s, aggregates built in {built.TotalSeconds:F1} s), the demo plan targets, and {cells.Count * 10:N0} contributions (ten per country × sector with targets)."),
            "",
            "Timed: `GapData.BuildAsync` as `/{lang}/data/gaps` and `/api/v1/dashboards/gaps` call it (with the app's `HybridCache`): warm, the year's cells come from the data cache, kept until a change to reports, plan, funding, countries or organisations evicts it (the data stamps' tags, after the commit, on every node, as for the output cache), so what is left is the filter, the names and the order of the rows. Cold = the same computed from the database (the first request after such a change). Baseline of the same run: the dashboard's `DashboardData.ResponseAsync`.",
            "",
            "| query | median (ms) | fastest (ms) | runs | rows | ratio to baseline | budget ≤ 20 ms warm |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
            string.Create(CultureInfo.InvariantCulture, $"| gap view, warm (all countries, sorted by reached) | {gaps.Median:F2} | {gaps.Min:F2} | 30 after 5 warm-up | {gaps.Count} | {gaps.Median / dashboard.Median:F2}× | {met} |"),
            string.Create(CultureInfo.InvariantCulture, $"| gap view, warm (`country=COL`, sorted by funded %) | {country.Median:F2} | {country.Min:F2} | 30 after 5 warm-up | {country.Count} | {country.Median / dashboard.Median:F2}× | {(country.Median <= 20 ? "met" : "NOT met")} |"),
            string.Create(CultureInfo.InvariantCulture, $"| gap view, cold (computed from the database, no cache) | {cold.Median:F2} | {cold.Min:F2} | 15 after 3 warm-up | {cold.Count} | {cold.Median / dashboard.Median:F1}× | (no budget) |"),
            string.Create(CultureInfo.InvariantCulture, $"| baseline: dashboard response query | {dashboard.Median:F2} | {dashboard.Min:F2} | 30 after 5 warm-up | {dashboard.Count} | 1.0× | |"),
            "",
            "Before (2026-12-06 22:32 UTC, load 120, same command): 108.94 ms median (48.29 fastest), 23.1× the baseline of that run (4.72 ms): every request computed the cells.",
        };
        var results = Environment.GetEnvironmentVariable("BENCH_RESULTS") ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "results", "gaps.md"));
        await File.WriteAllLinesAsync(results, lines);
        Console.WriteLine($"Wrote {results}: gap view median {gaps.Median:F2} ms, dashboard {dashboard.Median:F2} ms");
    }
}
