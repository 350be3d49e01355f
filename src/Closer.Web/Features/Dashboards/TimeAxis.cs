using System.Globalization;

namespace Closer.Web.Features.Dashboards;

/// <summary>One labelled tick of a time axis: its month (months since year 0) and text.</summary>
public sealed record Tick(int Month, string Label);

/// <summary>
/// A real time axis of months for the line charts: points sit at their dates, ticks are thinned until their labels,
/// measured at the chart's font size, fit without touching, and labels use the reader's month names (the app's
/// cultures, Papiamentu's from <c>PapiamentuCulture</c>).
/// </summary>
public static class TimeAxis
{
    /// <summary>Tick spacings tried, in months, smallest first.</summary>
    private static readonly int[] Steps = [1, 2, 3, 6, 12, 24, 60, 120];

    /// <summary>Months since year 0 of a "YYYY-MM" text (the first month when the text has no month).</summary>
    public static int Index(string month) =>
        (int.Parse(month.AsSpan(0, 4), CultureInfo.InvariantCulture) * 12) + (month.Length >= 7 ? int.Parse(month.AsSpan(5, 2), CultureInfo.InvariantCulture) - 1 : 0);

    /// <summary>"nov 2021" (abbreviated month name of the culture, without a trailing period) or the year alone.</summary>
    public static string Label(int month, bool withMonth, CultureInfo culture)
    {
        var year = (month / 12).ToString(CultureInfo.InvariantCulture);
        if (!withMonth)
        {
            return year;
        }
        var name = culture.DateTimeFormat.AbbreviatedMonthNames[month % 12].TrimEnd('.');
        return $"{name} {year}";
    }

    /// <summary>
    /// The width of a text in user units at <paramref name="fontSize"/>: an upper estimate of a sans-serif font's advance
    /// widths (wide letters, digits and narrow ones apart), so labels measured apart never overlap when drawn.
    /// </summary>
    public static double TextWidth(string text, double fontSize)
    {
        var em = 0.0;
        foreach (var c in text)
        {
            em += c switch
            {
                'm' or 'w' or 'M' or 'W' => 0.9,
                'i' or 'l' or 'j' or 'í' or 'ì' or '.' or ',' or ' ' or '\'' or 't' or 'f' or 'r' => 0.36,
                >= 'A' and <= 'Z' => 0.72,
                _ => 0.6,
            };
        }
        return em * fontSize;
    }

    /// <summary>
    /// The ticks between <paramref name="first"/> and <paramref name="last"/> (month indexes) on an axis <paramref name="width"/>
    /// units long: the smallest step whose labels fit with <paramref name="gap"/> units between them, on round months (January
    /// for yearly steps). Labels carry the month while the step is under a year.
    /// </summary>
    public static IReadOnlyList<Tick> Ticks(int first, int last, double width, double fontSize, CultureInfo culture, double gap = 8)
    {
        var span = Math.Max(1, last - first);
        var perMonth = width / span;
        foreach (var step in Steps)
        {
            var withMonth = step < 12;
            var ticks = new List<Tick>();
            for (var m = first; m <= last; m++)
            {
                if (m % step == 0 && (withMonth || m % 12 == 0))
                {
                    ticks.Add(new Tick(m, Label(m, withMonth, culture)));
                }
            }
            if (ticks.Count == 0)
            {
                // A span shorter than the step: label its first month alone.
                ticks.Add(new Tick(first, Label(first, true, culture)));
            }
            if (Fits(ticks, first, perMonth, width, fontSize, gap))
            {
                return ticks;
            }
        }
        return [new Tick(first, Label(first, span < 12, culture))];
    }

    /// <summary>Whether centred labels leave <paramref name="gap"/> between neighbours and stay inside the axis (end labels shift inward when drawn).</summary>
    internal static bool Fits(IReadOnlyList<Tick> ticks, int first, double perMonth, double width, double fontSize, double gap)
    {
        double previousEnd = double.NegativeInfinity;
        foreach (var t in ticks)
        {
            var w = TextWidth(t.Label, fontSize);
            var x = Math.Clamp(((t.Month - first) * perMonth) - (w / 2), 0, Math.Max(0, width - w));
            if (x < previousEnd + gap || w > width)
            {
                return false;
            }
            previousEnd = x + w;
        }
        return true;
    }

    /// <summary>
    /// The runs of a series to draw as lines: consecutive points at most <paramref name="maxStep"/> months apart are joined;
    /// a longer step is a gap in the data and breaks the line (a lone point is drawn as a dot).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<(int Month, long Value)>> Runs(IEnumerable<(int Month, long Value)> points, int maxStep = 1)
    {
        var runs = new List<IReadOnlyList<(int, long)>>();
        List<(int Month, long Value)>? run = null;
        foreach (var p in points.OrderBy(p => p.Month))
        {
            if (run is null || p.Month - run[^1].Month > maxStep)
            {
                run = [];
                runs.Add(run);
            }
            run.Add(p);
        }
        return runs;
    }
}
