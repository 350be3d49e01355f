using System.Net;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Campaign;

/// <summary>The back office: who may do which workflow step, revisions and restore, soft delete, cache eviction on publish.</summary>
public abstract class ContentWorkflowSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => Html.Ct;

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string? handler, Dictionary<string, string> form, string? tokenPage = null)
    {
        form["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(client, tokenPage ?? page);
        return await client.PostAsync(handler is null ? page : $"{page}?handler={handler}", new FormUrlEncodedContent(form), Ct);
    }

    /// <summary>An editor creates an English story; returns its item id.</summary>
    private static async Task<int> CreateStoryAsync(HttpClient editor, string title)
    {
        var response = await PostAsync(editor, "/admin/content", null, new() { ["Kind"] = "Story", ["Language"] = "en", ["Title"] = title });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString; // /admin/content/{id}/en
        return int.Parse(location.Split('/')[3], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Path(HttpResponseMessage response) =>
        response.Headers.Location is { IsAbsoluteUri: true } abs ? abs.PathAndQuery : response.Headers.Location?.OriginalString ?? "";

    /// <summary>A page with a form a translator may use (a draft's editor), for the antiforgery token of requests they should be refused.</summary>
    private static async Task<string> TranslatorFormPageAsync(HttpClient editor) =>
        $"/admin/content/{await CreateStoryAsync(editor, "Draft for a token " + Guid.NewGuid().ToString("N")[..6])}/en";

    private async Task<ContentTranslation> TranslationAsync(int itemId, string lang = "en")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        return await db.CampaignTranslations.AsNoTracking().SingleAsync(t => t.ItemId == itemId && t.Language == lang, Ct);
    }

    private static Task<HttpResponseMessage> MoveAsync(HttpClient client, int id, string to, string lang = "en") =>
        PostAsync(client, $"/admin/content/{id}/{lang}", "Move", new() { ["To"] = to });

    private static Task<HttpResponseMessage> SaveAsync(HttpClient client, int id, string title, string slug, string body = "Body text.") =>
        PostAsync(client, $"/admin/content/{id}/en", "Save", new() { ["Title"] = title, ["Slug"] = slug, ["Summary"] = "Summary of " + title, ["Body"] = body });

    [Fact]
    public async Task TranslatorMovesToTranslationAndReview_ButOnlyAnEditorPublishes()
    {
        var editor = await app.SignedInClientAsync(R.Editor);
        var translator = await app.SignedInClientAsync(R.Translator);
        var id = await CreateStoryAsync(editor, "Workflow story " + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(TranslationStatus.Draft, (await TranslationAsync(id)).Status);

        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(translator, id, "InTranslation")).StatusCode);
        Assert.Equal(TranslationStatus.InTranslation, (await TranslationAsync(id)).Status);
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(translator, id, "InReview")).StatusCode);
        Assert.Equal(TranslationStatus.InReview, (await TranslationAsync(id)).Status);

        var refused = await MoveAsync(translator, id, "Published");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/denied", Path(refused));
        Assert.Equal(TranslationStatus.InReview, (await TranslationAsync(id)).Status);

        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(editor, id, "Published")).StatusCode);
        var published = await TranslationAsync(id);
        Assert.Equal(TranslationStatus.Published, published.Status);
        Assert.NotNull(published.PublishedAt);

        // A translator may not change published text, nor unpublish it.
        var tokenPage = await TranslatorFormPageAsync(editor);
        Assert.StartsWith("/account/denied", Path(await PostAsync(translator, $"/admin/content/{id}/en", "Save", new() { ["Title"] = "Hijacked", ["Slug"] = published.Slug }, tokenPage)));
        Assert.StartsWith("/account/denied", Path(await PostAsync(translator, $"/admin/content/{id}/en", "Move", new() { ["To"] = "Draft" }, tokenPage)));
        Assert.Equal(published.Title, (await TranslationAsync(id)).Title);
    }

    [Fact]
    public async Task ImpossibleStep_IsAConflict_EvenForAnEditor()
    {
        var editor = await app.SignedInClientAsync(R.Editor);
        var id = await CreateStoryAsync(editor, "Skip review " + Guid.NewGuid().ToString("N")[..6]);
        var response = await MoveAsync(editor, id, "Published");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(TranslationStatus.Draft, (await TranslationAsync(id)).Status);
    }

    [Fact]
    public async Task TranslatorMayNotCreateContent_AndOtherStaffMayNotOpenTheContentBackOffice()
    {
        var translator = await app.SignedInClientAsync(R.Translator);
        var tokenPage = await TranslatorFormPageAsync(await app.SignedInClientAsync(R.Editor));
        var create = await PostAsync(translator, "/admin/content", null, new() { ["Kind"] = "Story", ["Language"] = "en", ["Title"] = "Not allowed" }, tokenPage);
        Assert.Equal(HttpStatusCode.Redirect, create.StatusCode);
        Assert.StartsWith("/account/denied", Path(create));

        var viewer = await app.SignedInClientAsync(R.Viewer);
        var page = await viewer.GetAsync("/admin/content", Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/denied", Path(page));

        var anonymous = await app.Client().GetAsync("/admin/content", Ct);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/login", Path(anonymous));

        var admin = await app.SignedInClientAsync(R.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/content", Ct)).StatusCode);
    }

    [Fact]
    public async Task EveryEditKeepsARevision_AndRestoringBringsTheOldTextBack()
    {
        var editor = await app.SignedInClientAsync(R.Editor);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var id = await CreateStoryAsync(editor, "First title " + suffix);
        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(editor, id, "Second title " + suffix, "second-" + suffix, "Second **body**.")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(editor, id, "Third title " + suffix, "third-" + suffix, "Third body.")).StatusCode);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var translation = await TranslationAsync(id);
        var revisions = await db.CampaignRevisions.AsNoTracking().Where(r => r.TranslationId == translation.Id).OrderBy(r => r.Id).ToListAsync(Ct);
        Assert.Equal(["Created", "Edited", "Edited"], revisions.Select(r => r.Note));
        var second = revisions[1];

        var restored = await PostAsync(editor, $"/admin/content/{id}/en", "Restore", new() { ["RevisionId"] = second.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        var now = await TranslationAsync(id);
        Assert.Equal("Second title " + suffix, now.Title);
        Assert.Equal("second-" + suffix, now.Slug);
        Assert.Equal("Second **body**.", now.Body);
        Assert.Equal(4, await db.CampaignRevisions.CountAsync(r => r.TranslationId == translation.Id, Ct));
        var page = await restored.Content.ReadAsStringAsync(Ct);
        // The preview renders the Markdown; the history shows what the restore changed.
        Assert.Contains("Second <strong>body</strong>.", page);
        Assert.Contains("− Third body.</del>", page);
        Assert.Contains("+ Second **body**.</ins>", page);
    }

    [Fact]
    public async Task Preview_IsSanitized()
    {
        var editor = await app.SignedInClientAsync(R.Editor);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var id = await CreateStoryAsync(editor, "Unsafe " + suffix);
        var response = await SaveAsync(editor, id, "Unsafe " + suffix, "unsafe-" + suffix, "Hello <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>");
        var html = await response.Content.ReadAsStringAsync(Ct);
        var start = html.IndexOf("campaign-preview", StringComparison.Ordinal);
        var preview = html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
        Assert.Contains("Hello", preview);
        Assert.DoesNotContain("<script", preview);
        Assert.DoesNotContain("javascript:", preview);
        Assert.DoesNotContain("<img", preview);
    }

    [Fact]
    public async Task DuplicateSlugInALanguage_IsRefused()
    {
        var editor = await app.SignedInClientAsync(R.Editor);
        var id = await CreateStoryAsync(editor, "Slug clash " + Guid.NewGuid().ToString("N")[..6]);
        var response = await SaveAsync(editor, id, "Clash", "ana-s-bakery-in-cucuta");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotEqual("ana-s-bakery-in-cucuta", (await TranslationAsync(id)).Slug);
    }

    [Fact]
    public async Task Publishing_EvictsTheCachedPublicPageAtOnce()
    {
        var reader = app.Client();
        var before = await reader.GetStringAsync("/en/stories", Ct);

        // A change made behind the cache's back does not show: the page is served from the output cache.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            var t = await db.CampaignTranslations.SingleAsync(x => x.Language == "en" && x.Slug == "a-host-family-in-quito", Ct);
            t.Summary = "Changed directly in the database.";
            await db.SaveChangesAsync(Ct);
        }
        Assert.Equal(before, await reader.GetStringAsync("/en/stories", Ct));

        var editor = await app.SignedInClientAsync(R.Editor);
        var title = "Cache story " + Guid.NewGuid().ToString("N")[..6];
        var id = await CreateStoryAsync(editor, title);
        await MoveAsync(editor, id, "InReview");
        Assert.DoesNotContain(title, await reader.GetStringAsync("/en/stories", Ct));
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(editor, id, "Published")).StatusCode);

        var after = await reader.GetStringAsync("/en/stories", Ct);
        Assert.Contains(title, after);
        Assert.Contains("Changed directly in the database.", after);
    }

    [Fact]
    public async Task SubtitleUpload_AcceptsWebVttOnly_AndServesTheNewFileAtOnce()
    {
        var editor = await app.SignedInClientAsync(R.Editor);
        ContentTranslation video;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            video = await db.CampaignTranslations.AsNoTracking().SingleAsync(x => x.Language == "pap" && x.Slug == "e-spot-di-e-kampana-un-paso-mas-serka", Ct);
        }
        var before = await app.Client().GetStringAsync($"/campaign/subtitles/{video.Id}.vtt", Ct);
        var page = $"/admin/content/{video.ItemId}/pap";

        async Task<HttpResponseMessage> Upload(string text, string name)
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(await AppFixture.AntiforgeryTokenAsync(editor, page)), "__RequestVerificationToken" },
                { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(text)), "SubtitleFile", name },
            };
            return await editor.PostAsync(page + "?handler=Subtitles", form, Ct);
        }

        var srt = await Upload("1\n00:00:00,000 --> 00:00:03,000\nBon bini\n", "spot.srt");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, srt.StatusCode);
        Assert.Equal(before, await app.Client().GetStringAsync($"/campaign/subtitles/{video.Id}.vtt", Ct));

        var vtt = await Upload("WEBVTT\n\n00:00.000 --> 00:03.000\nBon bini na Closer\n", "spot.pap.vtt");
        Assert.Equal(HttpStatusCode.OK, vtt.StatusCode);
        Assert.Contains("Bon bini na Closer", await app.Client().GetStringAsync($"/campaign/subtitles/{video.Id}.vtt", Ct));
    }

    [Fact]
    public async Task ScheduledVersion_StaysHiddenUntilItsTime()
    {
        var editor = await app.SignedInClientAsync(R.Editor);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var id = await CreateStoryAsync(editor, "Scheduled " + suffix);
        await PostAsync(editor, $"/admin/content/{id}/en", "Save", new()
        {
            ["Title"] = "Scheduled " + suffix, ["Slug"] = "scheduled-" + suffix, ["Body"] = "Later.", ["PublishAt"] = "2999-01-01T10:00",
        });
        await MoveAsync(editor, id, "InReview");
        await MoveAsync(editor, id, "Published");
        Assert.Equal(TranslationStatus.Published, (await TranslationAsync(id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync($"/en/stories/scheduled-{suffix}", Ct)).StatusCode);
        Assert.DoesNotContain("Scheduled " + suffix, await app.Client().GetStringAsync("/en/stories", Ct));
    }

    [Fact]
    public async Task DeleteIsSoft_AndRestorable()
    {
        var editor = await app.SignedInClientAsync(R.Editor);
        int id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            id = (await db.CampaignTranslations.SingleAsync(x => x.Language == "en" && x.Slug == "learning-papiamentu-in-willemstad", Ct)).ItemId;
        }
        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync("/en/stories/learning-papiamentu-in-willemstad", Ct)).StatusCode);

        var translator = await app.SignedInClientAsync(R.Translator);
        var refused = await PostAsync(translator, $"/admin/content/{id}", "Delete", new() { ["Deleted"] = "true" }, await TranslatorFormPageAsync(editor));
        Assert.StartsWith("/account/denied", Path(refused));
        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync("/en/stories/learning-papiamentu-in-willemstad", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(editor, $"/admin/content/{id}", "Delete", new() { ["Deleted"] = "true" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/en/stories/learning-papiamentu-in-willemstad", Ct)).StatusCode);
        Assert.Contains("Learning Papiamentu in Willemstad", await editor.GetStringAsync("/admin/content?deleted=true", Ct));
        Assert.DoesNotContain("Learning Papiamentu in Willemstad", await editor.GetStringAsync("/admin/content", Ct));

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(editor, $"/admin/content/{id}", "Delete", new() { ["Deleted"] = "false" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync("/en/stories/learning-papiamentu-in-willemstad", Ct)).StatusCode);
    }

    [Fact]
    public async Task MissingTranslations_ListsWhatIsNotPublishedInPapiamentu()
    {
        var translator = await app.SignedInClientAsync(R.Translator);
        var html = await translator.GetStringAsync("/admin/content/missing", Ct);
        var pap = html[html.IndexOf("<caption lang=\"pap\">", StringComparison.Ordinal)..];
        // (The Chilean story may have gained a Papiamentu version in another test of this class.)
        Assert.Contains("New figures: 7.7 million", pap);
        Assert.DoesNotContain("Ana&#x27;s bakery", pap);
        Assert.DoesNotContain("Ana's bakery", pap);
    }

    [Fact]
    public async Task TranslatorAddsAPapiamentuVersion_AndTheFallbackNoteDisappearsOncePublished()
    {
        var translator = await app.SignedInClientAsync(R.Translator);
        var editor = await app.SignedInClientAsync(R.Editor);
        int id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            id = (await db.CampaignTranslations.SingleAsync(x => x.Language == "en" && x.Slug == "football-on-sundays-in-santiago", Ct)).ItemId;
        }
        Assert.Contains("campaign-fallback", await app.Client().GetStringAsync("/pap/stories/futbol-los-domingos-en-santiago", Ct));
        var add = await PostAsync(translator, $"/admin/content/{id}", "AddLanguage", new() { ["Language"] = "pap", ["Title"] = "Futbòl djadomingo na Santiago" });
        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        Assert.Equal($"/admin/content/{id}/pap", Path(add));
        await MoveAsync(translator, id, "InReview", "pap");
        await MoveAsync(editor, id, "Published", "pap");

        var html = await app.Client().GetStringAsync("/pap/stories/futbol-djadomingo-na-santiago", Ct);
        Assert.DoesNotContain("campaign-fallback", html);
        Assert.Contains("pap", Html.Hreflangs(html));
        // The old address of the Spanish fallback now leads to the Papiamentu version.
        var old = await app.Client().GetAsync("/pap/stories/futbol-los-domingos-en-santiago", Ct);
        Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
        Assert.Equal("/pap/stories/futbol-djadomingo-na-santiago", Path(old));
    }
}

