using System.Security.Claims;
using Closer.Web.Infrastructure.Security;

namespace Closer.Web.Infrastructure.Security;

/// <summary>Who is acting, as every feature's rules and the audit log see it: the person and their organisation/country scope.</summary>
public sealed record Actor(string? UserId, string? Email, ScopeUser Scope)
{
    public static Actor From(ClaimsPrincipal principal) => new(
        principal.FindFirstValue(ClaimTypes.NameIdentifier),
        principal.FindFirstValue(ClaimTypes.Email) ?? principal.Identity?.Name,
        ScopeUser.From(principal));

    public bool IsAdmin => Scope.Roles.Contains(Roles.PlatformAdmin);
}
