using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Markdown;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Forum;

public sealed record RevisionView(string Body, DateTimeOffset ReplacedAt);

public sealed record PostView(
    long Id, int Number, string AuthorName, string? AuthorId, string Language, string Html, string Body,
    PostStatus Status, string? HeldReason, DateTimeOffset CreatedAt, DateTimeOffset? EditedAt, long? QuotedPostId,
    bool IsOpening, bool IsDemo, IReadOnlyList<RevisionView> Revisions, int OpenFlags);

public sealed record ThreadView(
    ForumThread Thread, ForumSpace Space, IReadOnlyList<PostView> Posts, int Page, int PageCount, int TotalPosts);


/// <summary>
/// What a reader sees: the spaces, threads and posts visible to them (partner-only spaces, held and hidden posts),
/// paged, for the pages and the API alike. Every write starts from these rules too.
/// </summary>
public sealed class ForumReading(CloserDbContext db, IOptions<ForumOptions> options, MarkdownRenderer markdown)
{
    private ForumOptions O => options.Value;

    public IQueryable<ForumSpace> VisibleSpaces(ForumActor actor) =>
        actor.IsPartner || actor.IsModerator
            ? db.ForumSpaces.AsNoTracking()
            : db.ForumSpaces.AsNoTracking().Where(s => s.Visibility == SpaceVisibility.Public);

    public async Task<ForumSpace?> GetSpaceAsync(ForumActor actor, int id, CancellationToken ct)
    {
        var space = await db.ForumSpaces.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        return space is not null && actor.CanRead(space) ? space : null;
    }

    /// <summary>Threads of a space the actor may see, newest activity first.</summary>
    public IQueryable<ForumThread> VisibleThreads(ForumActor actor, int spaceId)
    {
        var q = db.ForumThreads.AsNoTracking().Where(t => t.SpaceId == spaceId);
        if (actor.IsModerator)
        {
            return q;
        }
        var me = actor.UserId;
        return q.Where(t => t.Posts.Any(p => p.IsOpening && (p.Status == PostStatus.Published || (me != null && p.AuthorId == me && p.Status != PostStatus.Hidden))));
    }

    /// <summary>
    /// One page of a space's visible threads, newest activity first. The forum's pages bring a page past the end back to
    /// the last one (<paramref name="clamp"/>); the API answers it empty, as every paged list does.
    /// </summary>
    public async Task<(List<ThreadRow> Rows, int Page, int PageCount, int Total)> ThreadPageAsync(ForumActor actor, int spaceId, int page, int size, CancellationToken ct,
        bool clamp = true)
    {
        size = Math.Max(1, size);
        var q = VisibleThreads(actor, spaceId);
        var total = await q.CountAsync(ct);
        var pageCount = Math.Max(1, (total + size - 1) / size);
        page = clamp ? Math.Clamp(page, 1, pageCount) : Math.Max(1, page);
        var rows = await q.OrderByDescending(t => t.LastActivityAt).ThenByDescending(t => t.Id)
            .Skip((page - 1) * size).Take(size)
            .Select(t => new ThreadRow(t.Id, t.Title, t.Language, t.AuthorName,
                t.Posts.Count(p => !p.IsOpening && p.Status == PostStatus.Published), t.LastActivityAt, t.IsLocked, t.IsDemo))
            .ToListAsync(ct);
        return (rows, page, pageCount, total);
    }

    /// <summary>The posts of a thread this actor may see (moderators: all; the author: also their own held posts).</summary>
    private IQueryable<ForumPost> VisiblePosts(ForumActor actor, int threadId)
    {
        var posts = db.ForumPosts.AsNoTracking().Where(p => p.ThreadId == threadId);
        if (actor.IsModerator)
        {
            return posts;
        }
        var me = actor.UserId;
        return posts.Where(p => p.Status == PostStatus.Published || p.Status == PostStatus.Deleted
            || (me != null && p.AuthorId == me && p.Status == PostStatus.Held));
    }