public sealed class ContentWorkflowSqlite(CampaignSqliteApp app) : ContentWorkflowSuite<CampaignSqliteApp>(app);
public sealed class ContentWorkflowPostgres(CampaignPostgresApp app) : ContentWorkflowSuite<CampaignPostgresApp>(app);

/// <summary>The workflow rules themselves, for every role and step.</summary>
public sealed class WorkflowRulesTests
{
    public static TheoryData<bool, bool, TranslationStatus, TranslationStatus, bool> Matrix => new()
    {
        // editor, translator, from, to, allowed
        { false, true, TranslationStatus.Draft, TranslationStatus.InTranslation, true },
        { false, true, TranslationStatus.InTranslation, TranslationStatus.InReview, true },
        { false, true, TranslationStatus.InReview, TranslationStatus.InTranslation, true },
        { false, true, TranslationStatus.InReview, TranslationStatus.Published, false },
        { false, true, TranslationStatus.Published, TranslationStatus.Draft, false },
        { true, false, TranslationStatus.InReview, TranslationStatus.Published, true },
        { true, false, TranslationStatus.Published, TranslationStatus.Draft, true },
        { true, false, TranslationStatus.Draft, TranslationStatus.Published, false },
        { true, false, TranslationStatus.InTranslation, TranslationStatus.Published, false },
        { false, false, TranslationStatus.Draft, TranslationStatus.InTranslation, false },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void MayMove_FollowsRoleAndStep(bool editor, bool translator, TranslationStatus from, TranslationStatus to, bool allowed) =>
        Assert.Equal(allowed, Workflow.MayMove(editor, translator, from, to));

    [Fact]
    public void PlatformAdmin_CountsAsEditor()
    {
        var admin = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, Roles.PlatformAdmin)], "test"));
        Assert.True(Workflow.MayMove(admin, TranslationStatus.InReview, TranslationStatus.Published));
        Assert.True(Workflow.MayEdit(admin, TranslationStatus.Published));
    }
}

