using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Markdown;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Closer.Web.Features.Forum;

public sealed record SpaceDto(int Id, string Kind, string Title, string Description, string Language, string? Country, string? Sector,
    string Visibility, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, bool IsOpen, string? SummaryHtml, bool IsDemo);
public sealed record NewThread(string? Title, string? Body, string? Language);
public sealed record NewPost(string? Body, string? Language, long? QuotedPostId);
public sealed record PostEdit(string? Body);
public sealed record NewFlag(string? Reason, string? Note);
public sealed record CreatedDto(long Id, string Status);
public sealed record PostDto(long Id, int Number, string Author, string Language, string Html, string Status, string? HeldReason,
    DateTimeOffset CreatedAt, DateTimeOffset? EditedAt, long? QuotedPostId, bool IsDemo);
public sealed record ThreadDto(int Id, int SpaceId, string Title, string Language, bool Locked, int Page, int PageCount, int TotalPosts, List<PostDto> Posts);
public sealed record QueueDto(long PostId, int ThreadId, string ThreadTitle, string Author, string? AuthorId, string Language, string Html,
    string Status, string? HeldReason, DateTimeOffset CreatedAt, List<string> FlagReasons, int FlagCount);
public sealed record ThreadListDto(int SpaceId, int Page, int PageCount, int Total, List<ThreadRow> Threads);
public sealed record ModerationRequest(string? Reason, int? Days);
public sealed record BulkModeration(string? Action, List<long>? PostIds, string? Reason, int? Days);
public sealed record ModerationResult(int Affected);

public static class ForumFeature
{
    public const string ModeratorPolicy = "ForumModerator";

    public static IServiceCollection AddForum(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForumOptions>(configuration.GetSection("Forum"));
        services.TryAddSingleton<MarkdownRenderer>(); // shared: other features may register it too
        services.AddSingleton<UnsubscribeTokens>();
        services.AddScoped<ForumReading>();
        services.AddScoped<ForumAuthors>();
        services.AddScoped<ForumPosting>();
        services.AddScoped<ForumFlagging>();
        services.AddScoped<ForumFollowing>();
        services.AddScoped<ForumModeration>();
        services.AddScoped<ForumSpaces>();
        services.AddScoped<ForumNotifier>();
        services.AddScoped<IDemoSeeder, DemoForum>();
        services.AddHostedService<ForumDigestHostedService>();
        services.AddAuthorizationBuilder()
            .AddPolicy(ModeratorPolicy, p => p.RequireAuthenticatedUser().RequireRole(Roles.Moderator, Roles.PlatformAdmin));
        return services;
    }

