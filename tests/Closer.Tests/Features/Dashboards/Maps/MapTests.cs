using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Closer.Web.Features.Dashboards;
using Closer.Web.Features.Dashboards.Maps;
using Closer.Web.Infrastructure.Data;

namespace Closer.Tests.Features.Dashboards.Maps;

/// <summary>Projection, classes, path writing and the shipped outlines of the maps.</summary>
public sealed partial class MapTests
{
    [Fact]
    public void Projection_PutsTheFramesCornersOnTheDrawingsCorners_AndKeepsNorthUp()
    {
        var p = new MapProjection(-80, -5, -66, 13, 720, 4);
        var (x0, y0) = p.Project(-80, 13);
        var (x1, y1) = p.Project(-66, -5);
        Assert.Equal(4, x0, 6);
        Assert.Equal(4, y0, 6);
        Assert.Equal(716, x1, 6);
        Assert.InRange(y1, p.Height - 5, p.Height - 4);
        Assert.True(p.Project(-73, 10).Y < p.Project(-73, 0).Y);
    }

    [Fact]
    public void Projection_IsMercator_StretchingHighLatitudesNotTheEquator()
    {
        var p = new MapProjection(-90, -60, -30, 30, 720);
        // One degree of latitude near 55° S is about 1/cos(55°) ≈ 1.74 times one at the equator.
        var atEquator = p.Project(-60, -1).Y - p.Project(-60, 0).Y;
        var atSouth = p.Project(-60, -56).Y - p.Project(-60, -55).Y;
        Assert.InRange(atSouth / atEquator, 1.70, 1.80);
        // and a degree of longitude is the same everywhere.
        Assert.Equal(p.Project(-59, 0).X - p.Project(-60, 0).X, p.Project(-59, -50).X - p.Project(-60, -50).X, 9);
    }

    [Fact]
    public void Projection_RefusesAnEmptyFrame() =>
        Assert.Throws<ArgumentException>(() => new MapProjection(-60, 0, -70, 10, 720));

    [Fact]
    public void Frame_LeavesOutSmallFarIslands()
    {
        Ring Square(double lon, double lat, double size) => new([lon, lon + size, lon + size, lon], [lat, lat, lat + size, lat + size]);
        var frame = MapProjection.Frame([Square(-80, -5, 6), Square(-91, -1, 0.5)]);
        Assert.Equal((-80.0, -5.0, -74.0, 1.0), frame);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(17, 20)]
    [InlineData(42_000, 50_000)]
    [InlineData(210_000, 200_000)]
    [InlineData(240_000, 250_000)]
    [InlineData(700_000, 500_000)]
    [InlineData(2_860_000, 2_500_000)]
    public void Nice_RoundsToOneTwoTwoAndAHalfOrFive(long value, long nice) => Assert.Equal(nice, MapClasses.Nice(value));

    [Fact]
    public void Classes_AreIncreasingNiceBreaks_EachHoldingAValue()
    {
        long[] values = [17_000, 21_000, 45_000, 90_000, 114_000, 160_000, 210_000, 440_000, 530_000, 570_000, 1_540_000, 2_860_000];
        var classes = MapClasses.For(values);
        Assert.InRange(classes.Count, 3, 5);
        Assert.Equal(classes.Breaks.Order(), classes.Breaks);
        Assert.Equal(classes.Breaks.Count, classes.Breaks.Distinct().Count());
        Assert.All(classes.Breaks, b => Assert.Equal(MapClasses.Nice(b), b));
        Assert.All(Enumerable.Range(0, classes.Count), k => Assert.Contains(values, v => classes.Of(v) == k));
        Assert.Equal(0, classes.Of(values[0]));
        Assert.Equal(classes.Count - 1, classes.Of(values[^1]));
    }

    [Fact]
    public void Classes_OfOneValueOrNone_AreOneClass()
    {
        Assert.Equal(1, MapClasses.For([]).Count);
        Assert.Equal(1, MapClasses.For([5, 5, 5]).Count);
        Assert.Equal(0, MapClasses.For([5]).Of(5));
    }

