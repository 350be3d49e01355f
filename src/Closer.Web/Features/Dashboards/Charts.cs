using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace Closer.Web.Features.Dashboards;

/// <summary>One bar: a label, its value and (optionally) a target drawn as an outline behind it; a hidden value (disclosure control) draws no bar and reads "–".</summary>
public sealed record Bar(string Label, long Value, long? Target = null, bool Hidden = false);

/// <summary>One line of a line chart: a label and its points (x as YYYY-MM).</summary>
public sealed record Line(string Label, string ShortLabel, IReadOnlyList<(string Month, long Value)> Points);

/// <summary>
/// Server-rendered inline SVG charts: a role="img" with a title and description, text labels on every bar (readable
/// on a 360 px screen: the drawing is 360 units wide and scales up to its container), no meaning carried by colour alone.
/// The same numbers always follow as an HTML table.
/// </summary>
public static class Charts
{
    private const int Width = 360;
    private const int RowHeight = 46;

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string N(long n, CultureInfo culture) => n.ToString("N0", culture);

    /// <summary>A whole number in the page's language (the dashboards' tables).</summary>
    public static string Number(long n) => N(n, CultureInfo.CurrentCulture);

    /// <summary>Reached as a share of target in the page's language, or a dash without a target.</summary>
    public static string Percent(long reached, long target) => target > 0 ? ((double)reached / target).ToString("P0", CultureInfo.CurrentCulture) : "–";

    private static string D(double d) => d.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>"Download this data: CSV (HXL) · XLSX · JSON" under a chart: the API path with <c>format</c> and <c>lang</c> added.</summary>
    public static IHtmlContent Downloads(string lead, string path, string label, string lang)
    {
        var sep = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var sb = new StringBuilder("<p class=\"dash-downloads\">").Append(E(lead));
        var first = true;
        foreach (var (format, name) in new[] { ("csv", "CSV (HXL)"), ("xlsx", "XLSX"), ("json", "JSON") })
        {
            sb.Append(first ? " " : " · ");
            first = false;
            sb.Append(CultureInfo.InvariantCulture, $"<a href=\"{E(path)}{sep}format={format}&amp;lang={E(lang)}\" aria-label=\"{E(name)} – {E(label)}\">{name}</a>");
        }
        return new HtmlString(sb.Append("</p>").ToString());
    }

