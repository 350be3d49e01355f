using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Markdown;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Forum;

public sealed record SpaceInput(string? Kind, string? Title, string? Description, string? Language, string? Country, string? Sector,
    string? Visibility, DateOnly? OpensOn, DateOnly? ClosesOn);

public sealed record RevisionView(string Body, DateTimeOffset ReplacedAt);

public sealed record PostView(
    long Id, int Number, string AuthorName, string? AuthorId, string Language, string Html, string Body,
    PostStatus Status, string? HeldReason, DateTimeOffset CreatedAt, DateTimeOffset? EditedAt, long? QuotedPostId,
    bool IsOpening, bool IsDemo, IReadOnlyList<RevisionView> Revisions, int OpenFlags);

public sealed record ThreadView(
    ForumThread Thread, ForumSpace Space, IReadOnlyList<PostView> Posts, int Page, int PageCount, int TotalPosts);

public sealed record QueueItem(
    long PostId, int ThreadId, string ThreadTitle, string AuthorName, string? AuthorId, string Language, string Html,
    PostStatus Status, string? HeldReason, DateTimeOffset CreatedAt, IReadOnlyList<FlagReason> FlagReasons, int FlagCount);

public static class ModerationActions
{
    public const string Hide = "hide";
    public const string Restore = "restore";
    public const string Approve = "approve";
    public const string Dismiss = "dismiss";
    public const string Lock = "lock";
    public const string Unlock = "unlock";
    public const string Suspend = "suspend";
    public const string Summary = "summary";
    public const string CreateSpace = "create-space";
    public const string EditSpace = "edit-space";
    public const string Unsuspend = "unsuspend";
    public const string AutoHold = "auto-hold";

    public static readonly string[] Bulk = [Hide, Restore, Approve, Dismiss, Suspend];
}

