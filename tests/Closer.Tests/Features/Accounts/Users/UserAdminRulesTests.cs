using Closer.Web.Features.Accounts.Users;
using Closer.Web.Infrastructure.Security;

namespace Closer.Tests.Features.Accounts.Users;

public sealed class UserAdminRulesTests
{
    private static ScopeUser Actor(string role, int? org = null, params string[] countries) =>
        new(new HashSet<string> { role }, org, countries.ToHashSet());

    private static UserScopeState Person(string[] roles, int? org = null, string[]? orgCountries = null, params string[] countries) =>
        new(roles.ToHashSet(), org, (orgCountries ?? []).ToHashSet(), countries.ToHashSet());

    [Fact]
    public void Admin_ManagesEveryone_AndGrantsEveryRole()
    {
        var admin = Actor(Roles.PlatformAdmin);
        Assert.True(UserAdminRules.MayManage(admin, Person([Roles.PlatformAdmin])));
        Assert.Equal(Roles.All, UserAdminRules.GrantableRoles(admin));
    }

    [Theory]
    [InlineData(new[] { Roles.OrgFocalPoint }, new[] { "COL" }, true)]
    [InlineData(new[] { Roles.CountryCoordinator }, new[] { "COL", "ECU" }, true)]
    [InlineData(new[] { Roles.Viewer }, new[] { "COL" }, true)]
    // Another country, part in another country, a platform-wide role, PlatformAdmin.
    [InlineData(new[] { Roles.OrgFocalPoint }, new[] { "PER" }, false)]
    [InlineData(new[] { Roles.OrgFocalPoint }, new[] { "COL", "PER" }, false)]
    [InlineData(new[] { Roles.Editor }, new[] { "COL" }, false)]
    [InlineData(new[] { Roles.PlatformAdmin }, new[] { "COL" }, false)]
    // No countries and no organisation: the role would reach everywhere.
    [InlineData(new[] { Roles.Viewer }, new string[0], false)]
    public void Coordinator_ManagesCountryRolesInTheirCountriesOnly(string[] roles, string[] countries, bool allowed) =>
        Assert.Equal(allowed, UserAdminRules.MayManage(Actor(Roles.CountryCoordinator, null, "COL", "ECU"), Person(roles, 7, null, countries)));

    [Fact]
    public void Coordinator_ManagesAFocalPointWithoutCountries_WhenTheOrganisationWorksOnlyInTheirCountries()
    {
        var coordinator = Actor(Roles.CountryCoordinator, null, "COL");
        Assert.True(UserAdminRules.MayManage(coordinator, Person([Roles.OrgFocalPoint], 7, ["COL"])));
        Assert.False(UserAdminRules.MayManage(coordinator, Person([Roles.OrgFocalPoint], 7, ["COL", "PER"])));
    }

    [Theory]
    [InlineData(new[] { Roles.Viewer }, 5, new[] { "COL" }, true)]
    [InlineData(new[] { Roles.OrgFocalPoint }, 5, new[] { "COL" }, true)]
    [InlineData(new[] { Roles.Viewer }, 6, new[] { "COL" }, false)]
    [InlineData(new[] { Roles.CountryCoordinator }, 5, new[] { "COL" }, false)]
    [InlineData(new[] { Roles.Moderator }, 5, new[] { "COL" }, false)]
    [InlineData(new[] { Roles.Viewer }, 5, new[] { "PER" }, false)]
    [InlineData(new[] { Roles.Viewer }, 5, new string[0], false)]
    public void FocalPoint_ManagesColleaguesOfTheirOrganisation_WithRolesNoHigherThanTheirs(string[] roles, int org, string[] countries, bool allowed) =>
        Assert.Equal(allowed, UserAdminRules.MayManage(Actor(Roles.OrgFocalPoint, 5, "COL"), Person(roles, org, null, countries)));

    [Theory]
    [InlineData(Roles.Viewer)]
    [InlineData(Roles.Editor)]
    [InlineData(Roles.Translator)]
    [InlineData(Roles.Moderator)]
    public void OtherRoles_ManageNobody(string role)
    {
        var actor = Actor(role, 5, "COL");
        Assert.False(UserAdminRules.Administers(actor));
        Assert.Empty(UserAdminRules.GrantableRoles(actor));
        Assert.False(UserAdminRules.MayManage(actor, Person([Roles.Viewer], 5, null, "COL")));
    }
}
