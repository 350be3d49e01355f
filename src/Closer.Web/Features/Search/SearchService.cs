using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Closer.Web.Features.Search;

/// <summary>What a reader asks: the query and the filters (all optional but the query).</summary>
public sealed record SearchRequest(string? Q, string? Kind = null, string? Country = null, string? Language = null, int? Year = null, int Page = 1,
    int PageSize = SearchService.PageSize);

/// <summary>One result: the best-ranked visible version of an item, with the passage that matched.</summary>
public sealed record SearchHit(string Kind, string Title, string Url, string Language, IReadOnlyList<string> Countries, int? Year,
    IReadOnlyList<PassagePart> Passage, double Score, string TitleLanguage);

/// <summary>A matching source (e.g. a document's id) with the index row that ranked best for the reader and its score.</summary>
public sealed record RankedSource(string Key, long EntryId, double Score);

/// <summary>
/// The results of a query. <paramref name="Capped"/>: more than <see cref="SearchService.MaxCandidates"/> rows matched, so
/// only that many were ranked and <paramref name="Total"/> counts the results among them (the page says "1,000+").
/// </summary>
public sealed record SearchResults(string Query, IReadOnlyList<SearchHit> Hits, int Total, int Page, int PageCount, string? DidYouMean, bool Capped = false);

/// <summary>
/// Ranked full-text search over the index: FTS5 with BM25 (<see cref="SearchScoring"/>) on SQLite, <c>tsvector</c> with ts_rank() on
/// PostgreSQL. Every row a reader may not see is filtered in the query (audience, scheduled versions), results are
/// grouped per item (one campaign item in four languages is one result, in the reader's language when it matched), and
/// a query without results gets a "did you mean" built from the vocabulary, shown only when it finds something.
/// </summary>
public sealed class SearchService(CloserDbContext db, TimeProvider time)
{
    public const int PageSize = 20;
    /// <summary>Rows ranked per query; results past this are not paged to (a reader refines instead).</summary>
    public const int MaxRows = 400;
    /// <summary>
    /// Matching rows scored per query. Scoring reads each match's hits in the compact index (BM25) or its head's tsvector (ts_rank),
    /// so a common word over a large library would cost time in proportion to the library; past this many matches the
    /// most recently indexed ones are scored, which bounds the work of every query.
    /// </summary>
    public const int MaxCandidates = 1000;

    public static readonly IReadOnlyList<string> Kinds = ["story", "fact", "video", "press", "page", "country", "document", "forum"];

    /// <summary>
    /// The text's relevance is multiplied by its kind's weight (1 for a kind not listed): at equal relevance the checked,
    /// published word of the organizations (a story, a fact, a document) comes before a forum post, which anyone signed
    /// in may write.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, double> KindWeights = new Dictionary<string, double>(StringComparer.Ordinal) { ["forum"] = 0.8 };

