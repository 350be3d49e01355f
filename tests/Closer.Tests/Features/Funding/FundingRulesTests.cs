using Closer.Web.Infrastructure.Security;

namespace Closer.Tests.Features.Funding;

/// <summary>The funding rules of <see cref="FundingRules"/>, role by role.</summary>
public sealed class FundingRulesTests
{
    private static ScopeUser User(string role, int? org = null, params string[] countries) =>
        new(new HashSet<string>([role], StringComparer.Ordinal), org, new HashSet<string>(countries, StringComparer.Ordinal));

    private static readonly FundingResource InColombia = new(7, "COL");
    private static readonly FundingResource InPeru = new(8, "PER");
    private static readonly FundingResource Regional = new(7, null);

    [Fact]
    public void PlatformAdmin_ReadsAndWritesEverything()
    {
        var admin = User(Roles.PlatformAdmin);
        foreach (var c in new[] { InColombia, InPeru, Regional })
        {
            Assert.True(FundingRules.Allows(admin, c, FundingAction.Read));
            Assert.True(FundingRules.Allows(admin, c, FundingAction.Write));
        }
        Assert.True(FundingRules.WritesAny(admin));
    }

    [Fact]
    public void Coordinator_WritesOwnCountries_ReadsRegional_AndNeitherInOtherCountries()
    {
        var coordinator = User(Roles.CountryCoordinator, null, "COL");
        Assert.True(FundingRules.Allows(coordinator, InColombia, FundingAction.Write));
        Assert.False(FundingRules.Allows(coordinator, InPeru, FundingAction.Write));
        Assert.False(FundingRules.Allows(coordinator, InPeru, FundingAction.Read));
        Assert.True(FundingRules.Allows(coordinator, Regional, FundingAction.Read));
        Assert.False(FundingRules.Allows(coordinator, Regional, FundingAction.Write));
        Assert.True(FundingRules.WritesAny(coordinator));
        Assert.False(FundingRules.WritesAny(User(Roles.CountryCoordinator)));
    }

    [Fact]
    public void FocalPoint_ReadsOnlyWhatItsOrganisationReceived_AndWritesNothing()
    {
        var focal = User(Roles.OrgFocalPoint, 7, "COL");
        Assert.True(FundingRules.Allows(focal, InColombia, FundingAction.Read));
        Assert.True(FundingRules.Allows(focal, Regional, FundingAction.Read));
        Assert.False(FundingRules.Allows(focal, InPeru, FundingAction.Read));
        Assert.False(FundingRules.Allows(focal, InColombia, FundingAction.Write));
        Assert.False(FundingRules.WritesAny(focal));
        Assert.True(FundingRules.ReadsAny(focal));
    }

    [Theory]
    [InlineData(Roles.Viewer)]
    [InlineData(Roles.Editor)]
    [InlineData(Roles.Translator)]
    [InlineData(Roles.Moderator)]
    public void OtherRoles_SeeNoContributions(string role)
    {
        var user = User(role, 7, "COL");
        Assert.False(FundingRules.ReadsAny(user));
        Assert.False(FundingRules.Allows(user, InColombia, FundingAction.Read));
        Assert.False(FundingRules.Allows(user, InColombia, FundingAction.Write));
    }
}