    public static IEndpointRouteBuilder MapForumApi(this IEndpointRouteBuilder app)
    {
        var forum = app.MapGroup("/api/v1/forum").WithTags("Forum");
        forum.MapGet("/spaces", ListSpacesAsync).AllowAnonymous().Paged();
        forum.MapPost("/spaces", CreateSpaceAsync).RequireAuthorization(ModeratorPolicy);
        forum.MapPut("/spaces/{id:int}", UpdateSpaceAsync).RequireAuthorization(ModeratorPolicy);
        forum.MapGet("/spaces/{id:int}/threads", ListThreadsAsync).AllowAnonymous().Paged(defaultPageSize: 20);
        forum.MapPost("/spaces/{id:int}/threads", CreateThreadAsync).RequireAuthorization(Policies.ApiUser);
        forum.MapPost("/spaces/{id:int}/follow", (int id, ForumFollowing f, HttpContext http, CancellationToken ct) => FollowAsync(id, true, f, http, ct)).RequireAuthorization(Policies.ApiUser);
        forum.MapDelete("/spaces/{id:int}/follow", (int id, ForumFollowing f, HttpContext http, CancellationToken ct) => FollowAsync(id, false, f, http, ct)).RequireAuthorization(Policies.ApiUser);
        forum.MapGet("/threads/{id:int}", GetThreadAsync).AllowAnonymous().Paged(defaultPageSize: 20);
        forum.MapPost("/threads/{id:int}/posts", ReplyAsync).RequireAuthorization(Policies.ApiUser);
        forum.MapPut("/posts/{id:long}", EditAsync).RequireAuthorization(Policies.ApiUser);
        forum.MapDelete("/posts/{id:long}", DeleteAsync).RequireAuthorization(Policies.ApiUser);
        forum.MapPost("/posts/{id:long}/flags", FlagAsync).RequireAuthorization(Policies.ApiUser);

        var mod = app.MapGroup("/api/v1/moderation").WithTags("Moderation").RequireAuthorization(ModeratorPolicy);
        mod.MapGet("/queue", QueueAsync).Paged();
        mod.MapGet("/log", LogAsync).Paged(defaultPageSize: 100);
        mod.MapPost("/posts/{id:long}/hide", (long id, ModerationRequest r, ForumModeration f, HttpContext http, CancellationToken ct) => PostActionAsync(ModerationActions.Hide, id, r, f, http, ct));
        mod.MapPost("/posts/{id:long}/restore", (long id, ModerationRequest r, ForumModeration f, HttpContext http, CancellationToken ct) => PostActionAsync(ModerationActions.Restore, id, r, f, http, ct));
        mod.MapPost("/posts/{id:long}/approve", (long id, ModerationRequest r, ForumModeration f, HttpContext http, CancellationToken ct) => PostActionAsync(ModerationActions.Approve, id, r, f, http, ct));
        mod.MapPost("/posts/{id:long}/dismiss", (long id, ModerationRequest r, ForumModeration f, HttpContext http, CancellationToken ct) => PostActionAsync(ModerationActions.Dismiss, id, r, f, http, ct));
        mod.MapPost("/threads/{id:int}/lock", (int id, ModerationRequest r, ForumModeration f, HttpContext http, CancellationToken ct) => LockAsync(id, true, r, f, http, ct));
        mod.MapPost("/threads/{id:int}/unlock", (int id, ModerationRequest r, ForumModeration f, HttpContext http, CancellationToken ct) => LockAsync(id, false, r, f, http, ct));
        mod.MapPost("/users/{id}/suspend", SuspendAsync);
        mod.MapPost("/users/{id}/unsuspend", UnsuspendAsync);
        mod.MapPost("/bulk", BulkAsync);
        return app;
    }

    internal static SpaceDto ToDto(ForumSpace s, DateTimeOffset now, MarkdownRenderer md) => new(
        s.Id, s.Kind.ToString(), s.Title, s.Description, s.Language, s.CountryIso3?.Trim(), s.Sector, s.Visibility.ToString(),
        s.OpensAt, s.ClosesAt, s.IsOpenAt(now), s.Summary is null ? null : md.ToHtml(s.Summary), s.IsDemo);

    private static async Task<Ok<List<SpaceDto>>> ListSpacesAsync(ForumReading forum, HttpContext http, TimeProvider time, MarkdownRenderer md, CancellationToken ct)
    {
        var spaces = await forum.VisibleSpaces(ForumActor.From(http.User)).OrderBy(s => s.Kind).ThenBy(s => s.Title).ToListAsync(ct);
        var now = time.GetUtcNow();
        return TypedResults.Ok(spaces.Select(s => ToDto(s, now, md)).ToList());
    }

    private static async Task<Results<Ok<ThreadListDto>, ProblemHttpResult>> ListThreadsAsync(int id, ForumReading forum, HttpContext http,
        Microsoft.Extensions.Options.IOptions<ForumOptions> options, CancellationToken ct)
    {
        var actor = ForumActor.From(http.User);
        if (await forum.GetSpaceAsync(actor, id, ct) is null)
        {
            return new NotFoundError("space-not-found", "No such forum space.").ToProblem(http);
        }
        // The page size defaults to the forum's own setting (ThreadsPerPage), as on the space page.
        var paging = Paging.Current(http);
        var size = http.Request.Query.ContainsKey("pageSize") ? paging.PageSize : options.Value.ThreadsPerPage;
        var (rows, current, pages, total) = await forum.ThreadPageAsync(actor, id, paging.Page, size, ct, clamp: false);
        Paging.WriteHeaders(http, new PageRequest(current, size, Whole: false), total);
        return TypedResults.Ok(new ThreadListDto(id, current, pages, total, rows));
    }

