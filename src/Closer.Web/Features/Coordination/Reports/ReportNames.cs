using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>
/// The names next to a report's codes, in one language: organisation (its full name; organisations have one name),
/// country, admin1 area, sector and indicator. Loaded for the codes of the reports at hand only (a page, an export).
/// </summary>
internal sealed record ReportNames(IReadOnlyDictionary<string, string> Organisations, IReadOnlyDictionary<string, string> Countries,
    IReadOnlyDictionary<string, string> Admin1Areas, IReadOnlyDictionary<string, string> Sectors, IReadOnlyDictionary<string, string> Indicators)
{
    public static async Task<ReportNames> LoadAsync(CloserDbContext db, IReadOnlyCollection<ReportDto> reports, string language, CancellationToken ct)
    {
        var orgs = reports.Select(r => r.Org).Distinct().ToList();
        var countries = reports.Select(r => r.Country).Distinct().ToList();
        var areas = reports.Select(r => r.Admin1).Where(a => a != "").Distinct().ToList();
        var sectors = reports.Select(r => r.Sector).Distinct().ToList();
        var indicators = reports.Select(r => r.Indicator).Distinct().ToList();
        if (reports.Count == 0)
        {
            return new(Empty, Empty, Empty, Empty, Empty);
        }
        return new(
            await db.Organisations.AsNoTracking().Where(o => orgs.Contains(o.Acronym))
                .ToDictionaryAsync(o => o.Acronym, o => o.Name, StringComparer.Ordinal, ct),
            (await db.Countries.AsNoTracking().Where(c => countries.Contains(c.Iso3)).ToListAsync(ct))
                .ToDictionary(c => c.Iso3, c => c.Name(language), StringComparer.Ordinal),
            (await db.Admin1Areas.AsNoTracking().Where(a => areas.Contains(a.PCode)).ToListAsync(ct))
                .ToDictionary(a => a.PCode, a => a.LocalName(language), StringComparer.Ordinal),
            (await db.Sectors.AsNoTracking().Where(s => sectors.Contains(s.Code)).ToListAsync(ct))
                .ToDictionary(s => s.Code, s => s.Name(language), StringComparer.Ordinal),
            (await db.Indicators.AsNoTracking().Where(i => indicators.Contains(i.Code)).ToListAsync(ct))
                .ToDictionary(i => i.Code, i => i.Name(language), StringComparer.Ordinal));
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The report with its names (a code without a record keeps no name: null).</summary>
    public ReportDto Name(ReportDto r) => r with
    {
        OrgName = Organisations.GetValueOrDefault(r.Org),
        CountryName = Countries.GetValueOrDefault(r.Country),
        Admin1Name = r.Admin1 == "" ? null : Admin1Areas.GetValueOrDefault(r.Admin1),
        SectorName = Sectors.GetValueOrDefault(r.Sector),
        IndicatorName = Indicators.GetValueOrDefault(r.Indicator),
    };
}
