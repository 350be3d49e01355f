using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Forum;

/// <summary>
/// Writing in the forum: start a thread, reply (with a quote), edit and delete one's own posts. Limits per hour,
/// locks, a consultation's dates and the author rules apply; a published post reaches followers in its transaction.
/// </summary>
public sealed class ForumPosting(
    CloserDbContext db, TimeProvider time, IOptions<ForumOptions> options, ForumReading reading, ForumAuthors authors,
    ForumNotifier notifier, Notifications.IChangeNotifications? changes = null)
{
    private ForumOptions O => options.Value;

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

    public async Task<Result<ForumThread>> CreateThreadAsync(ForumActor actor, int spaceId, string? title, string? body, string? language, CancellationToken ct)
    {
        var author = await authors.AuthorAsync(actor, ct);
        if (author.Error is not null)
        {
            return author.Error;
        }
        var space = await reading.GetSpaceAsync(actor, spaceId, ct);
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
        var status = await authors.CheckBodyAsync(actor, author.Value!, body, now, errors, ct, alsoCheck: title);
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
        var author = await authors.AuthorAsync(actor, ct);
        if (author.Error is not null)
        {
            return author.Error;
        }
        var thread = await db.ForumThreads.Include(t => t.Space).FirstOrDefaultAsync(t => t.Id == threadId, ct);
        if (thread?.Space is null || !actor.CanRead(thread.Space)
            || (!actor.IsModerator && !await reading.VisibleThreads(actor, thread.SpaceId).AnyAsync(t => t.Id == threadId, ct)))
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
        var status = await authors.CheckBodyAsync(actor, author.Value!, body, now, errors, ct);
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
        var author = await authors.AuthorAsync(actor, ct);
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
        var status = await authors.CheckBodyAsync(actor, author.Value!, body, now, errors, ct, countOwnPost: post.Status == PostStatus.Published);
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
}
