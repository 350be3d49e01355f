using System.Net;
using System.Text.Json;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Forum;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Forum;

/// <summary>The forum end to end: visibility, posting, moderation, holds, notifications and the API's permission matrix.</summary>
public abstract class ForumSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ForumTestKit _kit = new(app);

    private static async Task<JsonElement> ThreadJsonAsync(HttpClient client, int threadId)
    {
        var response = await client.GetAsync($"/api/v1/forum/threads/{threadId}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static List<long> PostIds(JsonElement thread) =>
        thread.GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).ToList();

    // ------------------------------------------------------------------ reading

    [Fact]
    public async Task ForumIndex_Anonymous_ListsPublicSpacesOnly_AndSetsNoCookie()
    {
        var response = await app.Client().GetAsync("/es/forum", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"), "An anonymous reader must get no cookie.");
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<h1>Foro de diálogo</h1>", html);
        Assert.Contains("Colombia: integración en las ciudades (demo)", html);
        Assert.Contains("Kòrsou: komunidat i integrashon (demo)", html);
        Assert.DoesNotContain("Protection sector: partner coordination", html);

        var space = await app.Client().GetAsync($"/es/forum/spaces/{await _kit.SpaceAsync("Colombia")}", Ct);
        Assert.Equal(HttpStatusCode.OK, space.StatusCode);
        Assert.False(space.Headers.Contains("Set-Cookie"), "An anonymous reader must get no cookie.");
        // The header's search box is a GET form; nothing that posts.
        Assert.DoesNotContain("method=\"post\"", await space.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ThreadPage_Anonymous_ShowsPostsWithTheirLanguage_WithoutFormsOrCookie()
    {
        var id = await _kit.ThreadAsync("Kursonan di papiamentu");
        var response = await app.Client().GetAsync($"/pap/forum/threads/{id}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<div class=\"forum-body\" lang=\"pap\">", html);
        Assert.Contains("<div class=\"forum-body\" lang=\"es\">", html);
        Assert.Contains("Skirbí na", html);
        Assert.DoesNotContain("__RequestVerificationToken", html);
        Assert.DoesNotContain("method=\"post\"", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PartnerOnlySpace_IsInvisibleToAnonymousAndToPeopleWithoutOrganisationOrRole_ButOpenToPartners()
    {
        var space = await _kit.SpaceAsync("Protection sector");
        var thread = await _kit.ThreadAsync("Referral pathway");
        var anonymous = app.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/en/forum/spaces/{space}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/en/forum/threads/{thread}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/forum/threads/{thread}", Ct)).StatusCode);
        var publicList = await anonymous.GetFromJsonAsync<List<SpaceDto>>("/api/v1/forum/spaces", Ct);
        Assert.DoesNotContain(publicList!, s => s.Id == space);
        Assert.Contains(publicList!, s => s.Title.StartsWith("Colombia", StringComparison.Ordinal));

        var outsider = await _kit.ApiAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/v1/forum/threads/{thread}", Ct)).StatusCode);
        Assert.DoesNotContain((await outsider.GetFromJsonAsync<List<SpaceDto>>("/api/v1/forum/spaces", Ct))!, s => s.Id == space);
        var refused = await outsider.PostAsJsonAsync($"/api/v1/forum/spaces/{space}/threads", new { title = "Let me in", body = "Hello" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);

        foreach (var partner in new[] { await _kit.ApiAsync(org: "LAZOS"), await _kit.ApiAsync(Roles.Viewer) })
        {
            Assert.Contains((await partner.GetFromJsonAsync<List<SpaceDto>>("/api/v1/forum/spaces", Ct))!, s => s.Id == space);
            Assert.NotEmpty(PostIds(await ThreadJsonAsync(partner, thread)));
        }
        var staff = await _kit.CookieClientAsync(await _kit.PersonAsync(Roles.OrgFocalPoint, "ACOGIDA"));
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/en/forum/spaces/{space}", Ct)).StatusCode);
    }

    // ------------------------------------------------------------------ writing

    [Fact]
    public async Task Api_CreateThread_Reply_AndRead_RendersMarkdownSafely()
    {
        var client = await _kit.ApiAsync(Roles.Viewer, "MANOS");
        var space = await _kit.SpaceAsync("Health: access");
        var response = await client.PostAsJsonAsync($"/api/v1/forum/spaces/{space}/threads",
            new { title = "Vaccination days", body = "**Tuesdays** <script>alert(1)</script> [x](javascript:alert(1))" }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var threadId = created.GetProperty("id").GetInt32();
        var reply = await ForumTestKit.ReplyAsync(client, threadId, "Thanks, *noted*.");
        Assert.Equal("Published", reply.Status);

        var thread = await ThreadJsonAsync(app.Client(), threadId);
        var posts = thread.GetProperty("posts").EnumerateArray().ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(reply.Id, posts[1].GetProperty("id").GetInt64());
        var html = posts[0].GetProperty("html").GetString()!;
        Assert.Contains("<strong>Tuesdays</strong>", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("javascript:", html);
        Assert.Equal("en", posts[1].GetProperty("language").GetString());

        var list = await app.Client().GetFromJsonAsync<ThreadListDto>($"/api/v1/forum/spaces/{space}/threads", Ct);
        var row = Assert.Single(list!.Threads, t => t.Id == threadId);
        Assert.Equal(("Vaccination days", 1), (row.Title, row.Replies));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync($"/api/v1/forum/spaces/{await _kit.SpaceAsync("Protection sector")}/threads", Ct)).StatusCode);
    }

    [Fact]
    public async Task ThreadPage_ReplyAndQuote_WorkWithoutJavaScript()
    {
        var person = await _kit.PersonAsync(Roles.Viewer, "CAMPO");
        var client = await _kit.CookieClientAsync(person);
        var thread = await _kit.ThreadAsync("Más luz en el parque");
        var firstPost = PostIds(await ThreadJsonAsync(app.Client(), thread))[0];
        var page = await client.GetStringAsync($"/es/forum/threads/{thread}?quote={firstPost}", Ct);
        Assert.Contains("&gt; En mi barrio el parque", page);
        var token = await AppFixture.AntiforgeryTokenAsync(client, $"/es/forum/threads/{thread}");
        var response = await client.PostAsync($"/es/forum/threads/{thread}?handler=Reply", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["body"] = "> En mi barrio el parque está oscuro\n\nDe acuerdo: en el nuestro también.",
            ["language"] = "es",
            ["quotedPostId"] = firstPost.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var html = await app.Client().GetStringAsync(response.Headers.Location!.OriginalString.Split('#')[0], Ct);
        Assert.Contains("De acuerdo: en el nuestro también.", html);
        Assert.Contains("En respuesta a", html);

        var withoutToken = await client.PostAsync($"/es/forum/threads/{thread}?handler=Reply", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["body"] = "No token", ["language"] = "es",
        }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
    }

    [Fact]
    public async Task CookieApiWrite_WithoutAntiforgeryHeader_Is400_AndStoresNothing()
    {
        var client = await _kit.CookieClientAsync(await _kit.PersonAsync(Roles.Viewer, "CAMPO"));
        var thread = await _kit.ThreadAsync("Más luz en el parque");
        var response = await client.PostAsJsonAsync($"/api/v1/forum/threads/{thread}/posts", new { body = "csrf attempt" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await _kit.DbAsync(db => db.ForumPosts.AnyAsync(p => p.Body == "csrf attempt", Ct)));
    }

    [Fact]
    public async Task Edit_KeepsRevisions_ShownToModeratorsOnly_AndDeleteIsSoft()
    {
        var author = await _kit.PersonAsync(Roles.Viewer, "SERENA");
        var client = await _kit.TokenClientAsync(author);
        var thread = await ForumTestKit.NewThreadAsync(client, await _kit.SpaceAsync("Health: access"), "Edit me", "First version of the text");
        var post = await ForumTestKit.ReplyAsync(client, thread, "Reply, first words");
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/v1/forum/posts/{post.Id}", new { body = "Reply, second words" }, Ct)).StatusCode);

        var other = await _kit.ApiAsync(Roles.Viewer, "SERENA");
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PutAsJsonAsync($"/api/v1/forum/posts/{post.Id}", new { body = "Not mine" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.DeleteAsync($"/api/v1/forum/posts/{post.Id}", Ct)).StatusCode);

        var publicHtml = await app.Client().GetStringAsync($"/en/forum/threads/{thread}", Ct);
        Assert.Contains("Reply, second words", publicHtml);
        Assert.DoesNotContain("Reply, first words", publicHtml);
        var moderator = await _kit.CookieClientAsync(await _kit.PersonAsync(Roles.Moderator));
        var modHtml = await moderator.GetStringAsync($"/en/forum/threads/{thread}", Ct);
        Assert.Contains("Earlier versions", modHtml);
        Assert.Contains("Reply, first words", modHtml);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/forum/posts/{post.Id}", Ct)).StatusCode);
        publicHtml = await app.Client().GetStringAsync($"/en/forum/threads/{thread}", Ct);
        Assert.DoesNotContain("Reply, second words", publicHtml);
        Assert.Contains("This post was deleted by its author.", publicHtml);
        var stored = await _kit.DbAsync(db => db.ForumPosts.SingleAsync(p => p.Id == post.Id, Ct));
        Assert.Equal(PostStatus.Deleted, stored.Status);
        Assert.Equal("Reply, second words", stored.Body);
    }

    // ------------------------------------------------------------------ moderation

    [Fact]
    public async Task Flag_GoesToQueue_Hide_MakesPostInvisibleToThePublic_AndIsLoggedWithWhoAndWhy()
    {
        var author = await _kit.ApiAsync(Roles.Viewer, "PASTOR");
        var thread = await ForumTestKit.NewThreadAsync(author, await _kit.SpaceAsync("Colombia"), "Trabajo en Medellín", "Busco empleo en cocina.");
        var bad = await ForumTestKit.ReplyAsync(author, thread, "They should all go home");

        var flagger = await _kit.ApiAsync(Roles.Viewer, "ADVEN");
        var flag = await flagger.PostAsJsonAsync($"/api/v1/forum/posts/{bad.Id}/flags", new { reason = "xenophobia" }, Ct);
        Assert.Equal(HttpStatusCode.Created, flag.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await flagger.PostAsJsonAsync($"/api/v1/forum/posts/{bad.Id}/flags", new { reason = "spam" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await flagger.PostAsJsonAsync($"/api/v1/forum/posts/{bad.Id}/flags", new { reason = "boring" }, Ct)).StatusCode);

        var modPerson = await _kit.PersonAsync(Roles.Moderator);
        var moderator = await _kit.TokenClientAsync(modPerson);
        var queue = await moderator.GetFromJsonAsync<List<QueueDto>>("/api/v1/moderation/queue", Ct);
        var item = Assert.Single(queue!, q => q.PostId == bad.Id);
        Assert.Equal(["Xenophobia"], item.FlagReasons);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await moderator.PostAsJsonAsync($"/api/v1/moderation/posts/{bad.Id}/hide", new { reason = "" }, Ct)).StatusCode);
        var hide = await moderator.PostAsJsonAsync($"/api/v1/moderation/posts/{bad.Id}/hide", new { reason = "Xenophobic generalisation" }, Ct);
        Assert.Equal(HttpStatusCode.OK, hide.StatusCode);

        Assert.DoesNotContain(bad.Id, PostIds(await ThreadJsonAsync(app.Client(), thread)));
        Assert.DoesNotContain(bad.Id, PostIds(await ThreadJsonAsync(flagger, thread)));
        Assert.DoesNotContain("They should all go home", await app.Client().GetStringAsync($"/en/forum/threads/{thread}", Ct));
        Assert.Contains(bad.Id, PostIds(await ThreadJsonAsync(moderator, thread)));
        Assert.DoesNotContain((await moderator.GetFromJsonAsync<List<QueueDto>>("/api/v1/moderation/queue", Ct))!, q => q.PostId == bad.Id);

        var stored = await _kit.DbAsync(db => db.ForumPosts.SingleAsync(p => p.Id == bad.Id, Ct));
        Assert.Equal(PostStatus.Hidden, stored.Status);
        Assert.Equal("They should all go home", stored.Body);
        var log = await _kit.DbAsync(db => db.ForumModerationActions.SingleAsync(a => a.PostId == bad.Id, Ct));
        Assert.Equal((modPerson.Id, "hide", "Xenophobic generalisation"), (log.ModeratorId, log.Action, log.Reason));

        Assert.Equal(HttpStatusCode.OK, (await moderator.PostAsJsonAsync($"/api/v1/moderation/posts/{bad.Id}/restore", new { reason = "Appeal accepted" }, Ct)).StatusCode);
        Assert.Contains(bad.Id, PostIds(await ThreadJsonAsync(app.Client(), thread)));

        var logPage = await (await _kit.CookieClientAsync(modPerson)).GetStringAsync("/admin/forum/log", Ct);
        Assert.Contains("Xenophobic generalisation", logPage);
        Assert.Contains("Appeal accepted", logPage);
    }

    [Fact]
    public async Task ThreeFlags_HoldThePostAtOnce_UntilAModeratorDecides()
    {
        var author = await _kit.ApiAsync(Roles.Viewer, "REFH");
        var thread = await ForumTestKit.NewThreadAsync(author, await _kit.SpaceAsync("Health: access"), "Flag storm", "Opening");
        var post = await ForumTestKit.ReplyAsync(author, thread, "Something many find offensive");
        for (var i = 0; i < 3; i++)
        {
            var flagger = await _kit.ApiAsync(Roles.Viewer, "REFH");
            Assert.Equal(HttpStatusCode.Created, (await flagger.PostAsJsonAsync($"/api/v1/forum/posts/{post.Id}/flags", new { reason = "abuse" }, Ct)).StatusCode);
            Assert.Equal(i < 2, PostIds(await ThreadJsonAsync(app.Client(), thread)).Contains(post.Id));
        }
        var log = await _kit.DbAsync(db => db.ForumModerationActions.SingleAsync(a => a.PostId == post.Id, Ct));
        Assert.Equal((ForumModeration.SystemModerator, ModerationActions.AutoHold), (log.ModeratorId, log.Action));

        var moderator = await _kit.ApiAsync(Roles.Moderator);
        var item = Assert.Single((await moderator.GetFromJsonAsync<List<QueueDto>>("/api/v1/moderation/queue", Ct))!, q => q.PostId == post.Id);
        Assert.Equal((HeldReasons.Flags, 3), (item.HeldReason, item.FlagCount));
        Assert.Equal(HttpStatusCode.OK, (await moderator.PostAsJsonAsync($"/api/v1/moderation/posts/{post.Id}/approve", new { reason = "Critical but fair" }, Ct)).StatusCode);
        Assert.Contains(post.Id, PostIds(await ThreadJsonAsync(app.Client(), thread)));
    }

    [Fact]
    public async Task BulkModeration_IsAllOrNothing_AndLogsEveryPost()
    {
        var author = await _kit.ApiAsync(Roles.Viewer, "JUNTOS");
        var thread = await ForumTestKit.NewThreadAsync(author, await _kit.SpaceAsync("Brasil"), "Spam wave", "Opening");
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await ForumTestKit.ReplyAsync(author, thread, $"Buy cheap things {i}")).Id);
        }
        var modPerson = await _kit.PersonAsync(Roles.PlatformAdmin);
        var moderator = await _kit.TokenClientAsync(modPerson);

        var broken = await moderator.PostAsJsonAsync("/api/v1/moderation/bulk", new { action = "hide", postIds = ids.Append(999_999_999).ToList(), reason = "Spam" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, broken.StatusCode);
        Assert.Equal(3, await _kit.DbAsync(db => db.ForumPosts.CountAsync(p => ids.Contains(p.Id) && p.Status == PostStatus.Published, Ct)));

        var ok = await moderator.PostAsJsonAsync("/api/v1/moderation/bulk", new { action = "hide", postIds = ids, reason = "Spam" }, Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(3, (await ok.Content.ReadFromJsonAsync<ModerationResult>(Ct))!.Affected);
        Assert.Equal(3, await _kit.DbAsync(db => db.ForumPosts.CountAsync(p => ids.Contains(p.Id) && p.Status == PostStatus.Hidden, Ct)));
        Assert.Equal(3, await _kit.DbAsync(db => db.ForumModerationActions.CountAsync(a => a.PostId != null && ids.Contains(a.PostId.Value) && a.ModeratorId == modPerson.Id && a.Reason == "Spam", Ct)));
        Assert.Single(PostIds(await ThreadJsonAsync(app.Client(), thread)));
    }

    [Fact]
    public async Task BulkSuspend_SuspendsEachAuthorOnce_AndTheyCanNoLongerPost()
    {
        var people = new[] { await _kit.PersonAsync(Roles.Viewer, "NINEZ"), await _kit.PersonAsync(Roles.Viewer, "NINEZ") };
        var clients = new[] { await _kit.TokenClientAsync(people[0]), await _kit.TokenClientAsync(people[1]) };
        var thread = await ForumTestKit.NewThreadAsync(clients[0], await _kit.SpaceAsync("Colombia"), "Bulk suspend", "Opening");
        var ids = new List<long>
        {
            (await ForumTestKit.ReplyAsync(clients[0], thread, "abuse one")).Id,
            (await ForumTestKit.ReplyAsync(clients[0], thread, "abuse two")).Id,
            (await ForumTestKit.ReplyAsync(clients[1], thread, "abuse three")).Id,
        };
        var moderator = await _kit.ApiAsync(Roles.Moderator);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await moderator.PostAsJsonAsync("/api/v1/moderation/bulk", new { action = "suspend", postIds = ids, reason = "Abuse" }, Ct)).StatusCode);
        var ok = await moderator.PostAsJsonAsync("/api/v1/moderation/bulk", new { action = "suspend", postIds = ids, reason = "Abuse", days = 30 }, Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        foreach (var p in people)
        {
            Assert.Equal(1, await _kit.DbAsync(db => db.ForumSuspensions.CountAsync(s => s.UserId == p.Id, Ct)));
        }
        foreach (var c in clients)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await c.PostAsJsonAsync($"/api/v1/forum/threads/{thread}/posts", new { body = "again" }, Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task PersonalDataInATitle_HoldsTheThread()
    {
        var client = await _kit.ApiAsync(Roles.Viewer, "MANOS");
        var response = await client.PostAsJsonAsync($"/api/v1/forum/spaces/{await _kit.SpaceAsync("Colombia")}/threads",
            new { title = "Llamen al +57 300 555 1234", body = "Vendo muebles." }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Held", (await response.Content.ReadFromJsonAsync<CreatedDto>(Ct))!.Status);
    }

    [Fact]
    public async Task QueuePage_BulkForm_ApprovesHeldPosts_AndIsClosedToOtherStaff()
    {
        var author = await _kit.ApiAsync(Roles.Viewer, "MUJERES");
        var thread = await ForumTestKit.NewThreadAsync(author, await _kit.SpaceAsync("Colombia"), "Contacto", "Hola a todas");
        var held1 = await ForumTestKit.ReplyAsync(author, thread, "Mi teléfono es +57 300 555 1234");
        var held2 = await ForumTestKit.ReplyAsync(author, thread, "Escríbanme a alguien@example.com");
        Assert.Equal(("Held", "Held"), (held1.Status, held2.Status));

        var editor = await _kit.CookieClientAsync(await _kit.PersonAsync(Roles.Editor));
        var denied = await editor.GetAsync("/admin/forum/queue", Ct);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        var location = denied.Headers.Location!;
        Assert.StartsWith("/account/denied", location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);

        var moderator = await _kit.CookieClientAsync(await _kit.PersonAsync(Roles.Moderator));
        var page = await moderator.GetStringAsync("/admin/forum/queue", Ct);
        Assert.Contains($"value=\"{held1.Id}\"", page);
        Assert.Contains("Possible personal data", page);
        var token = await AppFixture.AntiforgeryTokenAsync(moderator, "/admin/forum/queue");
        var form = new List<KeyValuePair<string, string>>
        {
            new("postIds", held1.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("postIds", held2.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("action", "approve"), new("reason", "Shared on purpose by the author"), new("__RequestVerificationToken", token),
        };
        var response = await moderator.PostAsync("/admin/forum/queue", new FormUrlEncodedContent(form), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var visible = PostIds(await ThreadJsonAsync(app.Client(), thread));
        Assert.Contains(held1.Id, visible);
        Assert.Contains(held2.Id, visible);
    }

    [Fact]
    public async Task PersonalData_HoldsThePost_InvisibleToThePublic_UntilApproved()
    {
        var author = await _kit.ApiAsync(Roles.Viewer, "VENUNI");
        var thread = await ForumTestKit.NewThreadAsync(author, await _kit.SpaceAsync("Colombia"), "Documentos", "Pregunta sobre documentos");
        var held = await ForumTestKit.ReplyAsync(author, thread, "Mi cédula es V-12.345.678, ¿me ayudan?");
        Assert.Equal("Held", held.Status);
        Assert.DoesNotContain(held.Id, PostIds(await ThreadJsonAsync(app.Client(), thread)));
        Assert.Contains(held.Id, PostIds(await ThreadJsonAsync(author, thread))); // the author sees it waiting

        var moderator = await _kit.ApiAsync(Roles.Moderator);
        var item = Assert.Single((await moderator.GetFromJsonAsync<List<QueueDto>>("/api/v1/moderation/queue", Ct))!, q => q.PostId == held.Id);
        Assert.Equal(HeldReasons.PersonalData, item.HeldReason);
        Assert.Equal(HttpStatusCode.OK, (await moderator.PostAsJsonAsync($"/api/v1/moderation/posts/{held.Id}/approve", new { reason = "" }, Ct)).StatusCode);
        Assert.Contains(held.Id, PostIds(await ThreadJsonAsync(app.Client(), thread)));
    }

    [Fact]
    public async Task NewAccount_FirstPostsAreHeld_AndLinksAreLimited()
    {
        var newcomer = await _kit.ApiAsync(newAccount: true);
        var space = await _kit.SpaceAsync("Consulta:");
        var tooManyLinks = await newcomer.PostAsJsonAsync($"/api/v1/forum/spaces/{space}/threads",
            new { title = "Offers", body = "See https://a.example and https://b.example" }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooManyLinks.StatusCode);

        var response = await newcomer.PostAsJsonAsync($"/api/v1/forum/spaces/{space}/threads", new { title = "Una plaza", body = "Propongo una plaza con bancos." }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<CreatedDto>(Ct))!;
        Assert.Equal("Held", created.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync($"/api/v1/forum/threads/{created.Id}", Ct)).StatusCode);
        var spaceList = await app.Client().GetStringAsync($"/es/forum/spaces/{space}", Ct);
        Assert.DoesNotContain("Una plaza", spaceList);

        var established = await _kit.ApiAsync();
        var reply = await ForumTestKit.ReplyAsync(established, await _kit.ThreadAsync("Más luz en el parque"), "Y bancos con sombra.");
        Assert.Equal("Published", reply.Status);
    }

    [Fact]
    public async Task Suspension_BlocksPostingAndFlagging_AndIsLogged()
    {
        var person = await _kit.PersonAsync(Roles.Viewer, "KARIBE");
        var client = await _kit.TokenClientAsync(person);
        var thread = await _kit.ThreadAsync("Kursonan di papiamentu");
        await ForumTestKit.ReplyAsync(client, thread, "Mi ta interesá.");

        var modPerson = await _kit.PersonAsync(Roles.Moderator);
        var moderator = await _kit.TokenClientAsync(modPerson);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await moderator.PostAsJsonAsync($"/api/v1/moderation/users/{person.Id}/suspend", new { days = 0, reason = "x" }, Ct)).StatusCode);
        var suspend = await moderator.PostAsJsonAsync($"/api/v1/moderation/users/{person.Id}/suspend", new { days = 7, reason = "Repeated insults" }, Ct);
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);

        var reply = await client.PostAsJsonAsync($"/api/v1/forum/threads/{thread}/posts", new { body = "Still here" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, reply.StatusCode);
        Assert.Contains("suspended", await reply.Content.ReadAsStringAsync(Ct));
        var anyPost = PostIds(await ThreadJsonAsync(app.Client(), thread))[0];
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/v1/forum/posts/{anyPost}/flags", new { reason = "spam" }, Ct)).StatusCode);
        var log = await _kit.DbAsync(db => db.ForumModerationActions.SingleAsync(a => a.TargetUserId == person.Id && a.Action == "suspend", Ct));
        Assert.Equal((modPerson.Id, "Repeated insults"), (log.ModeratorId, log.Reason));
        Assert.NotNull(log.Until);

        Assert.Equal(HttpStatusCode.Forbidden, (await (await _kit.ApiAsync(Roles.Viewer, "KARIBE")).PostAsJsonAsync($"/api/v1/moderation/users/{person.Id}/unsuspend", new { reason = "self-service" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await moderator.PostAsJsonAsync($"/api/v1/moderation/users/{person.Id}/unsuspend", new { reason = "Apology accepted" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/api/v1/forum/threads/{thread}/posts", new { body = "Sorry, everyone." }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await moderator.PostAsJsonAsync($"/api/v1/moderation/users/{person.Id}/unsuspend", new { reason = "again" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task SuspendFromThreadPage_AndLockThread_WorkForModerators()
    {
        var author = await _kit.PersonAsync(Roles.Viewer, "CRPER");
        var authorApi = await _kit.TokenClientAsync(author);
        var thread = await ForumTestKit.NewThreadAsync(authorApi, await _kit.SpaceAsync("Health: access"), "Clinic hours", "When does the clinic open?");
        var post = await ForumTestKit.ReplyAsync(authorApi, thread, "Insulting words");

        var moderator = await _kit.CookieClientAsync(await _kit.PersonAsync(Roles.Moderator));
        var token = await AppFixture.AntiforgeryTokenAsync(moderator, $"/en/forum/threads/{thread}");
        var suspend = await moderator.PostAsync($"/en/forum/threads/{thread}?handler=Moderate", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["postId"] = post.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["action"] = "suspend", ["reason"] = "Insults", ["days"] = "3",
            ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, suspend.StatusCode);
        Assert.True(await _kit.DbAsync(db => db.ForumSuspensions.AnyAsync(s => s.UserId == author.Id, Ct)));

        var locked = await moderator.PostAsync($"/en/forum/threads/{thread}?handler=Lock", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["locked"] = "true", ["reason"] = "Heated", ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        var someone = await _kit.ApiAsync(Roles.Viewer, "CRPER");
        var reply = await someone.PostAsJsonAsync($"/api/v1/forum/threads/{thread}/posts", new { body = "Can I still answer?" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, reply.StatusCode);
        Assert.Contains("Locked", await app.Client().GetStringAsync($"/en/forum/threads/{thread}", Ct));
    }

    [Fact]
    public async Task ClosedConsultation_RefusesNewThreads_AndShowsItsSummary()
    {
        var space = await _kit.SpaceAsync("Consultation: words that hurt");
        var client = await _kit.ApiAsync(Roles.Viewer, "UNIMIG");
        var response = await client.PostAsJsonAsync($"/api/v1/forum/spaces/{space}/threads", new { title = "Late idea", body = "Too late?" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var html = await app.Client().GetStringAsync($"/en/forum/spaces/{space}", Ct);
        Assert.Contains("Summary of the consultation", html);
        Assert.Contains("Summary by the moderation team (demo).", html);
    }

    [Fact]
    public async Task Spaces_AreCreatedAndChangedByModeratorsOnly_AndConsultationsNeedDates()
    {
        var body = new { kind = "Consultation", title = "Consulta sobre salud mental", description = "d", language = "es", visibility = "Public", opensOn = "2026-01-01", closesOn = "2026-02-01" };
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client().PostAsJsonAsync("/api/v1/forum/spaces", body, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await _kit.ApiAsync(Roles.CountryCoordinator)).PostAsJsonAsync("/api/v1/forum/spaces", body, Ct)).StatusCode);

        var moderator = await _kit.ApiAsync(Roles.Moderator);
        var bad = await moderator.PostAsJsonAsync("/api/v1/forum/spaces", body with { closesOn = "2025-12-01" }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("closesOn", await bad.Content.ReadAsStringAsync(Ct));
        var badCountry = await moderator.PostAsJsonAsync("/api/v1/forum/spaces", new { kind = "Country", title = "Francia", visibility = "Public", country = "FRA" }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badCountry.StatusCode);

        var created = await moderator.PostAsJsonAsync("/api/v1/forum/spaces", body, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var space = (await created.Content.ReadFromJsonAsync<SpaceDto>(Ct))!;
        Assert.Equal(("Consultation", false), (space.Kind, space.IsOpen));

        // Extended through the API, then closed again from the back-office form.
        var extended = await moderator.PutAsJsonAsync($"/api/v1/forum/spaces/{space.Id}", body with { closesOn = "2100-01-01" }, Ct);
        Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        Assert.True((await extended.Content.ReadFromJsonAsync<SpaceDto>(Ct))!.IsOpen);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await _kit.ApiAsync(Roles.Editor)).PutAsJsonAsync($"/api/v1/forum/spaces/{space.Id}", body, Ct)).StatusCode);
        var participant = await _kit.ApiAsync(Roles.Viewer, "ISTMO");
        var threadId = await ForumTestKit.NewThreadAsync(participant, space.Id, "Acceso a terapia", "¿Dónde hay atención gratuita?");

        var admin = await _kit.CookieClientAsync(await _kit.PersonAsync(Roles.PlatformAdmin));
        var token = await AppFixture.AntiforgeryTokenAsync(admin, "/admin/forum/spaces");
        var form = await admin.PostAsync("/admin/forum/spaces", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["kind"] = "Sector", ["title"] = "Shelter partners (test)", ["description"] = "Coordination", ["language"] = "en",
            ["sector"] = "Shelter", ["visibility"] = "Partners", ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, form.StatusCode);
        Assert.Equal(SpaceVisibility.Partners, await _kit.DbAsync(db => db.ForumSpaces.Where(x => x.Title == "Shelter partners (test)").Select(x => x.Visibility).SingleAsync(Ct)));

        var editPage = await admin.GetStringAsync($"/admin/forum/spaces/{space.Id}", Ct);
        Assert.Contains("value=\"2100-01-01\"", editPage);
        var closeEarly = await admin.PostAsync($"/admin/forum/spaces/{space.Id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["kind"] = "Consultation", ["title"] = "Consulta sobre salud mental", ["description"] = "d", ["language"] = "es", ["visibility"] = "Public",
            ["opensOn"] = "2026-01-01", ["closesOn"] = "2026-02-01", ["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(admin, $"/admin/forum/spaces/{space.Id}"),
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, closeEarly.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await participant.PostAsJsonAsync($"/api/v1/forum/threads/{threadId}/posts", new { body = "¿Sigue abierta?" }, Ct)).StatusCode);
        Assert.Equal(2, await _kit.DbAsync(db => db.ForumModerationActions.CountAsync(a => a.SpaceId == space.Id && a.Action == ModerationActions.EditSpace, Ct)));
    }

    [Fact]
    public async Task ConsultationSummary_IsWrittenByAModerator_FromTheSpacePage()
    {
        var space = await _kit.SpaceAsync("Consulta:");
        var viewer = await _kit.CookieClientAsync(await _kit.PersonAsync(Roles.Viewer, "SJMIG"));
        Assert.DoesNotContain("Write the summary", await viewer.GetStringAsync($"/en/forum/spaces/{space}", Ct));
        var viewerToken = await AppFixture.AntiforgeryTokenAsync(viewer, $"/en/forum/spaces/{space}");
        var refused = await viewer.PostAsync($"/en/forum/spaces/{space}?handler=Summary", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["summary"] = "Not mine to write", ["language"] = "en", ["__RequestVerificationToken"] = viewerToken,
        }), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var moderator = await _kit.CookieClientAsync(await _kit.PersonAsync(Roles.Moderator));
        var token = await AppFixture.AntiforgeryTokenAsync(moderator, $"/es/forum/spaces/{space}");
        var response = await moderator.PostAsync($"/es/forum/spaces/{space}?handler=Summary", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["summary"] = "Las personas pidieron **más luz** en los parques.", ["language"] = "es", ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var html = await app.Client().GetStringAsync($"/es/forum/spaces/{space}", Ct);
        Assert.Contains("<strong>más luz</strong>", html);
        Assert.Contains("lang=\"es\"", html);
    }

    [Fact]
    public async Task LongThread_IsPaged_WithLinksBothWays()
    {
        var moderator = await _kit.ApiAsync(Roles.Moderator); // no per-person limits for moderators
        var thread = await ForumTestKit.NewThreadAsync(moderator, await _kit.SpaceAsync("Health: access"), "Long thread", "Post number 1");
        for (var i = 2; i <= 25; i++)
        {
            await ForumTestKit.ReplyAsync(moderator, thread, $"Post number {i}");
        }
        var first = await app.Client().GetStringAsync($"/en/forum/threads/{thread}", Ct);
        Assert.Contains("Post number 20<", first);
        Assert.DoesNotContain("Post number 21<", first);
        Assert.Contains("Page 1 of 2", first);
        Assert.Contains("href=\"?p=2\" rel=\"next\"", first);
        var second = await app.Client().GetStringAsync($"/en/forum/threads/{thread}?p=2", Ct);
        Assert.True(second.Contains("Post number 25<", StringComparison.Ordinal), second);
        Assert.Contains("href=\"?p=1\" rel=\"prev\"", second);
        var api = await ThreadJsonAsync(app.Client(), thread);
        Assert.Equal((25, 2), (api.GetProperty("totalPosts").GetInt32(), api.GetProperty("pageCount").GetInt32()));

        var person = await _kit.PersonAsync(Roles.Viewer, "OSAL");
        var cookie = await _kit.CookieClientAsync(person);
        var token = await AppFixture.AntiforgeryTokenAsync(cookie, $"/en/forum/threads/{thread}");
        var reply = await cookie.PostAsync($"/en/forum/threads/{thread}?handler=Reply", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["body"] = "Post number 26", ["language"] = "en", ["__RequestVerificationToken"] = token,
            ["quotedPostId"] = PostIds(api)[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, reply.StatusCode);
        Assert.Matches($"^/en/forum/threads/{thread}\\?p=2#post-\\d+$", reply.Headers.Location!.OriginalString);
        Assert.Contains($"href=\"?p=1#post-{PostIds(api)[0]}\"", await app.Client().GetStringAsync($"/en/forum/threads/{thread}?p=2", Ct));
    }

    [Fact]
    public async Task ThreadApi_PagesLikeEveryList_PageSizeLinksTotals_AndAnEmptyPagePastTheEnd()
    {
        var moderator = await _kit.ApiAsync(Roles.Moderator);
        var thread = await ForumTestKit.NewThreadAsync(moderator, await _kit.SpaceAsync("Health: access"), "Paged thread", "Paged post 1");
        for (var i = 2; i <= 5; i++)
        {
            await ForumTestKit.ReplyAsync(moderator, thread, $"Paged post {i}");
        }
        var client = app.Client();
        using var second = await client.GetAsync($"/api/v1/forum/threads/{thread}?page=2&pageSize=2", Ct);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("5", second.Headers.GetValues("X-Total-Count").Single());
        var link = second.Headers.GetValues("Link").Single();
        Assert.Contains("page=1&pageSize=2>; rel=\"prev\"", link, StringComparison.Ordinal);
        Assert.Contains("page=3&pageSize=2>; rel=\"next\"", link, StringComparison.Ordinal);
        Assert.Contains("page=3&pageSize=2>; rel=\"last\"", link, StringComparison.Ordinal);
        var body = await second.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((2, 3, 5), (body.GetProperty("page").GetInt32(), body.GetProperty("pageCount").GetInt32(), body.GetProperty("totalPosts").GetInt32()));
        Assert.Equal([3, 4], body.GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("number").GetInt32()));

        // A page past the end is empty, with the thread's totals (it was the last page, clamped, before).
        using var past = await client.GetAsync($"/api/v1/forum/threads/{thread}?page=9&pageSize=2", Ct);
        Assert.Equal(HttpStatusCode.OK, past.StatusCode);
        Assert.Equal("5", past.Headers.GetValues("X-Total-Count").Single());
        var empty = await past.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((9, 3, 5), (empty.GetProperty("page").GetInt32(), empty.GetProperty("pageCount").GetInt32(), empty.GetProperty("totalPosts").GetInt32()));
        Assert.Empty(PostIds(empty));
        Assert.DoesNotContain("rel=\"next\"", past.Headers.GetValues("Link").Single(), StringComparison.Ordinal);

        // The forum's page still brings a page past the end back to the last one.
        Assert.Contains("Paged post 5<", await client.GetStringAsync($"/en/forum/threads/{thread}?p=9", Ct));

        foreach (var bad in new[] { "pageSize=0", "pageSize=5001", "page=0", "page=x", "take=2", "limit=2" })
        {
            client.DefaultRequestHeaders.AcceptLanguage.Clear();
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("pt");
            using var refused = await client.GetAsync($"/api/v1/forum/threads/{thread}?{bad}", Ct);
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{bad}: {(int)refused.StatusCode}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
    }

    // ------------------------------------------------------------------ permission matrix

    public static TheoryData<string?, HttpStatusCode> QueueMatrix => new()
    {
        { null, HttpStatusCode.Unauthorized },
        { "", HttpStatusCode.Forbidden }, // signed in, no role
        { Roles.Viewer, HttpStatusCode.Forbidden },
        { Roles.OrgFocalPoint, HttpStatusCode.Forbidden },
        { Roles.CountryCoordinator, HttpStatusCode.Forbidden },
        { Roles.Editor, HttpStatusCode.Forbidden },
        { Roles.Translator, HttpStatusCode.Forbidden },
        { Roles.Moderator, HttpStatusCode.OK },
        { Roles.PlatformAdmin, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(QueueMatrix))]
    public async Task ModerationEndpoints_AreForModeratorsAndAdminsOnly(string? role, HttpStatusCode expected)
    {
        var client = role is null ? app.Client() : await _kit.ApiAsync(role.Length == 0 ? null : role, role.Length == 0 ? null : "ISTMO");
        var author = await _kit.ApiAsync(Roles.Viewer, "ISTMO");
        var thread = await ForumTestKit.NewThreadAsync(author, await _kit.SpaceAsync("Brasil"), "Matrix", "Matrix opening");
        var post = await ForumTestKit.ReplyAsync(author, thread, "Matrix reply");

        Assert.Equal(expected, (await client.GetAsync("/api/v1/moderation/queue", Ct)).StatusCode);
        var writeExpected = expected == HttpStatusCode.OK ? HttpStatusCode.OK : expected;
        Assert.Equal(writeExpected, (await client.PostAsJsonAsync($"/api/v1/moderation/posts/{post.Id}/hide", new { reason = "matrix" }, Ct)).StatusCode);
        Assert.Equal(writeExpected, (await client.PostAsJsonAsync($"/api/v1/moderation/threads/{thread}/lock", new { reason = "matrix" }, Ct)).StatusCode);
        Assert.Equal(writeExpected, (await client.PostAsJsonAsync("/api/v1/moderation/bulk", new { action = "restore", postIds = new[] { post.Id } }, Ct)).StatusCode);
        // A moderator hid then restored it (both logged); anyone else left it untouched.
        Assert.Equal(expected == HttpStatusCode.OK ? 2 : 0, await _kit.DbAsync(db => db.ForumModerationActions.CountAsync(a => a.PostId == post.Id, Ct)));
        Assert.Equal(PostStatus.Published, await _kit.DbAsync(db => db.ForumPosts.Where(p => p.Id == post.Id).Select(p => p.Status).SingleAsync(Ct)));
        Assert.Equal(expected == HttpStatusCode.OK, await _kit.DbAsync(db => db.ForumThreads.Where(t => t.Id == thread).Select(t => t.IsLocked).SingleAsync(Ct)));
    }

    [Fact]
    public async Task AnonymousWrites_Are401_AndReadsArePublic()
    {
        var anonymous = app.Client();
        var space = await _kit.SpaceAsync("Colombia");
        var thread = await _kit.ThreadAsync("¿Cómo convalidar");
        var post = PostIds(await ThreadJsonAsync(anonymous, thread))[0];
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/v1/forum/spaces/{space}/threads", new { title = "x", body = "y" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/v1/forum/threads/{thread}/posts", new { body = "y" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/v1/forum/posts/{post}/flags", new { reason = "spam" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync($"/api/v1/forum/posts/{post}", new { body = "y" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/api/v1/forum/posts/{post}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/v1/forum/spaces", Ct)).StatusCode);

        var signedInPage = await anonymous.PostAsync($"/en/forum/threads/{thread}?handler=Reply", new FormUrlEncodedContent(new Dictionary<string, string> { ["body"] = "x" }), Ct);
        Assert.NotEqual(HttpStatusCode.OK, signedInPage.StatusCode);
        Assert.False(await _kit.DbAsync(db => db.ForumPosts.AnyAsync(p => p.Body == "x" || p.Body == "y", Ct)));
    }

    // ------------------------------------------------------------------ notifications

    [Fact]
    public async Task Reply_NotifiesTheThreadAuthor_InTheirLanguage_WithAWorkingOneClickUnsubscribe()
    {
        var author = await _kit.PersonAsync(Roles.Viewer, "FPUENTE", lang: "es");
        var authorApi = await _kit.TokenClientAsync(author);
        var thread = await ForumTestKit.NewThreadAsync(authorApi, await _kit.SpaceAsync("Colombia"), "Clases de baile", "¿Quién se apunta?");
        await ForumTestKit.ReplyAsync(authorApi, thread, "Yo misma respondo"); // one's own reply sends nothing
        Assert.Empty(await _kit.DeliveredMailsToAsync(author.Email));

        var replier = await _kit.TokenClientAsync(await _kit.PersonAsync(Roles.Viewer, "FPUENTE", name: "Rosa Demo"));
        await ForumTestKit.ReplyAsync(replier, thread, "¡Yo me apunto los **sábados**!");
        var mail = Assert.Single(await _kit.DeliveredMailsToAsync(author.Email));
        Assert.Equal("Nueva respuesta en «Clases de baile»", mail.Subject);
        Assert.Contains("Rosa Demo respondió a tu conversación «Clases de baile»", mail.TextBody);
        Assert.Contains("¡Yo me apunto los sábados!", mail.TextBody);
        Assert.Contains($"/es/forum/threads/{thread}", mail.TextBody);
        var unsubscribe = mail.Headers["List-Unsubscribe"]!.Trim('<', '>');
        Assert.Contains(unsubscribe, mail.TextBody);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);

        var path = new Uri(unsubscribe).PathAndQuery;
        var anonymous = app.Client();
        var get = await anonymous.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.False(get.Headers.Contains("Set-Cookie"));
        Assert.False(await _kit.DbAsync(db => db.ForumNotificationSettings.AnyAsync(s => s.UserId == author.Id, Ct))); // GET changes nothing
        var post = await anonymous.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }), Ct);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Contains("Listo", await post.Content.ReadAsStringAsync(Ct));

        await ForumTestKit.ReplyAsync(replier, thread, "Y los domingos también");
        Assert.Single(await _kit.DeliveredMailsToAsync(author.Email));

        // Back on from the forum page, by the person themself.
        var authorPage = await _kit.CookieClientAsync(author);
        Assert.Contains("No recibes correos sobre respuestas", await authorPage.GetStringAsync("/es/forum", Ct));
        var token = await AppFixture.AntiforgeryTokenAsync(authorPage, "/es/forum");
        var on = await authorPage.PostAsync("/es/forum?handler=Replies", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["on"] = "true", ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, on.StatusCode);
        await ForumTestKit.ReplyAsync(replier, thread, "Y los lunes");
        Assert.Equal(2, (await _kit.DeliveredMailsToAsync(author.Email)).Count);

        var forged = await anonymous.PostAsync("/es/forum/unsubscribe?token=bm90LWEtdG9rZW4", null, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task DailyDigest_IsSentOncePerPersonSpaceAndDay_AndCanBeStopped()
    {
        var follower = await _kit.PersonAsync(Roles.Viewer, "ABRIGO", lang: "pt");
        var followerApi = await _kit.TokenClientAsync(follower);
        var space = await _kit.SpaceAsync("Brasil");
        Assert.Equal(HttpStatusCode.NoContent, (await followerApi.PostAsync($"/api/v1/forum/spaces/{space}/follow", null, Ct)).StatusCode);

        var day = new DateOnly(2025, 3, 10);
        var at = new DateTimeOffset(2025, 3, 10, 14, 0, 0, TimeSpan.Zero);
        await _kit.DbAsync(async db =>
        {
            var thread = new ForumThread { SpaceId = space, Title = "Feira de empregos em Manaus", AuthorName = "Someone", CreatedAt = at, LastActivityAt = at };
            thread.Posts.Add(new ForumPost { IsOpening = true, AuthorName = "Someone", Body = "Haverá uma feira de empregos na sexta.", Language = "pt", CreatedAt = at });
            thread.Posts.Add(new ForumPost { AuthorName = "Hidden one", Body = "hidden text", Status = PostStatus.Hidden, Language = "pt", CreatedAt = at.AddMinutes(5) });
            db.ForumThreads.Add(thread);
            return await db.SaveChangesAsync(Ct);
        });

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var notifier = scope.ServiceProvider.GetRequiredService<ForumNotifier>();
            Assert.True(await notifier.SendDigestsAsync(day, TimeProvider.System, Ct) >= 1);
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var notifier = scope.ServiceProvider.GetRequiredService<ForumNotifier>();
            Assert.Equal(0, await notifier.SendDigestsAsync(day, TimeProvider.System, Ct));
        }
        // Queued in the outbox with the claim, delivered by the outbox worker.
        var mail = Assert.Single(await _kit.DeliveredMailsToAsync(follower.Email));
        Assert.StartsWith("Brasil: interiorização e trabalho (demo): novas publicações de", mail.Subject);
        Assert.Contains("Feira de empregos em Manaus", mail.TextBody);
        Assert.Contains("Haverá uma feira de empregos na sexta.", mail.TextBody);
        Assert.DoesNotContain("hidden text", mail.TextBody);
        Assert.Contains("março", mail.TextBody);
        Assert.Equal(1, await _kit.DbAsync(db => db.ForumDigestLog.CountAsync(d => d.UserId == follower.Id && d.Day == "2025-03-10", Ct)));

        var unsubscribe = new Uri(mail.Headers["List-Unsubscribe"]!.Trim('<', '>')).PathAndQuery;
        Assert.StartsWith("/pt/forum/unsubscribe", unsubscribe);
        Assert.Equal(HttpStatusCode.OK, (await app.Client().PostAsync(unsubscribe, null, Ct)).StatusCode);
        Assert.False(await _kit.DbAsync(db => db.ForumFollows.AnyAsync(f => f.UserId == follower.Id, Ct)));
    }

    [Fact]
    public async Task DigestHostedService_SendsYesterdaysDigest()
    {
        var follower = await _kit.PersonAsync(Roles.Viewer, "CVBRA", lang: "pap");
        var space = await _kit.SpaceAsync("Kòrsou");
        Assert.Equal(HttpStatusCode.NoContent, (await (await _kit.TokenClientAsync(follower)).PostAsync($"/api/v1/forum/spaces/{space}/follow", null, Ct)).StatusCode);
        var at = new DateTimeOffset(2025, 4, 1, 9, 0, 0, TimeSpan.Zero);
        await _kit.DbAsync(async db =>
        {
            var thread = new ForumThread { SpaceId = space, Title = "Merkado di dia djasabra", AuthorName = "Someone", CreatedAt = at, LastActivityAt = at };
            thread.Posts.Add(new ForumPost { IsOpening = true, AuthorName = "Someone", Body = "Tin merkado djasabra mainta.", Language = "pap", CreatedAt = at });
            db.ForumThreads.Add(thread);
            return await db.SaveChangesAsync(Ct);
        });

        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2025, 4, 2, 6, 0, 0, TimeSpan.Zero));
        using var service = new ForumDigestHostedService(app.Services, clock, Microsoft.Extensions.Options.Options.Create(new ForumOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ForumDigestHostedService>.Instance);
        await service.StartAsync(Ct);
        for (var i = 0; i < 200 && _kit.MailsTo(follower.Email).Count == 0; i++)
        {
            await Task.Delay(50, Ct);
        }
        await service.StopAsync(Ct);
        var mail = Assert.Single(await _kit.DeliveredMailsToAsync(follower.Email));
        Assert.Contains("Merkado di dia djasabra", mail.TextBody);
        Assert.Contains("aprel", mail.TextBody, StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class ForumSqlite(SqliteApp app) : ForumSuite<SqliteApp>(app);
public sealed class ForumPostgres(PostgresApp app) : ForumSuite<PostgresApp>(app);
