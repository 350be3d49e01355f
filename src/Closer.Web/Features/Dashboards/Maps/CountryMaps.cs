using Closer.Web.Features.Coordination;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Closer.Web.Features.Dashboards.Maps;

/// <summary>People reached and partner organisations in one admin1 area of a plan year (validated reports).</summary>
public sealed record AreaFigure(string PCode, string Name, long Reached, int Partners);

/// <summary>
/// A country's figures by admin1 for its map: every area on record (retired ones only when they carry reports), and the
/// country's own reached vs target (targets are set per country in the plan, not per area).
/// </summary>
/// <summary>
/// A country's map data. <paramref name="CountryReached"/> is null when disclosure control hides the country's total;
/// <paramref name="HiddenLeftOut"/>: figures the dashboards hide to protect a small count (complements included) are left
/// out of the areas' figures too (their parts by area would add back up to them).
/// </summary>
public sealed record CountryMapView(string Iso3, string Name, int Year, IReadOnlyList<AreaFigure> Areas, long? CountryReached, long CountryTarget,
    bool HiddenLeftOut = false);

/// <summary>The country maps' data: validated reports of a plan year by admin1, by the dashboards' rule of people reached.</summary>
public static class CountryMaps
{
    /// <summary>A country page's map (Campaign's country pages): the current plan year's figures, names in the page's language.</summary>
    public static async Task<CountryMapView?> ForCountryPageAsync(CloserDbContext db, TimeProvider time, DisclosureControl disclosure, IMemoryCache cache, string iso3, string language,
        CancellationToken ct)
    {
        var names = await Names.LoadAsync(db, language, ct);
        var year = await DashboardData.CurrentYearAsync(db, time, ct);
        return await LoadAsync(db, names, disclosure, cache, iso3, language, year, null, ct);
    }

