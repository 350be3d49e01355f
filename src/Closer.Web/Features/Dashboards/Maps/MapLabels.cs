using System.Globalization;
using Closer.Web.Infrastructure.Localization;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Dashboards.Maps;

/// <summary>
/// The maps' words in the reader's language — titles, descriptions, legends and area labels — in one place, so the page's
/// map and its downloadable file (<c>/{lang}/data/chart.svg?figure=map-…</c>) say exactly the same.
/// </summary>
public static class MapLabels
{
    private static LegendFormats Formats(IStringLocalizer t) => new(t["less than {0}"].Value, t["{0} to under {1}"].Value, t["{0} or more"].Value);

    public static string RegionTitle(IStringLocalizer t) => t["Map: refugees and migrants from Venezuela by country, latest figure"].Value;

    public static MapTexts Region(IStringLocalizer t) => new(RegionTitle(t),
        t["A map of Latin America and the Caribbean. The 17 countries of the regional plan are shaded by their number of refugees and migrants, darker for more (classes in the legend); the other countries are grey. Small islands are marked with a circle. The table below gives every figure with its date and source."].Value,
        Formats(t), t["Refugees and migrants"].Value, t["Other countries (not in the plan)"].Value, t["No figure"].Value);

    public static string RegionLabel(IStringLocalizer t, string name, FigurePoint? f) => f is null ? t["{0}: no figure", name].Value
        : t.Plural(f.RefugeesAndMigrants, "{1}: {0} refugee or migrant ({2})", "{1}: {0} refugees and migrants ({2})", name, f.AsOf).Value;

    /// <summary>A country map's heading (the map's own title adds "Map: ").</summary>
    public static string CountryTitle(IStringLocalizer t, CountryMapView v) => t["People reached by area in {0}, {1}", v.Name, v.Year].Value;

    public static MapTexts Country(IStringLocalizer t, CountryMapView v) => new(t["Map: {0}", CountryTitle(t, v)].Value,
        t["A map of {0} by first-level administrative area, shaded by people reached in {1} (validated reports), darker for more; white areas have no validated report. The table below gives each area's people reached and partner organisations.", v.Name, v.Year].Value,
        Formats(t), t["People reached"].Value, t["Other countries (not in the plan)"].Value, t["No validated report"].Value);

    public static string CountryLabel(IStringLocalizer t, AreaFigure a, CultureInfo culture) =>
        t["{0}: {1} people reached, {2}", a.Name, a.Reached.ToString("N0", culture), t.Plural(a.Partners, "{0} partner organisation", "{0} partner organisations").Value].Value;

    public static string CountryBarsDescription(IStringLocalizer t) =>
        t["One bar per area, largest first, labelled with its people reached; the table below adds the partner organisations."].Value;
}