    private static async Task<Results<Created<SpaceDto>, ProblemHttpResult>> CreateSpaceAsync(SpaceInput body, ForumSpaces forum, HttpContext http,
        TimeProvider time, MarkdownRenderer md, CancellationToken ct)
    {
        var r = await forum.CreateSpaceAsync(ForumActor.From(http.User), body, ct);
        return r.Error is { } e ? e.ToProblem(http) : TypedResults.Created($"/api/v1/forum/spaces/{r.Value!.Id}", ToDto(r.Value, time.GetUtcNow(), md));
    }

    private static async Task<Results<Ok<SpaceDto>, ProblemHttpResult>> UpdateSpaceAsync(int id, SpaceInput body, ForumSpaces forum, HttpContext http,
        TimeProvider time, MarkdownRenderer md, CancellationToken ct)
    {
        var r = await forum.UpdateSpaceAsync(ForumActor.From(http.User), id, body, ct);
        return r.Error is { } e ? e.ToProblem(http) : TypedResults.Ok(ToDto(r.Value!, time.GetUtcNow(), md));
    }

    private static async Task<Results<Created<CreatedDto>, ProblemHttpResult>> CreateThreadAsync(int id, NewThread body, ForumPosting forum, HttpContext http, CancellationToken ct)
    {
        var r = await forum.CreateThreadAsync(ForumActor.From(http.User), id, body.Title, body.Body, body.Language, ct);
        return r.Error is { } e ? e.ToProblem(http)
            : TypedResults.Created($"/api/v1/forum/threads/{r.Value!.Id}", new CreatedDto(r.Value.Id, r.Value.Posts[0].Status.ToString()));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> FollowAsync(int id, bool follow, ForumFollowing forum, HttpContext http, CancellationToken ct)
    {
        var r = await forum.SetFollowAsync(ForumActor.From(http.User), id, follow, ct);
        return r.Error is { } e ? e.ToProblem(http) : TypedResults.NoContent();
    }

    /// <summary>
    /// A thread and one page of its posts: <c>page</c>, <c>pageSize</c> (the forum's PostsPerPage when absent), a page past
    /// the end is empty with the thread's totals; X-Total-Count and Link as on every paged list.
    /// </summary>
    private static async Task<Results<Ok<ThreadDto>, ProblemHttpResult>> GetThreadAsync(int id, ForumReading forum, HttpContext http,
        Microsoft.Extensions.Options.IOptions<ForumOptions> options, CancellationToken ct)
    {
        var paging = Paging.Current(http);
        var size = http.Request.Query.ContainsKey("pageSize") ? paging.PageSize : options.Value.PostsPerPage;
        var view = await forum.GetThreadAsync(ForumActor.From(http.User), id, paging.Page, size, clamp: false, ct);
        if (view is null)
        {
            return new NotFoundError("thread-not-found", "No such thread.").ToProblem(http);
        }
        Paging.WriteHeaders(http, new PageRequest(view.Page, size, Whole: false), view.TotalPosts);
        return TypedResults.Ok(new ThreadDto(view.Thread.Id, view.Thread.SpaceId, view.Thread.Title, view.Thread.Language, view.Thread.IsLocked,
            view.Page, view.PageCount, view.TotalPosts,
            view.Posts.Select(p => new PostDto(p.Id, p.Number, p.AuthorName, p.Language, p.Html, p.Status.ToString(), p.HeldReason,
                p.CreatedAt, p.EditedAt, p.QuotedPostId, p.IsDemo)).ToList()));
    }

    private static async Task<Results<Created<CreatedDto>, ProblemHttpResult>> ReplyAsync(int id, NewPost body, ForumPosting forum, HttpContext http, CancellationToken ct)
    {
        var r = await forum.ReplyAsync(ForumActor.From(http.User), id, body.Body, body.Language, body.QuotedPostId, ct);
        return r.Error is { } e ? e.ToProblem(http)
            : TypedResults.Created($"/api/v1/forum/threads/{id}", new CreatedDto(r.Value!.Id, r.Value.Status.ToString()));
    }

    private static async Task<Results<Ok<CreatedDto>, ProblemHttpResult>> EditAsync(long id, PostEdit body, ForumPosting forum, HttpContext http, CancellationToken ct)
    {
        var r = await forum.EditAsync(ForumActor.From(http.User), id, body.Body, ct);
        return r.Error is { } e ? e.ToProblem(http) : TypedResults.Ok(new CreatedDto(r.Value!.Id, r.Value.Status.ToString()));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, ForumPosting forum, HttpContext http, CancellationToken ct)
    {
        var r = await forum.DeleteAsync(ForumActor.From(http.User), id, ct);
        return r.Error is { } e ? e.ToProblem(http) : TypedResults.NoContent();
    }

    private static async Task<Results<Created<CreatedDto>, ProblemHttpResult>> FlagAsync(long id, NewFlag body, ForumFlagging forum, HttpContext http, CancellationToken ct)
    {
        FlagReason? reason = Enum.TryParse<FlagReason>(body.Reason?.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var parsed)
            && Enum.IsDefined(parsed) ? parsed : null;
        var r = await forum.FlagAsync(ForumActor.From(http.User), id, reason, body.Note, ct);
        return r.Error is { } e ? e.ToProblem(http) : TypedResults.Created($"/api/v1/forum/posts/{id}", new CreatedDto(r.Value!.Id, "Open"));
    }

    private static async Task<Ok<List<QueueDto>>> QueueAsync(ForumModeration forum, CancellationToken ct) =>
        TypedResults.Ok((await forum.QueueAsync(ct)).Select(q => new QueueDto(q.PostId, q.ThreadId, q.ThreadTitle, q.AuthorName, q.AuthorId,
            q.Language, q.Html, q.Status.ToString(), q.HeldReason, q.CreatedAt, q.FlagReasons.Select(f => f.ToString()).ToList(), q.FlagCount)).ToList());

    private static async Task<Ok<List<ModerationAction>>> LogAsync(CloserDbContext db, HttpContext http, CancellationToken ct)
    {
        var paging = Paging.Current(http);
        Paging.WriteHeaders(http, paging, await db.ForumModerationActions.CountAsync(ct));
        return TypedResults.Ok(await db.ForumModerationActions.AsNoTracking().OrderByDescending(a => a.Id).Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct));
    }

