using System.Globalization;

namespace Closer.Web.Features.Dashboards.Maps;

/// <summary>
/// Classes of a choropleth: up to five, their lower bounds rounded to "nice" numbers (1, 2, 2.5, 5 × 10ⁿ) placed at the
/// quantiles of the values, so each class holds about as many areas and a legend reads "50,000 – 200,000".
/// Class 0 is [0, first break), the last is [last break, ∞).
/// </summary>
public sealed class MapClasses
{
    public IReadOnlyList<long> Breaks { get; }

    private MapClasses(IReadOnlyList<long> breaks) => Breaks = breaks;

    public int Count => Breaks.Count + 1;

    public static MapClasses For(IEnumerable<long> values, int maxClasses = 5)
    {
        var sorted = values.Where(v => v > 0).Order().ToList();
        var breaks = new List<long>();
        if (sorted.Count > 1 && maxClasses > 1)
        {
            for (var i = 1; i < maxClasses; i++)
            {
                var q = sorted[(int)Math.Round((double)i * (sorted.Count - 1) / maxClasses, MidpointRounding.AwayFromZero)];
                var b = Nice(q);
                // A break at or below the smallest value, or not above the previous, would leave a class empty.
                if (b > sorted[0] && (breaks.Count == 0 || b > breaks[^1]) && b <= sorted[^1])
                {
                    breaks.Add(b);
                }
            }
        }
        return new MapClasses(breaks);
    }

    /// <summary>The nice number nearest <paramref name="v"/> among 1, 2, 2.5, 5 × 10ⁿ (on a log scale).</summary>
    public static long Nice(long v)
    {
        if (v <= 1)
        {
            return 1;
        }
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(v)));
        var best = magnitude;
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (Math.Abs(Math.Log(step * magnitude / v)) < Math.Abs(Math.Log(best / v)))
            {
                best = step * magnitude;
            }
        }
        return (long)best;
    }

    /// <summary>The class of a value (0 for values below the first break).</summary>
    public int Of(long value)
    {
        var i = 0;
        while (i < Breaks.Count && value >= Breaks[i])
        {
            i++;
        }
        return i;
    }

    /// <summary>The legend text of a class: "less than 50,000", "50,000 – 200,000", "1,000,000 or more" (formats from the page).</summary>
    public string Label(int k, LegendFormats formats, CultureInfo culture)
    {
        string N(long n) => n.ToString("N0", culture);
        if (Breaks.Count == 0)
        {
            return string.Format(culture, formats.OrMore, N(1));
        }
        return k == 0 ? string.Format(culture, formats.LessThan, N(Breaks[0]))
            : k >= Breaks.Count ? string.Format(culture, formats.OrMore, N(Breaks[^1]))
            : string.Format(culture, formats.Range, N(Breaks[k - 1]), N(Breaks[k]));
    }
}

/// <summary>Legend texts in the reader's language: "less than {0}", "{0} – {1}" (from {0} up to, not including, {1}), "{0} or more".</summary>
public sealed record LegendFormats(string LessThan, string Range, string OrMore);

/// <summary>
/// The maps' colours: ColorBrewer's 5-class YlGnBu (sequential, colour-blind safe), a grey for the region's other countries
/// and white for a plan country without a figure, outlined in the site's muted ink. <c>MapPaletteTests</c> checks contrast
/// and separation under simulated deuteranopia and protanopia; change the colours only with the test green.
/// </summary>
public static class MapPalette
{
    public static readonly IReadOnlyList<string> Classes = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"];
    public const string Other = "#d9d9d9";
    public const string NoData = "#ffffff";
    public const string Stroke = "#4a5360";
    public const string Background = "#ffffff";

    /// <summary>The colour of class <paramref name="k"/> of <paramref name="count"/>: spread over the five so two classes stay far apart.</summary>
    public static string Of(int k, int count) => count <= 1 ? Classes[2] : Classes[(int)Math.Round(k * (Classes.Count - 1.0) / (count - 1))];
}
