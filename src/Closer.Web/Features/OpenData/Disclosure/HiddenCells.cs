using System.Globalization;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Closer.Web.Features.OpenData.Disclosure;

/// <summary>
/// The one disclosure decision every output follows: the cells of the dashboards' country × sector table of each plan
/// year that an audience may not see, primary (a small count of a sensitive sector) and complementary (chosen so the
/// totals published beside them cannot give a primary back) — <see cref="DisclosureControl.CountrySector"/> on the year's
/// validated figures. A complement protects only if it is hidden everywhere: an output finer than the table (5W rows,
/// the OData feed's cells, a population group's or an area's figures) must not publish a hidden cell's parts, or the
/// parts add back up to the cell and the cell, subtracted from its total, gives the primary back.
/// </summary>
public sealed class HiddenCells
{
    private const string CacheKey = "opendata:hidden-cells:public";

    /// <summary>The figures the decision is made of: validated reports (the aggregates' totals) and the plan's sectors.</summary>
    public static readonly IReadOnlyList<string> Datasets = [DataStamps.Reports, DataStamps.Plan];

    private readonly IReadOnlyDictionary<int, DisclosureResult> _years;

    private HiddenCells(IReadOnlyDictionary<int, DisclosureResult> years) => _years = years;

    /// <summary>Nothing hidden (an audience that sees everything).</summary>
    public static HiddenCells None { get; } = new(new Dictionary<int, DisclosureResult>());

    /// <summary>A decision made elsewhere (tests): these cells of these years hidden.</summary>
    internal static HiddenCells Of(IEnumerable<(int Year, string Country, string Sector)> cells) =>
        new(cells.GroupBy(c => c.Year).ToDictionary(g => g.Key, g => new DisclosureResult(
            g.Select(c => CountrySectorKeys.Cell(c.Country, c.Sector)).ToHashSet(StringComparer.Ordinal), 5)));

    /// <summary>Whether anything of any year is hidden.</summary>
    public bool Applied => _years.Values.Any(r => r.Applied);

    /// <summary>Whether the country × sector cell of a plan year is hidden (a main sector's own cell: its own indicators).</summary>
    public bool IsHidden(int year, string country, string sector) => IsSuppressed(year, CountrySectorKeys.Cell(country, sector));

    /// <summary>Whether a figure of a plan year's table is hidden, by its <see cref="CountrySectorKeys"/> key (totals included).</summary>
    public bool IsSuppressed(int year, string key) => _years.TryGetValue(year, out var result) && result.IsSuppressed(key);

    /// <summary>The same, for a report's month (YYYY-MM): the plan year is the month's year.</summary>
    public bool IsHidden(string month, string country, string sector) =>
        month.Length >= 4 && int.TryParse(month.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && IsHidden(year, country, sector);

    /// <summary>Per plan year, its hidden cells as <c>country|sector</c> (for a query that must leave them out in the database).</summary>
    public IReadOnlyDictionary<int, List<string>> Keys => _years.ToDictionary(y => y.Key, y => y.Value.Suppressed
        .Where(k => k.StartsWith("cs|", StringComparison.Ordinal)).Select(k => k.Split('|')).Where(p => p[1] != "*" && p[2] != "*")
        .Select(p => p[1] + "|" + p[2]).ToList());

    /// <summary>The decision for <paramref name="audience"/> (every plan year, or one), from the aggregates' yearly totals.</summary>
    public static async Task<HiddenCells> LoadAsync(CloserDbContext db, DisclosureControl control, DisclosureAudience audience, CancellationToken ct,
        int? year = null)
    {
        if (audience.CoversAll)
        {
            return None;
        }
        var parents = await db.Sectors.AsNoTracking().Select(s => new { s.Code, s.ParentCode }).ToDictionaryAsync(s => s.Code, s => s.ParentCode, ct);
        var q = db.ResponseTotals.AsNoTracking();
        if (year is { } y)
        {
            q = q.Where(t => t.Year == y);
        }
        var totals = await q.Select(t => new { t.Year, t.CountryIso3, t.SectorCode, t.ReachedValidated }).ToListAsync(ct);
        return new HiddenCells(totals.GroupBy(t => t.Year).ToDictionary(g => g.Key, g => control.CountrySector(
            g.Select(t => (t.CountryIso3, t.SectorCode, parents.GetValueOrDefault(t.SectorCode), t.ReachedValidated)), audience)));
    }

    /// <summary>The public decision of every plan year, kept until a report or the plan changes.</summary>
    public static async Task<HiddenCells> PublicAsync(CloserDbContext db, DisclosureControl control, IMemoryCache cache, CancellationToken ct)
    {
        var version = await DataStamps.VersionAsync(db, Datasets, ct);
        if (cache.Get<(string Version, HiddenCells Cells)>(CacheKey) is { Cells: not null } kept && kept.Version == version)
        {
            return kept.Cells;
        }
        var cells = await LoadAsync(db, control, DisclosureAudience.Public, ct);
        cache.Set(CacheKey, (version, cells), new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(30) });
        return cells;
    }
}
