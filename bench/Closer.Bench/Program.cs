// Import benchmark (issue 4): a generated 100,000-row CSV and XLSX, parsed only, then validated and stored
// through the real importer on a fresh SQLite database each. Writes bench/results/import.md.
// Run: dotnet run -c Release --project bench/Closer.Bench [rows]
using System.Diagnostics;
using System.Globalization;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Features.Organisations;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var work = Path.Combine(Path.GetTempPath(), "closer-bench", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(work);
var lines = new List<string>();

// Optional: CLOSER_BENCH_POSTGRES (a role that may create databases) adds the same imports on PostgreSQL.
var postgres = Environment.GetEnvironmentVariable("CLOSER_BENCH_POSTGRES");
var pgDatabases = new List<string>();

async Task<WebApplication> HostAsync(string name, bool onPostgres = false)
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = work, EnvironmentName = "Bench" });
    string connection;
    if (onPostgres)
    {
        var database = $"closer_bench_{name}_{Guid.NewGuid():N}";
        await using (var conn = new Npgsql.NpgsqlConnection(postgres))
        {
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{database}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        pgDatabases.Add(database);
        connection = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = database }.ToString();
    }
    else
    {
        connection = $"Data Source={Path.Combine(work, name)}.db";
    }
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Database:Provider"] = onPostgres ? "Postgres" : "Sqlite",
        ["Logging:LogLevel:Default"] = "Warning",
        ["ConnectionStrings:Closer"] = connection,
    });
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddCloserData(builder.Configuration);
    builder.Services.AddCloserLocalization();
    builder.Services.AddOrganisations();
    builder.Services.AddCoordination();
    var app = builder.Build();
    await DatabaseSetup.MigrateAsync(app.Services);
    await Seeding.EnsureSeededAsync(app.Services, demo: true);
    return app;
}

var actor = new Actor(null, "bench", new ScopeUser(new HashSet<string> { Roles.PlatformAdmin }, null, new HashSet<string>()));
List<IReadOnlyList<string?>> data;
await using (var first = await HostAsync("gen"))
{
    await using var scope = first.Services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
    // CAMPO has no demo reports in Peru or Ecuador: every generated row is new.
    var admin1 = await db.Admin1Areas.Where(a => a.CountryIso3 == "PER" || a.CountryIso3 == "ECU").OrderBy(a => a.PCode)
        .Select(a => new { a.PCode, a.CountryIso3 }).ToListAsync();
    var indicators = await db.Indicators.Select(i => new { i.Code, i.SectorCode }).ToListAsync();
    var months = await db.ReportingPeriods.Select(p => p.Month).ToListAsync();
    // Locked months (the demo locks Peru's older months) refuse every row: leave them out.
    var locks = (await db.PeriodLocks.Select(l => new { l.CountryIso3, l.Month }).ToListAsync()).Select(l => (l.CountryIso3, l.Month)).ToHashSet();
    var n = 0;
    data = [];
    foreach (var m in months.Order(StringComparer.Ordinal))
    {
        foreach (var a in admin1)
        {
            if (locks.Contains((a.CountryIso3, m)))
            {
                continue;
            }
            foreach (var i in indicators)
            {
                foreach (var g in PopulationGroups.All)
                {
                    if (n++ >= rows)
                    {
                        break;
                    }
                    var k = n % 97;
                    data.Add(["CAMPO", "", a.CountryIso3, a.PCode, i.SectorCode, i.Code, m, g, S(k), S(k + 1), S(k + 2), S(k + 3), "0", S((4 * k) + 6), "", "no", ""]);
                }
            }
        }
    }
}
static string S(int v) => v.ToString(CultureInfo.InvariantCulture);

// Peak resident memory of this process (Linux): the high-water mark is reset before each import.
static void ResetPeakMemory()
{
    if (File.Exists("/proc/self/clear_refs"))
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

static long PeakMemoryMiB()
{
    var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
    return line is null ? Environment.WorkingSet / (1024 * 1024)
        : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
}

var csv = TabularCsv.Write(ReportColumns.Import, "en", data);
// The XLSX holds the figures as numbers, as a spreadsheet program saves them.
var numeric = ReportColumns.Import.Select(c => c.Key is "girls" or "boys" or "women" or "men" or "other" or "total" or "todate" or "cashusd").ToArray();
var xlsx = TabularXlsx.Write(ReportColumns.Import, "en", data.Select(r => (IReadOnlyList<object?>)[.. r.Select((v, i) =>
    numeric[i] && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (object?)v)]), "reports");
lines.Add($"# Import benchmark — {data.Count:N0} rows");
lines.Add("");
lines.Add($"{TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores · {System.Runtime.InteropServices.RuntimeInformation.OSDescription} · " +
    $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} · SQLite{(postgres is null ? "" : " and PostgreSQL (local)")} · CSV {csv.Length / 1024:N0} KiB, XLSX {xlsx.Length / 1024:N0} KiB" +
    (File.Exists("/proc/loadavg") ? $" · load average at start: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}" : ""));
