using System.Net;
using Closer.Tests.Infrastructure;
using Closer.Web.Infrastructure.Security;

namespace Closer.Tests.Features.Forum;

/// <summary>Per-person limits with small configured values: the next write after the limit is 429 and stores nothing.</summary>
public abstract class ForumLimitsSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ForumTestKit _kit = new(app);

    internal static void Limits(Dictionary<string, string?> settings)
    {
        settings["Forum:ThreadsPerHour"] = "2";
        settings["Forum:PostsPerHour"] = "3";
        settings["Forum:FlagsPerHour"] = "2";
    }

    [Fact]
    public async Task Threads_AreLimitedPerPerson()
    {
        var client = await _kit.ApiAsync(Roles.Viewer, "AGUA");
        var space = await _kit.SpaceAsync("Health: access");
        await ForumTestKit.NewThreadAsync(client, space, "One", "first");
        await ForumTestKit.NewThreadAsync(client, space, "Two", "second");
        var third = await client.PostAsJsonAsync($"/api/v1/forum/spaces/{space}/threads", new { title = "Three", body = "third" }, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);

        // The limit is per person: someone else still can.
        var other = await _kit.ApiAsync(Roles.Viewer, "AGUA");
        await ForumTestKit.NewThreadAsync(other, space, "Other person", "fine");
    }

    [Fact]
    public async Task Replies_AreLimitedPerPerson_AndModeratorsAreNot()
    {
        var client = await _kit.ApiAsync(Roles.Viewer, "TECHO");
        var thread = await _kit.ThreadAsync("Mental health support");
        for (var i = 0; i < 3; i++)
        {
            await ForumTestKit.ReplyAsync(client, thread, $"reply {i}");
        }
        var fourth = await client.PostAsJsonAsync($"/api/v1/forum/threads/{thread}/posts", new { body = "reply 3" }, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.Equal(0, await _kit.DbAsync(db => System.Threading.Tasks.Task.FromResult(db.ForumPosts.Count(p => p.Body == "reply 3"))));

        var moderator = await _kit.ApiAsync(Roles.Moderator);
        for (var i = 0; i < 5; i++)
        {
            await ForumTestKit.ReplyAsync(moderator, thread, $"moderator note {i}");
        }
    }

    [Fact]
    public async Task Flags_AreLimitedPerPerson()
    {
        var author = await _kit.ApiAsync(Roles.Viewer, "EDUC");
        var thread = await ForumTestKit.NewThreadAsync(author, await _kit.SpaceAsync("Colombia"), "Flag target", "opening");
        var posts = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            posts.Add((await ForumTestKit.ReplyAsync(author, thread, $"flag me {i}")).Id);
        }
        var flagger = await _kit.ApiAsync(Roles.Viewer, "CASH");
        Assert.Equal(HttpStatusCode.Created, (await flagger.PostAsJsonAsync($"/api/v1/forum/posts/{posts[0]}/flags", new { reason = "spam" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await flagger.PostAsJsonAsync($"/api/v1/forum/posts/{posts[1]}/flags", new { reason = "abuse" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await flagger.PostAsJsonAsync($"/api/v1/forum/posts/{posts[2]}/flags", new { reason = "other" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task ThreadPage_ShowsTheLimitMessage_WithStatus429()
    {
        var person = await _kit.PersonAsync(Roles.Viewer, "PROT");
        var api = await _kit.TokenClientAsync(person);
        var thread = await _kit.ThreadAsync("Interiorização");
        for (var i = 0; i < 3; i++)
        {
            await ForumTestKit.ReplyAsync(api, thread, $"page limit {i}");
        }
        var client = await _kit.CookieClientAsync(person);
        var token = await AppFixture.AntiforgeryTokenAsync(client, $"/en/forum/threads/{thread}");
        var response = await client.PostAsync($"/en/forum/threads/{thread}?handler=Reply", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["body"] = "one too many", ["language"] = "en", ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains("too many replies in the last hour", await response.Content.ReadAsStringAsync(Ct));
    }
}

public sealed class ForumLimitsSqliteApp : SqliteAppBase
{
    protected override void AddSettings(Dictionary<string, string?> settings) => ForumLimitsSuite<ForumLimitsSqliteApp>.Limits(settings);
}

public sealed class ForumLimitsPostgresApp : PostgresApp
{
    protected override void AddSettings(Dictionary<string, string?> settings) => ForumLimitsSuite<ForumLimitsPostgresApp>.Limits(settings);
}

public sealed class ForumLimitsSqlite(ForumLimitsSqliteApp app) : ForumLimitsSuite<ForumLimitsSqliteApp>(app);
public sealed class ForumLimitsPostgres(ForumLimitsPostgresApp app) : ForumLimitsSuite<ForumLimitsPostgresApp>(app);
