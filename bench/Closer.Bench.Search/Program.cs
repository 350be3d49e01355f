// Search benchmark (issue 22): content versions, documents with 50 KB of text each and forum posts in four languages,
// written straight into the search tables (bulk, one transaction per store: SearchEntries and, on SQLite, the FTS5 rows
// as the app's indexer writes them; on PostgreSQL COPY, the stored tsvector computed by the server), then p50/p99 of warm
// one- and three-word queries through SearchService, side by side with the LIKE scan the old search ran (a folded text
// column, every word as '%word%', newest first) over the same texts, on SQLite and (with CLOSER_BENCH_POSTGRES set to a
// connection string whose user may create databases) PostgreSQL. Writes bench/results/search.md.
// Run: dotnet run -c Release --project bench/Closer.Bench.Search [divisor] [sqlite|postgres|both]
//   (divisor 1 = 10,000 / 20,000 / 200,000; one store writes bench/results/search-<store>.md, both search.md)
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
using NpgsqlTypes;

var divisor = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1;
var stores = args.Length > 1 ? args[1] : "both";
int versions = 10_000 / divisor, documents = 20_000 / divisor, posts = 200_000 / divisor;
var total = versions + documents + posts;
const int DocumentChars = 50 * 1024;
var work = Path.Combine(Path.GetTempPath(), "closer-bench-search", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(work);
var postgres = Environment.GetEnvironmentVariable("CLOSER_BENCH_POSTGRES");
var report = new List<string>();
// BENCH_KEEP=1 keeps the generated SQLite file and PostgreSQL database (to look into a query); otherwise both are deleted.
var keep = Environment.GetEnvironmentVariable("BENCH_KEEP") == "1";
// BENCH_REUSE_SQLITE=<file> / BENCH_REUSE_POSTGRES=<database>: measure on data a kept run generated (same divisor), no generation.
// BENCH_GENERATE_ONLY=1: generate, keep and stop (to measure later, on a quiet machine). BENCH_LIKE_EVERY=k: the LIKE scan
// for every k-th query only (at full size it takes seconds a query; its p99 is then over fewer runs, said in the table).
var reuseSqlite = Environment.GetEnvironmentVariable("BENCH_REUSE_SQLITE");
var reusePostgres = Environment.GetEnvironmentVariable("BENCH_REUSE_POSTGRES");
var generateOnly = Environment.GetEnvironmentVariable("BENCH_GENERATE_ONLY") == "1";
keep |= generateOnly;
var likeEvery = int.TryParse(Environment.GetEnvironmentVariable("BENCH_LIKE_EVERY"), out var every) && every > 1 ? every : 1;
// Where the measured queries' time went: SearchService's phase histogram (SearchMetrics), collected while measuring.
var phases = new Dictionary<string, List<double>>(StringComparer.Ordinal);
var breakdown = new List<string>();
var measuring = false;
using var listener = new System.Diagnostics.Metrics.MeterListener();
listener.InstrumentPublished = (instrument, l) =>
{
    if (instrument.Meter.Name == SearchMetrics.MeterName)
    {
        l.EnableMeasurementEvents(instrument);
    }
};
listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
{
    if (!measuring)
    {
        return;
    }
    foreach (var tag in tags)
    {
        if (tag.Key == "phase" && tag.Value is string phase)
        {
            (phases.TryGetValue(phase, out var list) ? list : phases[phase] = []).Add(value);
        }
    }
});
listener.Start();

// A vocabulary with a Zipf-like use: a few words everywhere, most words rare (as in real reports).
var vocabularyRng = new Random(22);
string[] real = ["migración", "refugiados", "salud", "educación", "protección", "integración", "vivienda", "empleo", "frontera", "niños",
    "health", "shelter", "education", "protection", "integration", "border", "children", "work", "water", "food",
    "saúde", "abrigo", "interiorização", "trabalho", "proteção", "famia", "trabou", "skol", "salú", "bisiña"];