    /// <summary>The page of the thread a post is on, for links and redirects to it.</summary>
    public async Task<int> PageOfPostAsync(ForumActor actor, int threadId, long postId, CancellationToken ct)
    {
        var post = await db.ForumPosts.AsNoTracking().Where(p => p.Id == postId && p.ThreadId == threadId)
            .Select(p => new { p.CreatedAt, p.Id }).FirstOrDefaultAsync(ct);
        if (post is null)
        {
            return 1;
        }
        var before = await VisiblePosts(actor, threadId)
            .CountAsync(p => p.CreatedAt < post.CreatedAt || (p.CreatedAt == post.CreatedAt && p.Id < post.Id), ct);
        return before / Math.Max(1, O.PostsPerPage) + 1;
    }

    /// <summary>A published post of this thread, to quote.</summary>
    public Task<ForumPost?> QuotablePostAsync(int threadId, long postId, CancellationToken ct) =>
        db.ForumPosts.AsNoTracking().FirstOrDefaultAsync(p => p.Id == postId && p.ThreadId == threadId && p.Status == PostStatus.Published, ct);

    /// <summary>A page of a thread as the forum's pages show it: the forum's page size, a page past the end is the last one.</summary>
    public Task<ThreadView?> GetThreadAsync(ForumActor actor, int threadId, int page, CancellationToken ct) =>
        GetThreadAsync(actor, threadId, page, O.PostsPerPage, clamp: true, ct);

    /// <summary>
    /// A page of a thread of <paramref name="size"/> posts. The API does not clamp (<paramref name="clamp"/> false): a page
    /// past the end is empty, with the thread's totals, as on every paged list.
    /// </summary>
    public async Task<ThreadView?> GetThreadAsync(ForumActor actor, int threadId, int page, int size, bool clamp, CancellationToken ct)
    {
        var thread = await db.ForumThreads.AsNoTracking().Include(t => t.Space).FirstOrDefaultAsync(t => t.Id == threadId, ct);
        if (thread?.Space is null || !actor.CanRead(thread.Space))
        {
            return null;
        }
        if (!actor.IsModerator && !await VisibleThreads(actor, thread.SpaceId).AnyAsync(t => t.Id == threadId, ct))
        {
            return null;
        }
        var posts = VisiblePosts(actor, threadId);
        var total = await posts.CountAsync(ct);
        size = Math.Max(1, size);
        var pageCount = Math.Max(1, (total + size - 1) / size);
        page = clamp ? Math.Clamp(page, 1, pageCount) : Math.Max(1, page);
        var rows = await posts.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
            .Skip((page - 1) * size).Take(size).ToListAsync(ct);
        var ids = rows.Select(p => p.Id).ToList();
        var revisions = actor.IsModerator
            ? (await db.ForumPostRevisions.AsNoTracking().Where(r => ids.Contains(r.PostId)).ToListAsync(ct))
                .OrderBy(r => r.ReplacedAt).ToLookup(r => r.PostId)
            : Enumerable.Empty<ForumPostRevision>().ToLookup(r => r.PostId);
        var flags = actor.IsModerator
            ? (await db.ForumFlags.AsNoTracking().Where(f => ids.Contains(f.PostId) && f.ResolvedAt == null).Select(f => f.PostId).ToListAsync(ct))
                .GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count())
            : [];
        var views = rows.Select((p, i) => new PostView(
            p.Id, (page - 1) * size + i + 1, p.AuthorName, p.AuthorId, p.Language,
            p.Status == PostStatus.Deleted && !actor.IsModerator ? "" : markdown.ToHtml(p.Body),
            p.Status == PostStatus.Deleted && !actor.IsModerator ? "" : p.Body,
            p.Status, p.HeldReason, p.CreatedAt, p.EditedAt, p.QuotedPostId, p.IsOpening, p.IsDemo,
            revisions[p.Id].Select(r => new RevisionView(r.Body, r.ReplacedAt)).ToList(),
            flags.GetValueOrDefault(p.Id))).ToList();
        return new ThreadView(thread, thread.Space, views, page, pageCount, total);
    }
}
