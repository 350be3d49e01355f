using System.Globalization;
using Microsoft.AspNetCore.Html;

namespace Closer.Web.Features.Dashboards.Maps;

/// <summary>The texts a map needs in the reader's language (the partials build it from their localizer).</summary>
public sealed record MapTexts(string Title, string Description, LegendFormats Legend, string LegendTitle, string Other, string NoData);

/// <summary>A country map as drawn: the SVG (null when the country has no admin1 outlines) and the areas it could not draw.</summary>
public sealed record CountryMapDrawing(IHtmlContent? Map, IReadOnlyList<AreaFigure> NotDrawn);

/// <summary>
/// A map before it is drawn: projection, areas, the grey countries around and the legend. <see cref="MapSvg"/> draws it for
/// pages; the situation reports' PDF draws the same object with SkiaSharp.
/// </summary>
public sealed record MapDrawing(MapProjection Projection, IReadOnlyList<MapArea> Areas, IReadOnlyList<IReadOnlyList<Ring>> Others, IReadOnlyList<LegendEntry> Legend);

/// <summary>The two maps of the dashboards: the region by country and a country by admin1.</summary>
public static class MapViews
{
    /// <summary>The region's frame: Baja California to Tierra del Fuego, the Pacific coast to Brazil's eastern tip.</summary>
    public static MapProjection RegionProjection { get; } = new(-118, -56, -34, 33, MapSvg.Width, 4);

    /// <summary>Refugees and migrants by country: the plan's countries coloured by class, the rest of the region in grey.</summary>
    public static IHtmlContent Region(string id, MapTexts texts, IReadOnlyDictionary<string, string> planCountries, IReadOnlyList<FigurePoint> latest,
        Func<string, FigurePoint?, string> label, CultureInfo culture, MapGeometry? geometry = null)
    {
        var d = RegionDrawing(texts, planCountries, latest, label, culture, geometry);
        return MapSvg.Render(id, texts.Title, texts.Description, d.Projection, d.Areas, d.Others, d.Legend, texts.LegendTitle);
    }

    /// <summary>The region map's areas and legend (see <see cref="Region"/>).</summary>
    public static MapDrawing RegionDrawing(MapTexts texts, IReadOnlyDictionary<string, string> planCountries, IReadOnlyList<FigurePoint> latest,
        Func<string, FigurePoint?, string> label, CultureInfo culture, MapGeometry? geometry = null)
    {
        geometry ??= MapGeometry.Shipped;
        var figures = latest.ToDictionary(f => f.Country, StringComparer.Ordinal);
        var classes = MapClasses.For(planCountries.Keys.Where(figures.ContainsKey).Select(c => figures[c].RefugeesAndMigrants));
        var areas = planCountries.OrderBy(c => c.Value, StringComparer.Create(culture, false)).Select(c =>
        {
            var f = figures.GetValueOrDefault(c.Key);
            var fill = f is null ? MapPalette.NoData : MapPalette.Of(classes.Of(f.RefugeesAndMigrants), classes.Count);
            return new MapArea(c.Key, label(c.Value, f), geometry.Region.GetValueOrDefault(c.Key) ?? [], fill,
                geometry.Centres.TryGetValue(c.Key, out var centre) ? centre : null);
        }).ToList();
        var others = geometry.Region.Where(r => !planCountries.ContainsKey(r.Key)).Select(r => r.Value).ToList();
        var legend = Legend(classes, texts.Legend, culture).Append(new LegendEntry(MapPalette.Other, texts.Other)).ToList();
        if (areas.Any(a => a.Fill == MapPalette.NoData))
        {
            legend.Add(new LegendEntry(MapPalette.NoData, texts.NoData));
        }
        return new MapDrawing(RegionProjection, areas, others, legend);
    }

    /// <summary>
    /// People reached by admin1 area, coloured by class. Areas without an outline (or far outside the mainland's frame, such
    /// as Galápagos or San Andrés, which would shrink the map to a corner) are returned to be named under the map; the
    /// table lists them all.
    /// </summary>
    public static CountryMapDrawing Country(string id, MapTexts texts, CountryMapView view, Func<AreaFigure, string> label, CultureInfo culture, MapGeometry? geometry = null,
        Func<string, string>? link = null, string? selected = null)
    {
        var (d, notDrawn) = CountryDrawing(texts, view, label, culture, geometry);
        return d is null ? new CountryMapDrawing(null, [])
            : new CountryMapDrawing(MapSvg.Render(id, texts.Title, texts.Description, d.Projection, d.Areas, d.Others, d.Legend, texts.LegendTitle, link, selected), notDrawn);
    }

    /// <summary>A country map's areas and legend (see <see cref="Country"/>); null when the country has no admin1 outlines.</summary>
    public static (MapDrawing? Drawing, IReadOnlyList<AreaFigure> NotDrawn) CountryDrawing(MapTexts texts, CountryMapView view, Func<AreaFigure, string> label,
        CultureInfo culture, MapGeometry? geometry = null)
    {
        geometry ??= MapGeometry.Shipped;
        if (!geometry.Admin1.TryGetValue(view.Iso3, out var outlines) || outlines.Count == 0)
        {
            return (null, []);
        }
        var (west, south, east, north) = MapProjection.Frame(outlines.Values.SelectMany(r => r));
        var projection = new MapProjection(west, south, east, north, MapSvg.Width, 4);
        bool Inside(Ring r) => r.Lon.Max() >= west && r.Lon.Min() <= east && r.Lat.Max() >= south && r.Lat.Min() <= north;
        var classes = MapClasses.For(view.Areas.Select(a => a.Reached));
        var drawn = new List<MapArea>();
        var notDrawn = new List<AreaFigure>();
        foreach (var a in view.Areas.OrderBy(a => a.PCode, StringComparer.Ordinal))
        {
            var rings = outlines.GetValueOrDefault(a.PCode)?.Where(Inside).ToList();
            if (rings is null || rings.Count == 0)
            {
                notDrawn.Add(a);
                continue;
            }
            var fill = a.Reached > 0 ? MapPalette.Of(classes.Of(a.Reached), classes.Count) : MapPalette.NoData;
            drawn.Add(new MapArea(a.PCode, label(a), rings, fill));
        }
        var legend = Legend(classes, texts.Legend, culture).ToList();
        if (drawn.Any(a => a.Fill == MapPalette.NoData))
        {
            legend.Add(new LegendEntry(MapPalette.NoData, texts.NoData));
        }
        return (new MapDrawing(projection, drawn, [], legend), notDrawn);
    }

    private static IEnumerable<LegendEntry> Legend(MapClasses classes, LegendFormats formats, CultureInfo culture) =>
        Enumerable.Range(0, classes.Count).Select(k => new LegendEntry(MapPalette.Of(k, classes.Count), classes.Label(k, formats, culture)));
}
