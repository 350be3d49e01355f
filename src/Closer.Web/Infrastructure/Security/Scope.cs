using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Closer.Web.Infrastructure.Security;

/// <summary>What a user is about to do with a scoped resource.</summary>
public enum ScopeAction
{
    Read,
    Edit,
}

/// <summary>A resource that belongs to an organisation and/or a country (a report, an organisation profile, a figure).</summary>
public sealed record ScopedResource(int? OrganisationId, string? CountryIso3);

/// <summary>The parts of a signed-in user that scope rules look at.</summary>
public sealed record ScopeUser(IReadOnlySet<string> Roles, int? OrganisationId, IReadOnlySet<string> Countries)
{
    public static ScopeUser From(ClaimsPrincipal principal) => new(
        principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
        int.TryParse(principal.FindFirstValue(CloserClaims.Organisation), System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var org) ? org : null,
        principal.FindAll(CloserClaims.Country).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));

    public bool InCountry(string? iso3) => iso3 is not null && Countries.Contains(iso3);

    /// <inheritdoc cref="Partners"/>
    public bool IsPartner => Partners.Is(Roles, OrganisationId);
}

/// <summary>
/// Who is a partner, the one rule for everything marked "partners only" (documents, forum spaces, and the e-mails
/// about them): a signed-in person who belongs to a member organisation or holds any of Closer's roles. A person
/// with neither (a signed-in member of the public) reads what is public, like an anonymous reader.
/// </summary>
public static class Partners
{
    public static bool Is(IEnumerable<string> roles, int? organisationId) =>
        organisationId is not null || roles.Any(r => Roles.All.Contains(r, StringComparer.Ordinal));

    public static bool Is(ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true && ScopeUser.From(principal).IsPartner;
}

/// <summary>
/// The organisation and country rules, in one place. Every feature that shows or changes scoped data
/// asks here (through <see cref="IAuthorizationService"/> with <see cref="ScopeRequirement"/>).
/// </summary>
public static class ScopeRules
{
    public static bool Allows(ScopeUser user, ScopedResource resource, ScopeAction action)
    {
        if (user.Roles.Contains(Roles.PlatformAdmin))
        {
            return true;
        }
        // A country coordinator acts on everything in their countries.
        if (user.Roles.Contains(Roles.CountryCoordinator) && user.InCountry(resource.CountryIso3))
        {
            return true;
        }
        // A focal point acts on their own organisation, in their countries when they have any.
        if (user.Roles.Contains(Roles.OrgFocalPoint)
            && resource.OrganisationId is { } org && org == user.OrganisationId
            && (resource.CountryIso3 is null || user.Countries.Count == 0 || user.InCountry(resource.CountryIso3)))
        {
            return true;
        }
        // Coordinators read organisation-level resources (a directory entry has no country).
        return action == ScopeAction.Read
            && resource.CountryIso3 is null
            && user.Roles.Contains(Roles.CountryCoordinator);
    }
}

/// <summary>What a user is about to do with a 5W activity report or a country's coordination data.</summary>
public enum ReportAction
{
    /// <summary>See the report.</summary>
    Read,
    /// <summary>Create, edit, submit or delete (own organisation's reports).</summary>
    Write,
    /// <summary>Validate or return a submitted report.</summary>
    Review,
    /// <summary>Lock or unlock a country's month; manage its figures, targets and admin1 areas.</summary>
    ManageCountry,
}

/// <summary>A report as the rules see it: whose it is, where, and whether it is validated.</summary>
public sealed record ReportResource(int OrganisationId, string CountryIso3, bool Validated);

/// <summary>
/// The coordination rules of issue 4, in one place: an OrgFocalPoint writes its own organisation's reports in
/// its countries and sees others' only once validated; a CountryCoordinator sees everything of its countries,
/// validates, returns and locks there; a PlatformAdmin does everything; a Viewer sees validated data only.
/// Other roles (editors, translators, moderators) see no reports.
/// </summary>
public static class ReportRules
{
    public static bool Allows(ScopeUser user, ReportResource report, ReportAction action)
    {
        if (user.Roles.Contains(Roles.PlatformAdmin))
        {
            return true;
        }
        var coordinatorHere = user.Roles.Contains(Roles.CountryCoordinator) && user.InCountry(report.CountryIso3);
        var ownOrgHere = user.Roles.Contains(Roles.OrgFocalPoint)
            && user.OrganisationId == report.OrganisationId
            && (user.Countries.Count == 0 || user.InCountry(report.CountryIso3));
        return action switch
        {
            ReportAction.Read => coordinatorHere || ownOrgHere || (report.Validated && SeesValidated(user)),
            ReportAction.Write => ownOrgHere,
            ReportAction.Review or ReportAction.ManageCountry => coordinatorHere,
            _ => false,
        };
    }

