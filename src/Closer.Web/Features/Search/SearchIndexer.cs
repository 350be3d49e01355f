using System.Data.Common;
using System.Globalization;

namespace Closer.Web.Features.Search;

/// <summary>
/// Replaces the index rows of some sources with what their sources show now, on the caller's connection and
/// transaction. On SQLite each row also goes into the FTS5 table (title and text as stems, rowid = the row's id); on
/// PostgreSQL the row's <c>tsvector</c> is a generated column, so inserting the row indexes it. New words go into the
/// vocabulary for "did you mean".
/// </summary>
public static class SearchIndexer
{
    private const int Batch = 400;

    /// <summary>
    /// Characters of a row's text (after its title) that rank it: the compact ranking index (<c>SearchRankFts</c> on
    /// SQLite, <c>RankTsv</c> on PostgreSQL — whose generated column repeats this number) holds the title and this head
    /// of the text, the full index only decides what matches. Scoring then reads a few kilobytes per candidate whatever
    /// the length of a document.
    /// </summary>
    public const int RankChars = 2000;

    /// <summary>
    /// The head of a text that ranks it: its first <see cref="RankChars"/> characters without a word cut at the end (as
    /// PostgreSQL's <c>regexp_replace(left("Text", 2001), '\S*$', '')</c> for a longer text), so the head holds no word the text lacks.
    /// </summary>
    public static string RankHead(string text)
    {
        if (text.Length <= RankChars)
        {
            return text;
        }
        var end = RankChars + 1;
        while (end > 0 && !char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }
        return text[..end];
    }

    public static async Task RefreshAsync(DbConnection connection, DbTransaction? transaction, bool postgres, IEnumerable<SearchSource> sources,
        int postsPerPage, CancellationToken ct)
    {
        var byKind = sources.Distinct().GroupBy(s => s.Kind, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(s => s.Key).ToList(), StringComparer.Ordinal);
        if (byKind.Remove(SearchSource.Space, out var spaces))
        {
            var threads = new List<string>();
            foreach (var chunk in spaces.Chunk(Batch))
            {
                threads.AddRange(await SearchSources.ThreadsOfSpacesAsync(connection, transaction, chunk, ct));
            }
            byKind[SearchSource.Thread] = [.. byKind.GetValueOrDefault(SearchSource.Thread, []).Concat(threads).Distinct(StringComparer.Ordinal)];
        }
        foreach (var (kind, keys) in byKind)
        {
            foreach (var chunk in keys.Chunk(Batch))
            {
                await DeleteAsync(connection, transaction, postgres, kind, chunk, ct);
                var entries = await SearchSources.ReadAsync(connection, transaction, kind, chunk, postsPerPage, ct);
                await InsertAsync(connection, transaction, postgres, entries, ct);
            }
        }
    }

