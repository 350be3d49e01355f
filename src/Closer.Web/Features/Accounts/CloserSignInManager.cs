using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Accounts;

/// <summary>
/// Identity's sign-in with Closer's two account rules: a deactivated account cannot sign in by any path (password,
/// second factor) — its open sessions end with the security stamp deactivation changes (<see cref="AccountSessions"/>);
/// every successful sign-in records when it happened.
/// </summary>
public sealed class CloserSignInManager(
    UserManager<AppUser> userManager, IHttpContextAccessor contextAccessor, IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor, ILogger<SignInManager<AppUser>> logger, IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation, TimeProvider time, Closer.Web.Infrastructure.Data.CloserDbContext db)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user) =>
        user.DeactivatedAt is null && await base.CanSignInAsync(user);

    public override async Task SignInWithClaimsAsync(AppUser user, AuthenticationProperties? authenticationProperties, IEnumerable<System.Security.Claims.Claim> additionalClaims)
    {
        // Every completed sign-in (after the password, or after the second factor) passes here, and so does a session
        // refreshed after a change to the account; a refusal never does. One column, without Identity's full update.
        var now = time.GetUtcNow();
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInAt, now));
        await base.SignInWithClaimsAsync(user, authenticationProperties, additionalClaims);
    }
}

/// <summary>
/// What other features do when an account changes, inside the same unit of work (ApiTokens revokes the person's
/// tokens on deactivation). Implementations add their changes to the context; the caller saves once.
/// </summary>
public interface IAccountEvents
{
    Task DeactivatedAsync(string userId, string? byUserId, DateTimeOffset at, CancellationToken ct);
}
