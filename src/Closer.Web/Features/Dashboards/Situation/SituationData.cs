using Closer.Web.Features.Coordination;
using Closer.Web.Features.Dashboards.Maps;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Closer.Web.Features.Dashboards.Situation;

/// <summary>One line of a situation report's tables: people reached to date (null when hidden), target and partner organisations.</summary>
public sealed record SituationLine(string Key, string Name, long? Reached, long Target, int Partners)
{
    public bool Suppressed => Reached is null;
}

/// <summary>Funding of the plan year as it stood at the month's end: required and received (committed + paid), in US dollars.</summary>
public sealed record SituationFunding(decimal RequiredUsd, decimal ReceivedUsd, decimal? FundedPct);

/// <summary>
/// A month's figures for a country or the region, from validated reports only, after disclosure control for the public:
/// what the page and the PDF show (the same object, so they cannot disagree).
/// </summary>
public sealed record SituationFigures(
    SituationScope Scope, string Name, bool HasPlan,
    long? RefugeesAndMigrants, string? RefugeesAsOf, IReadOnlyList<string> RefugeesSources,
    SituationLine Total, int ReportsInMonth, int PartnersInMonth,
    IReadOnlyList<SituationLine> Sectors, IReadOnlyList<SituationLine> Countries,
    SituationFunding? Funding, bool DisclosureApplied,
    IReadOnlyList<FigurePoint> Latest, CountryMapView? Map, IReadOnlyDictionary<string, string> CountryNames);

/// <summary>
/// Computes a situation report's figures. People reached "to date" follows the dashboards' rule restricted to the plan
/// year's months up to the report's month: per series the best month among them (the partner's de-duplicated figure to date
/// when given), summed; never a sum of months. So the figure of a month is what the public dashboard showed at that month's end.
/// </summary>
public static class SituationData
{
    /// <summary>The figures, or null when the scope names no country of the plan.</summary>
    public static async Task<SituationFigures?> BuildAsync(CloserDbContext db, Funding.FundingCoverage coverage, DisclosureControl disclosure, IMemoryCache cache, Names names,
        SituationScope scope, string language, CancellationToken ct)
    {
        if (!scope.IsRegion && !names.Countries.ContainsKey(scope.Code))
        {
            return null;
        }
        var year = scope.Year;
        var hasPlan = await db.ResponsePlans.AsNoTracking().AnyAsync(p => p.Year == year, ct);
        // The aggregates' "to date" rows of the month (each organisation × country × sector: its series' best month among
        // January to this month, summed), for every country: disclosure control decides on the whole table, as /data does,
        // so the same figure is hidden everywhere.
        // Every month of the year up to this one is read too: month after month, a sensitive figure that moved by a small
        // count since it was last published is hidden (DisclosureControl.CountrySectorToDate), so this month's report minus
        // an earlier one cannot give a small count either.
#pragma warning disable CA1309 // translated to SQL: YYYY-MM compared as the database compares them (digits and a dash)
        var months = await db.ResponseToDates.AsNoTracking().Where(m => m.Year == year && m.PeopleSeries > 0 && string.Compare(m.Month, scope.Month) < 0)
            .GroupBy(m => new { m.Month, m.CountryIso3, m.SectorCode }).Select(g => new { g.Key.Month, g.Key.CountryIso3, g.Key.SectorCode, Reached = g.Sum(m => m.Reached) })
            .ToListAsync(ct);
#pragma warning restore CA1309
        var toDate = await db.ResponseToDates.AsNoTracking().Where(m => m.Year == year && m.Month == scope.Month)
            .Select(m => new { m.CountryIso3, m.SectorCode, m.OrganisationId, m.PeopleSeries, m.Reached, m.ReportsInMonth }).ToListAsync(ct);
        var reached = toDate.Where(m => m.PeopleSeries > 0).GroupBy(m => (m.CountryIso3, m.SectorCode)).ToDictionary(g => g.Key, g => g.Sum(m => m.Reached));
        var tables = months
            .GroupBy(m => m.Month, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<(string, string, string?, long)>)g.Select(m => (m.CountryIso3, m.SectorCode, names.SectorParent(m.SectorCode), m.Reached)).ToList())
            .Append(reached.Select(r => (r.Key.CountryIso3, r.Key.SectorCode, names.SectorParent(r.Key.SectorCode), r.Value)).ToList())
            .ToList();
        var hidden = disclosure.CountrySectorToDate(tables, DisclosureAudience.Public);
        var mine = scope.IsRegion ? toDate : toDate.Where(m => m.CountryIso3 == scope.Code).ToList();
        var partners = mine.Select(m => new { m.CountryIso3, m.SectorCode, m.OrganisationId }).ToList();
        var inMonth = mine.Where(m => m.ReportsInMonth > 0).GroupBy(m => m.OrganisationId)
            .Select(g => new { Org = g.Key, Reports = g.Sum(m => m.ReportsInMonth) }).ToList();
        var targetQ = db.PlanTargets.AsNoTracking().Where(t => t.Year == year)
            .Join(db.Indicators.Where(i => i.Unit == IndicatorUnit.People), t => t.IndicatorCode, i => i.Code, (t, i) => new { t.CountryIso3, i.SectorCode, t.Target });
        if (!scope.IsRegion)
        {
            targetQ = targetQ.Where(t => t.CountryIso3 == scope.Code);
        }
        var targets = (await targetQ.GroupBy(t => new { t.CountryIso3, t.SectorCode }).Select(g => new { g.Key.CountryIso3, g.Key.SectorCode, Target = g.Sum(t => t.Target) })
            .ToListAsync(ct)).ToDictionary(t => (t.CountryIso3, t.SectorCode), t => t.Target);

