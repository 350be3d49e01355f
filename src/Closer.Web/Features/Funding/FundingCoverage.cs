using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Funding;

/// <summary>
/// One line of coverage: requirement against funding received. Received = committed + paid; pledged is shown apart and
/// never counted. Coverage = received ÷ requirement in percent (one decimal), null when there is no requirement.
/// <see cref="Country"/> null = regional (no single country); <see cref="Sector"/> null = not specified (or all sectors on
/// a country line).
/// </summary>
public sealed record CoverageLine(string? Country, string? Sector, string Label, long RequirementCents, long PaidCents, long CommittedCents, long PledgedCents)
{
    public long ReceivedCents => PaidCents + CommittedCents;

    public decimal? CoveragePct => RequirementCents > 0 ? Math.Round(ReceivedCents * 100m / RequirementCents, 1, MidpointRounding.AwayFromZero) : null;
}

/// <summary>The coverage of a plan year overall, per country, per sector (sub-sectors in their parent) and per country × sector.</summary>
public sealed record CoverageReport(
    int Year, IReadOnlyList<int> Years, CoverageLine Total, IReadOnlyList<CoverageLine> Countries, IReadOnlyList<CoverageLine> Sectors,
    IReadOnlyList<CoverageLine> Cells, bool HasDemoData, string? PlanSource);

/// <summary>
/// Builds coverage from the plan's requirements and the contributions. Requirements: overall from the plan year, per sector
/// from its sector lines (or, without them, the sum of its targets), per country and country × sector from the targets.
/// Regional contributions count overall and in their sector, never in a country.
/// </summary>
public sealed class FundingCoverage(CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t)
{
    /// <summary>The plan year shown by default: the current year when it has a plan, otherwise the latest plan.</summary>
    public async Task<int?> DefaultYearAsync(CancellationToken ct)
    {
        var years = await db.ResponsePlans.AsNoTracking().Select(p => p.Year).ToListAsync(ct);
        var now = time.GetUtcNow().Year;
        if (years.Contains(now))
        {
            return now;
        }
        var past = years.Where(y => y <= now).ToList();
        return past.Count > 0 ? past.Max() : years.Count > 0 ? years.Max() : null;
    }

    /// <summary>
    /// The date of the latest received (committed or paid) contribution of each country × sector (sub-sectors in their
    /// parent) of a plan year: when a cell's "received" figure stands (the dashboards' gap view).
    /// </summary>
    public async Task<Dictionary<(string Country, string Sector), DateOnly>> ReceivedAsOfAsync(int year, CancellationToken ct)
    {
        var top = await db.Sectors.AsNoTracking().ToDictionaryAsync(s => s.Code, s => s.ParentCode ?? s.Code, StringComparer.Ordinal, ct);
        var dates = await db.Contributions.AsNoTracking()
            .Where(c => c.Year == year && c.DeletedAt == null && c.CountryIso3 != null && c.SectorCode != null && c.Status != ContributionStatus.Pledged)
            .GroupBy(c => new { c.CountryIso3, c.SectorCode }).Select(g => new { g.Key.CountryIso3, g.Key.SectorCode, Date = g.Max(c => c.Date) }).ToListAsync(ct);
        return dates.GroupBy(d => (d.CountryIso3!, top.GetValueOrDefault(d.SectorCode!, d.SectorCode!))).ToDictionary(g => g.Key, g => g.Max(d => d.Date));
    }

