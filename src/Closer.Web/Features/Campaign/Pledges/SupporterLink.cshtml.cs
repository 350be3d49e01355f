using Closer.Web.Features.Campaign.Public;
using Closer.Web.Features.Shared;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Campaign.Pledges;

/// <summary>
/// The pages a supporter's signed links open: confirm the address (double opt-in) or unsubscribe (RFC 8058 one-click).
/// GET only shows a button, so link scanners confirm and unsubscribe nobody; POST — the button, or a mail client's
/// <c>List-Unsubscribe=One-Click</c> — does it, without a session. Antiforgery is deliberately off: the POST carries
/// no cookie and is authorized by the signed token alone, which names one pledge and one action and cannot be forged.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public abstract class SupporterLinkModel(SupporterTokens tokens, CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t,
    CampaignIdentity identity) : CampaignPageModel
{
    protected abstract SupporterAction Action { get; }
    public string Token { get; private set; } = "";
    public bool Valid { get; private set; }
    public bool Done { get; private set; }
    public string ConsentText => string.Format(System.Globalization.CultureInfo.CurrentCulture, t[Supporters.ConsentText], identity.Name(Lang));

    public IActionResult OnGet(string? token)
    {
        Load(token);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? token, CancellationToken ct)
    {
        var key = Load(token);
        if (key is not null)
        {
            Done = Action == SupporterAction.Confirm
                ? await Supporters.ConfirmAsync(db, key, Lang, time.GetUtcNow(), ct)
                : await Supporters.UnsubscribeAsync(db, key, time.GetUtcNow(), ct);
            Valid = Done;
        }
        if (!Valid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    private string? Load(string? token)
    {
        Response.Headers.CacheControl = "no-store";
        Token = token ?? "";
        var key = tokens.Read(Action, token);
        Valid = key is not null;
        if (!Valid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        var title = Action == SupporterAction.Confirm ? t["Confirm your e-mail address"] : t["Unsubscribe"];
        Describe(title, title, "pledge");
        return key;
    }
}

public sealed class ConfirmModel(SupporterTokens tokens, CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t, CampaignIdentity identity)
    : SupporterLinkModel(tokens, db, time, t, identity)
{
    protected override SupporterAction Action => SupporterAction.Confirm;
}

public sealed class UnsubscribeModel(SupporterTokens tokens, CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t, CampaignIdentity identity)
    : SupporterLinkModel(tokens, db, time, t, identity)
{
    protected override SupporterAction Action => SupporterAction.Unsubscribe;
}