    /// <summary>Horizontal bars, one per item in the given order; with targets, the text reads "value / target".</summary>
    public static IHtmlContent HorizontalBars(string id, string title, string description, IReadOnlyList<Bar> bars, CultureInfo culture)
    {
        var height = Math.Max(RowHeight, bars.Count * RowHeight) + 8;
        var max = Math.Max(1, bars.Select(b => Math.Max(b.Value, b.Target ?? 0)).DefaultIfEmpty(1).Max());
        const double barSpace = 200;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"dash-chart\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {Width} {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" xmlns=\"http://www.w3.org/2000/svg\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-t\">{E(title)}</title><desc id=\"{id}-d\">{E(description)}</desc>");
        var y = 4;
        foreach (var b in bars)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"dash-label\" x=\"4\" y=\"{y + 14}\">{E(b.Label)}</text>");
            var w = b.Hidden ? 0 : b.Value * barSpace / max;
            if (b.Target is { } t && t > 0)
            {
                var tw = t * barSpace / max;
                sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"dash-target\" x=\"4\" y=\"{y + 20}\" width=\"{D(tw)}\" height=\"16\"/>");
            }
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"dash-bar\" x=\"4\" y=\"{y + 23}\" width=\"{D(Math.Max(w, b.Value > 0 && !b.Hidden ? 1 : 0))}\" height=\"10\"/>");
            var end = 4 + Math.Max(w, b.Target is { } t2 ? t2 * barSpace / max : 0) + 6;
            var value = b.Hidden ? "–" : N(b.Value, culture);
            var text = b.Target is { } target ? $"{value} / {(target > 0 ? N(target, culture) : "–")}" : value;
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"dash-value\" x=\"{D(end)}\" y=\"{y + 33}\">{E(text)}</text>");
            y += RowHeight;
        }
        sb.Append("</svg>");
        return new HtmlString(sb.ToString());
    }

    /// <summary>
    /// A line per series on a real time axis: points sit at their months, points more than a month apart are not joined (a
    /// gap in the data stays a gap; a lone point is a dot), tick labels in the reader's month names are thinned until they
    /// fit (<see cref="TimeAxis"/>), and each line ends with its label and has its own dash pattern.
    /// </summary>
    public static IHtmlContent Lines(string id, string title, string description, IReadOnlyList<Line> lines, CultureInfo culture)
    {
        const int height = 280, left = 70, right = 306, top = 12, bottom = 240;
        const double axisFont = 11;
        var months = lines.SelectMany(l => l.Points.Select(p => TimeAxis.Index(p.Month))).Distinct().Order().ToList();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"dash-chart\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {Width} {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" xmlns=\"http://www.w3.org/2000/svg\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-t\">{E(title)}</title><desc id=\"{id}-d\">{E(description)}</desc>");
        if (months.Count == 0)
        {
            sb.Append("</svg>");
            return new HtmlString(sb.ToString());
        }
        // One month either side, so a point never sits on the axis' end and a single month still has an axis.
        var x0 = months[0] - 1;
        var x1 = months[^1] + 1;
        var max = NiceMax(lines.SelectMany(l => l.Points.Select(p => p.Value)).DefaultIfEmpty(1).Max());
        double X(int m) => left + ((m - x0) * (double)(right - left) / (x1 - x0));
        double Y(long v) => bottom - (v * (double)(bottom - top) / max);
        for (var k = 0; k <= 4; k++)
        {
            var v = max * k / 4;
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"dash-grid\" x1=\"{left}\" x2=\"{right}\" y1=\"{D(Y(v))}\" y2=\"{D(Y(v))}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"dash-axis\" x=\"{left - 4}\" y=\"{D(Y(v) + 4)}\" text-anchor=\"end\">{E(N(v, culture))}</text>");
        }
        foreach (var tick in TimeAxis.Ticks(x0, x1, right - left, axisFont, culture))
        {
            var w = TimeAxis.TextWidth(tick.Label, axisFont);
            var tx = Math.Clamp(X(tick.Month), left + (w / 2), right - (w / 2));
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"dash-grid\" x1=\"{D(X(tick.Month))}\" x2=\"{D(X(tick.Month))}\" y1=\"{bottom}\" y2=\"{bottom + 4}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"dash-axis\" x=\"{D(tx)}\" y=\"{bottom + 16}\" text-anchor=\"middle\">{E(tick.Label)}</text>");
        }
        var i = 0;
        var usedLabelY = new List<double>();
        foreach (var line in lines)
        {
            var pts = line.Points.Select(p => (Month: TimeAxis.Index(p.Month), p.Value)).OrderBy(p => p.Month).ToList();
            if (pts.Count == 0)
            {
                continue;
            }
            foreach (var run in TimeAxis.Runs(pts))
            {
                if (run.Count > 1)
                {
                    var path = string.Join(' ', run.Select(p => $"{D(X(p.Month))},{D(Y(p.Value))}"));
                    sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"dash-line dash-line-{i % 6}\" points=\"{path}\"><title>{E(line.Label)}</title></polyline>");
                }
            }
            foreach (var p in pts)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<circle class=\"dash-point dash-line-{i % 6}\" cx=\"{D(X(p.Month))}\" cy=\"{D(Y(p.Value))}\" r=\"3\"><title>{E($"{line.Label}, {TimeAxis.Label(p.Month, true, culture)}: {N(p.Value, culture)}")}</title></circle>");
            }
            var ly = Y(pts[^1].Value) + 4;
            while (usedLabelY.Any(u => Math.Abs(u - ly) < 11))
            {
                ly += 11;
            }
            usedLabelY.Add(ly);
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"dash-value\" x=\"{right + 4}\" y=\"{D(ly)}\">{E(line.ShortLabel)}</text>");
            i++;
        }
        sb.Append("</svg>");
        return new HtmlString(sb.ToString());
    }

    private static long NiceMax(long v)
    {
        if (v <= 0)
        {
            return 1;
        }
        var magnitude = (long)Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (var step in new[] { 1, 2, 4, 5, 10 })
        {
            if (step * magnitude >= v)
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
