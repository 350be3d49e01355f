using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Accounts.Users;

/// <summary>A person as the back office and the users API show them.</summary>
public sealed record UserDto(
    string Id, string Email, string? Name, string? Organisation, string? OrganisationName, IReadOnlyList<string> Roles,
    IReadOnlyList<string> Countries, string Status, string Language, DateTimeOffset CreatedAt, DateTimeOffset? InvitedAt,
    DateTimeOffset? LastSignInAt, DateTimeOffset? DeactivatedAt);

public sealed record UserPage(IReadOnlyList<UserDto> Items, int Page, int PageSize, int Total);

/// <summary>The list's filters: organisation acronym, country (ISO3), role, status (invited, active, deactivated).</summary>
public sealed record UserFilter(string? Organisation = null, string? Country = null, string? Role = null, string? Status = null, int Page = 1,
    int PageSize = UserQueries.PageSize);

public static class UserStatus
{
    public const string Invited = "invited";
    public const string Active = "active";
    public const string Deactivated = "deactivated";
    public static IReadOnlyList<string> All { get; } = [Invited, Active, Deactivated];

    public static string Of(AppUser user) =>
        user.DeactivatedAt is not null ? Deactivated : user.PasswordHash is null ? Invited : Active;
}

/// <summary>Who sees which people, and the list's filters and paging.</summary>
public static class UserQueries
{
    public const int PageSize = 25;

    /// <summary>
    /// Administrators see everyone; coordinators the people of organisations in their countries and the people whose
    /// countries are theirs; focal points their organisation's people.
    /// </summary>
    public static IQueryable<AppUser> Visible(IQueryable<AppUser> q, ScopeUser u)
    {
        if (u.Roles.Contains(Roles.PlatformAdmin))
        {
            return q;
        }
        var countries = u.Roles.Contains(Roles.CountryCoordinator) ? u.Countries.ToList() : [];
        var org = u.Roles.Contains(Roles.OrgFocalPoint) ? u.OrganisationId ?? -1 : -1;
        return q.Where(x => x.OrganisationId == org
            || x.Countries.Any(c => countries.Contains(c.CountryIso3))
            || (x.Organisation != null && x.Organisation.Countries.Any(c => countries.Contains(c.CountryIso3))));
    }

    public static async Task<UserPage> ListAsync(CloserDbContext db, ScopeUser actor, UserFilter filter, CancellationToken ct)
    {
        var q = Visible(db.Users.AsNoTracking(), actor);
        if (!string.IsNullOrWhiteSpace(filter.Organisation))
        {
            var acronym = filter.Organisation.Trim();
            q = q.Where(u => u.Organisation != null && u.Organisation.Acronym == acronym);
        }
        if (!string.IsNullOrWhiteSpace(filter.Country))
        {
            var c = filter.Country.Trim().ToUpperInvariant();
            q = q.Where(u => u.Countries.Any(x => x.CountryIso3 == c)
                || (!u.Countries.Any() && u.Organisation != null && u.Organisation.Countries.Any(x => x.CountryIso3 == c)));
        }
        if (Roles.Normalize(filter.Role) is { } role)
        {
            var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).FirstOrDefaultAsync(ct) ?? "";
            q = q.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == roleId));
        }
        q = filter.Status switch
        {
            UserStatus.Deactivated => q.Where(u => u.DeactivatedAt != null),
            UserStatus.Invited => q.Where(u => u.DeactivatedAt == null && u.PasswordHash == null),
            UserStatus.Active => q.Where(u => u.DeactivatedAt == null && u.PasswordHash != null),
            _ => q,
        };
        var total = await q.CountAsync(ct);
        var size = Math.Max(1, filter.PageSize);
        var page = Math.Clamp(filter.Page, 1, Math.Max(1, (total + size - 1) / size));
        var ids = await q.OrderBy(u => u.NormalizedEmail).Skip((page - 1) * size).Take(size).Select(u => u.Id).ToListAsync(ct);
        var items = await LoadAsync(db, ids, ct);
        return new UserPage([.. ids.Select(id => items[id])], page, size, total);
    }

    public static async Task<UserDto?> GetAsync(CloserDbContext db, ScopeUser actor, string id, CancellationToken ct)
    {
        if (!await Visible(db.Users.AsNoTracking(), actor).AnyAsync(u => u.Id == id, ct))
        {
            return null;
        }
        return (await LoadAsync(db, [id], ct)).GetValueOrDefault(id);
    }

    /// <summary>The people with these ids, with their roles and scope, in three queries.</summary>
    public static async Task<Dictionary<string, UserDto>> LoadAsync(CloserDbContext db, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { User = u, Acronym = u.Organisation != null ? u.Organisation.Acronym : null, OrgName = u.Organisation != null ? u.Organisation.Name : null })
            .ToListAsync(ct);
        var roles = await db.UserRoles.AsNoTracking().Where(ur => ids.Contains(ur.UserId))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(ct);
        var countries = await db.UserCountryScopes.AsNoTracking().Where(c => ids.Contains(c.UserId)).ToListAsync(ct);
        return users.ToDictionary(x => x.User.Id, x => new UserDto(
            x.User.Id, x.User.Email ?? "", x.User.DisplayName, x.Acronym, x.OrgName,
            [.. roles.Where(r => r.UserId == x.User.Id).Select(r => r.Name!).OrderBy(r => IndexOf(r))],
            [.. countries.Where(c => c.UserId == x.User.Id).Select(c => c.CountryIso3).Order(StringComparer.Ordinal)],
            UserStatus.Of(x.User), x.User.PreferredLanguage, x.User.CreatedAt, x.User.InvitedAt, x.User.LastSignInAt, x.User.DeactivatedAt),
            StringComparer.Ordinal);
    }

    private static int IndexOf(string role) => Roles.All.ToList().IndexOf(role);

    /// <summary>A person's current roles and scope, for the rules.</summary>
    public static async Task<UserScopeState> StateAsync(CloserDbContext db, AppUser user, CancellationToken ct)
    {
        var roles = await db.UserRoles.Where(ur => ur.UserId == user.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToListAsync(ct);
        var countries = await db.UserCountryScopes.Where(c => c.UserId == user.Id).Select(c => c.CountryIso3).ToListAsync(ct);
        return await StateAsync(db, roles, user.OrganisationId, countries, ct);
    }

    public static async Task<UserScopeState> StateAsync(CloserDbContext db, IEnumerable<string> roles, int? organisationId, IEnumerable<string> countries, CancellationToken ct)
    {
        var orgCountries = organisationId is { } org
            ? await db.Organisations.Where(o => o.Id == org).SelectMany(o => o.Countries.Select(c => c.CountryIso3)).ToListAsync(ct)
            : [];
        return new UserScopeState(roles.ToHashSet(StringComparer.Ordinal), organisationId,
            orgCountries.ToHashSet(StringComparer.Ordinal), countries.ToHashSet(StringComparer.Ordinal));
    }
}
