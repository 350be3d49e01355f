using System.Globalization;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Funding;
using Closer.Web.Features.OpenData;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;

namespace Closer.Web.Features.Dashboards.Gaps;

/// <summary>
/// One country × sector of the gap view: people in need, targeted and reached (validated, the dashboards' rule), and
/// funding required vs received (committed + paid), each with the date it stands at. USD are exact (cents / 100).
/// </summary>
public sealed record GapRow(string Country, string CountryName, string Sector, string SectorName,
    long InNeed, long Targeted, long? Reached, decimal RequiredUsd, decimal ReceivedUsd,
    string? PlanAsOf, string? ReachedAsOf, string? FundingAsOf)
{
    /// <summary>Targeted ÷ in need, reached ÷ targeted, received ÷ required, in percent with one decimal; null without a base.</summary>
    public decimal? TargetedPct => Pct(Targeted, InNeed);
    public decimal? ReachedPct => Pct(Reached, Targeted);
    public decimal? FundedPct => RequiredUsd > 0 ? Math.Round(ReceivedUsd * 100m / RequiredUsd, 1, MidpointRounding.AwayFromZero) : null;

    private static decimal? Pct(long? part, long whole) => whole > 0 && part is { } p ? Math.Round(p * 100m / whole, 1, MidpointRounding.AwayFromZero) : null;
}

/// <summary>
/// A country × sector of a year before names, filter and order (what the data cache keeps): cents, the "as of" texts and
/// whether disclosure control hides the reached figure from the public.
/// </summary>
public sealed record GapCell(string Country, string Sector, long InNeed, long Targeted, long Reached, bool Suppressed, long RequiredCents, long ReceivedCents,
    string? PlanAsOf, string? ReachedAsOf, string? FundingAsOf);

/// <summary>A source of a country's plan figures.</summary>
public sealed record GapSource(string Country, string Source);

/// <summary>Every cell of a year and the plan's sources.</summary>
public sealed record GapTable(IReadOnlyList<GapCell> Cells, IReadOnlyList<GapSource> Sources);

/// <summary>The gap view of a plan year, its rows in the asked order, and where the plan figures come from.</summary>
public sealed record GapFigures(int Year, string? Country, string? Sector, string Sort, bool Descending, IReadOnlyList<GapRow> Rows, IReadOnlyList<string> Sources);

/// <summary>
/// Need, target, reach and funding side by side (OCHA's 3W "gap"). Per country × top-level sector (Protection's
/// sub-sectors count in Protection, as in funding):
/// - in need = Σ over population groups of the highest people-in-need among the sector's people indicators (the
///   indicators of a sector serve the same people, so their needs are not added up);
/// - targeted = Σ of the plan targets of people indicators, reached = Σ of the validated year figures (both exactly as
///   the public dashboard counts them, see the README);
/// - required and received: Funding's country × sector coverage (<see cref="FundingCoverage"/>: the targets' requirement,
///   committed + paid contributions earmarked to that country and sector; regional and unearmarked money is in no cell).
/// As of: plan = the latest change of the cell's targets (else the plan year); reached = the latest month with a validated
/// report; funding = the latest contribution's date.
/// </summary>
public static class GapData
{
    /// <summary>The columns a gap view may be sorted by (query <c>sort=</c>).</summary>
    public static IReadOnlyList<string> SortKeys { get; } = ["country", "sector", "inNeed", "targeted", "reached", "reachedPct", "requiredUsd", "receivedUsd", "fundedPct"];

    /// <summary>The datasets the figures come from: a change to any of them evicts the cached cells (after its commit, every node).</summary>
    private static readonly string[] Tags = [DataStamps.Tag(DataStamps.Reports), DataStamps.Tag(DataStamps.Plan), DataStamps.Tag(DataStamps.Funding),
        DataStamps.Tag(DataStamps.Countries), DataStamps.Tag(DataStamps.Organisations)];

