using System.Globalization;
using System.Linq.Expressions;
using Closer.Web.Features.OpenData.OData;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Closer.Web.Features.OpenData.Disclosure;

/// <summary>
/// Disclosure control at the OData feed's seam. The feed's cells are one organisation's month of one indicator and group,
/// far finer than any published total, so a cell's counts are withheld (null, <see cref="ReportCell.Suppressed"/>) when
/// <list type="bullet">
/// <item>its sector is sensitive (<see cref="DisclosureControl.IsSensitiveSector"/>: a listed code or any sub-code of one),
/// whatever its size: a small count could be read, or worked out from the cells beside it;</item>
/// <item>its country × sector is hidden on the dashboards (<see cref="HiddenCells"/>, a complement of a small count): its
/// cells would add back up to it.</item>
/// </list>
/// Those figures are published by country, after suppression, on the dashboards' API. A withheld cell shows no more than the
/// 5W rows of a withheld cell do (<see cref="ActivityDisclosure"/>, <c>suppressed</c>): one row per series (organisation ×
/// country × indicator × population group) and plan year, <see cref="ReportCell.Month"/> the year (<c>YYYY</c>), no report
/// count, no counts — which months had activity, and how many reports, can say as much as a count. The rule runs inside
/// the query, so no $filter or $orderby can bring a count, a month or a report count back.
/// </summary>
public sealed class FeedCellDisclosure(DisclosureControl disclosure, CloserDbContext db, IMemoryCache cache) : IReportCellDisclosure
{
#pragma warning disable CA1305, CA1309 // translated to SQL: the year as text (digits in every culture) and the months compared as the database compares them
    private static readonly Expression<Func<ReportCell, bool, ReportCell>> Shape = (c, withheld) => new ReportCell
    {
        Year = c.Year, Country = c.Country, Indicator = c.Indicator, Month = withheld ? c.Year.ToString() : c.Month, PopulationGroup = c.PopulationGroup,
        OrganisationId = c.OrganisationId, Organisation = c.Organisation, Sector = c.Sector, IsPeople = c.IsPeople, Reports = withheld ? null : c.Reports,
        Girls = withheld ? null : c.Girls,
        Boys = withheld ? null : c.Boys,
        Women = withheld ? null : c.Women,
        Men = withheld ? null : c.Men,
        Other = withheld ? null : c.Other,
        Total = withheld ? null : c.Total,
        Reached = withheld ? null : c.Reached,
        Suppressed = withheld,
    };
#pragma warning restore CA1305, CA1309

    public async Task<(IQueryable<ReportCell> Cells, bool Applied)> ApplyAsync(IQueryable<ReportCell> cells, CancellationToken ct)
    {
        // Every code of the directory the configuration covers (sub-codes included), and the configured codes themselves.
        var codes = await db.Sectors.AsNoTracking().Select(s => s.Code).ToListAsync(ct);
        var inDirectory = codes.Where(disclosure.IsSensitiveSector).ToList();
        var sensitive = inDirectory.Union(disclosure.SensitiveSectors, StringComparer.Ordinal).ToList();
        var hidden = (await HiddenCells.PublicAsync(db, disclosure, cache, ct)).Keys.Where(y => y.Value.Count > 0).ToList();
        // withheld(c) = sensitive ∋ c.Sector ∨ ⋁ over plan years (c.Year = y ∧ hidden(y) ∋ c.Country|c.Sector), one SQL condition.
        Expression<Func<ReportCell, bool>> isSensitive = c => sensitive.Contains(c.Sector);
        var c = isSensitive.Parameters[0];
        var withheld = isSensitive.Body;
        foreach (var (year, keys) in hidden)
        {
            Expression<Func<ReportCell, bool>> inYear = x => x.Year == year && keys.Contains(x.Country + "|" + x.Sector);
            withheld = Expression.OrElse(withheld, new Substitute(inYear.Parameters[0], c).Visit(inYear.Body));
        }
        // A withheld series keeps one row of the year, its first month's (withheld is the same for every month of a series:
        // it depends on year, country and sector only); the month itself is not shown. The first months are read once per
        // data version (one grouped query over the withheld cells), so the feed's query keeps a withheld row by an IN over
        // a parameter, not a correlated subquery per row (which cost a page seconds).
        var firsts = await FirstMonthsAsync(cells.Where(Expression.Lambda<Func<ReportCell, bool>>(withheld, c)), sensitive, ct);
#pragma warning disable CA1305 // translated to SQL: the organisation id as text (digits in every culture)
        // One parameter for the whole list (EF.Parameter: json_each / unnest): EF Core 10 otherwise binds one SQL parameter per
        // first month — thousands on a real feed, bound by name one after another (a page took 0.8 s on the bench's 150,000
        // cells), and past SQLite's 32,766 the query would fail.
        Expression<Func<ReportCell, bool>> first = x => EF.Parameter(firsts).Contains(x.Country + "|" + x.Indicator + "|" + x.PopulationGroup + "|" + x.OrganisationId.ToString() + "|" + x.Month);
#pragma warning restore CA1305
        var keep = Expression.OrElse(Expression.Not(withheld), new Substitute(first.Parameters[0], c).Visit(first.Body));
        var body = new Substitute(Shape.Parameters[0], c).Visit(new Substitute(Shape.Parameters[1], withheld).Visit(Shape.Body));
        return (cells.Where(Expression.Lambda<Func<ReportCell, bool>>(keep, c)).Select(Expression.Lambda<Func<ReportCell, ReportCell>>(body, c)),
            hidden.Count > 0 || inDirectory.Count > 0);
    }

    /// <summary>
    /// Each withheld series' first month of each plan year, as <c>country|indicator|group|organisation|YYYY-MM</c>, kept
    /// until a report, the plan or an organisation changes.
    /// </summary>
    private async Task<List<string>> FirstMonthsAsync(IQueryable<ReportCell> withheld, IReadOnlyList<string> sensitive, CancellationToken ct)
    {
        var key = "opendata:feed-first-months:" + string.Join(',', sensitive);
        var version = await DataStamps.VersionAsync(db, [.. HiddenCells.Datasets, DataStamps.Organisations], ct);
        if (cache.Get<(string Version, List<string> Keys)>(key) is { Keys: not null } kept && kept.Version == version)
        {
            return kept.Keys;
        }
        var rows = await withheld.GroupBy(x => new { x.Year, x.Country, x.Indicator, x.PopulationGroup, x.OrganisationId })
            .Select(g => new { g.Key.Country, g.Key.Indicator, g.Key.PopulationGroup, g.Key.OrganisationId, Month = g.Min(x => x.Month) }).ToListAsync(ct);
        var keys = rows.Select(r => string.Join('|', r.Country, r.Indicator, r.PopulationGroup, r.OrganisationId.ToString(CultureInfo.InvariantCulture), r.Month)).ToList();
        cache.Set(key, (version, keys), new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(30) });
        return keys;
    }

    /// <summary>Puts an expression where a parameter was.</summary>
    private sealed class Substitute(ParameterExpression parameter, Expression with) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? with : base.VisitParameter(node);
    }
}
