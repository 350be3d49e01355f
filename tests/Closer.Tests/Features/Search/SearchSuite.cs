using System.Net;
using System.Net.Http.Json;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Forum;
using Closer.Web.Features.Search;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Search;

public abstract class SearchSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<SearchResults> ApiAsync(HttpClient client, string query, string lang = "en") =>
        (await client.GetFromJsonAsync<SearchResults>($"/api/v1/search?lang={lang}&q={Uri.EscapeDataString(query)}", Ct))!;

    /// <summary>
    /// The judged set: 30 queries a reader would type, in four languages, against the demo content, each with the
    /// result the reader expects first (a title they must find in the top three).
    /// </summary>
    public static readonly (string Lang, string Query, string Expected)[] Judged =
    [
        ("en", "bakery", "Ana's bakery in Cúcuta"),
        ("en", "nurse papers", "The nurse who waits for his papers"),
        ("en", "host family Quito", "A host family in Quito"),
        ("en", "Pacaraima Manaus", "From Pacaraima to Manaus"),
        ("en", "football Santiago", "Football on Sundays in Santiago"),
        ("en", "learning papiamentu", "Learning Papiamentu in Willemstad"),
        ("en", "new figures Venezuela", "New figures: 7.7 million"),
        ("en", "campaign spot", "The campaign spot"),
        ("en", "health chapter requirements", "Regional plan 2020: health chapter"),
        ("en", "mental health Portuguese", "Mental health support in Portuguese and Spanish"),
        ("en", "headlines threat", "Headlines that label people as a threat"),
        ("es", "panadería", "La panadería de Ana en Cúcuta"),
        ("es", "enfermero papeles", "El enfermero que espera sus papeles"),
        ("es", "familia de acogida", "Una familia de acogida en Quito"),
        ("es", "futbol domingos", "Fútbol los domingos en Santiago"),
        ("es", "convalidar título", "¿Cómo convalidar un título profesional?"),
        ("es", "regularización migratoria", "Informe de situación: Colombia"),
        ("es", "alojamiento Perú", "Informe de situación: Perú"),
        ("es", "luz parque", "Más luz en el parque"),
        ("es", "mensajes clave", "Mensajes clave"),
        ("pt", "padaria", "A padaria de Ana em Cúcuta"),
        ("pt", "interiorização experiências", "Interiorização: experiências"),
        ("pt", "futebol", "Futebol aos domingos em Santiago"),
        ("pt", "mercado de trabalho", "Relatório de situação: Brasil"),
        ("pt", "enfermeiro", "O enfermeiro que espera seus documentos"),
        ("pap", "panaderia", "E panaderia di Ana na Cúcuta"),
        ("pap", "kursonan papiamentu", "Kursonan di papiamentu"),
        ("pap", "famia di akohida", "Un famia di akohida na Quito"),
        ("pap", "siñando", "Siñando papiamentu na Willemstad"),
        ("pap", "mensahenan prinsipal", "Mensahenan prinsipal"),
    ];

    [Fact]
    public async Task JudgedQueries_HaveTheExpectedResultInTheTopThree_ForAtLeast90Percent()
    {
        Assert.Equal(30, Judged.Length);
        var misses = new List<string>();
        foreach (var (lang, query, expected) in Judged)
        {
            var top = (await ApiAsync(app.Client(), query, lang)).Hits.Take(3).Select(h => h.Title).ToList();
            if (!top.Any(t => t.StartsWith(expected, StringComparison.Ordinal)))
            {
                misses.Add($"{lang} '{query}': got [{string.Join(" | ", top)}]");
            }
        }
        Assert.True(misses.Count <= Judged.Length / 10, $"{Judged.Length - misses.Count}/{Judged.Length} in the top 3; misses:\n{string.Join("\n", misses)}");
    }

    [Theory]
    [InlineData("MIGRACIÓN venezolana", "es", "Nuevas cifras")]
    [InlineData("migracao", "pt", "Novos números")]
    [InlineData("panade", "es", "La panadería de Ana")]
    [InlineData("\"familia de acogida\"", "es", "Una familia de acogida en Quito")]
    public async Task Search_FoldsAccentsAndCase_MatchesPhrasesAndTheLastWordsPrefix(string query, string lang, string expected)
    {
        var r = await ApiAsync(app.Client(), query, lang);
        Assert.Contains(r.Hits, h => h.Title.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Phrase_KeepsItsWordOrder()
    {
        Assert.DoesNotContain((await ApiAsync(app.Client(), "\"acogida de familia\"", "es")).Hits, h => h.Title.StartsWith("Una familia de acogida", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoResult_OffersTheClosestIndexedWord()
    {
        var r = await ApiAsync(app.Client(), "panaderya", "es");
        Assert.Empty(r.Hits);
        Assert.Equal("panaderia", r.DidYouMean);
        var html = await app.Client().GetStringAsync("/es/search?q=panaderya", Ct);
        Assert.Contains("href=\"/es/search?q=panaderia\"", html);
    }

    [Fact]
    public async Task Passages_MarkTheMatchedWords()
    {
        var hit = (await ApiAsync(app.Client(), "regularización migratoria", "es")).Hits.First(h => h.Kind == "document");
        Assert.Contains(hit.Passage, p => p.Match && p.Text == "regularización");
        var html = await app.Client().GetStringAsync("/es/search?q=regularizaci%C3%B3n", Ct);
        Assert.Contains("<mark>regularización</mark>", html);
    }

    [Fact]
    public async Task PartnerOnlyDocumentsAndSpaces_AreFoundBySignedInPartnersOnly()
    {
        // "encaminhamento" is in the partner-only minutes; "referral pathway" in the partner-only protection space.
        foreach (var (query, lang) in new[] { ("encaminhamento", "pt"), ("referral pathway unaccompanied", "en") })
        {
            Assert.Empty((await ApiAsync(app.Client(), query, lang)).Hits);
            Assert.NotEmpty((await ApiAsync(await app.SignedInClientAsync(R.Viewer), query, lang)).Hits);
            var html = await app.Client().GetStringAsync($"/{lang}/search?q={Uri.EscapeDataString(query)}", Ct);
            Assert.DoesNotContain("Ata da reunião", html);
            Assert.DoesNotContain("Referral pathway for unaccompanied", html);
        }
    }

    [Theory]
    [InlineData(R.Admin, true)]
    [InlineData(R.Coordinator, true)]
    [InlineData(R.FocalPoint, true)]
    [InlineData(R.Viewer, true)]
    [InlineData(R.Editor, true)]
    [InlineData(R.Translator, true)]
    [InlineData(Closer.Web.Infrastructure.Security.Roles.Moderator, true)]
    [InlineData(null, false)]
    public async Task EveryRole_MaySearch_PartnerRowsOnlyForPartners(string? role, bool seesPartnerRows)
    {
        var client = role is null ? app.Client() : await app.SignedInClientAsync(role, role == R.FocalPoint ? "FPUENTE" : null, "COL");
        var api = await client.GetAsync("/api/v1/search?q=encaminhamento", Ct);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        var found = (await api.Content.ReadFromJsonAsync<SearchResults>(Ct))!;
        Assert.Equal(seesPartnerRows, found.Hits.Any(h => h.Kind == "document"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/pt/search?q=encaminhamento", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("q=", "q", 422)]
    [InlineData("q=%22%22", "q", 422)]
    [InlineData("q=water&kind=spreadsheet", "kind", 400)]
    [InlineData("q=water&country=colombia", "country", 400)]
    [InlineData("q=water&language=fr", "language", 400)]
    [InlineData("q=water&year=99", "year", 422)]
    public async Task Api_RefusesBadInput_WithProblemDetails(string query, string field, int status)
    {
        var response = await app.Client().GetAsync("/api/v1/search?" + query, Ct);
        // Validation errors answer 422 with problem details across the API (Infrastructure/Errors); a value the API's
        // contract does not take (a kind, language or country not in its lists) is a 400 naming the parameter, as on
        // every endpoint (ApiContract).
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(Ct));
        // The page shows the same, localized, and searches nothing; with no query at all it is the search's landing page.
        var html = await app.Client().GetStringAsync("/es/search?" + query.Replace("page=", "p=", StringComparison.Ordinal), Ct);
        Assert.DoesNotContain("class=\"search-results\"", html);
        if (query != "q=")
        {
            Assert.Contains("role=\"alert\"", html);
        }
    }

    [Fact]
    public async Task Api_RefusesABadPage_LikeEveryPagedList()
    {
        // Paging is checked by the API's one paging rule (Infrastructure/Api/Paging): 400 with its own code, as on every list.
        var response = await app.Client().GetAsync("/api/v1/search?q=water&page=0", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("bad-page", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // The page itself still says so, localized, and searches nothing.
        var html = await app.Client().GetStringAsync("/es/search?q=water&p=0", Ct);
        Assert.DoesNotContain("class=\"search-results\"", html);
        Assert.Contains("role=\"alert\"", html);
    }

    [Fact]
    public async Task Filters_NarrowByKindCountryLanguageAndYear()
    {
        var docs = await ApiAsync(app.Client(), "situación", "es");
        Assert.Contains(docs.Hits, h => h.Kind == "document");
        var peru = (await app.Client().GetFromJsonAsync<SearchResults>("/api/v1/search?q=situacion&kind=document&country=PER&year=2021&language=es", Ct))!;
        Assert.NotEmpty(peru.Hits);
        Assert.All(peru.Hits, h =>
        {
            Assert.Equal("document", h.Kind);
            Assert.Contains("PER", h.Countries);
            Assert.Equal(2021, h.Year);
            Assert.Equal("es", h.Language);
        });
    }

    [Fact]
    public async Task TheIndexFollowsEveryWrite_PublishedFoundAtOnce_UnpublishedHiddenAndDeletedGoneAtOnce()
    {
        var word = "zorblatt" + Guid.NewGuid().ToString("N")[..6];
        int itemId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            var item = new ContentItem { Kind = ContentKind.Story, CountryIso3 = "COL", CreatedAt = DateTimeOffset.UnixEpoch.AddYears(56) };
            item.Translations.Add(new ContentTranslation
            {
                Language = "en", Title = "A story about " + word, Slug = word, Summary = "s", Body = "b", Status = TranslationStatus.Draft,
                UpdatedAt = item.CreatedAt,
            });
            db.CampaignItems.Add(item);
            await db.SaveChangesAsync(Ct);
            itemId = item.Id;
        }
        Assert.Empty((await ApiAsync(app.Client(), word)).Hits);
        await SetAsync(db => db.CampaignTranslations.Where(t => t.ItemId == itemId), t => t.Status = TranslationStatus.Published);
        Assert.Single((await ApiAsync(app.Client(), word)).Hits);
        await SetAsync(db => db.CampaignTranslations.Where(t => t.ItemId == itemId), t => t.Status = TranslationStatus.InReview);
        Assert.Empty((await ApiAsync(app.Client(), word)).Hits);
        await SetAsync(db => db.CampaignTranslations.Where(t => t.ItemId == itemId), t => t.Status = TranslationStatus.Published);
        await SetAsync(db => db.CampaignItems.Where(i => i.Id == itemId), i => i.DeletedAt = DateTimeOffset.UnixEpoch.AddYears(56));
        Assert.Empty((await ApiAsync(app.Client(), word)).Hits);

        // A forum post: found while published, gone once a moderator hides it.
        long postId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            var thread = await db.ForumThreads.Include(t => t.Space).FirstAsync(t => t.Space!.Visibility == SpaceVisibility.Public, Ct);
            var post = new ForumPost { ThreadId = thread.Id, AuthorName = "t", Body = "A reply mentioning " + word, Language = "en", Status = PostStatus.Published, CreatedAt = thread.LastActivityAt.AddMinutes(1) };
            db.ForumPosts.Add(post);
            await db.SaveChangesAsync(Ct);
            postId = post.Id;
        }
        var hit = Assert.Single((await ApiAsync(app.Client(), word)).Hits);
        Assert.Equal("forum", hit.Kind);
        Assert.Contains($"#post-{postId}", hit.Url);
        await SetAsync(db => db.ForumPosts.Where(p => p.Id == postId), p => p.Status = PostStatus.Hidden);
        Assert.Empty((await ApiAsync(app.Client(), word)).Hits);
    }

    [Fact]
    public async Task AThreadTitle_IsMarkedWithTheThreadsLanguage_NotThePosts()
    {
        var word = "pleksnor" + Guid.NewGuid().ToString("N")[..6];
        var title = "Kon ta bai ku " + word;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            var space = await db.ForumSpaces.FirstAsync(s => s.Visibility == SpaceVisibility.Public, Ct);
            var now = DateTimeOffset.UnixEpoch.AddYears(56);
            var thread = new ForumThread { SpaceId = space.Id, Title = title, Language = "pap", AuthorName = "t", CreatedAt = now, LastActivityAt = now };
            thread.Posts.Add(new ForumPost { AuthorName = "t", Body = "Una pregunta sobre " + word, Language = "es", IsOpening = true, Status = PostStatus.Published, CreatedAt = now });
            db.ForumThreads.Add(thread);
            await db.SaveChangesAsync(Ct);
            var row = await db.SearchEntries.AsNoTracking().SingleAsync(e => e.Title == title, Ct);
            Assert.Equal(("es", "pap"), (row.Language, row.TitleLanguage));
        }
        var hit = Assert.Single((await ApiAsync(app.Client(), word, "pap")).Hits);
        Assert.Equal("es", hit.Language);
        Assert.Equal("pap", hit.TitleLanguage);
        var html = await app.Client().GetStringAsync($"/pap/search?q={word}", Ct);
        Assert.Contains($"lang=\"pap\">{title}</a>", html);
    }

    [Fact]
    public async Task AReply_IndexesItsOwnRowOnly_OnTheThreadPageItLandsOn()
    {
        var word = "glimmick" + Guid.NewGuid().ToString("N")[..6];
        var perPage = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForumOptions>>().Value.PostsPerPage;
        var now = DateTimeOffset.UnixEpoch.AddYears(56);
        int threadId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            var space = await db.ForumSpaces.FirstAsync(s => s.Visibility == SpaceVisibility.Public, Ct);
            var thread = new ForumThread { SpaceId = space.Id, Title = "Long thread " + word, AuthorName = "t", CreatedAt = now, LastActivityAt = now };
            // A full first page: the opening post and its replies.
            for (var i = 0; i < perPage; i++)
            {
                thread.Posts.Add(new ForumPost { AuthorName = "t", Body = $"Post {i} on {word}", IsOpening = i == 0, Status = PostStatus.Published, CreatedAt = now.AddMinutes(i) });
            }
            db.ForumThreads.Add(thread);
            await db.SaveChangesAsync(Ct);
            threadId = thread.Id;
        }
        var group = "thread:" + threadId;
        var before = await RowsAsync(group);
        Assert.Equal(perPage, before.Count);

        // A reply as the forum saves one: the post and the thread's activity time, in one save.
        long replyId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            var thread = await db.ForumThreads.SingleAsync(t => t.Id == threadId, Ct);
            var reply = new ForumPost { ThreadId = threadId, AuthorName = "t", Body = "The reply on " + word, Status = PostStatus.Published, CreatedAt = now.AddHours(1) };
            db.ForumPosts.Add(reply);
            thread.LastActivityAt = reply.CreatedAt;
            await db.SaveChangesAsync(Ct);
            replyId = reply.Id;
        }
        var after = await RowsAsync(group);
        Assert.Equal(perPage + 1, after.Count);
        // The thread's other rows were not rewritten: same ids, same texts.
        Assert.All(before, b => Assert.Contains(after, a => a.Id == b.Id && a.Url == b.Url));
        var replyRow = Assert.Single(after, a => a.SourceKey == replyId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith($"/forum/threads/{threadId}?p=2#post-{replyId}", replyRow.Url);
        Assert.Contains(replyId, (await ApiAsync(app.Client(), "reply " + word)).Hits.Select(h => PostOf(h.Url)));

        // An edit of the text rewrites that post's row alone.
        var first = before.OrderBy(b => b.Id).First();
        var firstId = long.Parse(first.SourceKey, System.Globalization.CultureInfo.InvariantCulture);
        await SetAsync(db => db.ForumPosts.Where(p => p.Id == firstId), p => p.Body = "Edited opening about quorblin" + word);
        var edited = await RowsAsync(group);
        Assert.All(after.Where(a => a.Id != first.Id), a => Assert.Contains(edited, e => e.Id == a.Id));
        Assert.Contains("quorblin" + word, Assert.Single(edited, e => e.SourceKey == first.SourceKey).Text);

        // Hiding a reply moves the posts after it back a place: the thread's rows are read again, the reply is on page 1.
        var second = before.OrderBy(b => b.Id).Skip(1).First();
        var secondId = long.Parse(second.SourceKey, System.Globalization.CultureInfo.InvariantCulture);
        await SetAsync(db => db.ForumPosts.Where(p => p.Id == secondId), p => p.Status = PostStatus.Hidden);
        var hidden = await RowsAsync(group);
        Assert.Equal(perPage, hidden.Count);
        Assert.DoesNotContain(hidden, h => h.SourceKey == second.SourceKey);
        Assert.EndsWith($"/forum/threads/{threadId}#post-{replyId}", Assert.Single(hidden, h => h.SourceKey == replyId.ToString(System.Globalization.CultureInfo.InvariantCulture)).Url);
    }

    private static long PostOf(string url) => long.Parse(url[(url.LastIndexOf("#post-", StringComparison.Ordinal) + 6)..], System.Globalization.CultureInfo.InvariantCulture);

    private async Task<List<SearchEntry>> RowsAsync(string group)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        return await db.SearchEntries.AsNoTracking().Where(e => e.Group == group).ToListAsync(Ct);
    }

    [Fact]
    public async Task AFailedWrite_LeavesTheIndexAsItWas()
    {
        var word = "quuxvent" + Guid.NewGuid().ToString("N")[..6];
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        await using (var tx = await db.Database.BeginTransactionAsync(Ct))
        {
            var item = new ContentItem { Kind = ContentKind.Story, CreatedAt = DateTimeOffset.UnixEpoch };
            item.Translations.Add(new ContentTranslation { Language = "en", Title = word, Slug = word, Status = TranslationStatus.Published, UpdatedAt = item.CreatedAt });
            db.CampaignItems.Add(item);
            await db.SaveChangesAsync(Ct);
            await tx.RollbackAsync(Ct);
        }
        Assert.Empty((await ApiAsync(app.Client(), word)).Hits);
        Assert.False(await db.SearchEntries.AnyAsync(e => e.Title == word, Ct));
    }

    /// <summary>Index rows written straight through the indexer (as the benchmark does), each its own item.</summary>
    private async Task IndexAsync(IEnumerable<(string Kind, string Title, string Text)> rows)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        await db.Database.OpenConnectionAsync(Ct);
        await using var tx = await db.Database.GetDbConnection().BeginTransactionAsync(Ct);
        var key = Guid.NewGuid().ToString("N");
        var entries = rows.Select((r, i) => new SearchEntry
        {
            Source = "test", SourceKey = key + i.ToString(System.Globalization.CultureInfo.InvariantCulture), Group = $"test:{key}{i}", Kind = r.Kind,
            Language = "en", Country = ",COL,", Year = 2026, Audience = SearchAudience.Public, Title = r.Title, Url = "/{lang}/stories", Text = r.Text,
            Date = DateTimeOffset.UnixEpoch.AddYears(56),
        }).ToList();
        await SearchIndexer.InsertAsync(db.Database.GetDbConnection(), tx, db.Database.IsNpgsql(), entries, Ct);
        await tx.CommitAsync(Ct);
    }

    [Fact]
    public async Task AtEqualTextRelevance_AStoryComesBeforeAForumPost()
    {
        var word = "kindrank" + Guid.NewGuid().ToString("N")[..6];
        // The post is indexed last: without the kind's weight it would win the tie (newest first).
        await IndexAsync([("story", "About " + word, "What we know about " + word + " this year."), ("forum", "About " + word, "What we know about " + word + " this year.")]);
        var hits = (await ApiAsync(app.Client(), word)).Hits;
        Assert.Equal(["story", "forum"], hits.Select(h => h.Kind));
        Assert.True(hits[0].Score > hits[1].Score, $"story {hits[0].Score} should score above forum {hits[1].Score}");
        Assert.Equal(SearchService.KindWeights["forum"], hits[1].Score / hits[0].Score, 1);
    }

    [Fact]
    public async Task TheLastWord_AsAPrefix_FindsEveryKnownWordItBegins_AndNothingElse()
    {
        // On SQLite the prefix is expanded into the vocabulary's words (read lazily like any word); on PostgreSQL it is
        // the tsquery's own prefix match. Both must find the same rows.
        // Consonants only, so that no stemmer strips a vowel or a plural from the typed prefix; no "z", which the fourth text
        // puts where the stem has its last letter.
        var stem = "qorvex" + string.Concat(Guid.NewGuid().ToString("N")[..5].Select(c => "bcdfghjkmnpqrtvw"[Convert.ToInt32(c.ToString(), 16)]));
        await IndexAsync([("story", "First", "A text with " + stem + "ling inside."), ("story", "Second", "Another about " + stem + "ions today."),
            ("story", "Third", "The word " + stem + " alone."), ("story", "Fourth", "Nothing of it: " + stem[..^2] + "zz here.")]);
        var typed = await ApiAsync(app.Client(), stem[..^1]);
        Assert.Equal(["First", "Second", "Third"], typed.Hits.Select(h => h.Title).Order(StringComparer.Ordinal));
        var whole = await ApiAsync(app.Client(), stem);
        Assert.Equal(["First", "Second", "Third"], whole.Hits.Select(h => h.Title).Order(StringComparer.Ordinal));
        // In quotes a word is not a prefix.
        var quoted = await ApiAsync(app.Client(), "\"" + stem + "\"");
        Assert.Equal(["Third"], quoted.Hits.Select(h => h.Title));
        // A title hit outranks the same word in a text of the same length.
        await IndexAsync([("story", "Notes", "Notes on " + stem + "ware and more."), ("story", stem + "ware notes", "Notes and more on things.")]);
        var ranked = await ApiAsync(app.Client(), stem + "ware");
        Assert.Equal([stem + "ware notes", "Notes"], ranked.Hits.Select(h => h.Title));
    }

    [Fact]
    public async Task MoreMatchesThanTheCap_TheCountSaysSo_AndTheBestRankedComeFirst()
    {
        var word = "capword" + Guid.NewGuid().ToString("N")[..6];
        var weak = Enumerable.Range(0, SearchService.MaxCandidates + 40)
            .Select(i => ("forum", "Post " + i.ToString(System.Globalization.CultureInfo.InvariantCulture), "A long post that mentions " + word + " once among many other words about other things entirely."));
        // The best match (the word in its title, twice in a short text) is among the newest rows, then a few more weak ones.
        await IndexAsync([.. weak, ("story", word + " explained", word + " and " + word + "."), .. weak.Take(5)]);
        var r = await ApiAsync(app.Client(), word);
        Assert.True(r.Capped);
        Assert.Equal(SearchService.PageSize, r.Hits.Count);
        Assert.Equal(word + " explained", r.Hits[0].Title);
        Assert.Equal(r.Hits.Select(h => h.Score).OrderDescending(), r.Hits.Select(h => h.Score));
        // The page encodes "+" (as &#x2B;): read as the reader does.
        var html = WebUtility.HtmlDecode(await app.Client().GetStringAsync($"/en/search?q={word}", Ct));
        Assert.Contains($"1,000+ results for “{word}”", html);
        var es = WebUtility.HtmlDecode(await app.Client().GetStringAsync($"/es/search?q={word}", Ct));
        Assert.Contains($"1.000+ resultados para “{word}”", es);
        // Fewer matches than the cap: counted exactly.
        var few = await ApiAsync(app.Client(), "panaderia", "es");
        Assert.False(few.Capped);
        Assert.Contains("La panadería de Ana", await app.Client().GetStringAsync("/es/search?q=panaderia", Ct));
        Assert.DoesNotContain("1.000+", WebUtility.HtmlDecode(await app.Client().GetStringAsync("/es/search?q=panaderia", Ct)));
    }

    private async Task SetAsync<T>(Func<CloserDbContext, IQueryable<T>> query, Action<T> change) where T : class
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        foreach (var row in await query(db).ToListAsync(Ct))
        {
            change(row);
        }
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task HeaderSearchBox_IsOnPublicPages_AndTheOldAddressStillWorks()
    {
        foreach (var path in new[] { "/en/", "/es/stories", "/pap/documents", "/pt/forum" })
        {
            var html = await app.Client().GetStringAsync(path, Ct);
            Assert.Contains("class=\"site-search\"", html);
        }
        var old = await app.Client().GetStringAsync("/es/search?q=panaderia", Ct);
        Assert.Contains("La panadería de Ana en Cúcuta", old);
    }
}

/// <summary>Searching is rate-limited per client address, page and API together.</summary>
public sealed class SearchLimitApp : SqliteAppBase
{
    protected override void AddSettings(Dictionary<string, string?> settings) => settings["RateLimits:SearchesPerMinute"] = "2";
}

public sealed class SearchLimitTests(SearchLimitApp app) : IClassFixture<SearchLimitApp>
{
    [Fact]
    public async Task ThirdSearchInAMinute_IsRefused_WithRetryAfter()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync("/api/v1/search?q=salud", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync("/es/search?q=salud", ct)).StatusCode);
        var refused = await app.Client().GetAsync("/api/v1/search?q=salud", ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.Contains("Retry-After"));
    }
}

public sealed class SearchSqlite(SqliteApp app) : SearchSuite<SqliteApp>(app);
public sealed class SearchPostgres(PostgresApp app) : SearchSuite<PostgresApp>(app);
