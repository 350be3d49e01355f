using Closer.Web.Features.Dashboards.Maps;

namespace Closer.Tests.Features.Dashboards.Maps;

/// <summary>
/// The maps' colours pass WCAG's non-text contrast and stay apart for readers with red-green colour blindness:
/// each class is simulated under deuteranopia and protanopia (Machado, Oliveira and Fernandes 2009, severity 1.0, applied
/// to linear RGB) and compared in CIELAB.
/// </summary>
public sealed class MapPaletteTests
{
    private static readonly Dictionary<string, double[,]> Vision = new(StringComparer.Ordinal)
    {
        ["normal"] = new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } },
        ["deuteranopia"] = new[,] { { 0.367322, 0.860646, -0.227968 }, { 0.280085, 0.672501, 0.047413 }, { -0.011820, 0.042940, 0.968881 } },
        ["protanopia"] = new[,] { { 0.152286, 1.052583, -0.204868 }, { 0.114503, 0.786281, 0.099216 }, { -0.003882, -0.048116, 1.051998 } },
    };

    private static double[] Linear(string hex) => [.. Enumerable.Range(0, 3).Select(i =>
    {
        var c = Convert.ToInt32(hex.Substring(1 + (2 * i), 2), 16) / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    })];

    private static double Luminance(string hex)
    {
        var l = Linear(hex);
        return (0.2126 * l[0]) + (0.7152 * l[1]) + (0.0722 * l[2]);
    }

    /// <summary>WCAG 2 contrast ratio.</summary>
    private static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    /// <summary>CIELAB (D65) of a colour as seen with the given vision.</summary>
    private static (double L, double A, double B) Lab(string hex, string vision)
    {
        var m = Vision[vision];
        var c = Linear(hex);
        var s = Enumerable.Range(0, 3).Select(i => Math.Clamp((m[i, 0] * c[0]) + (m[i, 1] * c[1]) + (m[i, 2] * c[2]), 0, 1)).ToArray();
        var x = ((0.4124 * s[0]) + (0.3576 * s[1]) + (0.1805 * s[2])) / 0.95047;
        var y = (0.2126 * s[0]) + (0.7152 * s[1]) + (0.0722 * s[2]);
        var z = ((0.0193 * s[0]) + (0.1192 * s[1]) + (0.9505 * s[2])) / 1.08883;
        static double F(double t) => t > 0.008856 ? Math.Cbrt(t) : (7.787 * t) + (16.0 / 116);
        return ((116 * F(y)) - 16, 500 * (F(x) - F(y)), 200 * (F(y) - F(z)));
    }

    private static double DeltaE(string a, string b, string vision)
    {
        var (p, q) = (Lab(a, vision), Lab(b, vision));
        return Math.Sqrt(Math.Pow(p.L - q.L, 2) + Math.Pow(p.A - q.A, 2) + Math.Pow(p.B - q.B, 2));
    }

    public static TheoryData<string> Visions => ["normal", "deuteranopia", "protanopia"];

    [Theory]
    [MemberData(nameof(Visions))]
    public void NeighbouringClasses_AreClearlyApart_AndDarkenInOrder(string vision)
    {
        var classes = MapPalette.Classes;
        for (var k = 1; k < classes.Count; k++)
        {
            // ΔE*ab ≥ 15: well past "just noticeable" (~2.3), so classes read apart on a phone in daylight.
            Assert.True(DeltaE(classes[k - 1], classes[k], vision) >= 15, $"{vision}: classes {k - 1} and {k} are {DeltaE(classes[k - 1], classes[k], vision):F1} apart");
            // Lightness alone orders the classes, whatever the reader's colour vision: darker means more.
            Assert.True(Lab(classes[k], vision).L < Lab(classes[k - 1], vision).L - 8, $"{vision}: class {k} is not darker than class {k - 1}");
        }
    }

    [Theory]
    [MemberData(nameof(Visions))]
    public void GreyAndNoFigure_DifferFromEveryClass(string vision)
    {
        foreach (var c in MapPalette.Classes)
        {
            Assert.True(DeltaE(MapPalette.Other, c, vision) >= 10, $"{vision}: grey vs {c}");
            Assert.True(DeltaE(MapPalette.NoData, c, vision) >= 10 || c == MapPalette.NoData, $"{vision}: no figure vs {c}");
        }
        Assert.True(DeltaE(MapPalette.Other, MapPalette.NoData, vision) >= 10);
    }

    [Fact]
    public void EveryArea_StandsOutFromThePageAtThreeToOne()
    {
        // WCAG 1.4.11: an area is told from the page by its fill or, for light fills, by its outline.
        foreach (var c in MapPalette.Classes.Append(MapPalette.NoData))
        {
            Assert.True(Math.Max(Contrast(c, MapPalette.Background), Contrast(MapPalette.Stroke, c)) >= 3, c);
        }
        Assert.True(Contrast(MapPalette.Stroke, MapPalette.Background) >= 3);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void FewerClasses_UseColoursSpreadOverThePalette(int count)
    {
        var used = Enumerable.Range(0, count).Select(k => MapPalette.Of(k, count)).ToList();
        Assert.Equal(count, used.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(MapPalette.Classes[0], used[0]);
        Assert.Equal(MapPalette.Classes[^1], used[^1]);
    }
}
