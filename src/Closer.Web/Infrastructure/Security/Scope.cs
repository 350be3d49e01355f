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
