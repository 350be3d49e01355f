namespace Closer.Web.Features.Search;

/// <summary>
/// BM25 on SQLite from <see cref="Fts5Hits"/>' figures, as FTS5's <c>bm25()</c> computes it (k1 1.2, b 0.75, the columns'
/// weights multiplying each hit, the row's length against the table's average) but with each phrase's IDF estimated over
/// the rows being ranked instead of counted over the whole table: among the candidates, which are every match when a
/// query has fewer than <see cref="SearchService.MaxCandidates"/>, else the newest ones, out of the rows of the same id
/// range. For a query of one word (in its forms) the estimate is exact when not capped; for several words it counts rows
/// holding all of them, which weighs each word a little more than a count over the whole table would. Ranking only
/// compares rows of the same query, so what matters is that a rarer form weighs more and a title hit five times a text one.
/// </summary>
public static class SearchScoring
{
    private const double K1 = 1.2, B = 0.75;

    /// <summary>Column weights: title, text (as <c>bm25(t, 5.0, 1.0)</c> did).</summary>
    private static readonly double[] Weights = [5.0, 1.0];

    /// <summary>
    /// Scores for each row's figures (null: the row matched the full index but not the compact one, score 0), higher is
    /// better. <paramref name="windowShare"/>: the share of the table's ids the candidates were taken from (1 when every
    /// match is a candidate), which scales the table's row count to the rows the phrases were counted among.
    /// </summary>
    public static double[] Score(IReadOnlyList<byte[]?> figures, double windowShare)
    {
        var scores = new double[figures.Count];
        var first = figures.FirstOrDefault(f => f is { Length: >= Fts5Hits.Header * sizeof(long) });
        if (first is null)
        {
            return scores;
        }
        var head = Longs(first);
        double rows = Math.Max(1, head[0]);
        double total = 0;
        for (var c = 0; c < Fts5Hits.Columns; c++)
        {
            total += head[1 + c];
        }
        var averageLength = Math.Max(1.0, total / rows);
        var phrases = (head.Length - Fts5Hits.Header) / Fts5Hits.Columns;
        // Rows holding each phrase, among the rows ranked.
        var holding = new int[phrases];
        var parsed = new long[figures.Count][];
        for (var i = 0; i < figures.Count; i++)
        {
            if (figures[i] is not { } blob || blob.Length != head.Length * sizeof(long))
            {
                continue;
            }
            var row = parsed[i] = Longs(blob);
            for (var p = 0; p < phrases; p++)
            {
                for (var c = 0; c < Fts5Hits.Columns; c++)
                {
                    if (row[Fts5Hits.Header + p * Fts5Hits.Columns + c] > 0)
                    {
                        holding[p]++;
                        break;
                    }
                }
            }
        }
        var ranked = Math.Max(1.0, rows * Math.Clamp(windowShare, 0, 1));
        var idf = new double[phrases];
        for (var p = 0; p < phrases; p++)
        {
            var n = Math.Min(holding[p], ranked);
            var value = Math.Log((ranked - n + 0.5) / (n + 0.5));
            idf[p] = value <= 0 ? 1e-6 : value;
        }
        for (var i = 0; i < parsed.Length; i++)
        {
            if (parsed[i] is not { } row)
            {
                continue;
            }
            double length = 0;
            for (var c = 0; c < Fts5Hits.Columns; c++)
            {
                length += row[1 + Fts5Hits.Columns + c];
            }
            var score = 0.0;
            for (var p = 0; p < phrases; p++)
            {
                var frequency = 0.0;
                for (var c = 0; c < Fts5Hits.Columns; c++)
                {
                    frequency += Weights[c] * row[Fts5Hits.Header + p * Fts5Hits.Columns + c];
                }
                if (frequency > 0)
                {
                    score += idf[p] * frequency * (K1 + 1) / (frequency + K1 * (1 - B + B * length / averageLength));
                }
            }
            scores[i] = score;
        }
        return scores;
    }

    private static long[] Longs(byte[] blob)
    {
        var values = new long[blob.Length / sizeof(long)];
        Buffer.BlockCopy(blob, 0, values, 0, values.Length * sizeof(long));
        return values;
    }
}
