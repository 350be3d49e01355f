using System.Text.Json.Serialization;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Dashboards;

public sealed record FigurePoint(string Country, string Name, long RefugeesAndMigrants, string AsOf, string Source);
public sealed record FigureSeries(string Country, string Name, IReadOnlyList<FigurePoint> Points);
/// <summary>A figure against its target; <see cref="Suppressed"/> figures are published as null (disclosure control).</summary>
public sealed record ReachedTarget(string Key, string Name, [property: JsonIgnore] long Reached, long Target, bool Suppressed = false)
{
    [JsonPropertyName("reached")] public long? Published => Suppressed ? null : Reached;
}

public sealed record ResponseCell(string Country, string CountryName, string Sector, string SectorName, [property: JsonIgnore] long Reached, long Target,
    bool Suppressed = false)
{
    [JsonPropertyName("reached")] public long? Published => Suppressed ? null : Reached;
}

/// <summary>Reached vs target of a plan year; <see cref="DisclosureApplied"/>: some small counts of sensitive sectors are hidden.</summary>
public sealed record ResponseFigures(int Year, IReadOnlyList<ReachedTarget> Sectors, IReadOnlyList<ReachedTarget> Countries, IReadOnlyList<ResponseCell> Cells,
    bool DisclosureApplied = false)
{
    /// <summary>How "reached" is counted (<see cref="CountingRule"/>).</summary>
    public string ReachedRule => CountingRule.Code;
}
public sealed record PartnerCount(string Country, string CountryName, string Sector, string SectorName, int Partners);
public sealed record PartnerFigures(int Year, IReadOnlyList<ReachedTarget> Countries, IReadOnlyList<PartnerCount> Cells);

/// <summary>
/// The refugees-and-migrants charts (latest figure by country, and over time for the chosen countries) of the public and
/// partner dashboards (_RefugeeFigures.cshtml). <paramref name="Keep"/> are the page's other query values, carried by the
/// line chart's country form. <paramref name="Chart"/>: "map" or "bars" to show only one of the two (the table always follows); <paramref name="StateQuery"/>: the public page's permalink query, for the charts' file links (none on the partner dashboard).
/// </summary>
public sealed record RefugeeFiguresView(string Lang, string IdPrefix, string FormAction, Names Names, IReadOnlyList<FigurePoint> Latest,
    IReadOnlyList<FigureSeries> Series, IReadOnlyList<string> Selected, IReadOnlyList<KeyValuePair<string, string>> Keep, string? Chart = null, string? StateQuery = null)
{
    /// <summary>
    /// The countries of the line chart: those chosen (known ones, at most 17), else the given default country, else the five
    /// with most refugees and migrants.
    /// </summary>
    public static List<string> Choose(Names names, IEnumerable<string> chosen, string? fallback, IReadOnlyList<FigurePoint> latest)
    {
        var known = chosen.Select(c => c.Trim().ToUpperInvariant()).Where(c => names.Countries.ContainsKey(c)).Distinct(StringComparer.Ordinal).Take(17).ToList();
        if (known.Count > 0)
        {
            return known;
        }
        return fallback is not null && names.Countries.ContainsKey(fallback) ? [fallback] : latest.Take(5).Select(f => f.Country).ToList();
    }
}

/// <summary>Names of countries and sectors in a language (and each sub-sector's main sector, which disclosure control needs).</summary>
public sealed class Names(Dictionary<string, string> countries, Dictionary<string, string> sectors, Dictionary<string, int> sectorOrder,
    Dictionary<string, string> indicators, Dictionary<int, string> orgs, Dictionary<string, string?>? sectorParents = null)
{
    public string Country(string iso3) => countries.GetValueOrDefault(iso3, iso3);
    public string Sector(string code) => sectors.GetValueOrDefault(code, code);
    public int SectorOrder(string code) => sectorOrder.GetValueOrDefault(code, int.MaxValue);
    public string? SectorParent(string code) => sectorParents?.GetValueOrDefault(code);
    public string Indicator(string code) => indicators.GetValueOrDefault(code, code);
    public string Org(int id) => orgs.GetValueOrDefault(id, "?");
    public IReadOnlyDictionary<string, string> Countries => countries;
    public IReadOnlyDictionary<string, string> Sectors => sectors;
    public IReadOnlyDictionary<int, string> Orgs => orgs;

    public static async Task<Names> LoadAsync(CloserDbContext db, string language, CancellationToken ct)
    {
        var countries = (await db.Countries.AsNoTracking().ToListAsync(ct)).ToDictionary(c => c.Iso3, c => c.Name(language), StringComparer.Ordinal);
        var sectorList = await db.Sectors.AsNoTracking().ToListAsync(ct);
        var indicators = (await db.Indicators.AsNoTracking().ToListAsync(ct)).ToDictionary(i => i.Code, i => i.Name(language), StringComparer.Ordinal);
        var orgs = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Acronym, ct);
        return new Names(countries, sectorList.ToDictionary(s => s.Code, s => s.Name(language), StringComparer.Ordinal),
            sectorList.ToDictionary(s => s.Code, s => s.SortOrder, StringComparer.Ordinal), indicators, orgs,
            sectorList.ToDictionary(s => s.Code, s => s.ParentCode, StringComparer.Ordinal));
    }
}

