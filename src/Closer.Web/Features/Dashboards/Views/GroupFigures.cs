using Closer.Web.Features.Coordination;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Closer.Web.Features.Dashboards.Views;

/// <summary>
/// Reached vs target of one population group (the public dashboard's <c>group=</c> view), validated reports only, by the
/// README's rule on the group's own series (<see cref="ResponseYear"/>). The sensitive sectors (gender-based violence,
/// child protection, trafficking) are left out of it entirely, like the areas of the country map: disclosure control
/// decides on the all-groups table, and a group's figure set beside it could be subtracted to a small count.
/// </summary>
public static class GroupFigures
{
    public static async Task<ResponseFigures> ResponseAsync(CloserDbContext db, Names names, int year, string group, string? sector,
        DisclosureControl disclosure, IMemoryCache cache, CancellationToken ct)
    {
        var reached = await db.ResponseYears.AsNoTracking()
            .Where(y => y.Year == year && y.PopulationGroup == group && y.IsPeople && y.ReportsValidated > 0)
            .GroupBy(y => new { y.CountryIso3, y.SectorCode })
            .Select(g => new { g.Key.CountryIso3, g.Key.SectorCode, Reached = g.Sum(y => y.ReachedValidated) }).ToListAsync(ct);
        var targets = await db.PlanTargets.AsNoTracking().Where(t => t.Year == year && t.PopulationGroup == group)
            .Join(db.Indicators.Where(i => i.Unit == IndicatorUnit.People), t => t.IndicatorCode, i => i.Code, (t, i) => new { t.CountryIso3, i.SectorCode, t.Target })
            .GroupBy(t => new { t.CountryIso3, t.SectorCode })
            .Select(g => new { g.Key.CountryIso3, g.Key.SectorCode, Target = g.Sum(t => t.Target) }).ToListAsync(ct);
        var cells = new Dictionary<(string Country, string Sector), (long Reached, long Target)>();
        foreach (var r in reached)
        {
            cells[(r.CountryIso3, r.SectorCode)] = (r.Reached, 0);
        }
        foreach (var t in targets)
        {
            var k = (t.CountryIso3, t.SectorCode);
            cells[k] = (cells.GetValueOrDefault(k).Reached, t.Target);
        }
        // So are the cells the all-groups table hides as complements (HiddenCells): the groups' figures would add back up to them.
        var hidden = await HiddenCells.PublicAsync(db, disclosure, cache, ct);
        return DashboardData.Build(year, names, cells
            .Where(kv => !disclosure.IsSensitiveSector(kv.Key.Sector) && !hidden.IsHidden(year, kv.Key.Country, kv.Key.Sector)
                && (sector is null || kv.Key.Sector == sector))
            .Select(kv => (kv.Key.Country, kv.Key.Sector, kv.Value.Reached, kv.Value.Target)));
    }
}
