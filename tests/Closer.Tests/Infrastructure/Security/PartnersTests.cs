using System.Security.Claims;
using Closer.Web.Infrastructure.Security;

namespace Closer.Tests.Infrastructure.Security;

/// <summary>The one "partner" rule that partner-only documents, forum spaces and their e-mails share.</summary>
public sealed class PartnersTests
{
    public static TheoryData<string[], int?, bool> Cases => new()
    {
        // roles, organisation, partner
        { [], null, false },
        { [], 7, true },
        { [Roles.Viewer], null, true },
        { [Roles.Translator], null, true },
        { [Roles.OrgFocalPoint], 7, true },
        { ["SomethingElse"], null, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void APartner_BelongsToAnOrganisation_OrHoldsACloserRole(string[] roles, int? organisation, bool partner)
    {
        Assert.Equal(partner, Partners.Is(roles, organisation));
        Assert.Equal(partner, new ScopeUser(roles.ToHashSet(StringComparer.Ordinal), organisation, new HashSet<string>()).IsPartner);
        var claims = roles.Select(r => new Claim(ClaimTypes.Role, r)).ToList();
        if (organisation is { } org)
        {
            claims.Add(new Claim(CloserClaims.Organisation, org.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        Assert.Equal(partner, Partners.Is(new ClaimsPrincipal(new ClaimsIdentity(claims, "test"))));
    }

    [Fact]
    public void AnAnonymousReader_IsNeverAPartner_WhateverClaimsCameAlong()
    {
        var unauthenticated = new ClaimsIdentity([new Claim(ClaimTypes.Role, Roles.Viewer), new Claim(CloserClaims.Organisation, "7")]);
        Assert.False(Partners.Is(new ClaimsPrincipal(unauthenticated)));
    }
}
