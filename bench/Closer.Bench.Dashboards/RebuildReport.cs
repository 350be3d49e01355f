// Writes bench/results/rebuild.md: the full aggregates rebuild (ResponseAggregates.RebuildAllAsync) against main's
// (MainRebuild) on the same generated rows, measured in the same run (issue 20's "to date" tables must not make it costly).
using System.Globalization;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

internal static class RebuildReport
{
    public static async Task WriteAsync(CloserDbContext db, int rows, int validated, TimeSpan generated, List<TimeSpan> baseline, List<TimeSpan> rebuilt)
    {
        var old = baseline.Average(t => t.TotalSeconds);
        var now = rebuilt.Average(t => t.TotalSeconds);
        var ratio = now / old;
        var (months, series, toDates, areas) = (await db.ResponseMonths.CountAsync(), await db.ResponseYears.CountAsync(), await db.ResponseToDates.CountAsync(),
            await db.ResponseAreaToDates.CountAsync());
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        string Runs(List<TimeSpan> ts) => string.Join(" and ", ts.Select(t => t.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s"));
        var lines = new List<string>
        {
            "# Aggregates rebuild benchmark (issue 20: the \"to date\" tables)",
            "",
            "Command: `BENCH_REBUILD=1 dotnet run -c Release --project bench/Closer.Bench.Dashboards` (about 3 minutes on a loaded 2-core machine).",
            "",
            string.Create(CultureInfo.InvariantCulture, $"{TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores · {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} · SQLite · load average (1 min) when written: {load}"),
            "",
            string.Create(CultureInfo.InvariantCulture, $"Data: the dashboard benchmark's {rows:N0} generated report rows ({validated:N0} validated), generated in {generated.TotalSeconds:F0} s."),
            "",
            "Timed in the same run, alternately (main, this, main, this; the rounds finished within the time limit), each from empty tables: **main** = the rebuild before the \"to date\"",
            "tables (`MainRebuild.cs`, its statements copied: the keys read, then per 100 organisations ResponseMonths and ResponseYears,",
            "then ResponseTotals); **this** = `ResponseAggregates.RebuildAllAsync` (one INSERT … SELECT per table over the whole year,",
            "ResponseToDates and ResponseAreaToDates included).",
            "",
            "| rebuild | runs | mean (s) | ratio |",
            "| --- | --- | ---: | ---: |",
            string.Create(CultureInfo.InvariantCulture, $"| main (ResponseMonths, ResponseYears, ResponseTotals) | {Runs(baseline)} | {old:F1} | 1.00× |"),
            string.Create(CultureInfo.InvariantCulture, $"| this (the same + ResponseToDates, ResponseAreaToDates) | {Runs(rebuilt)} | {now:F1} | {ratio:F2}× |"),
            "",
            string.Create(CultureInfo.InvariantCulture, $"Target: no more than ~1.3× main: **{(ratio <= 1.3 ? "met" : "NOT met")}**. Rows written: {months:N0} month rows, {series:N0} series, {toDates:N0} to-date rows, {areas:N0} area to-date rows."),
            "",
            "Before this round (branch s9-gaps, a window per series then every row carried to the following months and grouped again): 258.6 s against 26.9 s for main on the same loaded machine (9.6×).",
        };
        var results = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "results", "rebuild.md"));
        await File.WriteAllLinesAsync(results, lines);
        Console.WriteLine($"Wrote {results}: main {old:F1} s, this {now:F1} s ({ratio:F2}×)");
    }
}