/// <summary>
/// The forum's reads and writes, used by the pages and the API alike: visibility, limits, holds,
/// moderation (one or many, in one transaction) and the moderation log.
/// </summary>
public sealed class ForumService(
    CloserDbContext db, TimeProvider time, IOptions<ForumOptions> options, MarkdownRenderer markdown,
    ForumNotifier notifier, Notifications.IChangeNotifications? changes = null)
{
    /// <summary>Saves; when a post was published, followers' immediate e-mails are written in the same transaction.</summary>
    private async Task SaveAndNotifyAsync(ForumPost? published, CancellationToken ct)
    {
        if (published is null || changes is null)
        {
            await db.SaveChangesAsync(ct);
            return;
        }
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.SaveChangesAsync(ct);
        await changes.ForumPostPublishedAsync(db, published.Id, ct);
        await db.SaveChangesAsync(ct);
        if (tx is not null)
        {
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>The moderation log's "who" for actions the forum takes by itself.</summary>
    public const string SystemModerator = "system";

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

    /// <summary>One page of a space's visible threads, newest activity first.</summary>
    public async Task<(List<ThreadRow> Rows, int Page, int PageCount, int Total)> ThreadPageAsync(ForumActor actor, int spaceId, int page, int size, CancellationToken ct)
    {
        size = Math.Max(1, size);
        var q = VisibleThreads(actor, spaceId);
        var total = await q.CountAsync(ct);
        var pageCount = Math.Max(1, (total + size - 1) / size);
        page = Math.Clamp(page, 1, pageCount);
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

    public async Task<ThreadView?> GetThreadAsync(ForumActor actor, int threadId, int page, CancellationToken ct)
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
        var size = Math.Max(1, O.PostsPerPage);
        var pageCount = Math.Max(1, (total + size - 1) / size);
        page = Math.Clamp(page, 1, pageCount);
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

    public async Task<Result<ForumThread>> CreateThreadAsync(ForumActor actor, int spaceId, string? title, string? body, string? language, CancellationToken ct)
    {
        var author = await AuthorAsync(actor, ct);
        if (author.Error is not null)
        {
            return author.Error;
        }
        var space = await GetSpaceAsync(actor, spaceId, ct);
        if (space is null)
        {
            return new NotFoundError("space-not-found", "No such forum space.");
        }
        var now = time.GetUtcNow();
        if (!space.IsOpenAt(now))
        {
            return new ConflictError("space-closed", "This consultation is not open for contributions.");
        }
        if (!actor.IsModerator && await db.ForumThreads.CountAsync(t => t.AuthorId == actor.UserId && t.CreatedAt > now.AddHours(-1), ct) >= O.ThreadsPerHour)
        {
            return new TooManyRequestsError("thread-rate-limit", "You have started too many threads in the last hour. Please try again later.");
        }
        var errors = new List<FieldError>();
        title = title?.Trim() ?? "";
        if (title.Length is < 3 or > 200)
        {
            errors.Add(new FieldError(null, "title", "The title needs 3 to 200 characters."));
        }
        var status = await CheckBodyAsync(actor, author.Value!, body, now, errors, ct, alsoCheck: title);
        if (errors.Count > 0)
        {
            return new ValidationError("invalid-post", "The post could not be saved.", errors);
        }
        var lang = Languages.IsSupported(language) ? language! : Languages.Current;
        var thread = new ForumThread
        {
            SpaceId = space.Id, Title = title, Language = lang, AuthorId = actor.UserId, AuthorName = author.Value!.Name,
            CreatedAt = now, LastActivityAt = now,
        };
        thread.Posts.Add(new ForumPost
        {
            IsOpening = true, AuthorId = actor.UserId, AuthorName = author.Value.Name, Body = body!.Trim(), Language = lang,
            Status = status.Status, HeldReason = status.Reason, CreatedAt = now,
        });
        db.ForumThreads.Add(thread);
        await SaveAndNotifyAsync(thread.Posts[0].Status == PostStatus.Published ? thread.Posts[0] : null, ct);
        return thread;
    }

    public async Task<Result<ForumPost>> ReplyAsync(ForumActor actor, int threadId, string? body, string? language, long? quotedPostId, CancellationToken ct)
    {
        var author = await AuthorAsync(actor, ct);
        if (author.Error is not null)
        {
            return author.Error;
        }
        var thread = await db.ForumThreads.Include(t => t.Space).FirstOrDefaultAsync(t => t.Id == threadId, ct);
        if (thread?.Space is null || !actor.CanRead(thread.Space)
            || (!actor.IsModerator && !await VisibleThreads(actor, thread.SpaceId).AnyAsync(t => t.Id == threadId, ct)))
        {
            return new NotFoundError("thread-not-found", "No such thread.");
        }
        var now = time.GetUtcNow();
        if (thread.IsLocked && !actor.IsModerator)
        {
            return new ConflictError("thread-locked", "This thread is locked: no new replies.");
        }
        if (!thread.Space.IsOpenAt(now) && !actor.IsModerator)
        {
            return new ConflictError("space-closed", "This consultation is not open for contributions.");
        }
        if (!actor.IsModerator && await db.ForumPosts.CountAsync(p => p.AuthorId == actor.UserId && !p.IsOpening && p.CreatedAt > now.AddHours(-1), ct) >= O.PostsPerHour)
        {
            return new TooManyRequestsError("post-rate-limit", "You have posted too many replies in the last hour. Please try again later.");
        }
        if (quotedPostId is { } q && !await db.ForumPosts.AnyAsync(p => p.Id == q && p.ThreadId == threadId && p.Status == PostStatus.Published, ct))
        {
            quotedPostId = null;
        }
        var errors = new List<FieldError>();
        var status = await CheckBodyAsync(actor, author.Value!, body, now, errors, ct);
        if (errors.Count > 0)
        {
            return new ValidationError("invalid-post", "The post could not be saved.", errors);
        }
        var post = new ForumPost
        {
            ThreadId = thread.Id, AuthorId = actor.UserId, AuthorName = author.Value!.Name, Body = body!.Trim(),
            Language = Languages.IsSupported(language) ? language! : Languages.Current, QuotedPostId = quotedPostId,
            Status = status.Status, HeldReason = status.Reason, CreatedAt = now,
        };
        db.ForumPosts.Add(post);
        if (post.Status == PostStatus.Published)
        {
            thread.LastActivityAt = now;
        }
        await SaveAndNotifyAsync(post.Status == PostStatus.Published ? post : null, ct);
        if (post.Status == PostStatus.Published)
        {
            await notifier.ReplyPublishedAsync(post.Id, ct);
        }
        return post;
    }

    public async Task<Result<ForumPost>> EditAsync(ForumActor actor, long postId, string? body, CancellationToken ct)
    {
        var author = await AuthorAsync(actor, ct);
        if (author.Error is not null)
        {
            return author.Error;
        }
        var post = await db.ForumPosts.Include(p => p.Thread).FirstOrDefaultAsync(p => p.Id == postId, ct);
        if (post is null || post.Status is PostStatus.Deleted or PostStatus.Hidden && !actor.IsModerator)
        {
            return new NotFoundError("post-not-found", "No such post.");
        }
        if (post.AuthorId != actor.UserId)
        {
            return new ForbiddenError("not-author", "Only the author can change this post.");
        }
        if (post.Thread!.IsLocked && !actor.IsModerator)
        {
            return new ConflictError("thread-locked", "This thread is locked: no new replies.");
        }
        var now = time.GetUtcNow();
        var errors = new List<FieldError>();
        var status = await CheckBodyAsync(actor, author.Value!, body, now, errors, ct, countOwnPost: post.Status == PostStatus.Published);
        if (errors.Count > 0)
        {
            return new ValidationError("invalid-post", "The post could not be saved.", errors);
        }
        if (string.Equals(post.Body, body!.Trim(), StringComparison.Ordinal))
        {
            return post;
        }
        db.ForumPostRevisions.Add(new ForumPostRevision { PostId = post.Id, Body = post.Body, EditorId = actor.UserId, ReplacedAt = now });
        post.Body = body.Trim();
        post.EditedAt = now;
        // An edit that adds personal data goes back to the queue; an already held post stays held.
        if (status.Status == PostStatus.Held && post.Status == PostStatus.Published && status.Reason == HeldReasons.PersonalData)
        {
            post.Status = PostStatus.Held;
            post.HeldReason = status.Reason;
        }
        await db.SaveChangesAsync(ct);
        return post;
    }

    public async Task<Result<ForumPost>> DeleteAsync(ForumActor actor, long postId, CancellationToken ct)
    {
        if (!actor.IsAuthenticated)
        {
            return new ForbiddenError("sign-in-required", "Please sign in to take part.");
        }
        var post = await db.ForumPosts.FirstOrDefaultAsync(p => p.Id == postId, ct);
        if (post is null || post.Status == PostStatus.Deleted)
        {
            return new NotFoundError("post-not-found", "No such post.");
        }
        if (post.AuthorId != actor.UserId)
        {
            return new ForbiddenError("not-author", "Only the author can change this post.");
        }
        // A hidden post stays hidden: deleting must not take it out of the moderators' sight.
        if (post.Status != PostStatus.Hidden)
        {
            post.Status = PostStatus.Deleted;
        }
        post.EditedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return post;
    }

    public async Task<Result<ForumFlag>> FlagAsync(ForumActor actor, long postId, FlagReason? reason, string? note, CancellationToken ct)
    {
        var author = await AuthorAsync(actor, ct);
        if (author.Error is not null)
        {
            return author.Error;
        }
        var post = await db.ForumPosts.AsNoTracking().Include(p => p.Thread).ThenInclude(t => t!.Space)
            .FirstOrDefaultAsync(p => p.Id == postId && p.Status == PostStatus.Published, ct);
        if (post?.Thread?.Space is null || !actor.CanRead(post.Thread.Space))
        {
            return new NotFoundError("post-not-found", "No such post.");
        }
        if (reason is null || !Enum.IsDefined(reason.Value))
        {
            return new ValidationError("invalid-flag", "Choose a reason for the flag.", [new FieldError(null, "reason", "Choose a reason for the flag.")]);
        }
        var now = time.GetUtcNow();
        if (await db.ForumFlags.AnyAsync(f => f.PostId == postId && f.UserId == actor.UserId, ct))
        {
            return new ConflictError("already-flagged", "You have already flagged this post.");
        }
        if (!actor.IsModerator && await db.ForumFlags.CountAsync(f => f.UserId == actor.UserId && f.CreatedAt > now.AddHours(-1), ct) >= O.FlagsPerHour)
        {
            return new TooManyRequestsError("flag-rate-limit", "You have flagged too many posts in the last hour. Please try again later.");
        }
        var flag = new ForumFlag { PostId = postId, UserId = actor.UserId!, Reason = reason.Value, Note = Trim(note, 1000), CreatedAt = now };
        db.ForumFlags.Add(flag);
        await db.SaveChangesAsync(ct);
        // Enough people agreeing takes the post out of public view at once; a moderator decides later.
        if (O.FlagsToHold > 0 && await db.ForumFlags.CountAsync(f => f.PostId == postId && f.ResolvedAt == null, ct) >= O.FlagsToHold)
        {
            var held = await db.ForumPosts.Where(p => p.Id == postId && p.Status == PostStatus.Published)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, PostStatus.Held).SetProperty(p => p.HeldReason, HeldReasons.Flags), ct);
            if (held > 0)
            {
                db.ForumModerationActions.Add(new ModerationAction
                {
                    ModeratorId = SystemModerator, Action = ModerationActions.AutoHold, PostId = postId, ThreadId = post.ThreadId,
                    TargetUserId = post.AuthorId, Reason = $"{O.FlagsToHold}+ flags", CreatedAt = now,
                });
                await db.SaveChangesAsync(ct);
            }
        }
        return flag;
    }

    public async Task<bool> RepliesNotifiedAsync(ForumActor actor, CancellationToken ct) =>
        actor.IsAuthenticated && !await db.ForumNotificationSettings.AnyAsync(s => s.UserId == actor.UserId && s.RepliesOff, ct);

    /// <summary>Turns e-mails about replies to one's threads on or off (the unsubscribe link turns them off too).</summary>
    public async Task SetRepliesNotifiedAsync(ForumActor actor, bool on, CancellationToken ct)
    {
        var setting = await db.ForumNotificationSettings.FirstOrDefaultAsync(s => s.UserId == actor.UserId, ct);
        if (setting is null)
        {
            db.ForumNotificationSettings.Add(new ForumNotificationSetting { UserId = actor.UserId!, RepliesOff = !on });
        }
        else
        {
            setting.RepliesOff = !on;
        }
        await db.SaveChangesAsync(ct);
    }

    public async Task<bool> IsFollowingAsync(ForumActor actor, int spaceId, CancellationToken ct) =>
        actor.IsAuthenticated && await db.ForumFollows.AnyAsync(f => f.UserId == actor.UserId && f.SpaceId == spaceId, ct);

    public async Task<Result<bool>> SetFollowAsync(ForumActor actor, int spaceId, bool follow, CancellationToken ct)
    {
        if (!actor.IsAuthenticated)
        {
            return new ForbiddenError("sign-in-required", "Please sign in to take part.");
        }
        if (await GetSpaceAsync(actor, spaceId, ct) is null)
        {
            return new NotFoundError("space-not-found", "No such forum space.");
        }
        var existing = await db.ForumFollows.FirstOrDefaultAsync(f => f.UserId == actor.UserId && f.SpaceId == spaceId, ct);
        if (follow && existing is null)
        {
            db.ForumFollows.Add(new ForumFollow { UserId = actor.UserId!, SpaceId = spaceId, CreatedAt = time.GetUtcNow() });
        }
        else if (!follow && existing is not null)
        {
            db.ForumFollows.Remove(existing);
        }
        await db.SaveChangesAsync(ct);
        return follow;
    }

    // ---------------------------------------------------------------- moderation

    /// <summary>Held posts and posts with open flags, oldest first.</summary>
    public async Task<List<QueueItem>> QueueAsync(CancellationToken ct)
    {
        var flagged = db.ForumFlags.Where(f => f.ResolvedAt == null).Select(f => f.PostId);
        var posts = await db.ForumPosts.AsNoTracking().Include(p => p.Thread)
            .Where(p => p.Status == PostStatus.Held || flagged.Contains(p.Id))
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).Take(500).ToListAsync(ct);
        var ids = posts.Select(p => p.Id).ToList();
        var flags = (await db.ForumFlags.AsNoTracking().Where(f => ids.Contains(f.PostId) && f.ResolvedAt == null)
            .Select(f => new { f.PostId, f.Reason }).ToListAsync(ct)).ToLookup(f => f.PostId, f => f.Reason);
        return posts.Select(p => new QueueItem(p.Id, p.ThreadId, p.Thread!.Title, p.AuthorName, p.AuthorId, p.Language,
            markdown.ToHtml(p.Body), p.Status, p.HeldReason, p.CreatedAt, flags[p.Id].Distinct().ToList(), flags[p.Id].Count())).ToList();
    }

    /// <summary>
    /// One action on one or many posts, all-or-nothing in one transaction: hide, restore, approve, dismiss
    /// (the flags) or suspend (the posts' authors, for <paramref name="days"/>). Every post gets a log entry.
    /// </summary>
    public async Task<Result<int>> ModeratePostsAsync(ForumActor actor, string? action, IReadOnlyCollection<long> postIds, string? reason, int? days, CancellationToken ct)
    {
        if (!actor.IsModerator)
        {
            return new ForbiddenError("not-moderator", "Only moderators can do this.");
        }
        action = action?.Trim().ToLowerInvariant();
        if (action is null || !ModerationActions.Bulk.Contains(action, StringComparer.Ordinal))
        {
            return new ValidationError("invalid-moderation", "Choose a moderation action.", [new FieldError(null, "action", "Choose a moderation action.")]);
        }
        var ids = postIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return new ValidationError("invalid-moderation", "Select at least one post.", [new FieldError(null, "postIds", "Select at least one post.")]);
        }
        reason = Trim(reason, 1000);
        if (action is ModerationActions.Hide or ModerationActions.Suspend && string.IsNullOrEmpty(reason))
        {
            return new ValidationError("invalid-moderation", "Give a reason: it is kept in the moderation log.", [new FieldError(null, "reason", "Give a reason: it is kept in the moderation log.")]);
        }
        if (action == ModerationActions.Suspend && days is not (>= 1 and <= 3650))
        {
            return new ValidationError("invalid-moderation", "A suspension lasts 1 to 3650 days.", [new FieldError(null, "days", "A suspension lasts 1 to 3650 days.")]);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var posts = await db.ForumPosts.Include(p => p.Thread).Where(p => ids.Contains(p.Id)).ToListAsync(ct);
        if (posts.Count != ids.Count)
        {
            return new NotFoundError("post-not-found", "No such post.");
        }
        var now = time.GetUtcNow();
        var published = new List<long>();
        var approved = new List<long>();
        var suspended = new HashSet<string>(StringComparer.Ordinal);
        foreach (var post in posts)
        {
            switch (action)
            {
                case ModerationActions.Hide:
                    post.Status = PostStatus.Hidden;
                    break;
                case ModerationActions.Restore or ModerationActions.Approve:
                    if (post.Status is PostStatus.Hidden or PostStatus.Held)
                    {
                        if (post.Status == PostStatus.Held)
                        {
                            approved.Add(post.Id);
                        }
                        published.Add(post.Id);
                        post.Status = PostStatus.Published;
                        post.HeldReason = null;
                        if (post.CreatedAt > post.Thread!.LastActivityAt)
                        {
                            post.Thread.LastActivityAt = post.CreatedAt;
                        }
                    }
                    break;
                case ModerationActions.Suspend:
                    if (post.AuthorId is { } author && suspended.Add(author))
                    {
                        db.ForumSuspensions.Add(new ForumSuspension
                        {
                            UserId = author, Until = now.AddDays(days!.Value), Reason = reason!, ById = actor.UserId!, CreatedAt = now,
                        });
                        db.ForumModerationActions.Add(new ModerationAction
                        {
                            ModeratorId = actor.UserId!, Action = action, PostId = post.Id, ThreadId = post.ThreadId, TargetUserId = author,
                            Reason = reason!, Until = now.AddDays(days.Value), CreatedAt = now,
                        });
                    }
                    continue;
            }
            db.ForumModerationActions.Add(new ModerationAction
            {
                ModeratorId = actor.UserId!, Action = action, PostId = post.Id, ThreadId = post.ThreadId, TargetUserId = post.AuthorId,
                Reason = reason ?? "", CreatedAt = now,
            });
        }
        // Any decision on a post settles its open flags.
        var openFlags = await db.ForumFlags.Where(f => ids.Contains(f.PostId) && f.ResolvedAt == null).ToListAsync(ct);
        foreach (var f in openFlags)
        {
            f.ResolvedAt = now;
            f.ResolvedById = actor.UserId;
        }
        if (changes is not null)
        {
            // A held post approved is new to its followers (a restored one was seen before): their e-mails join this transaction.
            foreach (var id in approved)
            {
                await changes.ForumPostPublishedAsync(db, id, ct);
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        foreach (var id in published)
        {
            await notifier.ReplyPublishedAsync(id, ct);
        }
        return posts.Count;
    }

    public async Task<Result<ForumThread>> SetLockedAsync(ForumActor actor, int threadId, bool locked, string? reason, CancellationToken ct)
    {
        if (!actor.IsModerator)
        {
            return new ForbiddenError("not-moderator", "Only moderators can do this.");
        }
        reason = Trim(reason, 1000);
        if (locked && string.IsNullOrEmpty(reason))
        {
            return new ValidationError("invalid-moderation", "Give a reason: it is kept in the moderation log.", [new FieldError(null, "reason", "Give a reason: it is kept in the moderation log.")]);
        }
        var thread = await db.ForumThreads.FirstOrDefaultAsync(t => t.Id == threadId, ct);
        if (thread is null)
        {
            return new NotFoundError("thread-not-found", "No such thread.");
        }
        thread.IsLocked = locked;
        db.ForumModerationActions.Add(new ModerationAction
        {
            ModeratorId = actor.UserId!, Action = locked ? ModerationActions.Lock : ModerationActions.Unlock, ThreadId = thread.Id,
            SpaceId = thread.SpaceId, Reason = reason ?? "", CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        return thread;
    }

    public async Task<Result<ForumSuspension>> SuspendAsync(ForumActor actor, string userId, int days, string? reason, CancellationToken ct)
    {
        if (!actor.IsModerator)
        {
            return new ForbiddenError("not-moderator", "Only moderators can do this.");
        }
        reason = Trim(reason, 1000);
        if (string.IsNullOrEmpty(reason))
        {
            return new ValidationError("invalid-moderation", "Give a reason: it is kept in the moderation log.", [new FieldError(null, "reason", "Give a reason: it is kept in the moderation log.")]);
        }
        if (days is < 1 or > 3650)
        {
            return new ValidationError("invalid-moderation", "A suspension lasts 1 to 3650 days.", [new FieldError(null, "days", "A suspension lasts 1 to 3650 days.")]);
        }
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            return new NotFoundError("user-not-found", "No such person.");
        }
        var now = time.GetUtcNow();
        var s = new ForumSuspension { UserId = userId, Until = now.AddDays(days), Reason = reason, ById = actor.UserId!, CreatedAt = now };
        db.ForumSuspensions.Add(s);
        db.ForumModerationActions.Add(new ModerationAction
        {
            ModeratorId = actor.UserId!, Action = ModerationActions.Suspend, TargetUserId = userId, Reason = reason, Until = s.Until, CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        return s;
    }

    /// <summary>Ends a person's running suspensions now (a mistake, an appeal); logged like every action.</summary>
    public async Task<Result<int>> LiftSuspensionAsync(ForumActor actor, string userId, string? reason, CancellationToken ct)
    {
        if (!actor.IsModerator)
        {
            return new ForbiddenError("not-moderator", "Only moderators can do this.");
        }
        reason = Trim(reason, 1000);
        if (string.IsNullOrEmpty(reason))
        {
            return new ValidationError("invalid-moderation", "Give a reason: it is kept in the moderation log.", [new FieldError(null, "reason", "Give a reason: it is kept in the moderation log.")]);
        }
        var now = time.GetUtcNow();
        var running = await db.ForumSuspensions.Where(s => s.UserId == userId && s.Until > now).ToListAsync(ct);
        if (running.Count == 0)
        {
            return new NotFoundError("not-suspended", "This person is not suspended.");
        }
        foreach (var s in running)
        {
            s.Until = now;
        }
        db.ForumModerationActions.Add(new ModerationAction
        {
            ModeratorId = actor.UserId!, Action = ModerationActions.Unsuspend, TargetUserId = userId, Reason = reason, CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        return running.Count;
    }

    public async Task<Result<ForumSpace>> SetSummaryAsync(ForumActor actor, int spaceId, string? summary, string? language, CancellationToken ct)
    {
        if (!actor.IsModerator)
        {
            return new ForbiddenError("not-moderator", "Only moderators can do this.");
        }
        var space = await db.ForumSpaces.FirstOrDefaultAsync(s => s.Id == spaceId && s.Kind == SpaceKind.Consultation, ct);
        if (space is null)
        {
            return new NotFoundError("space-not-found", "No such forum space.");
        }
        summary = summary?.Trim();
        if (string.IsNullOrEmpty(summary) || summary.Length > 20000)
        {
            return new ValidationError("invalid-summary", "The summary needs 1 to 20000 characters.", [new FieldError(null, "summary", "The summary needs 1 to 20000 characters.")]);
        }
        var now = time.GetUtcNow();
        space.Summary = summary;
        space.SummaryLanguage = Languages.IsSupported(language) ? language : Languages.Current;
        space.SummaryById = actor.UserId;
        space.SummaryAt = now;
        db.ForumModerationActions.Add(new ModerationAction
        {
            ModeratorId = actor.UserId!, Action = ModerationActions.Summary, SpaceId = space.Id, Reason = "", CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        return space;
    }

    /// <summary>A new space (moderators and platform admins). Consultations need open and close dates.</summary>
    public Task<Result<ForumSpace>> CreateSpaceAsync(ForumActor actor, SpaceInput input, CancellationToken ct) =>
        SaveSpaceAsync(actor, null, input, ct);

    /// <summary>Changes a space: its texts, who reads it, a consultation's dates (to close it early, or extend it).</summary>
    public Task<Result<ForumSpace>> UpdateSpaceAsync(ForumActor actor, int spaceId, SpaceInput input, CancellationToken ct) =>
        SaveSpaceAsync(actor, spaceId, input, ct);

    private async Task<Result<ForumSpace>> SaveSpaceAsync(ForumActor actor, int? spaceId, SpaceInput input, CancellationToken ct)
    {
        if (!actor.IsModerator)
        {
            return new ForbiddenError("not-moderator", "Only moderators can do this.");
        }
        ForumSpace? existing = null;
        if (spaceId is { } sid && (existing = await db.ForumSpaces.FirstOrDefaultAsync(s => s.Id == sid, ct)) is null)
        {
            return new NotFoundError("space-not-found", "No such forum space.");
        }
        var errors = new List<FieldError>();
        var title = input.Title?.Trim() ?? "";
        if (title.Length is < 3 or > 200)
        {
            errors.Add(new FieldError(null, "title", "The title needs 3 to 200 characters."));
        }
        if (input.Description is { Length: > 2000 })
        {
            errors.Add(new FieldError(null, "description", "The description is limited to 2000 characters."));
        }
        if (!Enum.TryParse<SpaceKind>(input.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            errors.Add(new FieldError(null, "kind", "Choose a kind of space."));
        }
        if (!Enum.TryParse<SpaceVisibility>(input.Visibility, ignoreCase: true, out var visibility) || !Enum.IsDefined(visibility))
        {
            errors.Add(new FieldError(null, "visibility", "Choose who can read the space."));
        }
        var country = string.IsNullOrWhiteSpace(input.Country) ? null : input.Country.Trim().ToUpperInvariant();
        if (kind == SpaceKind.Country && (country is null || !await db.Countries.AnyAsync(c => c.Iso3 == country, ct)))
        {
            errors.Add(new FieldError(null, "country", "Choose one of the plan's countries."));
        }
        var sector = string.IsNullOrWhiteSpace(input.Sector) ? null : input.Sector.Trim();
        if (kind == SpaceKind.Sector && (sector is null || sector.Length > 100))
        {
            errors.Add(new FieldError(null, "sector", "Name the sector."));
        }
        DateTimeOffset? opens = input.OpensOn is { } o ? new DateTimeOffset(o.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
        DateTimeOffset? closes = input.ClosesOn is { } c ? new DateTimeOffset(c.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
        if (kind == SpaceKind.Consultation && (opens is null || closes is null || closes <= opens))
        {
            errors.Add(new FieldError(null, "closesOn", "A consultation needs an opening date and a later closing date."));
        }
        if (errors.Count > 0)
        {
            return new ValidationError("invalid-space", "The space could not be saved.", errors);
        }
        var now = time.GetUtcNow();
        var space = existing ?? new ForumSpace { Title = title, CreatedAt = now };
        space.Kind = kind;
        space.Title = title;
        space.Description = input.Description?.Trim() ?? "";
        space.Language = Languages.IsSupported(input.Language) ? input.Language! : existing?.Language ?? Languages.Current;
        space.CountryIso3 = kind == SpaceKind.Country ? country : null;
        space.Sector = kind == SpaceKind.Sector ? sector : null;
        space.Visibility = visibility;
        space.OpensAt = kind == SpaceKind.Consultation ? opens : null;
        space.ClosesAt = kind == SpaceKind.Consultation ? closes : null;
        if (existing is null)
        {
            db.ForumSpaces.Add(space);
            await db.SaveChangesAsync(ct);
        }
        db.ForumModerationActions.Add(new ModerationAction
        {
            ModeratorId = actor.UserId!, Action = existing is null ? ModerationActions.CreateSpace : ModerationActions.EditSpace,
            SpaceId = space.Id, Reason = "", CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        return space;
    }

    public async Task<DateTimeOffset?> SuspendedUntilAsync(string userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var until = await db.ForumSuspensions.Where(s => s.UserId == userId && s.Until > now)
            .Select(s => (DateTimeOffset?)s.Until).ToListAsync(ct);
        return until.Max();
    }

    // ---------------------------------------------------------------- helpers

    private sealed record Author(string Name, DateTimeOffset CreatedAt);

    private async Task<Result<Author>> AuthorAsync(ForumActor actor, CancellationToken ct)
    {
        if (!actor.IsAuthenticated)
        {
            return new ForbiddenError("sign-in-required", "Please sign in to take part.");
        }
        var user = await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId)
            .Select(u => new { u.DisplayName, u.CreatedAt, u.Id }).FirstOrDefaultAsync(ct);
        if (user is null)
        {
            return new ForbiddenError("sign-in-required", "Please sign in to take part.");
        }
        if (await SuspendedUntilAsync(user.Id, ct) is not null)
        {
            return new ForbiddenError("suspended", "Your account is suspended from the forum for now.");
        }
        // Never show an e-mail address: people without a display name get a neutral handle.
        var name = string.IsNullOrWhiteSpace(user.DisplayName) ? $"member-{user.Id[..Math.Min(6, user.Id.Length)]}" : user.DisplayName;
        return new Author(name, user.CreatedAt);
    }

    private readonly record struct BodyStatus(PostStatus Status, string? Reason);

    private async Task<BodyStatus> CheckBodyAsync(ForumActor actor, Author author, string? body, DateTimeOffset now, List<FieldError> errors, CancellationToken ct, bool countOwnPost = false, string? alsoCheck = null)
    {
        body = body?.Trim() ?? "";
        if (body.Length is < 1 or > 20000)
        {
            errors.Add(new FieldError(null, "body", "The text needs 1 to 20000 characters."));
            return default;
        }
        if (actor.IsModerator)
        {
            return new BodyStatus(PostStatus.Published, null);
        }
        var isNew = author.CreatedAt > now.AddDays(-O.NewAccountDays);
        if (isNew && markdown.CountLinks(body) > O.NewAccountMaxLinks)
        {
            errors.Add(new FieldError(null, "body", "New accounts may include only a few links in a post."));
            return default;
        }
        if (PersonalDataDetector.Detect(alsoCheck is null ? body : alsoCheck + "\n" + body).Count > 0)
        {
            return new BodyStatus(PostStatus.Held, HeldReasons.PersonalData);
        }
        if (isNew)
        {
            var approved = await db.ForumPosts.CountAsync(p => p.AuthorId == actor.UserId && p.Status == PostStatus.Published, ct);
            if (approved - (countOwnPost ? 1 : 0) < O.NewAccountHeldPosts)
            {
                return countOwnPost ? new BodyStatus(PostStatus.Published, null) : new BodyStatus(PostStatus.Held, HeldReasons.NewAccount);
            }
        }
        return new BodyStatus(PostStatus.Published, null);
    }

    private static string? Trim(string? s, int max)
    {
        s = s?.Trim();
        return string.IsNullOrEmpty(s) ? null : s.Length > max ? s[..max] : s;
    }
}

public static class HeldReasons
{
    public const string PersonalData = "personal-data";
    public const string NewAccount = "new-account";
    public const string Flags = "flags";
}
