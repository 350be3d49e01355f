using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Audit;

/// <summary>Who reads which audit entries, and the audit log's filters (the API and the audit page).</summary>
public static class AuditQueries
{
    /// <summary>
    /// Administrators read everything; coordinators the entries of their countries; focal points their organisation's.
    /// Everyone else reads nothing (<see cref="MayRead"/>).
    /// </summary>
    internal static IQueryable<AuditEntry> Visible(IQueryable<AuditEntry> q, ScopeUser u)
    {
        if (u.Roles.Contains(Roles.PlatformAdmin))
        {
            return q;
        }
        var countries = u.Roles.Contains(Roles.CountryCoordinator) ? u.Countries.ToList() : [];
        var org = u.Roles.Contains(Roles.OrgFocalPoint) ? u.OrganisationId ?? -1 : -1;
        return q.Where(a => (a.CountryIso3 != null && countries.Contains(a.CountryIso3)) || a.OrganisationId == org);
    }

    internal static bool MayRead(Actor actor) =>
        actor.IsAdmin || actor.Scope.Roles.Contains(Roles.CountryCoordinator) || actor.Scope.Roles.Contains(Roles.OrgFocalPoint);

    internal static IQueryable<AuditEntry> Filter(IQueryable<AuditEntry> q, string? entityType, string? entityKey, string? action, string? country, string? user)
    {
        if (!string.IsNullOrWhiteSpace(entityType))
        {
            q = q.Where(a => a.EntityType == entityType);
        }
        if (!string.IsNullOrWhiteSpace(entityKey))
        {
            q = q.Where(a => EF.Functions.Like(a.EntityKey, entityKey + "%"));
        }
        if (!string.IsNullOrWhiteSpace(action))
        {
            q = q.Where(a => a.Action == action);
        }
        if (!string.IsNullOrWhiteSpace(country))
        {
            var c = country.ToUpperInvariant();
            q = q.Where(a => a.CountryIso3 == c);
        }
        if (!string.IsNullOrWhiteSpace(user))
        {
            q = q.Where(a => a.UserEmail != null && EF.Functions.Like(a.UserEmail, "%" + user + "%"));
        }
        return q;
    }
}
