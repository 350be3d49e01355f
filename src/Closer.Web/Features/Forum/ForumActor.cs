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
        var moderator = principal.IsInRole(Roles.Moderator) || principal.IsInRole(Roles.PlatformAdmin);
        return new ForumActor(id, Partners.Is(principal), moderator);
    }

    /// <summary>Partner-only spaces are read by partners (<see cref="Partners"/>) and moderators.</summary>
    public bool CanRead(ForumSpace space) => space.Visibility == SpaceVisibility.Public || IsPartner || IsModerator;
}