/// <summary>The public dashboards' figures: validated data only, read from the aggregates.</summary>
public static class DashboardData
{
    /// <summary>The current plan year: the latest plan that has begun, else this calendar year.</summary>
    public static async Task<int> CurrentYearAsync(CloserDbContext db, TimeProvider time, CancellationToken ct) =>
        CurrentYear(await PlanYearsAsync(db, ct), time);

    /// <summary>The year a page asked for when there is a plan for it, else the current plan year among <paramref name="planYears"/>.</summary>
    public static int PlanYear(int? requested, IReadOnlyCollection<int> planYears, TimeProvider time) =>
        requested is { } y && planYears.Contains(y) ? y : CurrentYear(planYears, time);

    /// <summary>The current plan year among <paramref name="planYears"/> (pages that list the years already).</summary>
    public static int CurrentYear(IEnumerable<int> planYears, TimeProvider time)
    {
        var now = time.GetUtcNow().Year;
        return planYears.Where(y => y <= now).DefaultIfEmpty(now).Max();
    }

    public static async Task<List<int>> PlanYearsAsync(CloserDbContext db, CancellationToken ct) =>
        await db.ResponsePlans.AsNoTracking().OrderByDescending(p => p.Year).Select(p => p.Year).ToListAsync(ct);

    /// <summary>The latest figure of refugees and migrants per country (with its date and source), largest first.</summary>
    public static async Task<List<FigurePoint>> LatestFiguresAsync(CloserDbContext db, Names names, CancellationToken ct)
    {
        var all = await db.PopulationFigures.AsNoTracking().ToListAsync(ct);
        return all.GroupBy(f => f.CountryIso3, StringComparer.Ordinal)
            .Select(g => g.MaxBy(f => f.AsOf, StringComparer.Ordinal)!)
            .Select(f => new FigurePoint(f.CountryIso3, names.Country(f.CountryIso3), f.RefugeesAndMigrants, f.AsOf, f.Source))
            .OrderByDescending(f => f.RefugeesAndMigrants).ThenBy(f => f.Country, StringComparer.Ordinal).ToList();
    }

    /// <summary>Figures over time for the given countries (all when empty), in date order.</summary>
    public static async Task<List<FigureSeries>> FigureSeriesAsync(CloserDbContext db, Names names, IReadOnlyCollection<string> countries, CancellationToken ct)
    {
        var q = db.PopulationFigures.AsNoTracking();
        if (countries.Count > 0)
        {
            var list = countries.ToList();
            q = q.Where(f => list.Contains(f.CountryIso3));
        }
        var all = await q.ToListAsync(ct);
        return all.GroupBy(f => f.CountryIso3, StringComparer.Ordinal)
            .Select(g => new FigureSeries(g.Key, names.Country(g.Key), g.OrderBy(f => f.AsOf, StringComparer.Ordinal)
                .Select(f => new FigurePoint(f.CountryIso3, names.Country(f.CountryIso3), f.RefugeesAndMigrants, f.AsOf, f.Source)).ToList()))
            .OrderByDescending(s => s.Points[^1].RefugeesAndMigrants).ToList();
    }

