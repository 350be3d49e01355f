// Search benchmark (issue 22): generated content versions, documents with 50 KB of text each and forum posts, indexed
// by the app's own indexer; p50/p99 of warm one- and three-word queries through SearchService, side by side with the
// LIKE scan the old search ran (a folded text column, every word as '%word%'), on SQLite and (with
// CLOSER_BENCH_POSTGRES) PostgreSQL. Writes bench/results/search.md.
// Run: dotnet run -c Release --project bench/Closer.Bench.Search [divisor]   (divisor 1 = 10,000 / 20,000 / 200,000)
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Closer.Web.Features.Search;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

var divisor = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1;
int versions = 10_000 / divisor, documents = 20_000 / divisor, posts = 200_000 / divisor;
const int DocumentBytes = 50 * 1024;
var work = Path.Combine(Path.GetTempPath(), "closer-bench-search", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(work);
var postgres = Environment.GetEnvironmentVariable("CLOSER_BENCH_POSTGRES");
var report = new List<string>();

// A vocabulary with a Zipf-like use: a few words everywhere, most words rare (as in real reports).
var rng = new Random(22);
string[] real = ["migración", "refugiados", "salud", "educación", "protección", "integración", "vivienda", "empleo", "frontera", "niños",
    "health", "shelter", "education", "protection", "integration", "border", "children", "work", "water", "food",
    "saúde", "abrigo", "interiorização", "trabalho", "proteção", "famia", "trabou", "skol", "salú", "bisiña"];
var syllables = "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu".Split(' ');
var vocabulary = real.Concat(Enumerable.Range(0, 20_000).Select(_ => string.Concat(Enumerable.Range(0, rng.Next(2, 5)).Select(_ => syllables[rng.Next(syllables.Length)])))).Distinct().ToArray();
string Word() => vocabulary[(int)Math.Min(vocabulary.Length - 1, Math.Floor(Math.Pow(rng.NextDouble(), 3) * vocabulary.Length))];
string Text(int bytes)
{
    var sb = new StringBuilder(bytes + 16);
    while (sb.Length < bytes)
    {
        sb.Append(Word()).Append(rng.Next(12) == 0 ? ". " : " ");
    }
    return sb.ToString();
}
string[] languages = ["en", "es", "pt", "pap"];
var entries = new List<SearchEntry>();
for (var i = 0; i < versions; i++)
{
    entries.Add(Entry("content", i, "story", $"{Word()} {Word()} {Word()}", Text(3000)));
}
for (var i = 0; i < documents; i++)
{
    entries.Add(Entry("document", i, "document", $"{Word()} {Word()} report", Text(DocumentBytes)));
}
for (var i = 0; i < posts; i++)
{
    entries.Add(Entry("thread", i / 10, "forum", $"{Word()} {Word()}", Text(400)));
}
SearchEntry Entry(string source, int key, string kind, string title, string text) => new()
{
    Source = source, SourceKey = key.ToString(CultureInfo.InvariantCulture), Group = source + ":" + key.ToString(CultureInfo.InvariantCulture),
    Kind = kind, Language = languages[key % 4], Country = ",COL,", Year = 2020 + key % 7, Audience = SearchAudience.Public,
    Title = title, Url = "/{lang}/x", Text = text, Date = DateTimeOffset.UnixEpoch.AddDays(key),
};
// Queries: words of high, middle and low use; three-word queries of words that occur together.
var oneWord = Enumerable.Range(0, 60).Select(i => vocabulary[i % 3 == 0 ? i : i % 3 == 1 ? 200 + i * 5 : 2000 + i * 50]).ToArray();
var threeWords = Enumerable.Range(0, 60).Select(i => string.Join(' ', SearchWords.Split(entries[rng.Next(entries.Count)].Text).Skip(rng.Next(50)).Take(3).Select(w => w.Folded))).ToArray();

report.Add("# Search benchmark");
report.Add("");
report.Add($"Run {TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC on a shared 2-core machine with other builds and tests running (figures are noisy; ratios are measured in the same run).");
report.Add($"Command: `dotnet run -c Release --project bench/Closer.Bench.Search {divisor}`.");
report.Add($"Data scaled down by a factor of **{divisor}** from the budget's 10,000 content versions, 20,000 documents × 50 KB and 200,000 posts: "
    + $"{versions:N0} content versions (3 KB), {documents:N0} documents ({DocumentBytes / 1024} KB of text each), {posts:N0} forum posts (400 B), "
    + $"{entries.Sum(e => (long)e.Text.Length) / 1_000_000:N0} MB of text in four languages' rows.");
report.Add("Search = `SearchService.SearchAsync` (ranking, grouping, passages) as the page runs it; LIKE = the old search's scan of a folded text column with every word as `'%word%'`, newest first, 200 rows, over the same texts.");
report.Add("");
report.Add("| store | query | runs | search p50 | search p99 | LIKE p50 | LIKE p99 | p99 ratio (LIKE / search) |");
report.Add("| --- | --- | --- | --- | --- | --- | --- | --- |");

await RunAsync("SQLite", false);
if (postgres is not null)
{
    await RunAsync("PostgreSQL", true);
}
else
{
    report.Add("| PostgreSQL | — | skipped: CLOSER_BENCH_POSTGRES not set | | | | | |");
}
var results = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "results", "search.md");
await File.WriteAllLinesAsync(Path.GetFullPath(results), report);
Console.WriteLine(string.Join('\n', report));

