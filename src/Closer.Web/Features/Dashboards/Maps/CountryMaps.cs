using Closer.Web.Features.Coordination;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Dashboards.Maps;

/// <summary>People reached and partner organisations in one admin1 area of a plan year (validated reports).</summary>
public sealed record AreaFigure(string PCode, string Name, long Reached, int Partners);

/// <summary>
/// A country's figures by admin1 for its map: every area on record (retired ones only when they carry reports), and the
/// country's own reached vs target (targets are set per country in the plan, not per area).
/// </summary>
public sealed record CountryMapView(string Iso3, string Name, int Year, IReadOnlyList<AreaFigure> Areas, long CountryReached, long CountryTarget);

/// <summary>The country maps' data: validated reports of a plan year by admin1, by the dashboards' rule of people reached.</summary>
public static class CountryMaps
{
    /// <summary>A country page's map (Campaign's country pages): the current plan year's figures, names in the page's language.</summary>
    public static async Task<CountryMapView?> ForCountryPageAsync(CloserDbContext db, TimeProvider time, DisclosureControl disclosure, string iso3, string language,
        CancellationToken ct)
    {
        var names = await Names.LoadAsync(db, language, ct);
        var year = await DashboardData.CurrentYearAsync(db, time, ct);
        return await LoadAsync(db, names, disclosure, iso3, language, year, null, ct);
    }

    /// <summary>
    /// An area's people reached: per organisation × indicator × population group, the highest month (the de-duplicated
    /// figure to date when given, else the month's count; one report row per month in an area), summed; people-unit
    /// indicators only. The README's rule applied to the area's own rows, so areas do not add up to the country (a person
    /// served in two areas counts in each; the country figure counts the series' best month over all its areas).
    /// The country's reached vs target comes from <paramref name="response"/>, the year's figures, when the caller already
    /// has them (the data page; reached and target are the same for every audience), else they are loaded.
    /// </summary>
    public static async Task<CountryMapView?> LoadAsync(CloserDbContext db, Names names, DisclosureControl disclosure, string iso3, string language, int year,
        ResponseFigures? response, CancellationToken ct, IReadOnlyList<string>? months = null)
    {
        var code = iso3.Trim().ToUpperInvariant();
        if (!names.Countries.ContainsKey(code))
        {
            return null;
        }
        // The plan year's twelve months (or the situation report's months to date) as a list: IN (…) on the (country, month, status) index.
        months ??= Enumerable.Range(1, 12).Select(m => $"{year:D4}-{m:D2}").ToList();
        var validated = db.ActivityReports.AsNoTracking().Where(r => r.CountryIso3 == code && months.Contains(r.Month) && r.Status == ReportStatus.Validated
            && r.DeletedAt == null);
        // Sensitive sectors (gender-based violence, child protection, trafficking) stay out of the areas' figures: a small
        // count by area could point at a person, and no published total lets it be worked back out (disclosure control).
        var sensitive = (await db.Indicators.AsNoTracking().Select(i => new { i.Code, i.SectorCode }).ToListAsync(ct))
            .Where(i => disclosure.IsSensitiveSector(i.SectorCode)).Select(i => i.Code).ToList();
        var series = await validated
            .Join(db.Indicators.Where(i => i.Unit == IndicatorUnit.People && !sensitive.Contains(i.Code)), r => r.IndicatorCode, i => i.Code, (r, i) => r)
            .GroupBy(r => new { r.Admin1PCode, r.OrganisationId, r.IndicatorCode, r.PopulationGroup })
            .Select(g => new { g.Key.Admin1PCode, Best = g.Max(r => r.ReachedToDate ?? r.Total) })
            .ToListAsync(ct);
        var partners = await validated.Select(r => new { r.Admin1PCode, r.OrganisationId }).Distinct().ToListAsync(ct);
        var reached = series.GroupBy(s => s.Admin1PCode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(s => s.Best), StringComparer.Ordinal);
        var orgs = partners.GroupBy(p => p.Admin1PCode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var areas = (await db.Admin1Areas.AsNoTracking().Where(a => a.CountryIso3 == code).ToListAsync(ct))
            .Where(a => a.RetiredAt is null || reached.ContainsKey(a.PCode) || orgs.ContainsKey(a.PCode))
            .Select(a => new AreaFigure(a.PCode, a.LocalName(language), reached.GetValueOrDefault(a.PCode), orgs.GetValueOrDefault(a.PCode)))
            .OrderByDescending(a => a.Reached).ThenBy(a => a.Name, StringComparer.CurrentCulture).ToList();
        response ??= await DashboardData.ResponseAsync(db, names, year, code, null, disclosure, DisclosureAudience.Public, ct);
        var country = response.Countries.FirstOrDefault(t => t.Key == code);
        return new CountryMapView(code, names.Country(code), year, areas, country?.Reached ?? 0, country?.Target ?? 0);
    }
}

/// <summary>
/// What _CountryMap.cshtml draws: the figures, the element ids' prefix and the heading level of the page it sits in;
/// <paramref name="Bars"/>: ranked bars instead of the map (the dashboard's chart type); <paramref name="Selected"/>: an area to point out;
/// <paramref name="Tools"/>: the language and dashboard state of the map's file links and citation (none: no links).
/// </summary>
public sealed record CountryMapSection(CountryMapView View, string IdPrefix, int HeadingLevel = 2, bool Bars = false, string? Selected = null,
    (string Lang, string StateQuery)? Tools = null);
