using System.Globalization;
using System.Text;
using Closer.Web.Features.Accounts;
using Closer.Web.Features.Notifications;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Email;
using Closer.Web.Infrastructure.Jobs;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Markdown;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Forum;

/// <summary>What an unsubscribe link stops: reply notifications, or the digest of one space.</summary>
public enum UnsubscribeKind
{
    Replies,
    Digest,
}

public sealed record UnsubscribeRequest(string UserId, UnsubscribeKind Kind, int SpaceId);

/// <summary>Signed, non-expiring unsubscribe tokens: one click, no sign-in, nobody else's subscription.</summary>
public sealed class UnsubscribeTokens(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Closer.Forum.Unsubscribe.v1");

    public string Create(string userId, UnsubscribeKind kind, int spaceId = 0) =>
        SignedTokens.Create(_protector, userId, kind.ToString(), spaceId.ToString(CultureInfo.InvariantCulture));

    public UnsubscribeRequest? Read(string? token) =>
        SignedTokens.Read(_protector, token) is [var user, var k, var s] && Enum.TryParse<UnsubscribeKind>(k, out var kind)
            && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var space)
            ? new UnsubscribeRequest(user, kind, space)
            : null;
}

/// <summary>
/// Forum e-mails, each in the recipient's preferred language, each with a one-click unsubscribe link
/// (also as List-Unsubscribe): a reply to one's thread, and the daily digest of a followed space.
/// </summary>
public sealed class ForumNotifier(
    CloserDbContext db, IConfiguration configuration, IStringLocalizer<SharedResource> t,
    UnsubscribeTokens tokens, MarkdownRenderer markdown, ILogger<ForumNotifier> logger, TimeProvider clock)
{
    // The one public address every e-mailed link is built from (Site:PublicBaseUrl, else the older Forum:PublicBaseUrl).
    private string Base => PublicSite.BaseUrl(configuration);

    public string UnsubscribeUrl(string language, string userId, UnsubscribeKind kind, int spaceId = 0) =>
        $"{Base}/{language}/forum/unsubscribe?token={Uri.EscapeDataString(tokens.Create(userId, kind, spaceId))}";

    /// <summary>Tells a thread's author about a new published reply (not their own). Failures are logged, never thrown.</summary>
    public async Task ReplyPublishedAsync(long postId, CancellationToken ct)
    {
        try
        {
            var post = await db.ForumPosts.AsNoTracking().Include(p => p.Thread).ThenInclude(th => th!.Space)
                .FirstOrDefaultAsync(p => p.Id == postId && p.Status == PostStatus.Published && !p.IsOpening, ct);
            if (post?.Thread?.AuthorId is not { } authorId || authorId == post.AuthorId)
            {
                return;
            }
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == authorId, ct);
            if (user?.Email is null || await db.ForumNotificationSettings.AnyAsync(s => s.UserId == authorId && s.RepliesOff, ct))
            {
                return;
            }
            if (post.Thread.Space!.Visibility == SpaceVisibility.Partners && !await IsPartnerAsync(user, ct))
            {
                return;
            }
            var lang = Languages.IsSupported(user.PreferredLanguage) ? user.PreferredLanguage : Languages.Default;
            var message = Languages.InCulture(lang, () =>
            {
                var link = $"{Base}/{lang}/forum/threads/{post.ThreadId}";
                var unsubscribe = UnsubscribeUrl(lang, authorId, UnsubscribeKind.Replies);
                var subject = string.Format(CultureInfo.CurrentCulture, S("New reply in “{0}”"), post.Thread.Title);
                var text = new StringBuilder()
                    .AppendLine(string.Format(CultureInfo.CurrentCulture, S("{0} replied to your thread “{1}”:"), post.AuthorName, post.Thread.Title))
                    .AppendLine()
                    .AppendLine(Excerpt(markdown.ToPlainText(post.Body)))
                    .AppendLine()
                    .AppendLine(string.Format(CultureInfo.CurrentCulture, S("Read and reply: {0}"), link))
                    .AppendLine()
                    .AppendLine(string.Format(CultureInfo.CurrentCulture, S("Stop e-mails about replies to your threads: {0}"), unsubscribe))
                    .ToString();
                return new EmailMessage(user.Email, subject, text, UnsubscribeUrl: unsubscribe);
            });
            // Through the outbox: an SMTP outage delays the mail, never loses it.
            db.Enqueue(message, clock);
            await db.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Reply notification for post {PostId} failed", postId);
        }
    }

    /// <summary>
    /// Sends the digest of <paramref name="day"/> (UTC) to every follower of every space with new posts that
    /// day. A row per (user, space, day) is claimed before sending, so a digest is never sent twice, even
    /// when two nodes run this at once. Returns the number of digests sent.
    /// </summary>
    public async Task<int> SendDigestsAsync(DateOnly day, TimeProvider time, CancellationToken ct)
    {
        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = from.AddDays(1);
        var dayKey = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var posts = await db.ForumPosts.AsNoTracking().Include(p => p.Thread)
            .Where(p => p.Status == PostStatus.Published && p.CreatedAt >= from && p.CreatedAt < to)
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
            .ToListAsync(ct);
        var bySpace = posts.ToLookup(p => p.Thread!.SpaceId);
        var spaceIds = bySpace.Select(g => g.Key).ToList();
        if (spaceIds.Count == 0)
        {
            return 0;
        }
        var spaces = await db.ForumSpaces.AsNoTracking().Where(s => spaceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        // People who saved their e-mail preferences (Features/Subscriptions) get followed spaces in their own
        // immediate, daily or weekly mail instead: this digest is for the others.
        var follows = await db.ForumFollows.AsNoTracking().Where(f => spaceIds.Contains(f.SpaceId))
            .Where(f => !db.SubscriptionSettings.Any(s => s.UserId == f.UserId)).ToListAsync(ct);
        var sent = 0;
        foreach (var follow in follows)
        {
            var space = spaces[follow.SpaceId];
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == follow.UserId, ct);
            if (user?.Email is null || (space.Visibility == SpaceVisibility.Partners && !await IsPartnerAsync(user, ct)))
            {
                continue;
            }
            var items = bySpace[follow.SpaceId].Where(p => p.AuthorId != user.Id).ToList();
            if (items.Count == 0)
            {
                continue;
            }
            var lang = Languages.IsSupported(user.PreferredLanguage) ? user.PreferredLanguage : Languages.Default;
            var message = Languages.InCulture(lang, () => Digest(user, space, items, day, lang));
            if (await ClaimAndEnqueueAsync(user.Id, space.Id, dayKey, items.Count, message, time, ct))
            {
                sent++;
            }
        }
        return sent;
    }

    /// <summary>
    /// Claims the (person, space, day) digest and puts its mail in the outbox in one transaction: the outbox worker
    /// sends it with retries, so an SMTP outage delays a digest and a crash loses none; the claim's unique index
    /// (and the outbox's dedup key) make sure no other node queues it again.
    /// </summary>
    private async Task<bool> ClaimAndEnqueueAsync(string userId, int spaceId, string day, int count, EmailMessage message, TimeProvider time, CancellationToken ct)
    {
        if (await db.ForumDigestLog.AnyAsync(d => d.UserId == userId && d.SpaceId == spaceId && d.Day == day, ct))
        {
            return false;
        }
        var now = time.GetUtcNow();
        var row = new ForumDigestLog { UserId = userId, SpaceId = spaceId, Day = day, ClaimedAt = now, PostCount = count, SentAt = now };
        db.ForumDigestLog.Add(row);
        var queued = db.Enqueue(message, time, $"forum-digest:{userId}:{spaceId}:{day}");
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another node claimed it between our check and our insert: the unique indexes decide.
            db.Entry(row).State = EntityState.Detached;
            db.Entry(queued).State = EntityState.Detached;
            return false;
        }
    }

    private EmailMessage Digest(AppUser user, ForumSpace space, List<ForumPost> items, DateOnly day, string lang)
    {
        var unsubscribe = UnsubscribeUrl(lang, user.Id, UnsubscribeKind.Digest, space.Id);
        var date = day.ToString("D", CultureInfo.CurrentCulture);
        var subject = string.Format(CultureInfo.CurrentCulture, S("{0}: new posts on {1}"), space.Title, date);
        var text = new StringBuilder()
            .AppendLine(t.Plural(items.Count, "{0} new post in “{1}” on {2}.", "{0} new posts in “{1}” on {2}.", space.Title, date).Value)
            .AppendLine();
        foreach (var thread in items.GroupBy(p => p.ThreadId))
        {
            var first = thread.First();
            text.AppendLine(CultureInfo.InvariantCulture, $"## {first.Thread!.Title}")
                .AppendLine(CultureInfo.InvariantCulture, $"{Base}/{lang}/forum/threads/{thread.Key}");
            foreach (var p in thread)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {p.AuthorName}: {Excerpt(markdown.ToPlainText(p.Body))}");
            }
            text.AppendLine();
        }
        text.AppendLine(string.Format(CultureInfo.CurrentCulture, S("Stop this daily digest: {0}"), unsubscribe));
        return new EmailMessage(user.Email!, subject, text.ToString(), UnsubscribeUrl: unsubscribe);
    }

    private async Task<bool> IsPartnerAsync(AppUser user, CancellationToken ct) =>
        Partners.Is(await db.UserRoles.Where(r => r.UserId == user.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToListAsync(ct), user.OrganisationId);

    private string S(string key) => t[key];

    private static string Excerpt(string text) => text.Length <= 280 ? text : string.Concat(text.AsSpan(0, 277), "…");
}

/// <summary>
/// Once an hour (<c>Forum:DigestIntervalMinutes</c>; off with <c>Forum:DigestEnabled</c>), sends yesterday's digests;
/// idempotent, so every node may run it.
/// </summary>
public sealed class ForumDigestHostedService(IServiceProvider services, TimeProvider time, IOptions<ForumOptions> options, ILogger<ForumDigestHostedService> logger)
    : HostedJob(services, time, logger)
{
    public override string Name => "forum-digests";
    protected override bool Enabled => options.Value.DigestEnabled;
    protected override TimeSpan Interval => TimeSpan.FromMinutes(Math.Max(1, options.Value.DigestIntervalMinutes));

    protected override Task<int> RunAsync(IServiceProvider scope, CancellationToken ct)
    {
        var yesterday = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime).AddDays(-1);
        return scope.GetRequiredService<ForumNotifier>().SendDigestsAsync(yesterday, Time, ct);
    }
}
