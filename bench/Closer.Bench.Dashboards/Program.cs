// Dashboard benchmark (issue 5): 1,000,000 generated 5W rows (17 countries, one plan year, every indicator and sector)
// in a SQLite file; the aggregates built; then the response dashboard query (people reached vs target by sector ×
// country, validated) timed warm on the aggregates and, in the same run, the same answer from a plain GROUP BY over
// the raw rows. Writes bench/results/dashboard.md (bench/dashboard.sh adds the wrk run of /en/data).
// Run: dotnet run -c Release --project bench/Closer.Bench.Dashboards [rows] [database-file]
//      (or `activities FILE`: the open-data activities table on a file written before, see ActivitiesBench)
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Dashboards;
using Closer.Web.Features.Organisations;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// `activities FILE`: the public activities table on a file written before (issue 21), no generation.
if (args is ["activities", var activitiesFile])
{
    await ActivitiesBench.RunAsync(activitiesFile);
    return;
}

var target = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var work = Path.Combine(Path.GetTempPath(), "closer-bench-dashboard");
Directory.CreateDirectory(work);
var file = args.Length > 1 ? Path.GetFullPath(args[1]) : Path.Combine(work, "dashboard.db");
// BENCH_REUSE=1 with a database file argument: keep that file's generated rows (a previous run's) instead of generating them again.
var reuse = Environment.GetEnvironmentVariable("BENCH_REUSE") == "1" && args.Length > 1 && File.Exists(file);
foreach (var f in reuse ? [] : new[] { file, file + "-wal", file + "-shm" })
{
    File.Delete(f);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = work, EnvironmentName = "Bench" });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Database:Provider"] = "Sqlite",
    ["ConnectionStrings:Closer"] = $"Data Source={file}",
    ["Logging:LogLevel:Default"] = "Warning",
});
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddCloserData(builder.Configuration);
builder.Services.AddCloserLocalization();
builder.Services.AddOrganisations();
builder.Services.AddCoordination();
builder.Services.AddDashboards();
// The gap view's data cache (the app registers it in AddCloserCaching, with Redis behind it).
builder.Services.AddHybridCache();
// Disclosure control runs on every public figure the dashboards build (registered by OpenData in the app).
builder.Services.AddOptions<Closer.Web.Features.OpenData.Disclosure.DisclosureOptions>().BindConfiguration(Closer.Web.Features.OpenData.Disclosure.DisclosureOptions.Section);
builder.Services.AddSingleton<Closer.Web.Features.OpenData.Disclosure.DisclosureControl>();
// The demo's situation reports are published into the document library, which the bench does not register (the seeder
// could not be built since it joined the demo); the generated rows need none of them.
foreach (var seeder in builder.Services.Where(d => d.ServiceType == typeof(IDemoSeeder) && d.ImplementationType?.Name == "DemoSituationReports").ToList())
{
    builder.Services.Remove(seeder);
}
await using var app = builder.Build();
await DatabaseSetup.MigrateAsync(app.Services);
await Seeding.EnsureSeededAsync(app.Services, demo: true);

await using var scope = app.Services.CreateAsyncScope();
var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
var time = TimeProvider.System;
var year = await DashboardData.CurrentYearAsync(db, time, default);
var lines = new List<string>();

// The demo reports go; 200 bench organisations, each in three countries, report every indicator and population
// group every month (three admin1 areas where the country has them).
reuse = reuse && await db.ActivityReports.CountAsync() >= target;
if (!reuse)
{
    await db.ActivityReports.ExecuteDeleteAsync();
}
var now = time.GetUtcNow();
for (var i = 1; i <= (reuse ? 0 : 200); i++)
{
    db.Organisations.Add(new Organisation
    {
        Name = $"Bench organisation {i}", Acronym = $"B{i:D3}", Type = OrganisationType.NationalNgo, CreatedAt = now, IsDemo = true,
    });
}
await db.SaveChangesAsync();
var orgs = await db.Organisations.Where(o => o.Acronym.StartsWith('B')).Where(o => o.Acronym.Length == 4).OrderBy(o => o.Acronym).Select(o => o.Id).ToListAsync();
var countries = await db.Countries.OrderBy(c => c.Iso3).Select(c => c.Iso3).ToListAsync();
var admin1 = (await db.Admin1Areas.OrderBy(a => a.PCode).Select(a => new { a.CountryIso3, a.PCode }).ToListAsync())
    .GroupBy(a => a.CountryIso3).ToDictionary(g => g.Key, g => g.Select(a => a.PCode).Take(3).ToList());
