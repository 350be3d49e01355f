using System.Security.Claims;
using Closer.Web.Infrastructure.Security;

namespace Closer.Web.Features.OpenData.Disclosure;

/// <summary>Configuration section <c>Disclosure</c>: which sectors are sensitive and below which count a cell is hidden.</summary>
public sealed class DisclosureOptions
{
    public const string Section = "Disclosure";

    /// <summary>A sensitive cell with 1 to <c>Threshold - 1</c> people is never published (0 is: it identifies no one).</summary>
    public int Threshold { get; set; } = 5;

    /// <summary>
    /// Sector or sub-sector codes, comma-separated (a code also covers its own sub-codes, "PRO-GBV" covers "PRO-GBV-01"):
    /// gender-based violence, child protection, trafficking and smuggling by default.
    /// </summary>
    public string SensitiveSectors { get; set; } = "PRO-GBV,PRO-CP,PRO-HTS";

    public IReadOnlyList<string> SensitiveSectorCodes =>
        SensitiveSectors.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => c.ToUpperInvariant()).ToList();
}

/// <summary>
/// Who an output is for. Anonymous outputs (pages, the public API, downloads, feeds, cached answers) are always
/// <see cref="Public"/>; a signed-in partner or coordinator sees their own scope unsuppressed — never anyone else's —
/// and nothing they see unsuppressed is ever stored where an anonymous reader could get it (the public caches hold
/// anonymous answers only: see Features/OpenData/README.md, "Disclosure control").
/// </summary>
public sealed class DisclosureAudience
{
    private readonly ScopeUser? _user;

    private DisclosureAudience(ScopeUser? user) => _user = user;

    public static DisclosureAudience Public { get; } = new(null);

    public static DisclosureAudience For(ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true ? new(ScopeUser.From(principal)) : Public;

    public static DisclosureAudience For(ScopeUser user) => new(user);

    public bool IsPublic => _user is null || !(SeesAll || _user.Roles.Contains(Roles.CountryCoordinator) || _user.Roles.Contains(Roles.OrgFocalPoint));

    private bool SeesAll => _user?.Roles.Contains(Roles.PlatformAdmin) == true;

    /// <summary>Whether a report of <paramref name="organisationId"/> in <paramref name="country"/> is in the audience's scope (as ReportRules: own organisation, own countries).</summary>
    public bool Covers(int organisationId, string country) => _user is { } u && (SeesAll
        || (u.Roles.Contains(Roles.CountryCoordinator) && u.InCountry(country))
        || (u.Roles.Contains(Roles.OrgFocalPoint) && u.OrganisationId == organisationId && (u.Countries.Count == 0 || u.InCountry(country))));

    /// <summary>Whether a figure summing every organisation of <paramref name="country"/> is in scope (administrators, the country's coordinators).</summary>
    public bool CoversCountry(string country) => _user is { } u && (SeesAll || (u.Roles.Contains(Roles.CountryCoordinator) && u.InCountry(country)));

    /// <summary>Whether every figure is in scope (nothing is hidden from a platform administrator).</summary>
    public bool CoversAll => SeesAll;
}