    /// <summary>Whether the user may manage a country's figures, targets, admin1 areas and period locks.</summary>
    public static bool ManagesCountry(ScopeUser user, string countryIso3) =>
        user.Roles.Contains(Roles.PlatformAdmin) || (user.Roles.Contains(Roles.CountryCoordinator) && user.InCountry(countryIso3));

    /// <summary>Roles that see validated coordination data of every organisation and country.</summary>
    public static bool SeesValidated(ScopeUser user) =>
        user.Roles.Contains(Roles.PlatformAdmin) || user.Roles.Contains(Roles.CountryCoordinator)
        || user.Roles.Contains(Roles.OrgFocalPoint) || user.Roles.Contains(Roles.Viewer);
}

public sealed class ScopeRequirement(ScopeAction action) : IAuthorizationRequirement
{
    public ScopeAction Action { get; } = action;
    public static readonly ScopeRequirement Read = new(ScopeAction.Read);
    public static readonly ScopeRequirement Edit = new(ScopeAction.Edit);
}

public sealed class ScopeAuthorizationHandler : AuthorizationHandler<ScopeRequirement, ScopedResource>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement, ScopedResource resource)
    {
        if (ScopeRules.Allows(ScopeUser.From(context.User), resource, requirement.Action))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

public static class AuthorizationSetup
{
    public static IServiceCollection AddCloserAuthorization(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, ScopeAuthorizationHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Staff, p => p.RequireAuthenticatedUser().RequireRole(Roles.All))
            .AddPolicy(Policies.PlatformAdmin, p => p.RequireAuthenticatedUser().RequireRole(Roles.PlatformAdmin))
            .AddPolicy(Policies.ApiUser, p => p.RequireAuthenticatedUser());
        return services;
    }

    public static Task<AuthorizationResult> AuthorizeScopeAsync(this IAuthorizationService authorization,
        ClaimsPrincipal user, ScopedResource resource, ScopeAction action) =>
        authorization.AuthorizeAsync(user, resource, action == ScopeAction.Edit ? ScopeRequirement.Edit : ScopeRequirement.Read);
}

/// <summary>What a user is about to do with a funding contribution.</summary>
public enum FundingAction
{
    Read,
    /// <summary>Create, edit, delete or restore.</summary>
    Write,
}

/// <summary>A contribution as the rules see it: its recipient organisation and its country (null = regional).</summary>
public sealed record FundingResource(int RecipientOrganisationId, string? CountryIso3);

/// <summary>
/// Who sees and changes funding contributions (the aggregated figures are public): a PlatformAdmin everything; a
/// CountryCoordinator reads and writes the contributions of its countries and reads regional ones (written by admins
/// only); an OrgFocalPoint reads the contributions its organisation received, and writes none. Other roles see none.
/// </summary>
public static class FundingRules
{
    public static bool Allows(ScopeUser user, FundingResource contribution, FundingAction action)
    {
        if (user.Roles.Contains(Roles.PlatformAdmin))
        {
            return true;
        }
        var coordinator = user.Roles.Contains(Roles.CountryCoordinator);
        if (coordinator && user.InCountry(contribution.CountryIso3))
        {
            return true;
        }
        if (action != FundingAction.Read)
        {
            return false;
        }
        return (coordinator && contribution.CountryIso3 is null)
            || (user.Roles.Contains(Roles.OrgFocalPoint) && user.OrganisationId == contribution.RecipientOrganisationId);
    }

    /// <summary>Whether the user may see the contributions list at all.</summary>
    public static bool ReadsAny(ScopeUser user) =>
        user.Roles.Contains(Roles.PlatformAdmin) || user.Roles.Contains(Roles.CountryCoordinator)
        || (user.Roles.Contains(Roles.OrgFocalPoint) && user.OrganisationId is not null);

    /// <summary>Whether the user may write some contribution (an admin, or a coordinator with countries).</summary>
    public static bool WritesAny(ScopeUser user) =>
        user.Roles.Contains(Roles.PlatformAdmin) || (user.Roles.Contains(Roles.CountryCoordinator) && user.Countries.Count > 0);
}