var syllables = "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu".Split(' ');
var vocabulary = real.Concat(Enumerable.Range(0, 20_000).Select(_ => string.Concat(Enumerable.Range(0, vocabularyRng.Next(2, 5)).Select(_ => syllables[vocabularyRng.Next(syllables.Length)])))).Distinct().ToArray();
string[] languages = ["en", "es", "pt", "pap"];

// The rows, generated the same way for each store (same seed): kinds interleaved, as a library grows.
IEnumerable<SearchEntry> Rows()
{
    var rng = new Random(7);
    string Word() => vocabulary[(int)Math.Min(vocabulary.Length - 1, Math.Floor(Math.Pow(rng.NextDouble(), 3) * vocabulary.Length))];
    string Text(int chars)
    {
        var sb = new StringBuilder(chars + 16);
        while (sb.Length < chars)
        {
            sb.Append(Word()).Append(rng.Next(12) == 0 ? ". " : " ");
        }
        return sb.ToString();
    }
    int v = 0, d = 0, p = 0;
    for (var i = 0; i < total; i++)
    {
        var pick = rng.Next(total - i);
        if (pick < versions - v)
        {
            yield return Entry("content", v, "story", $"{Word()} {Word()} {Word()}", Text(3000));
            v++;
        }
        else if (pick < versions - v + documents - d)
        {
            yield return Entry("document", d, "document", $"{Word()} {Word()} report", Text(DocumentChars));
            d++;
        }
        else
        {
            yield return Entry("thread", p / 10, "forum", $"{Word()} {Word()}", Text(400));
            p++;
        }
    }
}
SearchEntry Entry(string source, int key, string kind, string title, string text) => new()
{
    Source = source, SourceKey = key.ToString(CultureInfo.InvariantCulture), Group = source + ":" + key.ToString(CultureInfo.InvariantCulture),
    Kind = kind, Language = languages[key % 4], Country = ",COL,", Year = 2020 + key % 7, Audience = SearchAudience.Public,
    Title = title, Url = "/{lang}/x", Text = text, Date = DateTimeOffset.UnixEpoch.AddDays(key),
};
// Queries: words of high, middle and low use; three-word queries of words that stand together in some rows.
var oneWord = Enumerable.Range(0, 50).Select(i => vocabulary[i % 3 == 0 ? i : i % 3 == 1 ? 200 + i * 5 : 2000 + i * 50]).ToArray();
var sampleRng = new Random(3);
// Prefixes as typed: the first four letters of words of every use (the last word of a query is matched as a prefix).
var prefixes = Enumerable.Range(0, 50).Select(i => vocabulary[i % 3 == 0 ? 1 + i : i % 3 == 1 ? 300 + i * 7 : 3000 + i * 40])
    .Select(w => SearchWords.Split(w).First().Folded).Where(w => w.Length >= 4).Select(w => w[..4]).Distinct().ToArray();
var threeWords = Rows().Take(2_000).Where((_, i) => i % 40 == 0)
    .Select(e => string.Join(' ', SearchWords.Split(e.Text[..Math.Min(e.Text.Length, 2_000)]).Skip(sampleRng.Next(50)).Take(3).Select(w => w.Folded))).ToArray();
const int SearchRounds = 2;

report.Add("# Search benchmark");
report.Add("");
report.Add($"Command: `dotnet run -c Release --project bench/Closer.Bench.Search {divisor} {stores}` (with `CLOSER_BENCH_POSTGRES` set to a PostgreSQL connection string whose user may create databases; divisor 1 = the budget's full size).");
report.Add("");
report.Add($"Run {TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC on {Environment.ProcessorCount} cores, load average (1 min) at the start {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown")} (ratios are measured in the same run, one query after the other).");
report.Add($"Data: {(divisor == 1 ? "**full size**" : $"scaled down by a factor of **{divisor}** from the budget's 10,000 content versions, 20,000 documents × 50 KB and 200,000 posts")}: "
    + $"{versions:N0} content versions (3 KB), {documents:N0} documents ({DocumentChars / 1024} KB of text each), {posts:N0} forum posts (400 B), "
    + $"{(versions * 3_000L + documents * (long)DocumentChars + posts * 400L) / 1_000_000:N0} MB of text in four languages' rows, kinds interleaved.");
