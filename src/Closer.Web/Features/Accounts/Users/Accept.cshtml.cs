using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Accounts.Users;

/// <summary>
/// Where an invited person chooses their password, from the link in the invitation. The link works once and expires;
/// a used, replaced or expired link says so and changes nothing.
/// </summary>
[AllowAnonymous]
public sealed class AcceptModel(UserManager<AppUser> users, CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string Code { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    public string? Email { get; private set; }
    public string? Problem { get; private set; }
    public bool Done { get; private set; }
    public List<string> Errors { get; } = [];

    public async Task OnGetAsync() => await CheckAsync();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await CheckAsync();
        if (user is null)
        {
            return Page();
        }
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, Password ?? "");
            if (!result.Succeeded)
            {
                Errors.Add(t["The password must have at least 12 characters."]);
                return Page();
            }
        }
        user.PasswordHash = users.PasswordHasher.HashPassword(user, Password!);
        // The new stamp makes this link (and any older one) useless from now on.
        user.SecurityStamp = UserAdmin.NewStamp();
        user.EmailConfirmed = true;
        var person = new Actor(user.Id, user.Email, ScopeUser.From(new System.Security.Claims.ClaimsPrincipal()));
        var country = await db.UserCountryScopes.Where(c => c.UserId == user.Id).Select(c => c.CountryIso3).OrderBy(c => c).FirstOrDefaultAsync(ct);
        AuditLog.Add(db, time.GetUtcNow(), person, "accept-invite", "user", user.Email ?? user.Id, country, user.OrganisationId,
            new Dictionary<string, string?[]>(StringComparer.Ordinal) { ["status"] = [UserStatus.Invited, UserStatus.Active] });
        await db.SaveChangesAsync(ct);
        Done = true;
        return Page();
    }

    /// <summary>The invited person when the link is good; otherwise null, with <see cref="Problem"/> saying why.</summary>
    private async Task<AppUser?> CheckAsync()
    {
        var user = string.IsNullOrWhiteSpace(Id) || Id.Length > 100 ? null : await users.FindByIdAsync(Id);
        if (user is not null && user.DeactivatedAt is null && user.PasswordHash is null && !string.IsNullOrEmpty(Code) && Code.Length < 2000
            && await users.VerifyUserTokenAsync(user, InvitationTokenProvider.ProviderName, InvitationTokenProvider.Purpose, Code))
        {
            Email = user.Email;
            return user;
        }
        Problem = user is { PasswordHash: not null, DeactivatedAt: null }
            ? t["This invitation has already been used. Sign in with your password, or reset it if you have forgotten it."]
            : t["This invitation link has expired or has been replaced by a newer one. Ask the person who invited you to send it again."];
        return null;
    }
}