var indicators = await db.Indicators.OrderBy(i => i.Code).Select(i => i.Code).ToListAsync();
var months = Enumerable.Range(1, 12).Select(m => $"{year:D4}-{m:D2}").ToList();
var orgsIn = countries.ToDictionary(c => c, _ => new List<int>());
for (var i = 0; i < orgs.Count; i++)
{
    foreach (var k in new[] { i, i + 5, i + 11 })
    {
        orgsIn[countries[k % countries.Count]].Add(orgs[i]);
    }
}

var generate = Stopwatch.StartNew();
var connection = db.Database.GetDbConnection();
await connection.OpenAsync();
var rows = reuse ? await db.ActivityReports.CountAsync() : 0;
var validated = reuse ? await db.ActivityReports.CountAsync(r => r.Status == ReportStatus.Validated) : 0;
await using (var tx = await connection.BeginTransactionAsync())
{
    await using var insert = connection.CreateCommand();
    insert.Transaction = tx;
    insert.CommandText = """
        INSERT INTO ActivityReports (OrganisationId, CountryIso3, Admin1PCode, IndicatorCode, Month, PopulationGroup, Girls, Boys, Women, Men, Other, Total,
            ReachedToDate, IsCash, Status, Version, CreatedAt, UpdatedAt, IsDemo)
        VALUES ($org, $country, $admin1, $indicator, $month, $group, $girls, $boys, $women, $men, 0, $total, $todate, 0, $status, 1, $at, $at, 1)
        """;
    DbParameter P(string name)
    {
        var p = insert.CreateParameter();
        p.ParameterName = name;
        insert.Parameters.Add(p);
        return p;
    }
    var (pOrg, pCountry, pAdmin1, pIndicator, pMonth, pGroup) = (P("$org"), P("$country"), P("$admin1"), P("$indicator"), P("$month"), P("$group"));
    var (pGirls, pBoys, pWomen, pMen, pTotal, pToDate, pStatus, pAt) = (P("$girls"), P("$boys"), P("$women"), P("$men"), P("$total"), P("$todate"), P("$status"), P("$at"));
    pAt.Value = now.UtcTicks;
    await insert.PrepareAsync();
    var random = new Random(5);
    foreach (var month in reuse ? [] : months)
    {
        foreach (var country in countries)
        {
            var areas = admin1.GetValueOrDefault(country) ?? [""];
            foreach (var org in orgsIn[country])
            {
                // A partner's month is validated, submitted or still a draft as a whole.
                var status = random.Next(10) switch { < 8 => "Validated", 8 => "Submitted", _ => "Draft" };
                foreach (var indicator in indicators)
                {
                    foreach (var group in PopulationGroups.All)
                    {
                        foreach (var area in areas)
                        {
                            if (rows >= target)
                            {
                                goto done;
                            }
                            var (g, b, w, m) = (random.Next(0, 60), random.Next(0, 60), random.Next(0, 90), random.Next(0, 90));
                            (pOrg.Value, pCountry.Value, pAdmin1.Value, pIndicator.Value, pMonth.Value, pGroup.Value) = (org, country, area, indicator, month, group);
                            (pGirls.Value, pBoys.Value, pWomen.Value, pMen.Value, pTotal.Value) = (g, b, w, m, g + b + w + m);
                            pToDate.Value = random.Next(4) == 0 ? g + b + w + m + random.Next(0, 400) : DBNull.Value;
                            pStatus.Value = status;
                            await insert.ExecuteNonQueryAsync();
                            rows++;
                            validated += status == "Validated" ? 1 : 0;
                        }
                    }
                }
            }
        }
    }
done:
    await tx.CommitAsync();
}
generate.Stop();
Console.WriteLine($"{rows:N0} rows generated in {generate.Elapsed.TotalSeconds:F1} s");