    /// <summary>
    /// People reached vs target of a plan year, validated reports only, per country × sector (people-unit indicators), after
    /// disclosure control for <paramref name="audience"/>. Reached of a cell = Σ over organisation × indicator × population
    /// group of the year's figure (see README). Suppression is decided on the whole year's table, whatever the filters, so
    /// a filtered answer hides exactly what the unfiltered one hides.
    /// </summary>
    public static async Task<ResponseFigures> ResponseAsync(CloserDbContext db, Names names, int year, string? country, string? sector,
        DisclosureControl disclosure, DisclosureAudience audience, CancellationToken ct)
    {
        var targetQ = db.PlanTargets.AsNoTracking().Where(t => t.Year == year)
            .Join(db.Indicators.Where(i => i.Unit == IndicatorUnit.People), t => t.IndicatorCode, i => i.Code, (t, i) => new { t.CountryIso3, i.SectorCode, t.Target });
        var c = string.IsNullOrWhiteSpace(country) ? null : country.Trim().ToUpperInvariant();
        var s = string.IsNullOrWhiteSpace(sector) ? null : sector.Trim().ToUpperInvariant();
        if (c is not null)
        {
            targetQ = targetQ.Where(t => t.CountryIso3 == c);
        }
        if (s is not null)
        {
            targetQ = targetQ.Where(t => t.SectorCode == s);
        }
        var all = await db.ResponseTotals.AsNoTracking().Where(y => y.Year == year)
            .Select(y => new { y.CountryIso3, y.SectorCode, Reached = y.ReachedValidated }).ToListAsync(ct);
        var hidden = disclosure.CountrySector(all.Select(r => (r.CountryIso3, r.SectorCode, names.SectorParent(r.SectorCode), r.Reached)), audience);
        var reached = all.Where(r => (c is null || r.CountryIso3 == c) && (s is null || r.SectorCode == s)).ToList();
        var targets = await targetQ.GroupBy(t => new { t.CountryIso3, t.SectorCode })
            .Select(g => new { g.Key.CountryIso3, g.Key.SectorCode, Target = g.Sum(t => t.Target) }).ToListAsync(ct);
        var cells = new Dictionary<(string, string), (long Reached, long Target)>();
        foreach (var r in reached)
        {
            cells[(r.CountryIso3, r.SectorCode)] = (r.Reached, 0);
        }
        foreach (var t in targets)
        {
            var k = (t.CountryIso3, t.SectorCode);
            cells[k] = (cells.GetValueOrDefault(k).Reached, t.Target);
        }
        var figures = Build(year, names, cells.Select(kv => (kv.Key.Item1, kv.Key.Item2, kv.Value.Reached, kv.Value.Target)));
        if (!hidden.Applied)
        {
            return figures;
        }
        // A filtered list's entries are the table's cells: by sector within one country, by country within one sector.
        return figures with
        {
            Cells = figures.Cells.Select(x => x with { Suppressed = hidden.IsSuppressed(CountrySectorKeys.Cell(x.Country, x.Sector)) }).ToList(),
            Sectors = figures.Sectors.Select(x => x with { Suppressed = hidden.IsSuppressed(CountrySectorKeys.Cell(c, x.Key)) }).ToList(),
            Countries = figures.Countries.Select(x => x with { Suppressed = hidden.IsSuppressed(CountrySectorKeys.Cell(x.Key, s)) }).ToList(),
            DisclosureApplied = true,
        };
    }

    internal static ResponseFigures Build(int year, Names names, IEnumerable<(string Country, string Sector, long Reached, long Target)> raw)
    {
        var list = raw.Where(c => c.Reached != 0 || c.Target != 0).ToList();
        var cells = list.Select(c => new ResponseCell(c.Country, names.Country(c.Country), c.Sector, names.Sector(c.Sector), c.Reached, c.Target))
            .OrderBy(c => c.CountryName, StringComparer.CurrentCulture).ThenBy(c => names.SectorOrder(c.Sector)).ToList();
        var sectors = list.GroupBy(c => c.Sector, StringComparer.Ordinal)
            .Select(g => new ReachedTarget(g.Key, names.Sector(g.Key), g.Sum(c => c.Reached), g.Sum(c => c.Target)))
            .OrderBy(s => names.SectorOrder(s.Key)).ToList();
        var countries = list.GroupBy(c => c.Country, StringComparer.Ordinal)
            .Select(g => new ReachedTarget(g.Key, names.Country(g.Key), g.Sum(c => c.Reached), g.Sum(c => c.Target)))
            .OrderByDescending(c => c.Reached).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        return new ResponseFigures(year, sectors, countries, cells);
    }

    /// <summary>Organisations with validated reports of a plan year, per country × sector, and per country (distinct).</summary>
    public static async Task<PartnerFigures> PartnersAsync(CloserDbContext db, Names names, int year, CancellationToken ct)
    {
        var rows = await db.ResponseYears.AsNoTracking().Where(y => y.Year == year && y.ReportsValidated > 0)
            .Select(y => new { y.CountryIso3, y.SectorCode, y.OrganisationId }).Distinct().ToListAsync(ct);
        var cells = rows.GroupBy(r => (r.CountryIso3, r.SectorCode))
            .Select(g => new PartnerCount(g.Key.CountryIso3, names.Country(g.Key.CountryIso3), g.Key.SectorCode, names.Sector(g.Key.SectorCode),
                g.Select(r => r.OrganisationId).Distinct().Count()))
            .OrderBy(c => c.CountryName, StringComparer.CurrentCulture).ThenBy(c => names.SectorOrder(c.Sector)).ToList();
        var countries = rows.GroupBy(r => r.CountryIso3, StringComparer.Ordinal)
            .Select(g => new ReachedTarget(g.Key, names.Country(g.Key), g.Select(r => r.OrganisationId).Distinct().Count(), 0))
            .OrderByDescending(c => c.Reached).ThenBy(c => c.Name, StringComparer.CurrentCulture).ToList();
        return new PartnerFigures(year, countries, cells);
    }
}