    /// <summary>
    /// An area's people reached: per organisation × indicator × population group, the highest month (the de-duplicated
    /// figure to date when given, else the month's count; one report row per month in an area), summed; people-unit
    /// indicators only. The README's rule applied to the area's own rows, so areas do not add up to the country (a person
    /// served in two areas counts in each; the country figure counts the series' best month over all its areas).
    /// The country's reached vs target comes from <paramref name="response"/>, the year's figures, when the caller already
    /// has them (the data page; reached and target are the same for every audience), else they are loaded.
    /// <paramref name="month"/> (YYYY-MM, the situation reports): the figures of January to that month instead of the whole year.
    /// Read from <see cref="ResponseAreaToDate"/>, kept by the aggregates with every report write.
    /// </summary>
    public static async Task<CountryMapView?> LoadAsync(CloserDbContext db, Names names, DisclosureControl disclosure, IMemoryCache cache, string iso3, string language, int year,
        ResponseFigures? response, CancellationToken ct, string? month = null)
    {
        var code = iso3.Trim().ToUpperInvariant();
        if (!names.Countries.ContainsKey(code))
        {
            return null;
        }
        // One month's "to date" rows (January to the month, the aggregates' ResponseAreaToDates): a few rows per organisation × area × sector.
        var toMonth = month ?? $"{year:D4}-12";
        var rows = await db.ResponseAreaToDates.AsNoTracking().Where(a => a.Year == year && a.Month == toMonth && a.CountryIso3 == code)
            .Select(a => new { a.Admin1PCode, a.SectorCode, a.OrganisationId, a.Reached }).ToListAsync(ct);
        // Sensitive sectors (gender-based violence, child protection, trafficking) stay out of the areas' figures, people and
        // partners alike: a small count by area could point at a person, and an area with "0 reached, 1 partner" would say
        // where such work happens. So do the cells the dashboards hide as complements of a small count (disclosure control:
        // one decision for every output, HiddenCells, kept per data version), or their areas would add back up to them.
        var hidden = await HiddenCells.PublicAsync(db, disclosure, cache, ct);
        var shown = rows.Where(r => !disclosure.IsSensitiveSector(r.SectorCode) && !hidden.IsHidden(year, code, r.SectorCode)).ToList();
        var reached = shown.GroupBy(r => r.Admin1PCode, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Reached), StringComparer.Ordinal);
        var orgs = shown.GroupBy(r => r.Admin1PCode, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.OrganisationId).Distinct().Count(), StringComparer.Ordinal);
        var hiddenLeftOut = rows.Any(r => !disclosure.IsSensitiveSector(r.SectorCode) && hidden.IsHidden(year, code, r.SectorCode));
        var areas = (await db.Admin1Areas.AsNoTracking().Where(a => a.CountryIso3 == code).ToListAsync(ct))
            .Where(a => a.RetiredAt is null || reached.ContainsKey(a.PCode) || orgs.ContainsKey(a.PCode))
            .Select(a => new AreaFigure(a.PCode, a.LocalName(language), reached.GetValueOrDefault(a.PCode), orgs.GetValueOrDefault(a.PCode)))
            .OrderByDescending(a => a.Reached).ThenBy(a => a.Name, StringComparer.CurrentCulture).ToList();
        response ??= await DashboardData.ResponseAsync(db, names, year, code, null, disclosure, DisclosureAudience.Public, ct);
        var country = response.Countries.FirstOrDefault(t => t.Key == code);
        return new CountryMapView(code, names.Country(code), year, areas, country is { Suppressed: true } ? null : country?.Reached ?? 0, country?.Target ?? 0,
            hiddenLeftOut);
    }

    /// <summary>
    /// One area of a country map by sector (the data dashboard filtered to an area): the same rows and rule as the map's
    /// figure of the area — sensitive sectors and cells hidden as complements left out — so its sectors add up to the map's
    /// figure. Null when the area is not one of the map's.
    /// </summary>
    public static async Task<AreaSectorsView?> AreaSectorsAsync(CloserDbContext db, Names names, DisclosureControl disclosure, IMemoryCache cache, CountryMapView map,
        string pcode, CancellationToken ct)
    {
        if (map.Areas.FirstOrDefault(a => a.PCode == pcode) is not { } area)
        {
            return null;
        }
        var month = $"{map.Year:D4}-12";
        var rows = await db.ResponseAreaToDates.AsNoTracking()
            .Where(a => a.Year == map.Year && a.Month == month && a.CountryIso3 == map.Iso3 && a.Admin1PCode == pcode)
            .Select(a => new { a.SectorCode, a.OrganisationId, a.Reached }).ToListAsync(ct);
        var hidden = await HiddenCells.PublicAsync(db, disclosure, cache, ct);
        var sectors = rows.Where(r => !disclosure.IsSensitiveSector(r.SectorCode) && !hidden.IsHidden(map.Year, map.Iso3, r.SectorCode))
            .GroupBy(r => r.SectorCode, StringComparer.Ordinal)
            .Select(g => new AreaSector(g.Key, names.Sector(g.Key), g.Sum(r => r.Reached), g.Select(r => r.OrganisationId).Distinct().Count()))
            .OrderByDescending(s => s.Reached).ThenBy(s => names.SectorOrder(s.Key)).ToList();
        return new AreaSectorsView(map.Iso3, map.Name, area.PCode, area.Name, map.Year, sectors);
    }
}

/// <summary>People reached and partner organisations of one sector in one admin1 area (validated reports, the maps' rule).</summary>
public sealed record AreaSector(string Key, string Name, long Reached, int Partners);

/// <summary>One admin1 area's figures by sector: what the data dashboard shows when an area is chosen (<c>admin1=</c>).</summary>
public sealed record AreaSectorsView(string Iso3, string CountryName, string PCode, string Name, int Year, IReadOnlyList<AreaSector> Sectors);

/// <summary>
/// What _CountryMap.cshtml draws: the figures, the element ids' prefix and the heading level of the page it sits in;
/// <paramref name="Bars"/>: ranked bars instead of the map (the dashboard's chart type); <paramref name="Selected"/>: an area to point out;
/// <paramref name="Tools"/>: the language and dashboard state of the map's file links and citation (none: no links).
/// </summary>
/// <paramref name="AreaLink"/>: the page's address with an area chosen (null: all areas), when choosing one filters the page:
/// the map's areas and the table's names are then links, and a chosen area has a way back to all areas.
public sealed record CountryMapSection(CountryMapView View, string IdPrefix, int HeadingLevel = 2, bool Bars = false, string? Selected = null,
    (string Lang, string StateQuery)? Tools = null, Func<string?, string>? AreaLink = null);
