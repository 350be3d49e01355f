using System.Security.Claims;
using Closer.Web.Infrastructure.Security;

namespace Closer.Web.Features.Coordination;

/// <summary>Who is acting: for the rules and for the audit log.</summary>
public sealed record Actor(string? UserId, string? Email, ScopeUser Scope)
{
    public static Actor From(ClaimsPrincipal principal) => new(
        principal.FindFirstValue(ClaimTypes.NameIdentifier),
        principal.FindFirstValue(ClaimTypes.Email) ?? principal.Identity?.Name,
        ScopeUser.From(principal));

    public bool IsAdmin => Scope.Roles.Contains(Roles.PlatformAdmin);
}