/// <summary>Language fallback and text helpers.</summary>
public sealed class CampaignTextTests
{
    private static ContentTranslation V(int item, string lang) => new()
    {
        ItemId = item, Language = lang, Title = lang, Slug = $"{lang}-{item}", Status = TranslationStatus.Published,
        Item = new ContentItem { Id = item, Kind = ContentKind.Story },
    };

    [Theory]
    [InlineData("pap", new[] { "en", "es" }, "es")]
    [InlineData("pap", new[] { "en" }, "en")]
    [InlineData("pt", new[] { "en", "es" }, "es")]
    [InlineData("pt", new[] { "en", "pap" }, "en")]
    [InlineData("es", new[] { "en", "pt" }, "en")]
    [InlineData("en", new[] { "pt" }, "pt")]
    [InlineData("pap", new[] { "en", "es", "pap" }, "pap")]
    public void Choose_FollowsTheFallbackChain_AndNeverReturnsNothing(string reader, string[] available, string shown)
    {
        var view = Assert.Single(ContentService.Choose(available.Select(l => V(1, l)), reader));
        Assert.Equal(shown, view.Shown.Language);
        Assert.Equal(shown != reader, view.IsFallback);
        Assert.Equal(available.Order(StringComparer.Ordinal), view.Languages.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Diff_ShowsRemovedAndAddedLines_AndKeepsTheRest()
    {
        var diff = Diff.Lines("a\nb\nc", "a\nB\nc\nd");
        Assert.Equal(
            [(DiffKind.Same, "a"), (DiffKind.Removed, "b"), (DiffKind.Added, "B"), (DiffKind.Same, "c"), (DiffKind.Added, "d")],
            diff.Select(d => (d.Kind, d.Text)));
        Assert.DoesNotContain(Diff.Lines("same", "same"), d => d.Kind != DiffKind.Same);
    }

    [Theory]
    [InlineData("Migración", "migracion")]
    [InlineData("  São  Paulo\n", "sao paulo")]
    [InlineData("Kòrsou", "korsou")]
    [InlineData("ÑANDÚ", "nandu")]
    public void Normalize_DropsAccentsAndCase(string input, string expected) => Assert.Equal(expected, Slugs.Normalize(input));

    [Theory]
    [InlineData("¿Quién es María?", "quien-es-maria")]
    [InlineData("Ana's bakery in Cúcuta", "ana-s-bakery-in-cucuta")]
    [InlineData("!!!", "item")]
    public void Slugify_MakesSafeAddresses(string title, string slug)
    {
        Assert.Equal(slug, Slugs.Slugify(title));
        Assert.True(Slugs.IsValidSlug(slug));
    }

    [Theory]
    [InlineData("WEBVTT\n\n00:00.000 --> 00:04.000\nHola\n", true)]
    [InlineData("\uFEFFWEBVTT - title\n\n00:00.000 --> 00:04.000\nHi\n", true)]
    [InlineData("1\n00:00:00,000 --> 00:00:04,000\nSRT, not VTT\n", false)]
    [InlineData("WEBVTTX\n\n00:00.000 --> 00:04.000\nx\n", false)]
    public void WebVtt_IsRecognised(string text, bool valid) => Assert.Equal(valid, ContentEditor.IsWebVtt(text));
}
