using Closer.Web.Features.Search;
using Microsoft.Data.Sqlite;

namespace Closer.Tests.Features.Search;

/// <summary>The FTS5 function registered through SQLite's C API, and the BM25 computed from what it returns.</summary>
public sealed class SearchScoringTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "closer-fts5-" + Guid.NewGuid().ToString("N") + ".db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection($"Data Source={_file};Pooling=True");
        c.Open();
        return c;
    }

    private static List<(long Id, long[]? Figures)> Hits(SqliteConnection c, string match)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT rowid, {Fts5Hits.FunctionName}(t) FROM t WHERE t MATCH $m ORDER BY rowid";
        cmd.Parameters.AddWithValue("$m", match);
        using var r = cmd.ExecuteReader();
        var rows = new List<(long, long[]?)>();
        while (r.Read())
        {
            long[]? values = null;
            if (!r.IsDBNull(1))
            {
                var blob = (byte[])r.GetValue(1);
                values = new long[blob.Length / sizeof(long)];
                Buffer.BlockCopy(blob, 0, values, 0, blob.Length);
            }
            rows.Add((r.GetInt64(0), values));
        }
        return rows;
    }

    [Fact]
    public void TheFunction_CountsEachPhrasesHitsPerColumn_WithTheRowsAndTablesSizes()
    {
        using (var c = Open())
        {
            using var create = c.CreateCommand();
            create.CommandText = """
                CREATE VIRTUAL TABLE t USING fts5("Title", "Body", content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
                INSERT INTO t (rowid, "Title", "Body") VALUES (1, 'water point', 'water water and food'), (2, 'food', 'no water here at all'), (3, 'other', 'nothing');
                """;
            create.ExecuteNonQuery();
            Fts5Hits.EnsureRegistered(c);
            // Twice on the same native connection: registered once (a second registration would stack up in FTS5's list).
            Fts5Hits.EnsureRegistered(c);
            var rows = Hits(c, "water OR food");
            Assert.Equal(new long[] { 1, 2 }, rows.Select(r => r.Id));
            // Header: rows in the table, tokens per column over the table, the row's tokens per column; then per phrase
            // (water, food) its hits in title and text.
            Assert.Equal(new long[] { 3, 2 + 1 + 1, 4 + 5 + 1, 2, 4, 1, 2, 0, 1 }, rows[0].Figures!);
            Assert.Equal(new long[] { 3, 4, 10, 1, 5, 0, 1, 1, 0 }, rows[1].Figures!);
        }
        // A pooled connection comes back with the function; without registering, a fresh native connection has none.
        using (var again = Open())
        {
            Assert.Equal(2, Hits(again, "water").Count);
        }
        SqliteConnection.ClearAllPools();
        using (var fresh = Open())
        {
            Assert.Throws<SqliteException>(() => Hits(fresh, "water"));
            Fts5Hits.EnsureRegistered(fresh);
            Assert.Equal(2, Hits(fresh, "water").Count);
        }
    }

    private static byte[] Blob(long rows, long titleTotal, long bodyTotal, long title, long body, params long[] phraseHits)
    {
        long[] values = [rows, titleTotal, bodyTotal, title, body, .. phraseHits];
        var blob = new byte[values.Length * sizeof(long)];
        Buffer.BlockCopy(values, 0, blob, 0, blob.Length);
        return blob;
    }

    [Fact]
    public void Bm25_WeighsTitlesFiveTimes_RarerPhrasesMore_ShorterRowsMore_AndNoHitsNothing()
    {
        // Two phrases; 100 rows of 3 + 47 tokens on average.
        var scores = SearchScoring.Score([
            Blob(100, 300, 4700, 3, 47, 1, 0, 0, 0), // the common phrase in the title
            Blob(100, 300, 4700, 3, 47, 0, 1, 0, 0), // the common phrase in the text
            Blob(100, 300, 4700, 3, 47, 0, 0, 0, 1), // the rare phrase in the text
            Blob(100, 300, 4700, 3, 200, 0, 1, 0, 0), // the common phrase in a long text
            Blob(100, 300, 4700, 3, 47, 0, 1, 0, 0), // common phrase again (so it is in 4 of 6 rows, the rare one in 1)
            null,
        ], 1.0);
        Assert.True(scores[0] > scores[1], "a title hit outranks a text hit");
        Assert.True(scores[2] > scores[1], "a rarer phrase weighs more");
        Assert.True(scores[1] > scores[3], "a shorter text ranks a hit higher");
        Assert.Equal(0, scores[5]);
        // FTS5's formula: idf × f(k1+1) / (f + k1(1 − b + b·D/avgdl)); for the text hit f = 1, D = avgdl = 50, idf of 4 in 100.
        var idf = Math.Log((100 - 4 + 0.5) / (4 + 0.5));
        Assert.Equal(idf * 2.2 / (1 + 1.2), scores[1], 9);
        // Estimated over a window of a tenth of the table: 10 rows, the common phrase in 4 of them weighs less.
        var windowed = SearchScoring.Score([Blob(100, 300, 4700, 3, 47, 0, 1, 0, 0), Blob(100, 300, 4700, 3, 47, 0, 1, 0, 0),
            Blob(100, 300, 4700, 3, 47, 0, 1, 0, 0), Blob(100, 300, 4700, 3, 47, 0, 1, 0, 0)], 0.1);
        Assert.Equal(Math.Log((10 - 4 + 0.5) / (4 + 0.5)) * 2.2 / 2.2, windowed[0], 9);
    }

    [Theory]
    [InlineData(800, 2000, 201, 754)] // a common word: a small window, never a wide range tested row by row
    [InlineData(16, 2048, 985, 189_120)] // a rarer one: a wide, selective window
    [InlineData(1, 1024, 1000, 1_536_000)] // very rare: past the first id of most libraries, so the rest is read
    public void TheNextWindow_IsSizedFromTheDensitySeen(int found, long seen, int needed, long expected) =>
        Assert.Equal(expected, PostgresCandidates.NextWindow(found, seen, needed));
}