    private static async Task DeleteAsync(DbConnection connection, DbTransaction? transaction, bool postgres, string kind, IReadOnlyList<string> keys, CancellationToken ct)
    {
        var list = string.Join(", ", keys.Select((_, i) => "@p" + (i + 1).ToString(CultureInfo.InvariantCulture)));
        // A thread's rows are its posts' rows (posts are never deleted, only marked, so they are all still there).
        var where = kind == SearchSource.Thread
            ? $"\"Source\" = @p0 AND \"SourceKey\" IN (SELECT CAST(p.\"Id\" AS TEXT) FROM \"ForumPosts\" p WHERE p.\"ThreadId\" IN ({list}))"
            : $"\"Source\" = @p0 AND \"SourceKey\" IN ({list})";
        IEnumerable<object> keyValues = kind == SearchSource.Thread ? keys.Select(k => (object)long.Parse(k, CultureInfo.InvariantCulture)) : keys;
        object[] values = [kind == SearchSource.Thread ? SearchSource.Post : kind, .. keyValues];
        if (!postgres)
        {
            foreach (var table in new[] { "SearchFts", "SearchRankFts" })
            {
                await using var fts = SearchSources.Command(connection, transaction,
                    $"DELETE FROM \"{table}\" WHERE rowid IN (SELECT \"Id\" FROM \"SearchEntries\" WHERE {where})", values);
                await fts.ExecuteNonQueryAsync(ct);
            }
        }
        await using var command = SearchSources.Command(connection, transaction, $"DELETE FROM \"SearchEntries\" WHERE {where}", values);
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task InsertAsync(DbConnection connection, DbTransaction? transaction, bool postgres, IReadOnlyList<SearchEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return;
        }
        const string insert = """
            INSERT INTO "SearchEntries" ("Source", "SourceKey", "Group", "Kind", "Language", "Country", "Year", "Audience", "VisibleFrom", "Title", "TitleLanguage", "Url", "Text", "Date")
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13) RETURNING "Id"
            """;
        await using var command = SearchSources.Command(connection, transaction, insert, new object?[14]);
        await using var fts = postgres ? null : SearchSources.Command(connection, transaction,
            "INSERT INTO \"SearchFts\" (rowid, \"Title\", \"Body\") VALUES (@p0, @p1, @p2)", new object?[3]);
        await using var rank = postgres ? null : SearchSources.Command(connection, transaction,
            "INSERT INTO \"SearchRankFts\" (rowid, \"Title\", \"Body\") VALUES (@p0, @p1, @p2)", new object?[3]);
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            object?[] values = [e.Source, e.SourceKey, e.Group, e.Kind, e.Language, e.Country, e.Year, e.Audience,
                Stored(e.VisibleFrom, postgres), e.Title, e.TitleLanguage, e.Url, e.Text.Replace('\0', ' '), Stored(e.Date, postgres)];
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }
            var id = Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            if (fts is not null)
            {
                fts.Parameters[0].Value = id;
                fts.Parameters[1].Value = SearchWords.Stemmed(e.Title, e.Language);
                fts.Parameters[2].Value = SearchWords.Stemmed(e.Text, e.Language);
                await fts.ExecuteNonQueryAsync(ct);
                rank!.Parameters[0].Value = id;
                rank.Parameters[1].Value = fts.Parameters[1].Value;
                rank.Parameters[2].Value = SearchWords.Stemmed(RankHead(e.Text), e.Language);
                await rank.ExecuteNonQueryAsync(ct);
            }
            foreach (var w in SearchWords.Split(e.Title).Concat(SearchWords.Split(e.Text)))
            {
                if (w.Length is >= 3 and <= 30 && w.Folded.All(char.IsLetter))
                {
                    words.Add(w.Folded);
                }
            }
        }
        await AddTermsAsync(connection, transaction, postgres, words, ct);
    }

    private static async Task AddTermsAsync(DbConnection connection, DbTransaction? transaction, bool postgres, IReadOnlyCollection<string> words, CancellationToken ct)
    {
        foreach (var chunk in words.Order(StringComparer.Ordinal).Chunk(200))
        {
            var values = string.Join(", ", chunk.Select((_, i) => "(@p" + i.ToString(CultureInfo.InvariantCulture) + ")"));
            var sql = postgres
                ? $"INSERT INTO \"SearchTerms\" (\"Term\") VALUES {values} ON CONFLICT DO NOTHING"
                : $"INSERT OR IGNORE INTO \"SearchTerms\" (\"Term\") VALUES {values}";
            await using var command = SearchSources.Command(connection, transaction, sql, chunk);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>A date as the provider stores it (UTC ticks on SQLite, see the SQLite context's converter).</summary>
    private static object? Stored(DateTimeOffset? value, bool postgres) =>
        value is not { } v ? null : postgres ? v.ToUniversalTime() : v.UtcTicks;

    /// <summary>Every source there is, for a rebuild (an existing database's first start with search).</summary>
    public static async Task<List<SearchSource>> AllSourcesAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        var sources = new List<SearchSource>();
        foreach (var (kind, sql) in new[]
        {
            (SearchSource.Content, "SELECT \"Id\" FROM \"CampaignItems\" WHERE \"DeletedAt\" IS NULL"),
            (SearchSource.Country, "SELECT \"Iso3\" FROM \"Countries\""),
            (SearchSource.Document, "SELECT \"Id\" FROM \"Documents\" WHERE \"DeletedAt\" IS NULL"),
            (SearchSource.Thread, "SELECT \"Id\" FROM \"ForumThreads\""),
        })
        {
            await using var command = SearchSources.Command(connection, transaction, sql, []);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                sources.Add(new SearchSource(kind, Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!.Trim()));
            }
        }
        return sources;
    }
}
