using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Forum;

/// <summary>What a person hears about: e-mails on replies to their threads, and the spaces they follow (daily digest).</summary>
public sealed class ForumFollowing(CloserDbContext db, TimeProvider time, ForumReading reading)
{
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
        if (await reading.GetSpaceAsync(actor, spaceId, ct) is null)
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
}
