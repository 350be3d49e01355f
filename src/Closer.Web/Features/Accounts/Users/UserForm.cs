using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Accounts.Users;

/// <summary>What the back-office forms offer a person: the organisations, countries and roles within their reach.</summary>
public sealed record UserFormOptions(
    IReadOnlyList<(string Acronym, string Name)> Organisations, IReadOnlyList<(string Iso3, string Name)> Countries, IReadOnlyList<string> Roles)
{
    public static async Task<UserFormOptions> LoadAsync(CloserDbContext db, ScopeUser actor, CancellationToken ct)
    {
        var orgs = db.Organisations.AsNoTracking();
        var countries = db.Countries.AsNoTracking();
        if (!actor.Roles.Contains(Infrastructure.Security.Roles.PlatformAdmin))
        {
            var mine = actor.Roles.Contains(Infrastructure.Security.Roles.CountryCoordinator) ? actor.Countries.ToList() : [];
            var ownOrg = actor.Roles.Contains(Infrastructure.Security.Roles.OrgFocalPoint) ? actor.OrganisationId ?? -1 : -1;
            orgs = orgs.Where(o => o.Id == ownOrg || o.Countries.Any(c => mine.Contains(c.CountryIso3)));
            var reach = UserAdminRules.GrantableCountries(actor)?.ToList()
                ?? await db.Organisations.Where(o => o.Id == ownOrg).SelectMany(o => o.Countries.Select(c => c.CountryIso3)).ToListAsync(ct);
            countries = countries.Where(c => reach.Contains(c.Iso3));
        }
        var language = Languages.Current;
        var orgList = await orgs.OrderBy(o => o.Acronym).Select(o => new { o.Acronym, o.Name }).ToListAsync(ct);
        var countryList = (await countries.ToListAsync(ct)).Select(c => (c.Iso3, c.Name(language)))
            .OrderBy(c => c.Item2, StringComparer.Create(Languages.Culture(language), ignoreCase: true)).ToList();
        return new UserFormOptions([.. orgList.Select(o => (o.Acronym, o.Name))], countryList, UserAdminRules.GrantableRoles(actor));
    }
}

/// <summary>The English labels (UI-string keys) of roles and statuses.</summary>
public static class UserLabels
{
    public static string Role(string role) => role switch
    {
        Roles.PlatformAdmin => "Platform administrator",
        Roles.CountryCoordinator => "Country coordinator",
        Roles.OrgFocalPoint => "Organisation focal point",
        Roles.Editor => "Editor",
        Roles.Translator => "Translator",
        Roles.Moderator => "Moderator",
        Roles.Viewer => "Viewer",
        _ => role,
    };

    public static string Status(string status) => status switch
    {
        UserStatus.Invited => "Invited",
        UserStatus.Active => "Active",
        UserStatus.Deactivated => "Deactivated",
        _ => status,
    };
}
