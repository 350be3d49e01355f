using System.Security.Claims;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Accounts;

/// <summary>
/// A session and an API token are only as good as the account's security stamp at the time they were made: a
/// password reset, a deactivation (<see cref="UserManager{TUser}.UpdateSecurityStampAsync"/>) or any other change of
/// the stamp ends every cookie on its next request and every token at once.
/// </summary>
public static class AccountSessions
{
    /// <summary>
    /// An account locked without end is switched off (Identity's convention for a disabled account), unlike the
    /// short lockout after failed sign-ins, which must not stop the owner's tokens or open sessions.
    /// </summary>
    public static bool IsDisabled(DateTimeOffset? lockoutEnd, DateTimeOffset now) =>
        lockoutEnd is { } end && end > now.AddYears(100);

    /// <summary>A session or token made under <paramref name="held"/> is still good: the stamp is the account's now, and the account is not switched off.</summary>
    public static bool IsCurrent(string? held, string? current, DateTimeOffset? lockoutEnd, DateTimeOffset now) =>
        held is not null && string.Equals(held, current, StringComparison.Ordinal) && !IsDisabled(lockoutEnd, now);

    /// <summary>
    /// Checked on every request (not every 30 minutes, Identity's default), with one indexed single-row read and
    /// without reissuing the cookie, so a reset ends the old cookie straight away.
    /// </summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var claims = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var userId = context.Principal?.FindFirstValue(claims.UserIdClaimType);
        var stamp = context.Principal?.FindFirstValue(claims.SecurityStampClaimType);
        var current = userId is null ? null : await services.GetRequiredService<CloserDbContext>().Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.LockoutEnd })
            .FirstOrDefaultAsync(context.HttpContext.RequestAborted);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (current is null || !IsCurrent(stamp, current.SecurityStamp, current.LockoutEnd, now))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }
}