report.Add("Rows are written straight into the tables (one transaction per store), not through the app's write path; the generation time includes making the text.");
report.Add($"Search = `SearchService.SearchAsync` as the page runs it (ranking in the database, at most {SearchService.MaxCandidates:N0} candidates scored, one result per item, passages of the 20 shown); "
    + $"{oneWord.Length} one-word, {threeWords.Length} three-word and {prefixes.Length} prefix (four letters) queries, each once to warm, then {SearchRounds} measured rounds. "
    + "LIKE = the old search's scan of a folded text column with every word as `'%word%'`, newest first, 200 rows, over the same texts, once per query after the warm-up.");
report.Add("");
report.Add("| store | query | search runs | search p50 | search p99 | LIKE runs | LIKE p50 | LIKE p99 | p99 ratio (LIKE / search) |");
report.Add("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");

// The file is rewritten after every row, so a run stopped at its time bound keeps what it measured.
var results = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "results", stores == "both" ? "search.md" : $"search-{stores}.md"));
async Task SaveAsync() => await File.WriteAllLinesAsync(results, breakdown.Count == 0 ? report : [.. report, "",
    "Where the measured searches' time went (`SearchMetrics`, mean / p99 in ms per query; the rest of a query's time is grouping and paging in memory):",
    "", "| store | query | rank (database) | texts of the results shown | passages | did you mean |", "| --- | --- | --- | --- | --- | --- |", .. breakdown]);
if (stores != "postgres")
{
    await RunAsync("SQLite", false);
}
if (stores != "sqlite" && postgres is not null)
{
    await RunAsync("PostgreSQL", true);
}
else if (stores != "sqlite")
{
    report.Add("| PostgreSQL | — | skipped: CLOSER_BENCH_POSTGRES not set | | | | | | |");
}
await SaveAsync();
Console.WriteLine(string.Join('\n', report));
// The generated SQLite file: about 150 MB at 1/20.
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
if (keep)
{
    Console.WriteLine($"kept: {work}");
}
else
{
    Directory.Delete(work, true);
}