/// <summary>One visible month row of the partner dashboard; <paramref name="Admin1"/> is the area's P-code on rows read by area (<see cref="PartnerAreas"/>), else empty.</summary>
public sealed record MonthRow(string Country, string Sector, string Indicator, string Month, string Group, int Org, ReportStatus Status, bool IsPeople, long Reached, int Reports,
    string Admin1 = "");

public sealed record PartnerFilters(int Year, string? Country, string? Sector, string? Group, int? Org, bool ValidatedOnly);

/// <summary>The partner dashboard's figures: what the user may see (as the reports list), computed from the monthly aggregates.</summary>
public static class PartnerData
{
    /// <summary>The monthly aggregate rows the user may see, with the same rule as the reports list (ReportQueries.VisibleTo).</summary>
    public static IQueryable<ResponseMonth> Visible(IQueryable<ResponseMonth> q, ScopeUser u, bool validatedOnly)
    {
        if (validatedOnly)
        {
            q = q.Where(m => m.Status == ReportStatus.Validated);
        }
        return Coordination.Reports.ReportQueries.VisibleTo(q, u);
    }

    public static async Task<List<MonthRow>> RowsAsync(CloserDbContext db, ScopeUser user, PartnerFilters f, CancellationToken ct)
    {
        var q = Visible(db.ResponseMonths.AsNoTracking().Where(m => m.Year == f.Year), user, f.ValidatedOnly);
        if (!string.IsNullOrWhiteSpace(f.Country))
        {
            var c = f.Country.Trim().ToUpperInvariant();
            q = q.Where(m => m.CountryIso3 == c);
        }
        if (!string.IsNullOrWhiteSpace(f.Sector))
        {
            var s = f.Sector.Trim().ToUpperInvariant();
            q = q.Where(m => m.SectorCode == s);
        }
        if (!string.IsNullOrWhiteSpace(f.Group))
        {
            var g = f.Group.Trim().ToLowerInvariant();
            q = q.Where(m => m.PopulationGroup == g);
        }
        if (f.Org is { } org)
        {
            q = q.Where(m => m.OrganisationId == org);
        }
        return await q.Select(m => new MonthRow(m.CountryIso3, m.SectorCode, m.IndicatorCode, m.Month, m.PopulationGroup, m.OrganisationId, m.Status,
            m.IsPeople, m.Reached, m.Reports)).ToListAsync(ct);
    }

    /// <summary>
    /// The reached figure of a set of month rows: per series (organisation × country × indicator × population group), the
    /// maximum over months of the month's sum; then summed over series. Never a sum of months.
    /// </summary>
    public static long Reached(IEnumerable<MonthRow> rows) =>
        rows.GroupBy(r => (r.Org, r.Country, r.Indicator, r.Group))
            .Sum(series => series.GroupBy(r => r.Month, StringComparer.Ordinal).Max(m => m.Sum(r => r.Reached)));

    /// <summary>Targets of the plan year under the same filters (people-unit indicators), by country and sector.</summary>
    public static async Task<List<(string Country, string Sector, string Group, long Target)>> TargetsAsync(CloserDbContext db, PartnerFilters f, CancellationToken ct)
    {
        var q = db.PlanTargets.AsNoTracking().Where(t => t.Year == f.Year)
            .Join(db.Indicators.Where(i => i.Unit == IndicatorUnit.People), t => t.IndicatorCode, i => i.Code,
                (t, i) => new { t.CountryIso3, i.SectorCode, t.PopulationGroup, t.Target });
        if (!string.IsNullOrWhiteSpace(f.Country))
        {
            var c = f.Country.Trim().ToUpperInvariant();
            q = q.Where(t => t.CountryIso3 == c);
        }
        if (!string.IsNullOrWhiteSpace(f.Sector))
        {
            var s = f.Sector.Trim().ToUpperInvariant();
            q = q.Where(t => t.SectorCode == s);
        }
        if (!string.IsNullOrWhiteSpace(f.Group))
        {
            var g = f.Group.Trim().ToLowerInvariant();
            q = q.Where(t => t.PopulationGroup == g);
        }
        var rows = await q.ToListAsync(ct);
        return rows.Select(r => (r.CountryIso3, r.SectorCode, r.PopulationGroup, r.Target)).ToList();
    }
}