    [Fact]
    public void Legend_ReadsAsRangesInTheReadersNumbers()
    {
        var classes = MapClasses.For([10, 100, 1_000, 10_000, 100_000, 1_000_000]);
        var formats = new LegendFormats("less than {0}", "{0} to under {1}", "{0} or more");
        var es = CultureInfo.GetCultureInfo("es-ES");
        Assert.StartsWith("less than ", classes.Label(0, formats, es), StringComparison.Ordinal);
        Assert.EndsWith(" or more", classes.Label(classes.Count - 1, formats, es), StringComparison.Ordinal);
        Assert.Equal($"{classes.Breaks[0].ToString("N0", es)} to under {classes.Breaks[1].ToString("N0", es)}", classes.Label(1, formats, es));
    }

    [Fact]
    public void Path_WritesRelativeWholeSteps_AndDropsRingsThatCollapse()
    {
        var p = new MapProjection(0, 0, 10, 10, 100);
        var sb = new StringBuilder();
        var (points, box) = MapSvg.Path(sb, p, [new Ring([1, 5, 5, 1, 1], [1, 1, 5, 5, 1]), new Ring([7, 7.001, 7], [7, 7, 7.001])]);
        Assert.Equal(4, points);
        var (x, y) = p.Project(1, 1);
        var top = p.Project(1, 5).Y;
        var h = (long)Math.Round(y) - (long)Math.Round(top);
        Assert.Equal($"M{Math.Round(x)} {Math.Round(y)}l40 0 0-{h}-40 0z", sb.ToString());
        Assert.Equal((40.0, (double)h), box);
    }

    [Fact]
    public void ShippedOutlines_CoverTheRegion_AndEveryAdmin1AreaOnRecord_SaveTheOnesNamedAsMissing()
    {
        var g = MapGeometry.Shipped;
        string[] plan = ["ARG", "ABW", "BOL", "BRA", "CHL", "COL", "CRI", "CUW", "DOM", "ECU", "GUY", "MEX", "PAN", "PRY", "PER", "TTO", "URY"];
        Assert.All(plan, c => Assert.True(g.Region.ContainsKey(c) || g.Centres.ContainsKey(c), c));
        Assert.All(plan, c => Assert.True(g.Centres.ContainsKey(c), c));
        Assert.Contains("VEN", g.Region.Keys);
        var areas = EmbeddedCsv.Read("admin1.csv").ToList();
        var withoutOutline = areas.Where(a => !(g.Admin1.TryGetValue(a["iso3"], out var c) && c.ContainsKey(a["pcode"]))).Select(a => a["pcode"]).ToList();
        // Aruba and Curaçao have no Natural Earth admin-1 (ranked bars instead); Panamá Oeste is inside NE's Panamá.
        Assert.Equal(["AW01", "AW02", "AW03", "AW04", "AW05", "AW06", "AW07", "AW08", "CW01", "CW02", "CW03", "PA13"], withoutOutline.Order(StringComparer.Ordinal));
        Assert.All(g.Admin1, c => Assert.All(c.Value.Keys, pcode => Assert.Contains(areas, a => a["pcode"] == pcode && a["iso3"] == c.Key)));
    }

    [Fact]
    public void RegionMap_LabelsEachPlanCountry_GreysTheOthers_AndMarksTheSmallIslands()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal) { ["COL"] = "Colombia", ["CUW"] = "Curaçao", ["PER"] = "Peru" };
        var latest = new List<FigurePoint> { new("COL", "Colombia", 2_860_000, "2024-07", "R4V"), new("PER", "Peru", 1_540_000, "2024-07", "R4V") };
        var texts = new MapTexts("T", "D", new LegendFormats("< {0}", "{0}–{1}", "≥ {0}"), "L", "Other", "No figure");
        var html = MapViews.Region("m", texts, names, latest, (n, f) => f is null ? $"{n}: none" : $"{n}: {f.RefugeesAndMigrants}", CultureInfo.InvariantCulture).ToString()!;
        html = System.Net.WebUtility.HtmlDecode(html);
        Assert.Contains("<title id=\"m-t\">T</title><desc id=\"m-d\">D</desc>", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Colombia: 2860000\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Curaçao: none\"", html, StringComparison.Ordinal);
        Assert.Matches("data-key=\"CUW\" fill=\"#ffffff\"><title>Curaçao: none</title>(<path[^>]*/>)?<circle ", html);
        Assert.Equal(3, Regex.Count(html, "class=\"map-area\""));
        Assert.Contains($"<g aria-hidden=\"true\" fill=\"{MapPalette.Other}\"", html, StringComparison.Ordinal);
        Assert.Contains(">No figure</li>", html, StringComparison.Ordinal);
    }
}