async Task RunAsync(string name, bool onPostgres)
{
    string connection;
    string? database = null;
    var reuse = onPostgres ? reusePostgres : reuseSqlite;
    if (onPostgres && reuse is not null)
    {
        connection = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = reuse }.ToString();
    }
    else if (reuse is not null)
    {
        connection = $"Data Source={reuse}";
    }
    else if (onPostgres)
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
    try
    {
        await using var app = builder.Build();
        await DatabaseSetup.MigrateAsync(app.Services);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var sw = Stopwatch.StartNew();
        await db.Database.OpenConnectionAsync();
        var c = db.Database.GetDbConnection();
        if (reuse is null)
        {
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE \"LikeBaseline\" (\"Id\" bigint PRIMARY KEY, \"Folded\" text NOT NULL, \"Date\" bigint NOT NULL)");
            if (onPostgres)
            {
                await BulkPostgresAsync((Npgsql.NpgsqlConnection)c);
            }
            else
            {
                await BulkSqliteAsync(c);
            }
            var generated = sw.Elapsed;
            await db.Database.ExecuteSqlRawAsync(onPostgres ? "VACUUM ANALYZE" : "ANALYZE");
            Console.WriteLine($"{name}: wrote {total:N0} rows in {generated.TotalSeconds:N1} s (+ analyze {(sw.Elapsed - generated).TotalSeconds:N1} s)");
            report.Add($"| {name} | generating and indexing {total:N0} rows (one-off, bulk, plus the LIKE table) | | {generated.TotalSeconds:N0} s | | | | | |");
        }
        else
        {
            report.Add($"| {name} | reused the data of an earlier run (`{reuse}`) | | | | | | | |");
        }
        await SaveAsync();
        if (generateOnly)
        {
            // What was kept is said once, where every run says it (below and at the end).
            return;
        }
        var search = scope.ServiceProvider.GetRequiredService<SearchService>();
        foreach (var (label, queries) in new[] { ("one word", oneWord), ("three words", threeWords), ("prefix", prefixes) })
        {
            // Warm: every query once before measuring.
            foreach (var q in queries)
            {
                await search.SearchAsync(new SearchRequest(q), false, "en", default);
            }
            var s = new List<double>();
            var l = new List<double>();
            phases.Clear();
            for (var round = 0; round < SearchRounds; round++)
            {
                foreach (var q in queries)
                {
                    var t = Stopwatch.GetTimestamp();
                    measuring = true;
                    await search.SearchAsync(new SearchRequest(q), false, "en", default);
                    measuring = false;
                    s.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    if (round == 0 && (s.Count - 1) % likeEvery == 0)
                    {
                        t = Stopwatch.GetTimestamp();
                        await LikeAsync(c, q);
                        l.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    }
                }
            }
            report.Add($"| {name} | {label} | {s.Count} | {P(s, 50):N1} ms | {P(s, 99):N1} ms | {l.Count} | {P(l, 50):N1} ms | {P(l, 99):N1} ms | {P(l, 99) / P(s, 99):N1}× |");
            Console.WriteLine(report[^1]);
            string Phase(string phase) => phases.TryGetValue(phase, out var v) && v.Count > 0 ? $"{v.Average():N1} / {P(v, 99):N1}" : "—";
            breakdown.Add($"| {name} | {label} | {Phase(SearchMetrics.Rank)} | {Phase(SearchMetrics.Texts)} | {Phase(SearchMetrics.Passages)} | {Phase(SearchMetrics.Suggest)} |");
            Console.WriteLine(breakdown[^1]);
            await SaveAsync();
        }
        await db.Database.CloseConnectionAsync();
    }
    finally
    {
        if (database is not null && keep)
        {
            Console.WriteLine($"kept: database {database}");
        }
        else if (database is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var conn = new Npgsql.NpgsqlConnection(postgres);
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}

// SQLite: the rows, their FTS5 rows in the full and the compact ranking index (stems, as SearchIndexer writes them) and the LIKE column, prepared statements in one transaction.
async Task BulkSqliteAsync(System.Data.Common.DbConnection c)
{
    await using var tx = await c.BeginTransactionAsync();
    await using var entry = Command(c, tx, """
        INSERT INTO "SearchEntries" ("Id", "Source", "SourceKey", "Group", "Kind", "Language", "Country", "Year", "Audience", "Title", "Url", "Text", "Date")
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12)
        """, 13);
    await using var fts = Command(c, tx, "INSERT INTO \"SearchFts\" (rowid, \"Title\", \"Body\") VALUES (@p0, @p1, @p2)", 3);
    await using var rank = Command(c, tx, "INSERT INTO \"SearchRankFts\" (rowid, \"Title\", \"Body\") VALUES (@p0, @p1, @p2)", 3);
    await using var like = Command(c, tx, "INSERT INTO \"LikeBaseline\" VALUES (@p0, @p1, @p2)", 3);
    var id = 0L;
    foreach (var e in Rows())
    {
        id++;
        object[] values = [id, e.Source, e.SourceKey, e.Group, e.Kind, e.Language, e.Country!, e.Year, e.Audience, e.Title, e.Url, e.Text, e.Date.UtcTicks];
        for (var i = 0; i < values.Length; i++)
        {
            entry.Parameters[i].Value = values[i];
        }
        await entry.ExecuteNonQueryAsync();
        (fts.Parameters[0].Value, fts.Parameters[1].Value, fts.Parameters[2].Value) = (id, SearchWords.Stemmed(e.Title, e.Language), SearchWords.Stemmed(e.Text, e.Language));
        await fts.ExecuteNonQueryAsync();
        (rank.Parameters[0].Value, rank.Parameters[1].Value, rank.Parameters[2].Value) = (id, fts.Parameters[1].Value, SearchWords.Stemmed(SearchIndexer.RankHead(e.Text), e.Language));
        await rank.ExecuteNonQueryAsync();
        (like.Parameters[0].Value, like.Parameters[1].Value, like.Parameters[2].Value) = (id, SearchText.Fold(e.Title + " " + e.Text), e.Date.UtcTicks);
        await like.ExecuteNonQueryAsync();
    }
    await Terms(c, tx, "INSERT OR IGNORE INTO \"SearchTerms\" (\"Term\") VALUES (@p0)");
    // Merged into one b-tree, as a long-lived index is by FTS5's automatic merges.
    foreach (var table in new[] { "SearchFts", "SearchRankFts" })
    {
        await using var optimize = Command(c, tx, $"INSERT INTO \"{table}\" (\"{table}\") VALUES ('optimize')", 0);
        await optimize.ExecuteNonQueryAsync();
    }
    await tx.CommitAsync();
}

// PostgreSQL: COPY (the stored tsvector column and its GIN index are the server's work), in one transaction.
async Task BulkPostgresAsync(Npgsql.NpgsqlConnection c)
{
    await using var tx = await c.BeginTransactionAsync();
    await using (var entries = await c.BeginBinaryImportAsync("""
        COPY "SearchEntries" ("Id", "Source", "SourceKey", "Group", "Kind", "Language", "Country", "Year", "Audience", "Title", "Url", "Text", "Date") FROM STDIN (FORMAT BINARY)
        """))
    {
        var id = 0L;
        foreach (var e in Rows())
        {
            id++;
            await entries.StartRowAsync();
            await entries.WriteAsync(id, NpgsqlDbType.Bigint);
            foreach (var s in new[] { e.Source, e.SourceKey, e.Group, e.Kind, e.Language, e.Country! })
            {
                await entries.WriteAsync(s, NpgsqlDbType.Text);
            }
            await entries.WriteAsync(e.Year, NpgsqlDbType.Integer);
            foreach (var s in new[] { e.Audience, e.Title, e.Url, e.Text })
            {
                await entries.WriteAsync(s, NpgsqlDbType.Text);
            }
            await entries.WriteAsync(e.Date, NpgsqlDbType.TimestampTz);
        }
        await entries.CompleteAsync();
    }
    await using (var like = await c.BeginBinaryImportAsync("COPY \"LikeBaseline\" (\"Id\", \"Folded\", \"Date\") FROM STDIN (FORMAT BINARY)"))
    {
        var id = 0L;
        foreach (var e in Rows())
        {
            await like.WriteRowAsync(default, ++id, SearchText.Fold(e.Title + " " + e.Text), e.Date.UtcTicks);
        }
        await like.CompleteAsync();
    }
    await using (var sequence = Command(c, tx, "SELECT setval(pg_get_serial_sequence('\"SearchEntries\"', 'Id'), (SELECT max(\"Id\") FROM \"SearchEntries\"))", 0))
    {
        await sequence.ExecuteScalarAsync();
    }
    await Terms(c, tx, "INSERT INTO \"SearchTerms\" (\"Term\") VALUES (@p0) ON CONFLICT DO NOTHING");
    await tx.CommitAsync();
}

// The vocabulary for "did you mean" (folded words of 3 to 30 letters, as the indexer keeps them).
async Task Terms(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string sql)
{
    await using var term = Command(c, tx, sql, 1);
    foreach (var w in vocabulary.SelectMany(v => SearchWords.Split(v)).Select(w => w.Folded).Where(w => w.Length is >= 3 and <= 30).Distinct())
    {
        term.Parameters[0].Value = w;
        await term.ExecuteNonQueryAsync();
    }
}

static System.Data.Common.DbCommand Command(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string sql, int parameters)
{
    var command = c.CreateCommand();
    command.Transaction = tx;
    command.CommandText = sql;
    for (var i = 0; i < parameters; i++)
    {
        var p = command.CreateParameter();
        p.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
        command.Parameters.Add(p);
    }
    return command;
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
