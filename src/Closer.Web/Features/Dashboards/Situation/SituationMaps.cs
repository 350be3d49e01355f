using System.Globalization;
using Closer.Web.Features.Dashboards.Maps;
using Closer.Web.Infrastructure.Localization;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Dashboards.Situation;

/// <summary>A situation report's map, built once for the page (SVG) and the PDF (SkiaSharp) from the dashboards' map renderers.</summary>
public sealed record SituationMap(string Title, string Description, MapDrawing? Drawing, MapTexts Texts, IReadOnlyList<AreaFigure> NotDrawn);

public static class SituationMaps
{
    private static LegendFormats Formats(IStringLocalizer t) => new(t["less than {0}"], t["{0} to under {1}"], t["{0} or more"]);

    /// <summary>The region: refugees and migrants by country as published by the month's end; a country: people reached by admin1 area to date.</summary>
    public static SituationMap For(SituationReportView view, IStringLocalizer t, CultureInfo culture)
    {
        var f = view.Figures;
        if (f.Scope.IsRegion)
        {
            var title = t["Refugees and migrants by country, latest figure by {0}", view.MonthLabel].Value;
            var texts = new MapTexts(t["Map: {0}", title], t["A map of Latin America and the Caribbean. The 17 countries of the regional plan are shaded by their number of refugees and migrants, darker for more (classes in the legend); the other countries are grey. Small islands are marked with a circle. The table below gives every figure with its date and source."],
                Formats(t), t["Refugees and migrants"], t["Other countries (not in the plan)"], t["No figure"]);
            string Label(string name, FigurePoint? p) => p is null ? t["{0}: no figure", name].Value
                : t.Plural(p.RefugeesAndMigrants, "{1}: {0} refugee or migrant ({2})", "{1}: {0} refugees and migrants ({2})", name, p.AsOf).Value;
            return new SituationMap(title, texts.Description, MapViews.RegionDrawing(texts, f.CountryNames, f.Latest, Label, culture), texts, []);
        }
        var map = f.Map!;
        var areaTitle = t["People reached by area in {0}, January to {1}", f.Name, view.MonthLabel].Value;
        var areaTexts = new MapTexts(t["Map: {0}", areaTitle],
            t["A map of {0} by first-level administrative area, shaded by people reached from January to {1} (validated reports), darker for more; white areas have no validated report. The table gives each area's people reached and partner organisations.", f.Name, view.MonthLabel],
            Formats(t), t["People reached"], t["Other countries (not in the plan)"], t["No validated report"]);
        string AreaLabel(AreaFigure a) => t["{0}: {1} people reached, {2}", a.Name, a.Reached.ToString("N0", culture), t.Plural(a.Partners, "{0} partner organisation", "{0} partner organisations").Value].Value;
        var (drawing, notDrawn) = MapViews.CountryDrawing(areaTexts, map, AreaLabel, culture);
        return new SituationMap(areaTitle, areaTexts.Description, drawing, areaTexts, notDrawn);
    }
}
