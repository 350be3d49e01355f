using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Markdown;

namespace Closer.Web.Features.Search;

/// <summary>A source whose rows are replaced together: its kind (content, country, document, thread) and key.</summary>
public readonly record struct SearchSource(string Kind, string Key)
{
    public const string Content = "content";
    public const string Country = "country";
    public const string Document = "document";
    /// <summary>Every post of a thread (its title, place or page order changed); the rows themselves are <see cref="Post"/> rows.</summary>
    public const string Thread = "thread";
    /// <summary>One forum post (a reply or an edit): only its own row changes, so a reply costs the same in a long thread.</summary>
    public const string Post = "post";
    /// <summary>Not a source of rows itself: every thread of the space is refreshed (its visibility may have changed).</summary>
    public const string Space = "space";
}

/// <summary>
/// Reads what a reader may see of each source with plain SQL on the writer's own transaction (the same for SQLite and
/// PostgreSQL: quoted names, strings for enums) and turns it into <see cref="SearchEntry"/> rows. The visibility rules
/// here are those of the pages: published, not scheduled for later, not deleted; a forum post only while it and its
/// thread's opening post are published.
/// </summary>
internal static partial class SearchSources
{
    private static readonly MarkdownRenderer Markdown = new();

    public static async Task<List<SearchEntry>> ReadAsync(DbConnection connection, DbTransaction? transaction, string kind, IReadOnlyList<string> keys,
        int postsPerPage, CancellationToken ct) => kind switch
        {
            SearchSource.Content => await ContentAsync(connection, transaction, keys, ct),
            SearchSource.Country => await CountriesAsync(connection, transaction, keys, ct),
            SearchSource.Document => await DocumentsAsync(connection, transaction, keys, ct),
            SearchSource.Thread => await PostsAsync(connection, transaction, keys, byThread: true, postsPerPage, ct),
            SearchSource.Post => await PostsAsync(connection, transaction, keys, byThread: false, postsPerPage, ct),
            _ => [],
        };

