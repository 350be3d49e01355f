using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Markdown;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Forum;

/// <summary>The name a post is signed with (never an e-mail address) and when the account was made.</summary>
public sealed record PostAuthor(string Name, DateTimeOffset CreatedAt);

/// <summary>Whether a new or edited text is published at once or held for a moderator, and why.</summary>
public readonly record struct BodyStatus(PostStatus Status, string? Reason);

public static class HeldReasons
{
    public const string PersonalData = "personal-data";
    public const string NewAccount = "new-account";
    public const string Flags = "flags";
}

/// <summary>
/// The rules every writer meets before posting, editing or flagging: signed in, not suspended, a text of the
/// right length; and for new accounts a few links at most and their first posts held. Personal data holds a post.
/// </summary>
public sealed class ForumAuthors(CloserDbContext db, TimeProvider time, IOptions<ForumOptions> options, MarkdownRenderer markdown)
{
    private ForumOptions O => options.Value;

    public async Task<DateTimeOffset?> SuspendedUntilAsync(string userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var until = await db.ForumSuspensions.Where(s => s.UserId == userId && s.Until > now)
            .Select(s => (DateTimeOffset?)s.Until).ToListAsync(ct);
        return until.Max();
    }

    /// <summary>The author a signed-in, unsuspended actor posts as; otherwise why they may not.</summary>
    public async Task<Result<PostAuthor>> AuthorAsync(ForumActor actor, CancellationToken ct)
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
        return new PostAuthor(name, user.CreatedAt);
    }

    public async Task<BodyStatus> CheckBodyAsync(ForumActor actor, PostAuthor author, string? body, DateTimeOffset now, List<FieldError> errors, CancellationToken ct, bool countOwnPost = false, string? alsoCheck = null)
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

}