lines.Add("");
lines.Add("| file | parse only (s) | validate + store (s) | ratio | imported | CPU s parse / import | peak RSS during import | floor: reports alone (s) | target ≤ 10 s and ≤ 3× parse |");
lines.Add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");

// The floor: the same rows as finished reports, only inserted and committed (no reading, no checks, no revisions,
// audit or aggregates) by the importer's own bulk writer, into a fresh database of the same store. No import of the
// file can be faster than this.
async Task<double> FloorAsync(string name, bool onPostgres)
{
    await using var app = await HostAsync(name, onPostgres);
    await using var scope = app.Services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
    var orgId = await db.Organisations.Where(o => o.Acronym == "CAMPO").Select(o => o.Id).SingleAsync();
    var now = TimeProvider.System.GetUtcNow();
    static long L(string? v) => long.Parse(v!, CultureInfo.InvariantCulture);
    var reports = data.Select(d => new ActivityReport
    {
        OrganisationId = orgId, CountryIso3 = d[2]!, Admin1PCode = d[3]!, IndicatorCode = d[5]!, Month = d[6]!, PopulationGroup = d[7]!,
        Girls = L(d[8]), Boys = L(d[9]), Women = L(d[10]), Men = L(d[11]), Other = L(d[12]), Total = L(d[13]),
        Status = ReportStatus.Draft, Version = 1, CreatedAt = now, UpdatedAt = now,
    }).ToList();
    GC.Collect();
    var clock = Stopwatch.StartNew();
    await using (var tx = await db.Database.BeginTransactionAsync())
    {
        var bulk = ReportBulkWriter.For(db);
        await bulk.BeginAsync(default);
        var ids = await bulk.ReserveReportIdsAsync(reports.Count, default);
        for (var i = 0; i < reports.Count; i++)
        {
            reports[i].Id = ids[i];
        }
        await bulk.InsertReportsAsync(reports, default);
        // The floor has no aggregates: forget the reports the writer recorded for them.
        db.ReportsWritten.Clear();
        await tx.CommitAsync();
        await bulk.EndAsync();
    }
    return clock.Elapsed.TotalSeconds;
}

