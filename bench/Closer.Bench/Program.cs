// Import benchmark (issue 4): a generated 100,000-row CSV and XLSX, parsed only, then validated and stored
// through the real importer on a fresh SQLite database each. Writes bench/results/import.md.
// Run: dotnet run -c Release --project bench/Closer.Bench [rows]
using System.Diagnostics;
using System.Globalization;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Organisations;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var work = Path.Combine(Path.GetTempPath(), "closer-bench", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(work);
var lines = new List<string>();

async Task<WebApplication> HostAsync(string name)
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = work, EnvironmentName = "Bench" });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Sqlite",
        ["ConnectionStrings:Closer"] = $"Data Source={Path.Combine(work, name)}.db",
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
    var n = 0;
    data = [];
    foreach (var m in months.Order(StringComparer.Ordinal))
    {
        foreach (var a in admin1)
        {
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

var csv = Spreadsheets.WriteCsv(ReportColumns.Import, "en", data);
var xlsx = Spreadsheets.WriteXlsx(ReportColumns.Import, "en", data);
lines.Add($"# Import benchmark — {data.Count:N0} rows");
lines.Add("");
lines.Add($"{TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores · {System.Runtime.InteropServices.RuntimeInformation.OSDescription} · " +
    $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} · SQLite · CSV {csv.Length / 1024:N0} KiB, XLSX {xlsx.Length / 1024:N0} KiB" +
    (File.Exists("/proc/loadavg") ? $" · load average at start: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}" : ""));
lines.Add("");
lines.Add("| file | parse only (s) | validate + store (s) | ratio | imported | target ≤ 10 s and ≤ 3× parse |");
lines.Add("| --- | ---: | ---: | ---: | ---: | --- |");

foreach (var (kind, bytes) in new[] { ("CSV", csv), ("XLSX", xlsx) })
{
    var parse = Stopwatch.StartNew();
    var parsed = kind == "CSV" ? Spreadsheets.ReadCsv(new MemoryStream(bytes)) : Spreadsheets.ReadXlsx(new MemoryStream(bytes));
    parse.Stop();
    await using var app = await HostAsync(kind.ToLowerInvariant());
    await using var scope = app.Services.CreateAsyncScope();
    var importer = scope.ServiceProvider.GetRequiredService<ReportImporter>();
    var full = Stopwatch.StartNew();
    var (result, error) = await importer.ImportAsync(new MemoryStream(bytes), bytes.Length, actor, default);
    full.Stop();
    if (error is not null)
    {
        throw new InvalidOperationException($"{kind} import failed: {error.Message}");
    }
    var ratio = full.Elapsed.TotalSeconds / parse.Elapsed.TotalSeconds;
    var met = full.Elapsed.TotalSeconds <= 10 && ratio <= 3 ? "met" : "NOT met";
    lines.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {kind} ({parsed.Count - 2:N0} rows) | {parse.Elapsed.TotalSeconds:F2} | {full.Elapsed.TotalSeconds:F2} | {ratio:F1}× | {result!.Imported:N0} new, {result.Updated:N0} updated | {met} |"));
    Console.WriteLine(lines[^1]);
}
lines.Add("");
lines.Add("Validate + store runs the real `ReportImporter` (every row checked, then one transaction with a revision and an audit entry per row).");
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
