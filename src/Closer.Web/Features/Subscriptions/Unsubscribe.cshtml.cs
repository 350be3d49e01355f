using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Subscriptions;

/// <summary>
/// One-click unsubscribe from a signed link (RFC 8058). GET only shows a button, so link scanners unsubscribe nobody;
/// POST — the button, or a mail client's <c>List-Unsubscribe=One-Click</c> — does it, without a session.
/// Antiforgery is deliberately off here: the POST carries no cookie and is authorized by the signed token alone
/// (it names one person and one kind of mail and cannot be forged), which is what RFC 8058 requires of the endpoint.
/// The page sets no cookie.
/// </summary>
[IgnoreAntiforgeryToken]
[AllowAnonymous]
public sealed class UnsubscribeModel(SubscriptionTokens tokens, CloserDbContext db, TimeProvider time) : PageModel
{
    public UnsubscribeRequest? Subscription { get; private set; }
    public bool Done { get; private set; }
    public string Token { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string? token, CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        if (!await LoadAsync(token, ct))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? token, CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        if (!await LoadAsync(token, ct))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var r = Subscription!;
        var settings = await db.SubscriptionSettings.FirstOrDefaultAsync(s => s.UserId == r.UserId, ct);
        if (settings is null)
        {
            settings = new SubscriptionSettings { UserId = r.UserId };
            db.SubscriptionSettings.Add(settings);
        }
        if (r.Kind == UnsubscribeKind.Reminders)
        {
            settings.RemindersOff = true;
        }
        else
        {
            settings.Frequency = DeliveryFrequency.Off;
        }
        settings.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
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
        return true;
    }
}