var breakdown = new List<string>();
// CLOSER_BENCH_ONLY=postgres|sqlite runs one store (while working on it; the committed results run both).
var only = Environment.GetEnvironmentVariable("CLOSER_BENCH_ONLY");
var runs = new List<(string Kind, byte[] Bytes, bool OnPostgres)>();
if (only is null or "sqlite")
{
    runs.Add(("CSV", csv, false));
    runs.Add(("XLSX", xlsx, false));
}
if (postgres is not null && only is null or "postgres")
{
    runs.Add(("CSV", csv, true));
    runs.Add(("XLSX", xlsx, true));
}
foreach (var (kind, bytes, onPostgres) in runs)
{
    var store = onPostgres ? "PostgreSQL" : "SQLite";
    // Parse only: every cell of every row read into a string with the same library (Sep / MiniExcel), nothing else;
    // the median of three runs.
    var parseCpu = Process.GetCurrentProcess().TotalProcessorTime;
    var parses = new List<TimeSpan>();
    var parsedRows = 0;
    for (var i = 0; i < 3; i++)
    {
        var clock = Stopwatch.StartNew();
        parsedRows = SheetReader.EnumerateRows(new MemoryStream(bytes), kind == "CSV" ? SheetKind.Csv : SheetKind.Xlsx).Count();
        parses.Add(clock.Elapsed);
    }
    var parse = parses.Order().ElementAt(1);
    parseCpu = (Process.GetCurrentProcess().TotalProcessorTime - parseCpu) / 3;
    await using var app = await HostAsync(kind.ToLowerInvariant(), onPostgres);
    await using var scope = app.Services.CreateAsyncScope();
    var importer = scope.ServiceProvider.GetRequiredService<ReportImporter>();
    GC.Collect();
    ResetPeakMemory();
    // The import's split comes from its metrics (meter Closer.Imports), summed per phase for this run.
    var phases = new System.Collections.Concurrent.ConcurrentDictionary<string, double>(StringComparer.Ordinal);
    using var listener = new System.Diagnostics.Metrics.MeterListener
    {
        InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ImportMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        },
    };
    listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "phase" && tag.Value is string phase)
            {
                phases.AddOrUpdate(phase, seconds, (_, sum) => sum + seconds);
            }
        }
    });
    listener.Start();
    double Phase(string name) => phases.GetValueOrDefault(name);
    var importCpu = Process.GetCurrentProcess().TotalProcessorTime;
    var full = Stopwatch.StartNew();
    var (checkedUpload, refusal) = await SheetReader.CheckUploadAsync(new MemoryStream(bytes), bytes.Length, default);
    var guard = full.Elapsed;
    var (result, error) = refusal is not null ? refusal : await importer.ImportCheckedAsync(checkedUpload!, actor, null, default);
    full.Stop();
    importCpu = Process.GetCurrentProcess().TotalProcessorTime - importCpu;
    var peak = PeakMemoryMiB();
    if (error is not null)
    {
        var first = error is Closer.Web.Infrastructure.ValidationError v
            ? string.Join("; ", v.Errors.Take(5).Select(e => $"row {e.Row} {e.Column}: {e.Message}")) : "";
        throw new InvalidOperationException($"{kind} import failed: {error.Message} {first}");
    }
    var ratio = full.Elapsed.TotalSeconds / parse.TotalSeconds;
    var floor = await FloorAsync($"floor_{kind.ToLowerInvariant()}", onPostgres);
    var met = full.Elapsed.TotalSeconds <= 10 && ratio <= 3 ? "met"
        : full.Elapsed.TotalSeconds > 10 ? "NOT met"
        : floor > 3 * parse.TotalSeconds ? $"≤ 10 s met; ≤ 3× NOT met, and unreachable: the floor alone is {floor / parse.TotalSeconds:F1}× parse"
        : "≤ 10 s met; ≤ 3× NOT met";
    lines.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {kind} ({parsedRows - 2:N0} rows) · {store} | {parse.TotalSeconds:F2} | {full.Elapsed.TotalSeconds:F2} | {ratio:F1}× | {result!.Imported:N0} new, {result.Updated:N0} updated | {parseCpu.TotalSeconds:F2} / {importCpu.TotalSeconds:F2} | {peak:N0} MiB | {floor:F2} | {met} |"));
    Console.WriteLine(lines[^1]);
    breakdown.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {kind} · {store} | {guard.TotalSeconds:F2} | {Phase(ImportMetrics.ReadCheck):F2} | {Phase(ImportMetrics.Existing):F2} | {Phase(ImportMetrics.Prepare):F2} | {Phase(ImportMetrics.WriteReports) + Phase(ImportMetrics.WriteRevisions) + Phase(ImportMetrics.WriteAudit):F2} ({Phase(ImportMetrics.WriteReports):F2} + {Phase(ImportMetrics.WriteRevisions):F2} + {Phase(ImportMetrics.WriteAudit):F2}) | {Phase(ImportMetrics.CommitAggregates):F2} | {Phase(ImportMetrics.ReaderWaiting):F2} / {Phase(ImportMetrics.WriterWaiting):F2} |"));
    Console.WriteLine(breakdown[^1]);
}
lines.Add("");
lines.Add("Where the time goes (seconds). The reading thread: read + validate (streamed parse, every row checked); existing (per chunk, one");
lines.Add("query per organisation for the months not yet seen); prepare (new rows, revision snapshots and audit diffs as JSON). The writer:");
lines.Add("write (bulk insert of each chunk's reports, revisions and audit entries in the one transaction; in brackets: reports + revisions +");
lines.Add("audit); commit (first the dashboards' aggregates, inside the transaction). On SQLite the writer starts when reading is done; on PostgreSQL the two");
lines.Add("overlap, so their times add up to more than the wall time; waiting: the reader waiting for the writer to take a chunk, and the");
lines.Add("writer waiting for the next one. Floor: the same 100,000 rows as finished reports, only bulk-inserted and committed by the same");
lines.Add("writer into a fresh database (no parse, no checks, no revisions, audit or aggregates): no import of the file can beat it.");
lines.Add("");
lines.Add("| file | guard | read + validate | existing | prepare | write | commit | waiting: reader / writer |");
lines.Add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
lines.AddRange(breakdown);
lines.Add("");
lines.Add("Validate + store runs the real `ReportImporter` (every row checked, then one transaction with a revision and an audit entry per row and one for the import). Parse only is the median of three runs.");
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
// CLOSER_BENCH_KEEP=1 keeps the PostgreSQL databases (to look at them with psql afterwards).
if (postgres is not null && Environment.GetEnvironmentVariable("CLOSER_BENCH_KEEP") != "1")
{
    Npgsql.NpgsqlConnection.ClearAllPools();
    await using var conn = new Npgsql.NpgsqlConnection(postgres);
    await conn.OpenAsync();
    foreach (var database in pgDatabases)
    {
        await using var cmd = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
var results = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "results", "import.md");
await File.WriteAllLinesAsync(Path.GetFullPath(results), lines);
Console.WriteLine($"Wrote {Path.GetFullPath(results)}");
try
{
    Directory.Delete(work, recursive: true);
}
catch (IOException)
{
}