// BENCH_REBUILD=1: the full aggregates rebuild timed against main's (before the "to date" tables) on the same rows in the
// same run, alternately (main, this, main, this; each from empty tables); writes bench/results/rebuild.md and stops.
var build = Stopwatch.StartNew();
if (Environment.GetEnvironmentVariable("BENCH_REBUILD") == "1")
{
    var baseline = new List<TimeSpan>();
    var rebuilt = new List<TimeSpan>();
    var rounds = int.Parse(Environment.GetEnvironmentVariable("BENCH_REBUILD_ROUNDS") ?? "2", CultureInfo.InvariantCulture);
    for (var round = 0; round < rounds; round++)
    {
        baseline.Add(await MainRebuild.RunAsync(db));
        Console.WriteLine($"main's rebuild: {baseline[^1].TotalSeconds:F1} s");
        build.Restart();
        await ResponseAggregates.RebuildAllAsync(db, default);
        rebuilt.Add(build.Elapsed);
        Console.WriteLine($"this rebuild: {rebuilt[^1].TotalSeconds:F1} s");
        // Written after each round: a run stopped by its time limit keeps the rounds it finished.
        await RebuildReport.WriteAsync(db, rows, validated, generate.Elapsed, baseline, rebuilt);
    }
}
// With BENCH_SITREP=1 too, the situation report pages follow on the tables the last rebuild wrote.
if (Environment.GetEnvironmentVariable("BENCH_REBUILD") == "1" && Environment.GetEnvironmentVariable("BENCH_SITREP") != "1")
{
    return;
}
if (Environment.GetEnvironmentVariable("BENCH_REBUILD") != "1")
{
    await ResponseAggregates.RebuildAllAsync(db, default);
}
build.Stop();
var monthRows = await db.ResponseMonths.CountAsync();
var yearRows = await db.ResponseYears.CountAsync();
Console.WriteLine($"aggregates built in {build.Elapsed.TotalSeconds:F1} s: {monthRows:N0} month rows, {yearRows:N0} series");
await using (var analyze = connection.CreateCommand())
{
    analyze.CommandText = "ANALYZE";
    await analyze.ExecuteNonQueryAsync();
}

var names = await Names.LoadAsync(db, "en", default);

// BENCH_FILE_ONLY=1 (bench/sitrep.sh): only the file; the caller times the app serving it.
if (Environment.GetEnvironmentVariable("BENCH_FILE_ONLY") == "1")
{
    Console.WriteLine($"Wrote {file}: plan year {year}");
    return;
}

// BENCH_SITREP=1: the situation report pages only (issue 20); writes bench/results/sitrep.md.
if (Environment.GetEnvironmentVariable("BENCH_SITREP") == "1")
{
    var sitrep = await SitrepBench.RunAsync(scope.ServiceProvider, db, names, year);
    var sitrepFile = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "results", "sitrep.md"));
    await File.WriteAllLinesAsync(sitrepFile, sitrep);
    Console.WriteLine($"Wrote {sitrepFile}");
    return;
}

// BENCH_GAPS=1: the gap view instead (issue 20), against the dashboard query in the same run; writes bench/results/gaps.md.
if (Environment.GetEnvironmentVariable("BENCH_GAPS") == "1")
{
    await GapsBench.RunAsync(db, scope.ServiceProvider, names, year, rows, generate.Elapsed, build.Elapsed);
    return;
}

// `maps` (bench/maps.sh): only the maps' timings, written to bench/results/maps.md.
if (Environment.GetEnvironmentVariable("BENCH_MAPS") is { Length: > 0 } mapsResults)
{
    await File.WriteAllLinesAsync(mapsResults, await MapsBench.RunAsync(db, names, year, rows));
    Console.WriteLine($"Wrote {mapsResults}; database {file}");
    return;
}

// The dashboard query: the same call the page and the API make.
async Task<ResponseFigures> Dashboard() => await DashboardData.ResponseAsync(db, names, year, null, null,
    scope.ServiceProvider.GetRequiredService<Closer.Web.Features.OpenData.Disclosure.DisclosureControl>(), Closer.Web.Features.OpenData.Disclosure.DisclosureAudience.Public, default);

// The same answer from the raw rows: the README's definition in one SQL statement (max over months per series,
// summed), with the targets, for validated reports of people-unit indicators.
var rawSql = $"""
    SELECT s.CountryIso3, s.SectorCode, SUM(s.Reached) FROM (
        SELECT m.CountryIso3, m.SectorCode, m.OrganisationId, m.IndicatorCode, m.PopulationGroup, MAX(m.Reached) AS Reached FROM (
            SELECT r.CountryIso3, i.SectorCode, r.OrganisationId, r.IndicatorCode, r.PopulationGroup, r.Month,
                   SUM(COALESCE(r.ReachedToDate, r.Total)) AS Reached
            FROM ActivityReports r JOIN Indicators i ON i.Code = r.IndicatorCode
            WHERE r.DeletedAt IS NULL AND r.Status = 'Validated' AND i.Unit = 'People' AND r.Month >= '{year:D4}-01' AND r.Month <= '{year:D4}-12'
            GROUP BY r.CountryIso3, i.SectorCode, r.OrganisationId, r.IndicatorCode, r.PopulationGroup, r.Month) m
        GROUP BY m.CountryIso3, m.SectorCode, m.OrganisationId, m.IndicatorCode, m.PopulationGroup) s
    GROUP BY s.CountryIso3, s.SectorCode
    """;
