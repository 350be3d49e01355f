using System.Net.Mail;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Campaign.Public;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Campaign.Pledges;

public sealed record CountryOption(string Iso3, string Name);

/// <summary>
/// The pledge form. It sets no cookie: instead of the cookie-based antiforgery pair it carries a signed,
/// time-stamped token (<see cref="PledgeFormToken"/>); a post without a valid one is refused with 400.
/// Posts are rate-limited per client; a filled honeypot is thanked and counted nowhere.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[EnableRateLimiting(CampaignFeature.PledgeLimiter)]
public sealed class PledgeModel(CloserDbContext db, PledgeService pledges, PledgeFormToken tokens, TimeProvider time,
    IStringLocalizer<SharedResource> t, IConfiguration configuration, SupporterMail mail) : CampaignPageModel
{
    public string Token { get; private set; } = "";
    public bool Thanks { get; private set; }
    /// <summary>After a pledge that kept an address: the reader is told to confirm it.</summary>
    public bool ConfirmSent { get; private set; }
    public List<CountryOption> Countries { get; private set; } = [];
    public PledgeSummary Summary { get; private set; } = new(0, new Dictionary<string, long>());
    public List<string> Errors { get; } = [];

    [BindProperty] public string? Country { get; set; }
    [BindProperty] public string? FirstName { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public bool EmailConsent { get; set; }
    [BindProperty] public string? Website { get; set; }
    /// <summary>Where the reader came from (<c>ref</c> or <c>utm_source</c> of the link that opened the form), carried in the form: no cookie.</summary>
    [BindProperty] public string? Ref { get; set; }

    public async Task OnGetAsync(bool thanks, bool confirm, CancellationToken ct)
    {
        Thanks = thanks;
        ConfirmSent = thanks && confirm;
        Ref = Supporters.NormaliseSource(Request.Query["ref"].FirstOrDefault() ?? Request.Query["utm_source"].FirstOrDefault());
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var tokenId = Request.HasFormContentType ? tokens.Validate(Request.Form[PledgeFormToken.FieldName]) : null;
        if (tokenId is null || !PledgeFormToken.IsSameOrigin(Request, PublicSite.Configured(configuration)))
        {
            return BadRequest();
        }
        if (await TokenUsedAsync(tokenId, ct))
        {
            return await AlreadySentAsync(ct);
        }
        if (!string.IsNullOrEmpty(Website))
        {
            // A bot filled the hidden field: thank it and count nothing.
            return Redirect($"/{Lang}/pledge?thanks=true");
        }
        var country = Country?.Trim().ToUpperInvariant() ?? "";
        if (country.Length != 3 || !await db.Countries.AnyAsync(c => c.Iso3 == country, ct))
        {
            Errors.Add("Choose your country.");
        }
        var firstName = string.IsNullOrWhiteSpace(FirstName) ? null : FirstName.Trim();
        if (firstName is { Length: > 50 })
        {
            Errors.Add("The first name is limited to 50 characters.");
        }
        var email = string.IsNullOrWhiteSpace(Email) ? null : Email.Trim();
        if (email is not null && (email.Length > 256 || !MailAddress.TryCreate(email, out _)))
        {
            Errors.Add("This e-mail address is not valid.");
        }
        else if (email is not null && !EmailConsent)
        {
            Errors.Add("To keep your e-mail address we need your consent; tick the box or leave the address empty.");
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            await LoadAsync(ct);
            return Page();
        }
        var keepsEmail = EmailConsent && email is not null;
        var pledge = new Pledge
        {
            CountryIso3 = country, FirstName = firstName, Email = keepsEmail ? email : null, EmailConsent = keepsEmail,
            Language = Lang, CreatedAt = time.GetUtcNow(), FormTokenId = tokenId, Source = Supporters.NormaliseSource(Ref),
            SupporterKey = keepsEmail ? Supporters.NewKey() : null,
        };
        db.Pledges.Add(pledge);
        if (keepsEmail)
        {
            // Double opt-in: the one message this address gets before its owner confirms it.
            db.EnqueueConfirmation(mail, time, pledge);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same form sent twice at once (two nodes, a double click): the unique index let one in.
            db.ChangeTracker.Clear();
            if (!await TokenUsedAsync(tokenId, ct))
            {
                throw;
            }
            return await AlreadySentAsync(ct);
        }
        // The pages that show the counts are evicted by the data stamp interceptor after the commit (the pledges dataset).
        return Redirect(keepsEmail ? $"/{Lang}/pledge?thanks=true&confirm=true" : $"/{Lang}/pledge?thanks=true");
    }

    private Task<bool> TokenUsedAsync(string tokenId, CancellationToken ct) => db.Pledges.AnyAsync(p => p.FormTokenId == tokenId, ct);

    /// <summary>A form token counts once: sending it again is refused, with a fresh form to pledge anew.</summary>
    private async Task<IActionResult> AlreadySentAsync(CancellationToken ct)
    {
        Errors.Add("This form has already been sent, and your pledge was counted. To pledge again, use this new form.");
        Response.StatusCode = StatusCodes.Status409Conflict;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Token = tokens.Issue();
        Response.Headers.CacheControl = "no-store";
        var comparer = StringComparer.Create(System.Globalization.CultureInfo.CurrentCulture, false);
        Countries = (await db.Countries.AsNoTracking().ToListAsync(ct))
            .Select(c => new CountryOption(c.Iso3.Trim(), c.Name(Lang))).OrderBy(c => c.Name, comparer).ToList();
        Summary = await pledges.SummaryAsync(ct);
        Describe(t["I take a step closer"], t["Pledge to treat refugees and migrants as neighbours. Your country is counted; your name and e-mail are optional."], "pledge");
    }
}
