using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Markdown;
using Closer.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Forum;

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
/// The moderators' work: the queue of held and flagged posts, one action on one or many posts (in one transaction),
/// thread locks and suspensions. Every action is kept in the moderation log with its reason.
/// </summary>
public sealed class ForumModeration(
    CloserDbContext db, TimeProvider time, MarkdownRenderer markdown, ForumNotifier notifier, Notifications.IChangeNotifications? changes = null)
{
    /// <summary>The moderation log's "who" for actions the forum takes by itself.</summary>
    public const string SystemModerator = "system";

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

    internal static string? Trim(string? s, int max)
    {
        s = s?.Trim();
        return string.IsNullOrEmpty(s) ? null : TextLimits.Truncate(s, max);
    }
}