    /// <summary>The coverage of a plan year; with <paramref name="asOf"/>, counting only contributions dated on or before it (a monthly situation report).</summary>
    public async Task<CoverageReport?> BuildAsync(int year, string language, CancellationToken ct, DateOnly? asOf = null)
    {
        var plan = await db.ResponsePlans.AsNoTracking().FirstOrDefaultAsync(p => p.Year == year, ct);
        if (plan is null)
        {
            return null;
        }
        var years = await db.ResponsePlans.AsNoTracking().OrderByDescending(p => p.Year).Select(p => p.Year).ToListAsync(ct);
        var sectors = await db.Sectors.AsNoTracking().ToListAsync(ct);
        var top = sectors.ToDictionary(s => s.Code, s => s.ParentCode ?? s.Code, StringComparer.Ordinal);
        var sectorInfo = sectors.ToDictionary(s => s.Code, StringComparer.Ordinal);
        string? Top(string? code) => code is null ? null : top.GetValueOrDefault(code, code);
        var countries = await db.Countries.AsNoTracking().ToDictionaryAsync(c => c.Iso3, c => c.Name(language), StringComparer.Ordinal, ct);
        var indicatorSector = await db.Indicators.AsNoTracking().ToDictionaryAsync(i => i.Code, i => i.SectorCode, StringComparer.Ordinal, ct);

        var sectorPlans = await db.SectorPlans.AsNoTracking().Where(p => p.Year == year).Select(p => new { p.SectorCode, p.RequirementUsd }).ToListAsync(ct);
        var targets = await db.PlanTargets.AsNoTracking().Where(p => p.Year == year)
            .GroupBy(p => new { p.CountryIso3, p.IndicatorCode }).Select(g => new { g.Key.CountryIso3, g.Key.IndicatorCode, Usd = g.Sum(p => p.RequirementUsd) })
            .ToListAsync(ct);
        var contributions = db.Contributions.AsNoTracking().Where(c => c.Year == year && c.DeletedAt == null);
        if (asOf is { } until)
        {
            contributions = contributions.Where(c => c.Date <= until);
        }
        var funds = await contributions
            .GroupBy(c => new { c.CountryIso3, c.SectorCode, c.Status })
            .Select(g => new { g.Key.CountryIso3, g.Key.SectorCode, g.Key.Status, Cents = g.Sum(c => c.AmountCents) })
            .ToListAsync(ct);
        var hasDemo = await db.Contributions.AsNoTracking().AnyAsync(c => c.Year == year && c.DeletedAt == null && c.IsDemo, ct);

        var targetLines = targets.Select(x => (Country: (string?)x.CountryIso3, Sector: Top(indicatorSector.GetValueOrDefault(x.IndicatorCode)), Cents: x.Usd * 100)).ToList();
        var fundLines = funds.Select(f => (Country: f.CountryIso3, Sector: Top(f.SectorCode), f.Status, f.Cents)).ToList();

        CoverageLine Line(string? country, string? sector, string label, long requirementCents, Func<(string? Country, string? Sector, ContributionStatus Status, long Cents), bool> match)
        {
            var mine = fundLines.Where(match).ToList();
            return new CoverageLine(country, sector, label, requirementCents,
                mine.Where(f => f.Status == ContributionStatus.Paid).Sum(f => f.Cents),
                mine.Where(f => f.Status == ContributionStatus.Committed).Sum(f => f.Cents),
                mine.Where(f => f.Status == ContributionStatus.Pledged).Sum(f => f.Cents));
        }

        string SectorLabel(string? code) => code is null ? t["Sector not specified"] : sectorInfo.TryGetValue(code, out var s) ? s.Name(language) : code;
        string CountryLabel(string? iso3) => iso3 is null ? t["Regional (no single country)"] : countries.GetValueOrDefault(iso3, iso3);

        // Per sector: the plan's sector lines when it has them, else its targets.
        var sectorRequirement = sectorPlans.Count > 0
            ? sectorPlans.GroupBy(p => Top(p.SectorCode)!).ToDictionary(g => g.Key, g => g.Sum(p => p.RequirementUsd) * 100, StringComparer.Ordinal)
            : targetLines.Where(x => x.Sector is not null).GroupBy(x => x.Sector!).ToDictionary(g => g.Key, g => g.Sum(x => x.Cents), StringComparer.Ordinal);
        var countryRequirement = targetLines.GroupBy(x => x.Country!).ToDictionary(g => g.Key, g => g.Sum(x => x.Cents), StringComparer.Ordinal);

        var sectorCodes = sectorRequirement.Keys.Concat(fundLines.Where(f => f.Sector is not null).Select(f => f.Sector!)).Distinct(StringComparer.Ordinal)
            .OrderBy(c => sectorInfo.TryGetValue(c, out var s) ? s.SortOrder : int.MaxValue).ThenBy(c => c, StringComparer.Ordinal).ToList();
        var sectorLines = sectorCodes.Select(c => Line(null, c, SectorLabel(c), sectorRequirement.GetValueOrDefault(c), f => f.Sector == c)).ToList();
        if (fundLines.Any(f => f.Sector is null))
        {
            sectorLines.Add(Line(null, null, SectorLabel(null), 0, f => f.Sector is null));
        }

        var countryCodes = countryRequirement.Keys.Concat(fundLines.Where(f => f.Country is not null).Select(f => f.Country!)).Distinct(StringComparer.Ordinal).ToList();
        var countryLines = countryCodes.Select(c => Line(c, null, CountryLabel(c), countryRequirement.GetValueOrDefault(c), f => f.Country == c))
            .OrderByDescending(l => l.RequirementCents).ThenByDescending(l => l.ReceivedCents).ThenBy(l => l.Label, StringComparer.Ordinal).ToList();
        if (fundLines.Any(f => f.Country is null))
        {
            countryLines.Add(Line(null, null, CountryLabel(null), 0, f => f.Country is null));
        }

        var cellRequirement = targetLines.GroupBy(x => (x.Country, x.Sector)).ToDictionary(g => g.Key, g => g.Sum(x => x.Cents));
        var cellKeys = cellRequirement.Keys.Concat(fundLines.Select(f => (f.Country, f.Sector))).Distinct().ToList();
        var cells = cellKeys
            .Select(k => Line(k.Country, k.Sector, $"{CountryLabel(k.Country)} · {SectorLabel(k.Sector)}", cellRequirement.GetValueOrDefault(k),
                f => f.Country == k.Country && f.Sector == k.Sector))
            .OrderBy(l => l.Country is null ? 1 : 0).ThenBy(l => l.Country, StringComparer.Ordinal)
            .ThenBy(l => l.Sector is null ? int.MaxValue : sectorInfo.TryGetValue(l.Sector, out var s) ? s.SortOrder : int.MaxValue - 1).ToList();

        var totalRequirement = plan.RequirementUsd > 0 ? plan.RequirementUsd * 100 : sectorRequirement.Values.Sum();
        var total = Line(null, null, t["Whole plan"], totalRequirement, _ => true);
        return new CoverageReport(year, years, total, countryLines, sectorLines, cells, hasDemo, plan.Source);
    }
}