    /// <summary>The threads of some spaces (a space's change refreshes them all).</summary>
    public static async Task<List<string>> ThreadsOfSpacesAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> spaces, CancellationToken ct)
    {
        var ids = new List<string>();
        await using var command = Command(connection, transaction, $"SELECT \"Id\" FROM \"ForumThreads\" WHERE \"SpaceId\" IN ({In(spaces.Count)})", spaces.Select(Int));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
        }
        return ids;
    }

    private static async Task<List<SearchEntry>> ContentAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> keys, CancellationToken ct)
    {
        const string sql = """
            SELECT t."ItemId", t."Language", t."Title", t."Slug", t."Summary", t."Body", t."SubtitleVtt", t."PublishAt", t."PublishedAt", t."UpdatedAt",
                   i."Kind", i."CountryIso3", i."FigureSource"
            FROM "CampaignTranslations" t JOIN "CampaignItems" i ON i."Id" = t."ItemId"
            WHERE t."Status" = 'Published' AND i."DeletedAt" IS NULL
              AND i."Kind" IN ('Story', 'Fact', 'Video', 'PressRelease', 'Page') AND t."ItemId" IN ({0})
            """;
        var entries = new List<SearchEntry>();
        await using var command = Command(connection, transaction, string.Format(CultureInfo.InvariantCulture, sql, In(keys.Count)), keys.Select(Int));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var itemId = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
            var kind = Enum.Parse<ContentKind>(reader.GetString(10));
            var date = Date(reader.GetValue(8)) ?? Date(reader.GetValue(9)) ?? DateTimeOffset.UnixEpoch;
            var text = string.Join("\n", new[]
            {
                reader.GetString(4), PlainMarkdown(reader.GetString(5)), Transcript(reader.IsDBNull(6) ? null : reader.GetString(6)),
                reader.IsDBNull(12) ? "" : reader.GetString(12),
            }.Where(s => s.Length > 0));
            entries.Add(new SearchEntry
            {
                Source = SearchSource.Content, SourceKey = itemId, Group = "content:" + itemId,
                Kind = kind switch
                {
                    ContentKind.Story => "story",
                    ContentKind.Fact => "fact",
                    ContentKind.Video => "video",
                    ContentKind.PressRelease => "press",
                    _ => "page",
                },
                Language = reader.GetString(1), Country = Delimit(reader.IsDBNull(11) ? null : reader.GetString(11)), Year = date.Year,
                Audience = SearchAudience.Public, VisibleFrom = Date(reader.GetValue(7)), Title = reader.GetString(2),
                Url = ContentService.Url("{lang}", kind, reader.GetString(3)), Text = text, Date = date,
            });
        }
        return entries;
    }

    private static async Task<List<SearchEntry>> CountriesAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> keys, CancellationToken ct)
    {
        var entries = new List<SearchEntry>();
        await using var command = Command(connection, transaction,
            $"SELECT \"Iso3\", \"NameEn\", \"NameEs\", \"NamePt\", \"NamePap\" FROM \"Countries\" WHERE \"Iso3\" IN ({In(keys.Count)})", keys);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var iso3 = reader.GetString(0).Trim();
            string[] names = [reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)];
            string[] languages = ["en", "es", "pt", "pap"];
            for (var i = 0; i < languages.Length; i++)
            {
                entries.Add(new SearchEntry
                {
                    Source = SearchSource.Country, SourceKey = iso3, Group = "country:" + iso3, Kind = "country", Language = languages[i],
                    Country = Delimit(iso3), Year = 0, Audience = SearchAudience.Public, Title = names[i], Url = "/{lang}/countries/" + iso3,
                    Text = string.Join(" · ", names.Distinct(StringComparer.Ordinal)) + " · " + iso3, Date = DateTimeOffset.UnixEpoch,
                });
            }
        }
        return entries;
    }

    private static async Task<List<SearchEntry>> DocumentsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> keys, CancellationToken ct)
    {
        const string sql = """
            SELECT d."Id", d."Visibility", d."FileLanguage", d."Date", d."Countries", v."ExtractedText"
            FROM "Documents" d LEFT JOIN "DocumentVersions" v ON v."DocumentId" = d."Id" AND v."Number" = d."CurrentVersion"
            WHERE d."DeletedAt" IS NULL AND d."Id" IN ({0})
            """;
        var docs = new List<(string Id, string Visibility, string Language, DateOnly Date, string Countries, string Text)>();
        await using (var command = Command(connection, transaction, string.Format(CultureInfo.InvariantCulture, sql, In(keys.Count)), keys.Select(Int)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                docs.Add((Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), reader.GetString(1),
                    reader.GetString(2), Day(reader.GetValue(3)), reader.GetString(4), reader.IsDBNull(5) ? "" : reader.GetString(5)));
            }
        }
        if (docs.Count == 0)
        {
            return [];
        }
        var texts = new List<(string Id, string Language, string Title, string Summary)>();
        await using (var command = Command(connection, transaction,
            $"SELECT \"DocumentId\", \"Language\", \"Title\", \"Summary\" FROM \"DocumentTranslation\" WHERE \"DocumentId\" IN ({In(docs.Count)})",
            docs.Select(d => Int(d.Id))))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                texts.Add((Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
                    reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }
        return docs.Select(d =>
        {
            var mine = texts.Where(t => t.Id == d.Id).ToList();
            var titled = mine.Any(t => t.Language == d.Language) ? mine.First(t => t.Language == d.Language) : mine.FirstOrDefault();
            var title = titled.Title ?? "—";
            var date = new DateTimeOffset(d.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return new SearchEntry
            {
                Source = SearchSource.Document, SourceKey = d.Id, Group = "document:" + d.Id, Kind = "document", Language = d.Language,
                Country = d.Countries, Year = d.Date.Year,
                Audience = d.Visibility == "Public" ? SearchAudience.Public : SearchAudience.Partners,
                Title = title, TitleLanguage = titled.Title is null || titled.Language == d.Language ? null : titled.Language,
                Url = "/{lang}/documents/" + d.Id,
                Text = string.Join("\n", mine.Select(t => t.Title + "\n" + t.Summary).Append(d.Text)), Date = date,
            };
        }).ToList();
    }

    /// <summary>
    /// The published posts of some threads, or some posts by id. A post's page is where the thread page shows it: published
    /// and deleted posts before it count, in page order; read while walking a whole thread, or counted for a single post.
    /// </summary>
    private static async Task<List<SearchEntry>> PostsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> keys, bool byThread,
        int postsPerPage, CancellationToken ct)
    {
        const string sql = """
            SELECT p."Id", p."ThreadId", p."Body", p."Language", p."CreatedAt", p."Status", t."Title", s."Visibility", s."CountryIso3", t."Language", {1}
            FROM "ForumPosts" p JOIN "ForumThreads" t ON t."Id" = p."ThreadId" JOIN "ForumSpaces" s ON s."Id" = t."SpaceId"
            WHERE p."Status" IN ('Published', 'Deleted') AND p.{2} IN ({0})
              AND EXISTS (SELECT 1 FROM "ForumPosts" o WHERE o."ThreadId" = t."Id" AND o."IsOpening" AND o."Status" = 'Published')
            ORDER BY p."ThreadId", p."CreatedAt", p."Id"
            """;
        const string before = """
            (SELECT count(*) FROM "ForumPosts" b WHERE b."ThreadId" = p."ThreadId" AND b."Status" IN ('Published', 'Deleted')
              AND (b."CreatedAt" < p."CreatedAt" OR (b."CreatedAt" = p."CreatedAt" AND b."Id" < p."Id")))
            """;
        var entries = new List<SearchEntry>();
        var text = string.Format(CultureInfo.InvariantCulture, sql, In(keys.Count), byThread ? "0" : before, byThread ? "\"ThreadId\"" : "\"Id\"");
        await using var command = Command(connection, transaction, text, keys.Select(Int));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var thread = -1L;
        var index = 0L;
        while (await reader.ReadAsync(ct))
        {
            var threadId = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            index = !byThread ? Convert.ToInt64(reader.GetValue(10), CultureInfo.InvariantCulture) : threadId == thread ? index + 1 : 0;
            thread = threadId;
            if (reader.GetString(5) != "Published")
            {
                continue;
            }
            var postId = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
            var key = threadId.ToString(CultureInfo.InvariantCulture);
            var date = Date(reader.GetValue(4)) ?? DateTimeOffset.UnixEpoch;
            var page = index / Math.Max(1, postsPerPage) + 1;
            entries.Add(new SearchEntry
            {
                Source = SearchSource.Post, SourceKey = postId.ToString(CultureInfo.InvariantCulture), Group = "thread:" + key, Kind = "forum",
                Language = reader.GetString(3), Country = Delimit(reader.IsDBNull(8) ? null : reader.GetString(8)), Year = date.Year,
                Audience = reader.GetString(7) == "Public" ? SearchAudience.Public : SearchAudience.Partners, Title = reader.GetString(6),
                TitleLanguage = reader.GetString(9) == reader.GetString(3) ? null : reader.GetString(9),
                Url = string.Create(CultureInfo.InvariantCulture, $"/{{lang}}/forum/threads/{key}{(page > 1 ? $"?p={page}" : "")}#post-{postId}"),
                Text = PlainMarkdown(reader.GetString(2)), Date = date,
            });
        }
        return entries;
    }

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, IEnumerable<object?> values)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var i = 0;
        foreach (var value in values)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
            i++;
        }
        return command;
    }

    public static string In(int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => "@p" + i.ToString(CultureInfo.InvariantCulture)));

    private static object Int(string key) => long.Parse(key, CultureInfo.InvariantCulture);

    private static string? Delimit(string? iso3) => string.IsNullOrWhiteSpace(iso3) ? null : "," + iso3.Trim() + ",";

    /// <summary>A stored date as either provider returns it: UTC ticks on SQLite (the context's converter), a timestamp on PostgreSQL.</summary>
    private static DateTimeOffset? Date(object value) => value switch
    {
        DBNull => null,
        long ticks => new DateTimeOffset(ticks, TimeSpan.Zero),
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        DateTimeOffset d => d.ToUniversalTime(),
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static DateOnly Day(object value) => value switch
    {
        DateOnly d => d,
        DateTime d => DateOnly.FromDateTime(d),
        string s => DateOnly.Parse(s[..Math.Min(10, s.Length)], CultureInfo.InvariantCulture),
        _ => new DateOnly(2000, 1, 1),
    };

    private static string PlainMarkdown(string markdown) => Markdown.ToPlainText(FigurePlaceholder().Replace(markdown, " "));

    /// <summary>The words of a WebVTT file: cue text without the header, timings and tags.</summary>
    private static string Transcript(string? vtt) => string.IsNullOrWhiteSpace(vtt) ? "" : string.Join(' ', vtt.Split('\n')
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith("WEBVTT", StringComparison.Ordinal) && !l.Contains("-->", StringComparison.Ordinal) && !l.All(char.IsDigit))
        .Select(l => VttTag().Replace(l, "")));

    [GeneratedRegex(@"\{\{figure:[^}]*\}\}")]
    private static partial Regex FigurePlaceholder();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex VttTag();
}