async Task RunAsync(string name, bool onPostgres)
{
    string connection;
    string? database = null;
    if (onPostgres)
    {
        database = $"closer_bench_search_{Guid.NewGuid():N}";
        await using var conn = new Npgsql.NpgsqlConnection(postgres);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{database}\"", conn);
        await cmd.ExecuteNonQueryAsync();
        connection = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = database }.ToString();
    }
    else
    {
        connection = $"Data Source={Path.Combine(work, "search.db")}";
    }
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = work, EnvironmentName = "Bench" });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Database:Provider"] = onPostgres ? "Postgres" : "Sqlite",
        ["Logging:LogLevel:Default"] = "Warning",
        ["ConnectionStrings:Closer"] = connection,
    });
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddCloserData(builder.Configuration);
    builder.Services.AddScoped<SearchService>();
    await using var app = builder.Build();
    await DatabaseSetup.MigrateAsync(app.Services);
    await using (var scope = app.Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var sw = Stopwatch.StartNew();
        await db.Database.OpenConnectionAsync();
        var c = db.Database.GetDbConnection();
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE \"LikeBaseline\" (\"Id\" bigint PRIMARY KEY, \"Folded\" text NOT NULL, \"Date\" bigint NOT NULL)");
        foreach (var chunk in entries.Chunk(500))
        {
            await using var tx = await c.BeginTransactionAsync();
            await SearchIndexer.InsertAsync(c, tx, onPostgres, chunk, default);
            await tx.CommitAsync();
        }
        // The baseline's folded column: the same texts, as the old search stored them.
        await using (var tx = await c.BeginTransactionAsync())
        {
            var id = 0L;
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO \"LikeBaseline\" VALUES (@id, @f, @d)";
            var (pi, pf, pd) = (cmd.CreateParameter(), cmd.CreateParameter(), cmd.CreateParameter());
            (pi.ParameterName, pf.ParameterName, pd.ParameterName) = ("@id", "@f", "@d");
            cmd.Parameters.Add(pi);
            cmd.Parameters.Add(pf);
            cmd.Parameters.Add(pd);
            foreach (var e in entries)
            {
                (pi.Value, pf.Value, pd.Value) = (++id, SearchText.Fold(e.Title + " " + e.Text), e.Date.UtcTicks);
                await cmd.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
        await db.Database.ExecuteSqlRawAsync(onPostgres ? "VACUUM ANALYZE" : "ANALYZE");
        Console.WriteLine($"{name}: indexed {entries.Count:N0} rows in {sw.Elapsed.TotalSeconds:N1} s");
        report.Add($"| {name} | indexing {entries.Count:N0} rows (one-off, app's indexer) | 1 | {sw.Elapsed.TotalSeconds:N1} s | | | | |");
        var search = scope.ServiceProvider.GetRequiredService<SearchService>();
        foreach (var (label, queries) in new[] { ("one word", oneWord), ("three words", threeWords) })
        {
            // Warm: every query once before measuring.
            foreach (var q in queries)
            {
                await search.SearchAsync(new SearchRequest(q), false, "en", default);
                await LikeAsync(c, q);
            }
            var s = new List<double>();
            var l = new List<double>();
            for (var round = 0; round < 3; round++)
            {
                foreach (var q in queries)
                {
                    var t = Stopwatch.GetTimestamp();
                    await search.SearchAsync(new SearchRequest(q), false, "en", default);
                    s.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    t = Stopwatch.GetTimestamp();
                    await LikeAsync(c, q);
                    l.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
            }
            report.Add($"| {name} | {label} | {s.Count} | {P(s, 50):N1} ms | {P(s, 99):N1} ms | {P(l, 50):N1} ms | {P(l, 99):N1} ms | {P(l, 99) / P(s, 99):N1}× |");
            Console.WriteLine(report[^1]);
        }
        await db.Database.CloseConnectionAsync();
    }
    if (database is not null)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var conn = new Npgsql.NpgsqlConnection(postgres);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

static async Task LikeAsync(System.Data.Common.DbConnection c, string query)
{
    var terms = SearchText.Terms(query);
    await using var cmd = c.CreateCommand();
    cmd.CommandText = "SELECT \"Id\" FROM \"LikeBaseline\" WHERE " + string.Join(" AND ", terms.Select((_, i) => $"\"Folded\" LIKE @t{i}"))
        + " ORDER BY \"Date\" DESC LIMIT 200";
    for (var i = 0; i < terms.Count; i++)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = "@t" + i.ToString(CultureInfo.InvariantCulture);
        p.Value = "%" + terms[i] + "%";
        cmd.Parameters.Add(p);
    }
    await using var reader = await cmd.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
    }
}

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
}
