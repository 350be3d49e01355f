using Closer.Web.Infrastructure.Security;

namespace Closer.Web.Features.Accounts.Users;

/// <summary>A person's roles and where they apply, as the user-administration rules see them.</summary>
/// <param name="OrganisationCountries">The countries the person's organisation operates in (empty without one).</param>
public sealed record UserScopeState(IReadOnlySet<string> Roles, int? OrganisationId, IReadOnlySet<string> OrganisationCountries, IReadOnlySet<string> Countries)
{
    /// <summary>
    /// Where the person's roles reach: their countries of scope, or, without any, every country of their organisation
    /// (a focal point without countries acts wherever the organisation does).
    /// </summary>
    public IReadOnlySet<string> Reach => Countries.Count > 0 ? Countries : OrganisationCountries;
}

/// <summary>
/// Who manages whom, in one place. A PlatformAdmin manages everyone. A CountryCoordinator manages people whose roles
/// reach only into the coordinator's countries, and grants only the country roles (CountryCoordinator, OrgFocalPoint,
/// Viewer): never PlatformAdmin, nor the platform-wide roles (Editor, Translator, Moderator), which apply everywhere.
/// An OrgFocalPoint manages colleagues of their own organisation (in their countries, when they have any) holding
/// OrgFocalPoint or Viewer only, so no one grants a role higher than their own. Nobody changes or deactivates themselves.
/// </summary>
public static class UserAdminRules
{
    private static readonly string[] CoordinatorGrants = [Roles.CountryCoordinator, Roles.OrgFocalPoint, Roles.Viewer];
    private static readonly string[] FocalPointGrants = [Roles.OrgFocalPoint, Roles.Viewer];

    /// <summary>Whether the person manages any user at all (sees /admin/users and the users API).</summary>
    public static bool Administers(ScopeUser actor) =>
        actor.Roles.Contains(Roles.PlatformAdmin)
        || (actor.Roles.Contains(Roles.CountryCoordinator) && actor.Countries.Count > 0)
        || (actor.Roles.Contains(Roles.OrgFocalPoint) && actor.OrganisationId is not null);

    /// <summary>The roles the person may grant (and the roles of the people they may manage).</summary>
    public static IReadOnlyList<string> GrantableRoles(ScopeUser actor)
    {
        if (actor.Roles.Contains(Roles.PlatformAdmin))
        {
            return Roles.All;
        }
        var roles = new List<string>();
        if (actor.Roles.Contains(Roles.CountryCoordinator) && actor.Countries.Count > 0)
        {
            roles.AddRange(CoordinatorGrants);
        }
        if (actor.Roles.Contains(Roles.OrgFocalPoint) && actor.OrganisationId is not null)
        {
            roles.AddRange(FocalPointGrants);
        }
        return [.. Roles.All.Where(roles.Contains)];
    }

    /// <summary>
    /// Whether <paramref name="actor"/> may hold <paramref name="person"/> in this state: manage someone who is in it
    /// now, or put someone into it (an invitation, a change of roles or scope). A change needs both, before and after.
    /// </summary>
    public static bool MayManage(ScopeUser actor, UserScopeState person)
    {
        if (actor.Roles.Contains(Roles.PlatformAdmin))
        {
            return true;
        }
        if (actor.Roles.Contains(Roles.CountryCoordinator) && actor.Countries.Count > 0
            && person.Roles.All(CoordinatorGrants.Contains)
            && person.Reach.Count > 0 && person.Reach.All(actor.Countries.Contains))
        {
            return true;
        }
        return actor.Roles.Contains(Roles.OrgFocalPoint) && actor.OrganisationId is { } org
            && person.OrganisationId == org
            && person.Roles.All(FocalPointGrants.Contains)
            && (actor.Countries.Count == 0 || (person.Countries.Count > 0 && person.Countries.All(actor.Countries.Contains)));
    }

    /// <summary>The countries the person may give as scope (null: any country).</summary>
    public static IReadOnlySet<string>? GrantableCountries(ScopeUser actor)
    {
        if (actor.Roles.Contains(Roles.PlatformAdmin))
        {
            return null;
        }
        // A coordinator's or a focal point's own countries bound what they give; none means no bound of theirs.
        return actor.Countries.Count > 0 ? actor.Countries : null;
    }
}
