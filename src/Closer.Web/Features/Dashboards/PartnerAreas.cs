using Closer.Web.Features.Coordination;
using Closer.Web.Features.Dashboards.Maps;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Dashboards;

/// <summary>
/// The partner dashboard by admin1 area (issue 20): the aggregates sum admin1 out, so the areas are read from the reports the
/// user may see (the reports list's rule, <c>ReportQueries.VisibleTo</c>) under the page's filters, one row per report
/// grouped like the month rows plus the area. An area's figure applies the dashboards' rule to its own rows (per series the
/// best month, summed), so areas do not add up to the country, as on the public map.
/// </summary>
public static class PartnerAreas
{
    public static async Task<List<MonthRow>> RowsAsync(CloserDbContext db, ScopeUser user, PartnerFilters f, CancellationToken ct)
    {
        var prefix = $"{f.Year:D4}-";
        var q = Coordination.Reports.ReportQueries.VisibleTo(db.ActivityReports.AsNoTracking()
            .Where(r => r.DeletedAt == null && r.Month.StartsWith(prefix)), user);
        if (f.ValidatedOnly)
        {
            q = q.Where(r => r.Status == ReportStatus.Validated);
        }
        if (!string.IsNullOrWhiteSpace(f.Country))
        {
            var c = f.Country.Trim().ToUpperInvariant();
            q = q.Where(r => r.CountryIso3 == c);
        }
        if (!string.IsNullOrWhiteSpace(f.Group))
        {
            var g = f.Group.Trim().ToLowerInvariant();
            q = q.Where(r => r.PopulationGroup == g);
        }
        if (f.Org is { } org)
        {
            q = q.Where(r => r.OrganisationId == org);
        }
        var joined = q.Join(db.Indicators, r => r.IndicatorCode, i => i.Code, (r, i) => new
        {
            r.CountryIso3, i.SectorCode, r.IndicatorCode, r.Month, r.PopulationGroup, r.OrganisationId, r.Status, People = i.Unit == IndicatorUnit.People,
            Figure = r.ReachedToDate ?? r.Total, r.Admin1PCode,
        });
        if (!string.IsNullOrWhiteSpace(f.Sector))
        {
            var s = f.Sector.Trim().ToUpperInvariant();
            joined = joined.Where(r => r.SectorCode == s);
        }
        var rows = await joined.ToListAsync(ct);
        // One row per area × month × series, as the month rows are per month × series (several reports of a month are summed).
        return rows.GroupBy(r => (r.CountryIso3, r.SectorCode, r.IndicatorCode, r.Month, r.PopulationGroup, r.OrganisationId, r.Status, r.People, r.Admin1PCode))
            .Select(g => new MonthRow(g.Key.CountryIso3, g.Key.SectorCode, g.Key.IndicatorCode, g.Key.Month, g.Key.PopulationGroup, g.Key.OrganisationId,
                g.Key.Status, g.Key.People, g.Sum(r => r.Figure), g.Count(), g.Key.Admin1PCode))
            .ToList();
    }

    /// <summary>Admin1 names in <paramref name="language"/> (the P-code when an area has no name on record).</summary>
    public static async Task<Dictionary<string, string>> NamesAsync(CloserDbContext db, IEnumerable<string> countries, string language, CancellationToken ct)
    {
        var codes = countries.Distinct(StringComparer.Ordinal).ToList();
        var areas = await db.Admin1Areas.AsNoTracking().Where(a => codes.Contains(a.CountryIso3)).ToListAsync(ct);
        return areas.ToDictionary(a => a.PCode, a => a.LocalName(language), StringComparer.Ordinal);
    }

    /// <summary>
    /// The country map of the partner dashboard: every area of the country on record (retired ones only with reports), with
    /// the people reached the user may see (every sector: the user reads these reports in the reports list anyway) and the
    /// organisations with reports there; the country's reached vs target are the page's.
    /// </summary>
    public static async Task<CountryMapView?> MapAsync(CloserDbContext db, Names names, string iso3, string language, int year, IReadOnlyList<MonthRow> areaRows,
        ResponseFigures reached, CancellationToken ct)
    {
        if (!names.Countries.ContainsKey(iso3))
        {
            return null;
        }
        var rows = areaRows.Where(r => r.Country == iso3).ToList();
        var figures = rows.Where(r => r.IsPeople).GroupBy(r => r.Admin1, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => PartnerData.Reached(g), StringComparer.Ordinal);
        var orgs = rows.GroupBy(r => r.Admin1, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Org).Distinct().Count(), StringComparer.Ordinal);
        var areas = (await db.Admin1Areas.AsNoTracking().Where(a => a.CountryIso3 == iso3).ToListAsync(ct))
            .Where(a => a.RetiredAt is null || orgs.ContainsKey(a.PCode))
            .Select(a => new AreaFigure(a.PCode, a.LocalName(language), figures.GetValueOrDefault(a.PCode), orgs.GetValueOrDefault(a.PCode)))
            .OrderByDescending(a => a.Reached).ThenBy(a => a.Name, StringComparer.CurrentCulture).ToList();
        var country = reached.Countries.FirstOrDefault(c => c.Key == iso3);
        return new CountryMapView(iso3, names.Country(iso3), year, areas, country?.Reached ?? 0, country?.Target ?? 0);
    }
}
