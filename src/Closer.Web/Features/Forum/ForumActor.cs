using System.Security.Claims;
using Closer.Web.Infrastructure.Security;

namespace Closer.Web.Features.Forum;

/// <summary>Who is acting in the forum, read from the principal (cookie or API token).</summary>
public sealed record ForumActor(string? UserId, bool IsPartner, bool IsModerator)
{
    public static readonly ForumActor Anonymous = new(null, false, false);

    public bool IsAuthenticated => UserId is not null;

    public static ForumActor From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return Anonymous;
        }
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var hasRole = Roles.All.Any(principal.IsInRole);
        var hasOrg = principal.HasClaim(c => c.Type == CloserClaims.Organisation);
        var moderator = principal.IsInRole(Roles.Moderator) || principal.IsInRole(Roles.PlatformAdmin);
        return new ForumActor(id, hasRole || hasOrg, moderator);
    }

    /// <summary>Partner-only spaces are read by signed-in staff of partner organisations (an organisation or any staff role).</summary>
    public bool CanRead(ForumSpace space) => space.Visibility == SpaceVisibility.Public || IsPartner || IsModerator;
}