    /// <summary>
    /// The gap view of a year. With <paramref name="cache"/> (the page and the API) the year's cells — every country and
    /// sector, codes and numbers only — come from the data cache, evicted by the data stamps of the datasets they are made
    /// of, as the output cache is; what is left per request is the filter, the names and the order of ~200 rows.
    /// </summary>
    public static async Task<GapFigures> BuildAsync(CloserDbContext db, FundingCoverage coverage, DisclosureControl disclosure, Names names, int year, string? country,
        string? sector, string? sort, string? dir, CancellationToken ct, HybridCache? cache = null)
    {
        var c = string.IsNullOrWhiteSpace(country) ? null : country.Trim().ToUpperInvariant();
        var s = string.IsNullOrWhiteSpace(sector) ? null : sector.Trim().ToUpperInvariant();
        var table = cache is null ? await CellsAsync(db, coverage, disclosure, year, ct)
            : await cache.GetOrCreateAsync($"dashboards:gaps:v1:{year.ToString(CultureInfo.InvariantCulture)}", (db, coverage, disclosure, year),
                static async (state, token) => await CellsAsync(state.db, state.coverage, state.disclosure, state.year, token), tags: Tags, cancellationToken: ct);
        var rows = table.Cells.Where(x => (c is null || x.Country == c) && (s is null || x.Sector == s))
            .Select(x => new GapRow(x.Country, names.Country(x.Country), x.Sector, names.Sector(x.Sector), x.InNeed, x.Targeted, x.Suppressed ? null : x.Reached,
                x.RequiredCents / 100m, x.ReceivedCents / 100m, x.PlanAsOf, x.ReachedAsOf, x.FundingAsOf))
            .Where(r => r.InNeed != 0 || r.Targeted != 0 || r.Reached != 0 || r.RequiredUsd != 0 || r.ReceivedUsd != 0)
            .ToList();
        var key = SortKeys.FirstOrDefault(k => string.Equals(k, sort, StringComparison.OrdinalIgnoreCase)) ?? "country";
        var descending = string.Equals(dir, "desc", StringComparison.OrdinalIgnoreCase);
        var sources = table.Sources.Where(x => c is null || x.Country == c).Select(x => x.Source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new GapFigures(year, c, s, key, descending, Sort(rows, key, descending, names), sources);
    }

    /// <summary>Every country × sector cell of a year and the plan's sources per country: what the gap views of that year are cut from.</summary>
    private static async Task<GapTable> CellsAsync(CloserDbContext db, FundingCoverage coverage, DisclosureControl disclosure, int year, CancellationToken ct)
    {
        var sectors = await db.Sectors.AsNoTracking().Select(x => new { x.Code, x.ParentCode }).ToListAsync(ct);
        var top = sectors.ToDictionary(x => x.Code, x => x.ParentCode ?? x.Code, StringComparer.Ordinal);
        string Top(string code) => top.GetValueOrDefault(code, code);
        var indicators = await db.Indicators.AsNoTracking().Select(i => new { i.Code, i.SectorCode, i.Unit }).ToDictionaryAsync(i => i.Code, StringComparer.Ordinal, ct);

        var targets = await db.PlanTargets.AsNoTracking().Where(t => t.Year == year)
            .Select(t => new { t.CountryIso3, t.IndicatorCode, t.PopulationGroup, t.Target, t.PeopleInNeed, t.RequirementUsd, t.SetAt, t.Source }).ToListAsync(ct);
        // The whole year's totals: disclosure control is decided on all of them. Each total carries its "as of" month (kept
        // by the aggregates), so no query reads the year's months.
        var totals = await db.ResponseTotals.AsNoTracking().Where(t => t.Year == year)
            .Select(t => new { t.CountryIso3, t.SectorCode, t.ReachedValidated, t.LastMonthValidated }).ToListAsync(ct);
        // Funding's own coverage cells (required from the targets, received = committed + paid) and their dates.
        var funding = await coverage.BuildAsync(year, "en", ct); // codes and amounts only: its labels are not shown
        var fundedAt = await coverage.ReceivedAsOfAsync(year, ct);

        var cells = new Dictionary<(string Country, string Sector), Cell>();
        Cell At(string country, string sectorCode)
        {
            var key = (country, Top(sectorCode));
            if (!cells.TryGetValue(key, out var cell))
            {
                cells[key] = cell = new Cell();
            }
            return cell;
        }
        foreach (var t in targets)
        {
            if (!indicators.TryGetValue(t.IndicatorCode, out var i))
            {
                continue;
            }
            var cell = At(t.CountryIso3, i.SectorCode);
            if (i.Unit == IndicatorUnit.People)
            {
                cell.Targeted += t.Target;
                var need = cell.NeedByGroup.GetValueOrDefault(t.PopulationGroup);
                cell.NeedByGroup[t.PopulationGroup] = Math.Max(need, t.PeopleInNeed);
            }
            if (t.SetAt is { } at && (cell.PlanSetAt is null || at > cell.PlanSetAt))
            {
                cell.PlanSetAt = at;
            }
        }
        foreach (var t in totals)
        {
            var cell = At(t.CountryIso3, t.SectorCode);
            cell.Reached += t.ReachedValidated;
            if (t.LastMonthValidated is not null && (cell.ReachedAsOf is null || string.CompareOrdinal(t.LastMonthValidated, cell.ReachedAsOf) > 0))
            {
                cell.ReachedAsOf = t.LastMonthValidated;
            }
        }
        foreach (var f in funding?.Cells ?? [])
        {
            if (f.Country is null || f.Sector is null)
            {
                continue;
            }
            var cell = At(f.Country, f.Sector);
            cell.RequiredCents += f.RequirementCents;
            cell.ReceivedCents += f.ReceivedCents;
            cell.FundedAt = fundedAt.TryGetValue((f.Country, f.Sector), out var d) ? d : null;
        }

        // Reached as every public output shows it: disclosure control decided on the whole year's table (never on the
        // filtered rows), so a small sensitive figure hidden on the dashboards is hidden here too, and so is its complement.
        var parents = sectors.ToDictionary(x => x.Code, x => x.ParentCode, StringComparer.Ordinal);
        var hidden = disclosure.CountrySector(totals.Select(t => (t.CountryIso3, t.SectorCode, parents.GetValueOrDefault(t.SectorCode), t.ReachedValidated)),
            DisclosureAudience.Public);
        var mains = parents.Values.Where(p => p is not null).ToHashSet(StringComparer.Ordinal);
        var yearText = year.ToString(CultureInfo.InvariantCulture);
        var list = cells.Select(kv => kv.Value.Figures(kv.Key.Country, kv.Key.Sector, yearText,
                hidden.IsSuppressed(mains.Contains(kv.Key.Sector) ? CountrySectorKeys.MainSector(kv.Key.Country, kv.Key.Sector) : CountrySectorKeys.Cell(kv.Key.Country, kv.Key.Sector))))
            .ToList();
        var sources = targets.Where(t => !string.IsNullOrWhiteSpace(t.Source)).Select(t => new GapSource(t.CountryIso3, t.Source!)).Distinct().ToList();
        return new GapTable(list, sources);
    }

    private static List<GapRow> Sort(List<GapRow> rows, string key, bool descending, Names names)
    {
        // Ties (and the default order) fall back to country name, then the plan's sector order.
        IOrderedEnumerable<GapRow> By<T>(Func<GapRow, T> f, IComparer<T>? comparer = null) =>
            descending ? rows.OrderByDescending(f, comparer) : rows.OrderBy(f, comparer);
        var ordered = key switch
        {
            "sector" => By(r => names.SectorOrder(r.Sector)),
            "inNeed" => By(r => r.InNeed),
            "targeted" => By(r => r.Targeted),
            "reached" => By(r => r.Reached ?? -1),
            "reachedPct" => By(r => r.ReachedPct ?? -1),
            "requiredUsd" => By(r => r.RequiredUsd),
            "receivedUsd" => By(r => r.ReceivedUsd),
            "fundedPct" => By(r => r.FundedPct ?? -1),
            _ => By(r => r.CountryName, StringComparer.CurrentCulture),
        };
        return ordered.ThenBy(r => r.CountryName, StringComparer.CurrentCulture).ThenBy(r => names.SectorOrder(r.Sector)).ToList();
    }

    private sealed class Cell
    {
        public Dictionary<string, long> NeedByGroup { get; } = new(StringComparer.Ordinal);
        public long Targeted { get; set; }
        public long Reached { get; set; }
        public long RequiredCents { get; set; }
        public long ReceivedCents { get; set; }
        public DateTimeOffset? PlanSetAt { get; set; }
        public string? ReachedAsOf { get; set; }
        public DateOnly? FundedAt { get; set; }

        public GapCell Figures(string country, string sector, string year, bool suppressed) =>
            new(country, sector, NeedByGroup.Values.Sum(), Targeted, Reached, suppressed, RequiredCents, ReceivedCents,
                PlanSetAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? (NeedByGroup.Count > 0 || Targeted > 0 || RequiredCents > 0 ? year : null),
                ReachedAsOf, FundedAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}