    // Built from the constants above (no input), once.
    private static readonly string KindWeightSql = "(CASE e.\"Kind\" "
        + string.Concat(KindWeights.Select(k => $"WHEN '{k.Key}' THEN {k.Value.ToString("0.0##", CultureInfo.InvariantCulture)} "))
        + "ELSE 1.0 END)";

    private bool Postgres => db.Database.IsNpgsql();

    public async Task<SearchResults> SearchAsync(SearchRequest request, bool partner, string readerLanguage, CancellationToken ct)
    {
        var query = SearchQuery.Parse(request.Q);
        var results = await RunAsync(query, request, partner, readerLanguage, ct);
        if (results.Total == 0 && !query.IsEmpty)
        {
            var started = Stopwatch.GetTimestamp();
            var suggestion = await SuggestAsync(query, request, partner, ct);
            SearchMetrics.Record(SearchMetrics.Suggest, started);
            results = results with { DidYouMean = suggestion };
        }
        return results;
    }

    private async Task<SearchResults> RunAsync(SearchQuery query, SearchRequest request, bool partner, string readerLanguage, CancellationToken ct)
    {
        if (query.IsEmpty)
        {
            return new SearchResults("", [], 0, 1, 1, null);
        }
        var started = Stopwatch.GetTimestamp();
        var (rows, capped) = await RankAsync(query, request, partner, MaxRows, ct);
        SearchMetrics.Record(SearchMetrics.Rank, started);
        var groups = PerItem(rows, readerLanguage);
        var size = Math.Max(1, request.PageSize);
        var pageCount = Math.Max(1, (groups.Count + size - 1) / size);
        var page = Math.Clamp(request.Page, 1, pageCount);
        var shown = groups.Skip((page - 1) * size).Take(size).ToList();
        var ids = shown.Select(s => s.Row.Id).ToList();
        started = Stopwatch.GetTimestamp();
        // The texts and title languages of the 20 shown only: on SQLite both columns lie after the text in the row, which
        // a 50 KB document keeps in overflow pages; reading them for every ranked row cost half the ranking query.
        var texts = await db.SearchEntries.AsNoTracking().Where(e => ids.Contains(e.Id)).Select(e => new { e.Id, e.Text, e.TitleLanguage })
            .ToDictionaryAsync(e => e.Id, ct);
        SearchMetrics.Record(SearchMetrics.Texts, started);
        started = Stopwatch.GetTimestamp();
        var hits = shown.Select(s =>
        {
            var stored = texts.GetValueOrDefault(s.Row.Id);
            return new SearchHit(s.Row.Kind, s.Row.Title, s.Row.Url.Replace("{lang}", readerLanguage, StringComparison.Ordinal), s.Row.Language,
                (s.Row.Country ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries), s.Row.Year > 0 ? s.Row.Year : null,
                SearchPassages.Build(stored?.Text ?? "", query, s.Row.Language), Math.Round(s.Score, 4), stored?.TitleLanguage ?? s.Row.Language);
        }).ToList();
        SearchMetrics.Record(SearchMetrics.Passages, started);
        return new SearchResults(query.Display, hits, groups.Count, page, pageCount, null, capped);
    }

    /// <summary>
    /// The sources of one kind that match the query, best first (one per item, its row in the reader's language when that
    /// one matched), for a list page that keeps its own filters and order of columns but must not scan text itself (the
    /// document library): the same index, ranking and visibility rules as the site search.
    /// </summary>
    public async Task<IReadOnlyList<RankedSource>> RankSourcesAsync(string? q, string kind, bool partner, string readerLanguage, int limit,
        CancellationToken ct)
    {
        var query = SearchQuery.Parse(q);
        if (query.IsEmpty)
        {
            return [];
        }
        return PerItem((await RankAsync(query, new SearchRequest(q, kind), partner, limit, ct)).Rows, readerLanguage)
            .Select(g => new RankedSource(g.Row.Group[(g.Row.Group.IndexOf(':', StringComparison.Ordinal) + 1)..], g.Row.Id, g.Score))
            .ToList();
    }

    /// <summary>The passage that matched in each of the given index rows (<see cref="RankedSource.EntryId"/>).</summary>
    public async Task<Dictionary<long, IReadOnlyList<PassagePart>>> PassagesAsync(IReadOnlyCollection<long> entryIds, string? q, CancellationToken ct)
    {
        var query = SearchQuery.Parse(q);
        var rows = await db.SearchEntries.AsNoTracking().Where(e => entryIds.Contains(e.Id)).Select(e => new { e.Id, e.Text, e.Language }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r => (IReadOnlyList<PassagePart>)SearchPassages.Build(r.Text, query, r.Language));
    }

    /// <summary>One result per item, best first: the best rank of its rows; the row shown is in the reader's language when that one matched.</summary>
    private static List<(double Score, Row Row)> PerItem(List<Row> rows, string readerLanguage)
    {
        var chain = Languages.FallbackChain(readerLanguage);
        return rows.GroupBy(r => r.Group, StringComparer.Ordinal)
            .Select(g => (Score: g.Max(r => r.Score), Row: g.OrderBy(r => Rank(chain, r.Language)).ThenByDescending(r => r.Score).First()))
            .OrderByDescending(g => g.Score).ThenByDescending(g => g.Row.Id).ToList();
    }

    private static int Rank(IReadOnlyList<string> chain, string language)
    {
        for (var i = 0; i < chain.Count; i++)
        {
            if (chain[i] == language)
            {
                return i;
            }
        }
        return chain.Count;
    }

    /// <summary>A ranked row (the columns that precede the text in the row, see <see cref="RunAsync"/>); ties go to the newest indexed.</summary>
    private sealed record Row(long Id, string Group, string Kind, string Language, string? Country, int Year, string Title, string Url, double Score);

    /// <summary>The best rows, and whether more than <see cref="MaxCandidates"/> matched (only the candidates were ranked).</summary>
    private async Task<(List<Row> Rows, bool Capped)> RankAsync(SearchQuery query, SearchRequest request, bool partner, int limit, CancellationToken ct)
    {
        var values = new List<object?>();
        string P(object? value)
        {
            values.Add(value);
            return "@p" + (values.Count - 1).ToString(CultureInfo.InvariantCulture);
        }
        var now = time.GetUtcNow();
        var where = new List<string>
        {
            partner ? "e.\"Audience\" IN ('public', 'partners')" : "e.\"Audience\" = 'public'",
            $"(e.\"VisibleFrom\" IS NULL OR e.\"VisibleFrom\" <= {P(Postgres ? now : now.UtcTicks)})",
        };
        if (request.Kind is { } kind && Kinds.Contains(kind))
        {
            where.Add($"e.\"Kind\" = {P(kind)}");
        }
        if (request.Country is { Length: 3 } country && country.All(char.IsAsciiLetterUpper))
        {
            where.Add($"e.\"Country\" LIKE {P("%," + country + ",%")}");
        }
        if (Languages.IsSupported(request.Language))
        {
            where.Add($"e.\"Language\" = {P(request.Language)}");
        }
        if (request.Year is { } year and > 1900 and < 3000)
        {
            where.Add($"e.\"Year\" = {P(year)}");
        }
        string sql;
        // PostgreSQL: the candidates' ids first (PostgresCandidates), then one ranking statement over them.
        string? candidates = null, tsquery = null;
        if (Postgres)
        {
            // The query under each language's configuration (Snowball stems, unaccent), OR-ed: one GIN-indexed condition.
            var q = P(query.ToTsQuery());
            tsquery = $"(to_tsquery('closer_en', {q}) || to_tsquery('closer_es', {q}) || to_tsquery('closer_pt', {q}) || to_tsquery('closer_simple', {q}))";
            // The candidates come newest first, one window of ids at a time (@lo < Id <= @hi, the last two parameters;
            // /*pk*/ becomes "+ 0 " for the rest, which keeps the primary key out of it: PostgresCandidates); only they are
            // scored, on the compact RankTsv (title and the head of the text). RankTsv's words are a subset of Tsv's (same
            // positions), so the OR finds the same rows; tested row by row (a window of a common word) it reads a document's
            // 64 KB Tsv only when the head does not match, and both vectors have GIN indexes.
            candidates = $"""
                SELECT e."Id" FROM "SearchEntries" e WHERE (e."RankTsv" @@ {tsquery} OR e."Tsv" @@ {tsquery}) AND {string.Join(" AND ", where)}
                AND e."Id" /*pk*/> {P(0L)} AND e."Id" /*pk*/<= {P(0L)}
                ORDER BY e."Id" + 0 DESC LIMIT {(MaxCandidates + 1).ToString(CultureInfo.InvariantCulture)}
                """;
            sql = $"""
                SELECT e."Id", e."Group", e."Kind", e."Language", e."Country", e."Year", e."Title", e."Url",
                       ts_rank(e."RankTsv", {tsquery}, 1)::float8 * {KindWeightSql} AS score, false
                FROM "SearchEntries" e WHERE e."Id" = ANY({P(Array.Empty<long>())})
                ORDER BY score DESC, e."Id" DESC LIMIT {limit.ToString(CultureInfo.InvariantCulture)}
                """;
        }
        else
        {
            // BM25 (SearchScoring); titles weigh five times the text; the kind's weight multiplies the result.
            // The candidates: the newest visible matches of the full index in its own (rowid) order, which FTS5 walks
            // without scoring; from the oldest candidate on (0 when there are fewer matches than that) the full index says
            // which rows match and the compact one (title and the first RankChars of the text) scores them, so neither the
            // scores read a 50 KB document's positions.
            // The compact index is asked the same query (every word): its matches are a subset of the full one's, so
            // scoring stays bounded by the candidates (any word would score every row holding one of them). A row that
            // matched only past the head of its text scores 0, after every row that matched in its head.
            var match = P(query.ToFts5(await ExpansionsAsync(query, ct)));
            // The scores are computed in C# from each candidate's hits in the compact index (Fts5Hits, SearchScoring): FTS5's
            // bm25() counted, per query and per phrase, every row of the whole table holding it for its IDF (19 ms for one
            // common word on the benchmark's full-size data, against 1.7 for the hits). The last word's prefix is expanded
            // into known words (ExpansionsAsync).
            sql = $"""
                WITH cut AS (SELECT c.rowid AS id FROM "SearchFts" c JOIN "SearchEntries" e ON e."Id" = c.rowid
                             WHERE c."SearchFts" MATCH {match} AND {string.Join(" AND ", where)}
                             ORDER BY c.rowid DESC LIMIT 2 OFFSET {(MaxCandidates - 1).ToString(CultureInfo.InvariantCulture)}),
                     lo AS MATERIALIZED (SELECT coalesce((SELECT max(id) FROM cut), 0) AS lo, (SELECT count(*) FROM cut) > 1 AS capped),
                     r AS MATERIALIZED (SELECT rowid AS id, {Fts5Hits.FunctionName}("SearchRankFts") AS hits FROM "SearchRankFts"
                                        WHERE "SearchRankFts" MATCH {match} AND rowid >= (SELECT lo FROM lo))
                SELECT e."Id", e."Group", e."Kind", e."Language", e."Country", e."Year", e."Title", e."Url", r.hits, (SELECT capped FROM lo),
                       (SELECT CASE WHEN lo.lo = 0 THEN 1.0 ELSE (m.id - lo.lo + 1.0) / m.id END FROM lo, (SELECT max("Id") AS id FROM "SearchEntries") m)
                FROM (SELECT rowid AS id FROM "SearchFts" WHERE "SearchFts" MATCH {match} AND rowid >= (SELECT lo FROM lo)) f
                JOIN "SearchEntries" e ON e."Id" = f.id
                LEFT JOIN r ON r.id = f.id
                WHERE {string.Join(" AND ", where)}
                """;
        }
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(ct);
        }
        // On PostgreSQL the candidates must come from the GIN index: for a common word the planner prefers a sequential
        // (or primary key) scan that tests each row's tsvector, which reads every matching document's tsvector from
        // TOAST (tens of kilobytes each): 156 ms against 47 ms on 11,500 rows (EXPLAIN ANALYZE, 1/20 of the benchmark's
        // data), and the gap grows with the library. Through the bitmap the match is exact (no recheck) and only the
        // rows' small heap tuples are read. SET LOCAL lasts only for this transaction, ours when the caller has none.
        var ambient = db.Database.CurrentTransaction?.GetDbTransaction();
        DbTransaction? own = null;
        try
        {
            var top = 0L;
            if (Postgres)
            {
                top = await PostgresCandidates.TopAsync(connection, ambient, ct);
            }
            if (Postgres && ambient is null)
            {
                own = await connection.BeginTransactionAsync(ct);
                await using var settings = SearchSources.Command(connection, own, "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off", []);
                await settings.ExecuteNonQueryAsync(ct);
            }
            if (!Postgres)
            {
                Fts5Hits.EnsureRegistered((Microsoft.Data.Sqlite.SqliteConnection)connection);
            }
            var rows = new List<Row>();
            var capped = false;
            if (candidates is not null)
            {
                var ids = await PostgresCandidates.FindAsync(connection, ambient ?? own, candidates, values, top, ct);
                capped = ids.Count > MaxCandidates;
                values[^1] = ids.Take(MaxCandidates).ToArray();
            }
            var figures = new List<byte[]?>();
            var windowShare = 1.0;
            await using (var command = SearchSources.Command(connection, ambient ?? own, sql, values))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var score = 0.0;
                    if (Postgres)
                    {
                        score = Convert.ToDouble(reader.GetValue(8), CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        figures.Add(reader.IsDBNull(8) ? null : (byte[])reader.GetValue(8));
                        windowShare = reader.GetDouble(10);
                    }
                    rows.Add(new Row(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                        reader.GetInt32(5), reader.GetString(6), reader.GetString(7), score));
                    capped |= Convert.ToBoolean(reader.GetValue(9), CultureInfo.InvariantCulture);
                }
            }
            if (!Postgres)
            {
                // Every candidate comes back (at most MaxCandidates + 1): scored, weighed by kind and cut here.
                var scores = SearchScoring.Score(figures, windowShare);
                rows = rows.Select((r, i) => r with { Score = scores[i] * KindWeights.GetValueOrDefault(r.Kind, 1.0) })
                    .OrderByDescending(r => r.Score).ThenByDescending(r => r.Id).Take(limit).ToList();
            }
            if (own is not null)
            {
                await own.CommitAsync(ct);
            }
            return (rows, capped);
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>
    /// The query with each word the index does not know replaced by the closest known word (edit distance ≤ 2, same first
    /// letter), offered only when that query finds something this reader may see: the vocabulary holds words of
    /// everything ever indexed, partner-only and hidden texts included, and must not reveal them.
    /// </summary>
    private async Task<string?> SuggestAsync(SearchQuery query, SearchRequest request, bool partner, CancellationToken ct)
    {
        // Only unknown words are corrected: which query words the vocabulary knows is one query, not one per word.
        var correctable = query.Words.Where(w => w.Length >= 3 && w.All(char.IsLetter)).Distinct(StringComparer.Ordinal).ToList();
        var known = correctable.Count == 0 ? [] : await db.SearchTerms.AsNoTracking().Where(t => correctable.Contains(t.Term)).Select(t => t.Term).ToListAsync(ct);
        var corrections = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in correctable.Except(known, StringComparer.Ordinal))
        {
            corrections[word] = await ClosestAsync(word, ct);
        }
        if (!corrections.Any(c => c.Key != c.Value))
        {
            return null;
        }
        var suggestion = new SearchQuery([.. query.Parts.Select(p => (IReadOnlyList<string>)[.. p.Select(w => corrections.GetValueOrDefault(w, w))])], false);
        // Whether it finds anything is all that is needed: one row, no grouping, texts or passages.
        var (found, _) = await RankAsync(suggestion, request, partner, 1, ct);
        return found.Count > 0 ? suggestion.Display : null;
    }

    /// <summary>
    /// SQLite: the known words a query's last word, matched as a prefix, is expanded into — the shortest first, at most
    /// <see cref="SearchQuery.MaxExpansions"/> (null: FTS5's own prefix term). A range of the vocabulary's key, not a LIKE.
    /// </summary>
    private async Task<IReadOnlyCollection<string>?> ExpansionsAsync(SearchQuery query, CancellationToken ct)
    {
        if (query.ExpandablePrefix is not { } prefix)
        {
            return null;
        }
        var above = prefix[..^1] + (char)(prefix[^1] + 1);
        // Translated to SQL comparisons (BINARY collation on SQLite: ordinal); CompareOrdinal has no translation.
#pragma warning disable CA1309
        return await db.SearchTerms.AsNoTracking()
            .Where(t => string.Compare(t.Term, prefix) >= 0 && string.Compare(t.Term, above) < 0)
            .OrderBy(t => t.Term.Length).ThenBy(t => t.Term).Select(t => t.Term).Take(SearchQuery.MaxExpansions).ToListAsync(ct);
#pragma warning restore CA1309
    }

    /// <summary>The closest known word to an unknown one, or the word itself.</summary>
    private async Task<string> ClosestAsync(string word, CancellationToken ct)
    {
        var first = word[..1] + "%";
        int min = word.Length - 2, max = word.Length + 2;
        var candidates = await db.SearchTerms.AsNoTracking()
            .Where(t => EF.Functions.Like(t.Term, first) && t.Term.Length >= min && t.Term.Length <= max)
            .Select(t => t.Term).Take(20_000).ToListAsync(ct);
        var limit = word.Length <= 4 ? 1 : 2;
        return candidates.Select(c => (Term: c, Distance: EditDistance.Of(word, c, limit)))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance).ThenBy(c => Math.Abs(c.Term.Length - word.Length)).ThenBy(c => c.Term, StringComparer.Ordinal)
            .Select(c => c.Term).FirstOrDefault() ?? word;
    }
}