    private static async Task<Results<Ok<ModerationResult>, ProblemHttpResult>> PostActionAsync(string action, long id, ModerationRequest body, ForumModeration forum, HttpContext http, CancellationToken ct)
    {
        var r = await forum.ModeratePostsAsync(ForumActor.From(http.User), action, [id], body.Reason, body.Days, ct);
        return r.Error is { } e ? e.ToProblem(http) : TypedResults.Ok(new ModerationResult(r.Value));
    }

    private static async Task<Results<Ok<ModerationResult>, ProblemHttpResult>> LockAsync(int id, bool locked, ModerationRequest body, ForumModeration forum, HttpContext http, CancellationToken ct)
    {
        var r = await forum.SetLockedAsync(ForumActor.From(http.User), id, locked, body.Reason, ct);
        return r.Error is { } e ? e.ToProblem(http) : TypedResults.Ok(new ModerationResult(1));
    }

    private static async Task<Results<Ok<ModerationResult>, ProblemHttpResult>> SuspendAsync(string id, ModerationRequest body, ForumModeration forum, HttpContext http, CancellationToken ct)
    {
        var r = await forum.SuspendAsync(ForumActor.From(http.User), id, body.Days ?? 0, body.Reason, ct);
        return r.Error is { } e ? e.ToProblem(http) : TypedResults.Ok(new ModerationResult(1));
    }

    private static async Task<Results<Ok<ModerationResult>, ProblemHttpResult>> UnsuspendAsync(string id, ModerationRequest body, ForumModeration forum, HttpContext http, CancellationToken ct)
    {
        var r = await forum.LiftSuspensionAsync(ForumActor.From(http.User), id, body.Reason, ct);
        return r.Error is { } e ? e.ToProblem(http) : TypedResults.Ok(new ModerationResult(r.Value));
    }

    private static async Task<Results<Ok<ModerationResult>, ProblemHttpResult>> BulkAsync(BulkModeration body, ForumModeration forum, HttpContext http, CancellationToken ct)
    {
        var r = await forum.ModeratePostsAsync(ForumActor.From(http.User), body.Action, body.PostIds ?? [], body.Reason, body.Days, ct);
        return r.Error is { } e ? e.ToProblem(http) : TypedResults.Ok(new ModerationResult(r.Value));
    }
}