async Task<Dictionary<(string, string), (long Reached, long Target)>> Raw()
{
    var result = new Dictionary<(string, string), (long, long)>();
    await using (var cmd = connection.CreateCommand())
    {
        cmd.CommandText = rawSql;
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[(reader.GetString(0), reader.GetString(1))] = (reader.GetInt64(2), 0);
        }
    }
    await using (var cmd = connection.CreateCommand())
    {
        cmd.CommandText = $"""
            SELECT t.CountryIso3, i.SectorCode, SUM(t.Target) FROM PlanTargets t JOIN Indicators i ON i.Code = t.IndicatorCode
            WHERE t.Year = {year} AND i.Unit = 'People' GROUP BY t.CountryIso3, i.SectorCode
            """;
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var k = (reader.GetString(0), reader.GetString(1));
            result[k] = (result.GetValueOrDefault(k).Item1, reader.GetInt64(2));
        }
    }
    return result;
}

static double Median(List<double> xs)
{
    xs.Sort();
    return xs[xs.Count / 2];
}

async Task<(double Median, double Min, T Last)> TimeAsync<T>(Func<Task<T>> run, int warmup, int runs)
{
    for (var i = 0; i < warmup; i++)
    {
        await run();
    }
    var times = new List<double>();
    T last = default!;
    for (var i = 0; i < runs; i++)
    {
        var sw = Stopwatch.StartNew();
        last = await run();
        sw.Stop();
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    return (Median(times), times.Min(), last);
}

var (aggMedian, aggMin, aggAnswer) = await TimeAsync(Dashboard, warmup: 5, runs: 30);
var (rawMedian, rawMin, rawAnswer) = await TimeAsync(Raw, warmup: 1, runs: 5);
var same = aggAnswer.Cells.Count == rawAnswer.Count(kv => kv.Value.Reached != 0 || kv.Value.Target != 0)
    && aggAnswer.Cells.All(c => rawAnswer.TryGetValue((c.Country, c.Sector), out var r) && r.Reached == c.Reached && r.Target == c.Target);
if (!same)
{
    throw new InvalidOperationException("The aggregates and the raw GROUP BY disagree.");
}
Console.WriteLine($"dashboard query (aggregates): median {aggMedian:F2} ms; raw GROUP BY: median {rawMedian:F0} ms");

var met = aggMedian <= 50 && aggMedian < rawMedian ? "met" : "NOT met";
lines.Add("# Dashboard benchmark");
lines.Add("");
var cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "" : "";
var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
lines.Add(string.Create(CultureInfo.InvariantCulture,
    $"{time.GetUtcNow():yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores · {cpu} · {System.Runtime.InteropServices.RuntimeInformation.OSDescription} · {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} · SQLite · load average (1 min) when written: {load}"));
lines.Add("");
lines.Add("Command: `bench/dashboard.sh` (runs `dotnet run -c Release --project bench/Closer.Bench.Dashboards`, then wrk against the app on the same file).");
lines.Add("");
lines.Add(string.Create(CultureInfo.InvariantCulture,
    $"Data: {rows:N0} report rows ({validated:N0} validated) for plan year {year}: 17 countries, {indicators.Count} indicators of every sector, 5 population groups, 12 months, 200 organisations in three countries each, three admin1 areas where the country has them. Generated in {generate.Elapsed.TotalSeconds:F1} s."));
lines.Add(string.Create(CultureInfo.InvariantCulture,
    $"Aggregates built from the raw rows (`ResponseAggregates.RebuildAllAsync`) in {build.Elapsed.TotalSeconds:F1} s: {monthRows:N0} month rows, {yearRows:N0} series rows."));
lines.Add("");
lines.Add("Query: people reached vs target by sector × country, validated reports, people-unit indicators; reached = per organisation × country × indicator × population group the highest month, summed (see src/Closer.Web/Features/Dashboards/README.md). Both answers are checked equal in the run.");
lines.Add("");
lines.Add("| query | warm median (ms) | fastest (ms) | runs | cells | target ≤ 50 ms and faster than raw |");
lines.Add("| --- | ---: | ---: | ---: | ---: | --- |");
lines.Add(string.Create(CultureInfo.InvariantCulture, $"| dashboard (`DashboardData.ResponseAsync` on the aggregates) | {aggMedian:F2} | {aggMin:F2} | 30 after 5 warm-up | {aggAnswer.Cells.Count} | {met} |"));
lines.Add(string.Create(CultureInfo.InvariantCulture, $"| plain GROUP BY over the raw rows (same answer) | {rawMedian:F0} | {rawMin:F0} | 5 after 1 warm-up | {rawAnswer.Count} | |"));
lines.Add("");
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
var results = Environment.GetEnvironmentVariable("BENCH_RESULTS") ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "results", "dashboard.md"));
await File.WriteAllLinesAsync(results, lines);
Console.WriteLine($"Wrote {results}; database {file}");
