using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Forum;

/// <summary>
/// Readers flag a published post for the moderators (once each, a few per hour); enough open flags take the post out
/// of public view at once, logged as the system's action, until a moderator decides.
/// </summary>
public sealed class ForumFlagging(CloserDbContext db, TimeProvider time, IOptions<ForumOptions> options, ForumAuthors authors)
{
    private ForumOptions O => options.Value;

    public async Task<Result<ForumFlag>> FlagAsync(ForumActor actor, long postId, FlagReason? reason, string? note, CancellationToken ct)
    {
        var author = await authors.AuthorAsync(actor, ct);
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
        var flag = new ForumFlag { PostId = postId, UserId = actor.UserId!, Reason = reason.Value, Note = ForumModeration.Trim(note, 1000), CreatedAt = now };
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
                    ModeratorId = ForumModeration.SystemModerator, Action = ModerationActions.AutoHold, PostId = postId, ThreadId = post.ThreadId,
                    TargetUserId = post.AuthorId, Reason = $"{O.FlagsToHold}+ flags", CreatedAt = now,
                });
                await db.SaveChangesAsync(ct);
            }
        }
        return flag;
    }
}
