using System.Globalization;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Tabular;
using Closer.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>The values of one report row, parsed and checked.</summary>
public sealed record ReportValues(
    int OrganisationId, string OrgAcronym, string CountryIso3, string Admin1PCode, string IndicatorCode, string Month,
    string PopulationGroup, string ImplementingPartner, long Girls, long Boys, long Women, long Men, long Other,
    long? ReachedToDate, bool IsCash, long? CashUsd)
{
    private string? _key;

    public long Total => Girls + Boys + Women + Men + Other;
    /// <summary>
    /// The report's natural key (organisation id, country, admin1, indicator, month, group, implementing partner: "" for none),
    /// built once; <see cref="ReportRows.KeyOf"/> builds the same from a stored report.
    /// </summary>
    public string Key => _key ??= ReportRows.Key(OrganisationId, CountryIso3, Admin1PCode, IndicatorCode, Month, PopulationGroup, ImplementingPartner);
}

/// <summary>The codes a report row is checked against: the directory's kept in memory until a stamped change (<see cref="LoadAsync"/>), periods and locks read per request.</summary>
public sealed class ReportReference
{
    public required Dictionary<string, int> OrgIds { get; init; }
    public required Dictionary<int, string> OrgAcronyms { get; init; }
    /// <summary>Organisations deactivated in the directory: they keep their history but report nothing new.</summary>
    public HashSet<int> InactiveOrgIds { get; init; } = [];
    public required HashSet<string> Countries { get; init; }
    public required Dictionary<string, string> Admin1Country { get; init; }
    public required HashSet<string> CountriesWithAdmin1 { get; init; }
    public required Dictionary<string, string> IndicatorSector { get; init; }
    public required Dictionary<string, string> SectorByName { get; init; }
    public required HashSet<string> Periods { get; init; }
    public required HashSet<(string Country, string Month)> Locks { get; init; }
    /// <summary>Admin1 P-codes by country and folded name ("COL|bogota"), for rows that give the area's name.</summary>
    public required Dictionary<string, string> Admin1ByName { get; init; }
    /// <summary>Indicator codes by folded name in any of the four languages.</summary>
    public required Dictionary<string, string> IndicatorByName { get; init; }

    private Dictionary<string, string>? _groups;

    /// <summary>The admin1 P-code a cell names in <paramref name="country"/>: the code itself, or the area's name (accents and case ignored).</summary>
    public string? Admin1Code(string country, string text) =>
        Admin1Country.ContainsKey(text) ? text.ToUpperInvariant()
        : Admin1ByName.TryGetValue(country + "|" + HeaderMatcher.Normalize(text), out var code) ? code : null;

