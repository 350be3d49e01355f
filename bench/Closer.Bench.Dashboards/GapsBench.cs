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

        var gaps = await TimeAsync(async () => (await GapData.BuildAsync(db, coverage, services.GetRequiredService<Closer.Web.Features.OpenData.Disclosure.DisclosureControl>(), names, year, null, null, "reached", "desc", default)).Rows.Count, 5, 30);
        var dashboard = await TimeAsync(async () => (await DashboardData.ResponseAsync(db, names, year, null, null, services.GetRequiredService<Closer.Web.Features.OpenData.Disclosure.DisclosureControl>(), Closer.Web.Features.OpenData.Disclosure.DisclosureAudience.Public, default)).Cells.Count, 5, 30);
        var met = gaps.Median <= 20 ? "met" : "NOT met";
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        var lines = new List<string>
        {
            "# Gap view benchmark (issue 20)",
            "",
            string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow():yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores, shared with other helpers' builds and tests running at the same time · {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} · SQLite · load average (1 min) when written: {load}"),
            "",
            "Command: `BENCH_GAPS=1 dotnet run -c Release --project bench/Closer.Bench.Dashboards` (run once).",
            "",
            string.Create(CultureInfo.InvariantCulture, $"Data: the dashboard benchmark's {rows:N0} generated report rows for plan year {year} (generated in {generated.TotalSeconds:F1} s, aggregates built in {built.TotalSeconds:F1} s), the demo plan targets, and {cells.Count * 10:N0} contributions (ten per country × sector with targets)."),
            "",
            "Timed: `GapData.BuildAsync` (all countries and sectors, sorted by reached) — the computation behind `/{lang}/data/gaps` and `/api/v1/dashboards/gaps` before the output cache, which serves anonymous repeats without touching the database. Baseline of the same run: the dashboard's `DashboardData.ResponseAsync`.",
            "",
            "| query | warm median (ms) | fastest (ms) | runs | rows | ratio to baseline | budget ≤ 20 ms warm |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
            string.Create(CultureInfo.InvariantCulture, $"| gap view (`GapData.BuildAsync`) | {gaps.Median:F2} | {gaps.Min:F2} | 30 after 5 warm-up | {gaps.Count} | {gaps.Median / dashboard.Median:F1}× | {met} |"),
            string.Create(CultureInfo.InvariantCulture, $"| baseline: dashboard response query | {dashboard.Median:F2} | {dashboard.Min:F2} | 30 after 5 warm-up | {dashboard.Count} | 1.0× | |"),
            "",
            "Not measured here: the situation report page (≤ 200 ms cold) — the situation reports are not built yet.",
        };
        var results = Environment.GetEnvironmentVariable("BENCH_RESULTS") ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "results", "gaps.md"));
        await File.WriteAllLinesAsync(results, lines);
        Console.WriteLine($"Wrote {results}: gap view median {gaps.Median:F2} ms, dashboard {dashboard.Median:F2} ms");
    }
}
