using Closer.Web.Infrastructure.Security;

namespace Closer.Tests.Infrastructure.Security;

public sealed class ScopeRulesTests
{
    private static ScopeUser User(string role, int? org = null, params string[] countries) =>
        new(new HashSet<string>([role], StringComparer.Ordinal), org, new HashSet<string>(countries, StringComparer.Ordinal));

    public static TheoryData<string, int?, string[], int?, string?, ScopeAction, bool> Cases => new()
    {
        // role, user org, user countries, resource org, resource country, action, allowed
        { Roles.PlatformAdmin, null, [], 7, "COL", ScopeAction.Edit, true },
        { Roles.OrgFocalPoint, 1, ["COL"], 1, "COL", ScopeAction.Edit, true },
        { Roles.OrgFocalPoint, 1, ["COL"], 1, "PER", ScopeAction.Edit, false },
        { Roles.OrgFocalPoint, 1, [], 1, "PER", ScopeAction.Edit, true },
        { Roles.OrgFocalPoint, 1, ["COL"], 2, "COL", ScopeAction.Read, false },
        { Roles.OrgFocalPoint, 1, ["COL"], 2, "COL", ScopeAction.Edit, false },
        { Roles.OrgFocalPoint, 1, ["COL"], 2, null, ScopeAction.Read, false },
        { Roles.OrgFocalPoint, null, ["COL"], 1, null, ScopeAction.Read, false },
        { Roles.CountryCoordinator, null, ["PER"], 2, "PER", ScopeAction.Edit, true },
        { Roles.CountryCoordinator, null, ["PER"], 2, "COL", ScopeAction.Read, false },
        { Roles.CountryCoordinator, null, ["PER"], 2, null, ScopeAction.Read, true },
        { Roles.CountryCoordinator, null, ["PER"], 2, null, ScopeAction.Edit, false },
        { Roles.Viewer, 1, ["COL"], 1, "COL", ScopeAction.Read, false },
        { Roles.Editor, null, [], 1, null, ScopeAction.Read, false },
        { Roles.Moderator, null, [], 1, null, ScopeAction.Edit, false },
        { Roles.Translator, null, [], 1, "COL", ScopeAction.Edit, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ScopeRules_AllowExactlyWhatEachRoleMayDo(string role, int? org, string[] countries, int? resOrg, string? resCountry, ScopeAction action, bool allowed) =>
        Assert.Equal(allowed, ScopeRules.Allows(User(role, org, countries), new ScopedResource(resOrg, resCountry), action));

    [Fact]
    public void NoRole_IsAllowedNothing() =>
        Assert.False(ScopeRules.Allows(new ScopeUser(new HashSet<string>(), 1, new HashSet<string>(["COL"])), new ScopedResource(1, "COL"), ScopeAction.Read));
}
