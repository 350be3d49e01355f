using System.Data.Common;
using System.Globalization;

namespace Closer.Web.Features.Search;

/// <summary>
/// The newest <see cref="SearchService.MaxCandidates"/> + 1 visible matches on PostgreSQL, in windows of ids. The GIN
/// index yields every matching row's address in no useful order and each one is read from the heap to filter and sort
/// it: for a word in a tenth of the rows of the benchmark's full-size library, 24,000 heap visits and 170 ms. Inside a
/// window of ids only its matches are read.
/// <list type="number">
/// <item>The newest <see cref="FirstWindow"/> ids, which the planner tests row by row, on the small head vector first: a
/// common word fills the candidates from it, whatever the library's size.</item>
/// <item>Otherwise the next window is sized from the density seen (the ids needed ÷ matches per id so far, with half
/// again as margin), which the planner answers with the GIN lookups AND-ed with the primary key's range (for that word
/// 1,717 rows and 24 ms). A common word's window stays small, so it is never a wide range tested row by row (which reads
/// every document's full vector); a rare word's window is wide and selective.</item>
/// <item>When nothing matched yet, or the window reaches the first id: one GIN lookup over the rest, the primary key kept
/// out (the planner, over-estimating a word's matches, would test a wide range row by row, reading full vectors).</item>
/// </list>
/// Trying a first window on the head vector alone was measured and dropped: a word rare in heads but frequent in long
/// texts then went straight to the lookup over the rest (2 s for one word on the full-size data).
/// </summary>
public static class PostgresCandidates
{
    /// <summary>Ids of the first window: twice the candidates (a word in most rows fills them from it).</summary>
    public const long FirstWindow = 2 * SearchService.MaxCandidates;

    /// <summary>
    /// <paramref name="sql"/> takes its window as its last two parameters (<c>lo &lt; Id &lt;= hi</c>), and
    /// <c>/*pk*/</c> where "+ 0 " keeps the primary key out of the rest's lookup. <paramref name="top"/>: the newest id
    /// (<see cref="TopAsync"/>).
    /// </summary>
    public static async Task<List<long>> FindAsync(DbConnection connection, DbTransaction? transaction, string sql, List<object?> values,
        long top, CancellationToken ct)
    {
        const int wanted = SearchService.MaxCandidates + 1;
        var parameters = values.Take(values.Count - 1).ToArray();
        var ids = new List<long>();
        var hi = top;
        var lo = Math.Max(0, top - FirstWindow);
        while (hi > 0 && ids.Count < wanted)
        {
            var rest = lo == 0 && hi != top;
            ids.AddRange(await ReadAsync(connection, transaction, rest ? sql.Replace("/*pk*/", "+ 0 ", StringComparison.Ordinal) : sql, parameters, lo, hi,
                wanted - ids.Count, ct));
            hi = lo;
            lo = ids.Count == 0 ? 0 : Math.Max(0, hi - NextWindow(ids.Count, top - hi, wanted - ids.Count));
        }
        return ids;
    }

    private static async Task<List<long>> ReadAsync(DbConnection connection, DbTransaction? transaction, string sql, object?[] parameters, long lo, long hi,
        int limit, CancellationToken ct)
    {
        parameters[^2] = lo;
        parameters[^1] = hi;
        var ids = new List<long>();
        await using var command = SearchSources.Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (ids.Count < limit && await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    /// <summary>
    /// The newest id, read before the search's <c>SET LOCAL enable_indexscan = off</c>: without index scans max() reads the
    /// whole table (218 ms on the benchmark's full-size data, against a fraction of a millisecond).
    /// </summary>
    public static async Task<long> TopAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        await using var max = SearchSources.Command(connection, transaction, "SELECT coalesce(max(\"Id\"), 0) FROM \"SearchEntries\"", []);
        return Convert.ToInt64(await max.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>Ids to read next for <paramref name="needed"/> more matches, after <paramref name="found"/> in <paramref name="seen"/> ids.</summary>
    public static long NextWindow(int found, long seen, int needed)
    {
        var density = found / (double)Math.Max(1, seen);
        return (long)Math.Min(long.MaxValue / 2, Math.Ceiling(needed / density * 1.5));
    }
}