    /// <summary>The indicator a cell names: its code, its name in any language, or "code — name" as the template's lists show it.</summary>
    public string? IndicatorCode(string text)
    {
        if (IndicatorSector.ContainsKey(text))
        {
            return text.ToUpperInvariant();
        }
        var first = text.Split([' ', '\u2014', '\u2013', ':'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        return IndicatorSector.ContainsKey(first) ? first.ToUpperInvariant() : IndicatorByName.GetValueOrDefault(HeaderMatcher.Normalize(text));
    }

    /// <summary>The population group a cell names: its code or its label in any of the four languages.</summary>
    public string? GroupCode(string text, IStringLocalizer t)
    {
        foreach (var code in PopulationGroups.All)
        {
            // The code as the template writes it: the common case of a big import, without folding.
            if (string.Equals(code, text, StringComparison.Ordinal))
            {
                return code;
            }
        }
        var groups = _groups ??= BuildGroups(t);
        return groups.GetValueOrDefault(HeaderMatcher.Normalize(text));
    }

    private static Dictionary<string, string> BuildGroups(IStringLocalizer t)
    {
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var code in PopulationGroups.All)
        {
            groups.TryAdd(HeaderMatcher.Normalize(code), code);
            foreach (var language in Languages.All)
            {
                groups.TryAdd(HeaderMatcher.Normalize(Languages.InCulture(language, () => t[PopulationGroups.Label(code)].Value)), code);
            }
        }
        return groups;
    }

    private Dictionary<string, string>? _codes;

    /// <summary>
    /// The one stored instance of a code equal to <paramref name="text"/> (a country, admin1, indicator, month or
    /// population group), or the text itself: a big import keeps one copy of each code instead of one per row.
    /// </summary>
    public string Shared(string text)
    {
        var codes = _codes ??= Countries.Concat(Admin1Country.Keys).Concat(IndicatorSector.Keys).Concat(Periods).Concat(PopulationGroups.All)
            .Distinct(StringComparer.Ordinal).ToDictionary(c => c, StringComparer.Ordinal);
        return codes.TryGetValue(text, out var shared) ? shared : text;
    }

    /// <summary>The datasets whose stamps cover the directory's codes (organisations, countries and admin1, sectors and indicators).</summary>
    private static readonly string[] CodeDatasets = [OpenData.DataStamps.Organisations, OpenData.DataStamps.Countries, OpenData.DataStamps.Plan];

    /// <summary>The directory's codes in the app's memory cache, with the stamp version they were read at.</summary>
    private sealed record CachedCodes(string Version, ReportReference Codes);

    private const string CacheKey = "coordination:report-codes";

    /// <summary>
    /// The codes of the directory and the plan, and the periods and locks in force. The directory's codes (hundreds of
    /// organisations and admin1 areas, names folded in four languages: a seventh of a 50-row import's time) are kept in
    /// <paramref name="cache"/> under the data stamps' version of their datasets, as the public activities table is
    /// (<see cref="OpenData.DataStamps.VersionAsync"/>, read first, so codes read after it are never older than the
    /// version they are kept under); periods and locks, which coordinators change any day and are not stamped, are read
    /// every time.
    /// </summary>
    public static async Task<ReportReference> LoadAsync(CloserDbContext db, IMemoryCache cache, CancellationToken ct)
    {
        var version = await OpenData.DataStamps.VersionAsync(db, CodeDatasets, ct);
        if (!cache.TryGetValue(CacheKey, out CachedCodes? codes) || codes!.Version != version)
        {
            codes = new CachedCodes(version, await ReadCodesAsync(db, ct));
            cache.Set(CacheKey, codes, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(30) });
        }
        var c = codes.Codes;
        return new ReportReference
        {
            OrgIds = c.OrgIds, OrgAcronyms = c.OrgAcronyms, InactiveOrgIds = c.InactiveOrgIds, Countries = c.Countries,
            Admin1Country = c.Admin1Country, CountriesWithAdmin1 = c.CountriesWithAdmin1, IndicatorSector = c.IndicatorSector,
            IndicatorByName = c.IndicatorByName, Admin1ByName = c.Admin1ByName, SectorByName = c.SectorByName,
            Periods = (await db.ReportingPeriods.AsNoTracking().Select(p => p.Month).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal),
            Locks = (await db.PeriodLocks.AsNoTracking().Select(l => new { l.CountryIso3, l.Month }).ToListAsync(ct))
                .Select(l => (l.CountryIso3, l.Month)).ToHashSet(),
        };
    }

    /// <summary>The directory's and the plan's codes (no periods or locks), shared read-only by the references built on them.</summary>
    private static async Task<ReportReference> ReadCodesAsync(CloserDbContext db, CancellationToken ct)
    {
        var orgs = await db.Organisations.AsNoTracking().Select(o => new { o.Id, o.Acronym, Inactive = o.DeactivatedAt != null }).ToListAsync(ct);
        var admin1 = await db.Admin1Areas.AsNoTracking().Select(a => new { a.PCode, a.CountryIso3, a.Name }).ToListAsync(ct);
        var sectors = await db.Sectors.AsNoTracking().ToListAsync(ct);
        var sectorByName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in sectors)
        {
            foreach (var n in new[] { s.Code, s.NameEn, s.NameEs, s.NamePt, s.NamePap })
            {
                sectorByName.TryAdd(n, s.Code);
                sectorByName.TryAdd(HeaderMatcher.Normalize(n), s.Code);
            }
        }
        var indicators = await db.Indicators.AsNoTracking().ToListAsync(ct);
        var indicatorByName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var i in indicators)
        {
            foreach (var n in new[] { i.NameEn, i.NameEs, i.NamePt, i.NamePap })
            {
                indicatorByName.TryAdd(HeaderMatcher.Normalize(n), i.Code);
            }
        }
        return new ReportReference
        {
            OrgIds = orgs.ToDictionary(o => o.Acronym, o => o.Id, StringComparer.OrdinalIgnoreCase),
            OrgAcronyms = orgs.ToDictionary(o => o.Id, o => o.Acronym),
            InactiveOrgIds = orgs.Where(o => o.Inactive).Select(o => o.Id).ToHashSet(),
            Countries = (await db.Countries.AsNoTracking().Select(c => c.Iso3).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal),
            Admin1Country = admin1.ToDictionary(a => a.PCode, a => a.CountryIso3, StringComparer.OrdinalIgnoreCase),
            CountriesWithAdmin1 = admin1.Select(a => a.CountryIso3).ToHashSet(StringComparer.Ordinal),
            IndicatorSector = indicators.ToDictionary(i => i.Code, i => i.SectorCode, StringComparer.OrdinalIgnoreCase),
            IndicatorByName = indicatorByName,
            Admin1ByName = admin1.GroupBy(a => a.CountryIso3 + "|" + HeaderMatcher.Normalize(a.Name), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().PCode, StringComparer.Ordinal),
            SectorByName = sectorByName,
            Periods = [],
            Locks = [],
        };
    }
}
