using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Forum;

/// <summary>
/// One-click unsubscribe from a signed link, no sign-in. GET shows one button (link scanners must not
/// unsubscribe anyone); POST — the button, or a mail client's RFC 8058 one-click — does it.
/// The signed token is the protection, so this POST takes no antiforgery token.
/// </summary>
[IgnoreAntiforgeryToken]
// Public pages: anyone reads; writes check sign-in, suspension and space visibility in the handlers.
[AllowAnonymous]
public sealed class UnsubscribeModel(UnsubscribeTokens tokens, CloserDbContext db) : PageModel
{
    public UnsubscribeRequest? Subscription { get; private set; }
    public string? SpaceTitle { get; private set; }
    public bool Done { get; private set; }
    public string Token { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string? token, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? token, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var r = Subscription!;
        if (r.Kind == UnsubscribeKind.Replies)
        {
            var setting = await db.ForumNotificationSettings.FirstOrDefaultAsync(s => s.UserId == r.UserId, ct);
            if (setting is null)
            {
                db.ForumNotificationSettings.Add(new ForumNotificationSetting { UserId = r.UserId, RepliesOff = true });
            }
            else
            {
                setting.RepliesOff = true;
            }
            await db.SaveChangesAsync(ct);
        }
        else
        {
            await db.ForumFollows.Where(f => f.UserId == r.UserId && f.SpaceId == r.SpaceId).ExecuteDeleteAsync(ct);
        }
        Done = true;
        return Page();
    }

    private async Task<bool> LoadAsync(string? token, CancellationToken ct)
    {
        Subscription = tokens.Read(token);
        Token = token ?? "";
        if (Subscription is null || !await db.Users.AnyAsync(u => u.Id == Subscription.UserId, ct))
        {
            Subscription = null;
            return false;
        }
        if (Subscription.Kind == UnsubscribeKind.Digest)
        {
            SpaceTitle = await db.ForumSpaces.Where(s => s.Id == Subscription.SpaceId).Select(s => s.Title).FirstOrDefaultAsync(ct);
        }
        return true;
    }
}