        bool InScope(string country) => scope.IsRegion || country == scope.Code;
        string? country = scope.IsRegion ? null : scope.Code;
        long? Shown(string key, long value) => hidden.IsSuppressed(key) ? null : value;
        var cells = reached.Keys.Concat(targets.Keys).Where(k => InScope(k.Item1)).Distinct().ToList();
        var sectors = cells.Select(k => k.Item2).Distinct(StringComparer.Ordinal).OrderBy(names.SectorOrder).ThenBy(s => s, StringComparer.Ordinal)
            .Select(s => new SituationLine(s, names.Sector(s),
                Shown(CountrySectorKeys.Cell(country, s), cells.Where(k => k.Item2 == s).Sum(k => reached.GetValueOrDefault(k))),
                cells.Where(k => k.Item2 == s).Sum(k => targets.GetValueOrDefault(k)),
                partners.Where(p => p.SectorCode == s).Select(p => p.OrganisationId).Distinct().Count()))
            .Where(l => l.Reached != 0 || l.Target != 0 || l.Partners != 0).ToList();
        var countries = !scope.IsRegion ? [] : cells.Select(k => k.Item1).Distinct(StringComparer.Ordinal)
            .Select(c => new SituationLine(c, names.Country(c),
                Shown(CountrySectorKeys.Cell(c, null), cells.Where(k => k.Item1 == c).Sum(k => reached.GetValueOrDefault(k))),
                cells.Where(k => k.Item1 == c).Sum(k => targets.GetValueOrDefault(k)),
                partners.Where(p => p.CountryIso3 == c).Select(p => p.OrganisationId).Distinct().Count()))
            .Where(l => l.Reached != 0 || l.Target != 0 || l.Partners != 0)
            .OrderByDescending(l => l.Reached ?? -1).ThenBy(l => l.Name, StringComparer.CurrentCulture).ToList();
        var total = new SituationLine("*", scope.IsRegion ? "" : names.Country(scope.Code),
            Shown(CountrySectorKeys.Cell(country, null), cells.Sum(k => reached.GetValueOrDefault(k))), cells.Sum(k => targets.GetValueOrDefault(k)),
            partners.Select(p => p.OrganisationId).Distinct().Count());

        // Refugees and migrants: each country's latest figure published by the month's end.
        var monthEnd = scope.Month;
        var figures = (await db.PopulationFigures.AsNoTracking().ToListAsync(ct)).Where(f => string.CompareOrdinal(f.AsOf[..Math.Min(7, f.AsOf.Length)], monthEnd) <= 0)
            .GroupBy(f => f.CountryIso3, StringComparer.Ordinal).Select(g => g.MaxBy(f => f.AsOf, StringComparer.Ordinal)!)
            .Where(f => names.Countries.ContainsKey(f.CountryIso3))
            .Select(f => new FigurePoint(f.CountryIso3, names.Country(f.CountryIso3), f.RefugeesAndMigrants, f.AsOf, f.Source))
            .OrderByDescending(f => f.RefugeesAndMigrants).ThenBy(f => f.Country, StringComparer.Ordinal).ToList();
        var mineFigures = figures.Where(f => InScope(f.Country)).ToList();

        var funding = await FundingAsync(coverage, scope, language, ct);
        var map = scope.IsRegion ? null : await CountryMaps.LoadAsync(db, names, disclosure, cache, scope.Code, language, year, null, ct, scope.Month);
        if (map is not null)
        {
            // The map's heading states the country's own figures of the same months, as hidden or shown above.
            map = map with { CountryReached = total.Reached, CountryTarget = total.Target };
        }
        return new SituationFigures(scope, scope.IsRegion ? "" : names.Country(scope.Code), hasPlan,
            mineFigures.Count == 0 ? null : mineFigures.Sum(f => f.RefugeesAndMigrants),
            mineFigures.Count == 0 ? null : mineFigures.Max(f => f.AsOf),
            mineFigures.Select(f => f.Source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            total, inMonth.Sum(o => o.Reports), inMonth.Count, sectors, countries, funding,
            hidden.Applied && (total.Suppressed || sectors.Any(s => s.Suppressed) || countries.Any(c => c.Suppressed)),
            figures, map, names.Countries);
    }

    private static async Task<SituationFunding?> FundingAsync(Funding.FundingCoverage coverage, SituationScope scope, string language, CancellationToken ct)
    {
        var report = await coverage.BuildAsync(scope.Year, language, ct, scope.LastDay);
        if (report is null)
        {
            return null;
        }
        var line = scope.IsRegion ? report.Total : report.Countries.FirstOrDefault(c => c.Country == scope.Code);
        if (line is null || (line.RequirementCents == 0 && line.ReceivedCents == 0))
        {
            return null;
        }
        return new SituationFunding(line.RequirementCents / 100m, line.ReceivedCents / 100m, line.CoveragePct);
    }
}
