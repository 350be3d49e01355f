using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace Closer.Web.Features.Dashboards.Maps;

/// <summary>One area of a choropleth: its key, the text that names it with its value (read out and shown on hover/focus), its rings and colour.</summary>
public sealed record MapArea(string Key, string Label, IReadOnlyList<Ring> Rings, string Fill, (double Lon, double Lat)? Centre = null);

/// <summary>One entry of a map's legend.</summary>
public sealed record LegendEntry(string Fill, string Label);

/// <summary>
/// Choropleths drawn on the server as inline SVG (no script needed to read them): a title and description, one focusable
/// group per area named by its label (<c>aria-label</c> and a <c>&lt;title&gt;</c>, which browsers show on hover), the
/// region's other countries in grey and hidden from assistive technology, an HTML legend. An area too small to see at
/// this scale (Aruba, Curaçao) gets a circle at its centre. The page follows each map with its table.
/// </summary>
public static class MapSvg
{
    /// <summary>Drawing units across: 720 units for a 360 px screen keeps whole-number coordinates at half-pixel precision.</summary>
    public const double Width = 720;

    private const double MarkerRadius = 7;
    private const double SmallArea = 8;

    private static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>
    /// The map. <paramref name="link"/>: each area's address when choosing an area means something on the page (the data
    /// dashboard's admin1 state): the area is then a link (works without script); <paramref name="selected"/>: the chosen
    /// area's key, drawn with a heavy outline and marked <c>aria-current</c>.
    /// </summary>
    public static IHtmlContent Render(string id, string title, string description, MapProjection projection, IReadOnlyList<MapArea> areas,
        IReadOnlyList<IReadOnlyList<Ring>> others, IReadOnlyList<LegendEntry> legend, string? legendTitle = null, Func<string, string>? link = null,
        string? selected = null)
    {
        var sb = new StringBuilder(16 * 1024);
        sb.Append(CultureInfo.InvariantCulture, $"<figure class=\"map\" data-map><svg class=\"map-svg\" role=\"group\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {projection.Width} {projection.Height}\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-t\">{E(title)}</title><desc id=\"{id}-d\">{E(description)}</desc>");
        if (others.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<g aria-hidden=\"true\" fill=\"{MapPalette.Other}\" stroke=\"{MapPalette.Background}\" stroke-width=\"1\"><path fill-rule=\"evenodd\" d=\"");
            foreach (var rings in others)
            {
                Path(sb, projection, rings);
            }
            sb.Append("\"/></g>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<g stroke=\"{MapPalette.Stroke}\" stroke-width=\"1.2\" stroke-linejoin=\"round\">");
        foreach (var a in areas)
        {
            var chosen = a.Key == selected;
            var classes = chosen ? "map-area map-selected" : "map-area";
            var current = chosen ? " aria-current=\"true\"" : "";
            if (link is null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<g class=\"{classes}\" tabindex=\"0\" role=\"img\" aria-label=\"{E(a.Label)}\" data-key=\"{E(a.Key)}\" fill=\"{a.Fill}\"{current}><title>{E(a.Label)}</title>");
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"<a class=\"{classes}\" href=\"{E(link(a.Key))}\" aria-label=\"{E(a.Label)}\" data-key=\"{E(a.Key)}\" fill=\"{a.Fill}\"{current}><title>{E(a.Label)}</title>");
            }
            var start = sb.Length;
            sb.Append("<path fill-rule=\"evenodd\" d=\"");
            var drawn = Path(sb, projection, a.Rings);
            if (drawn.Points == 0)
            {
                sb.Length = start;
            }
            else
            {
                sb.Append("\"/>");
            }
            if ((drawn.Points == 0 || (drawn.Box.Width < SmallArea && drawn.Box.Height < SmallArea)) && a.Centre is { } c)
            {
                var (x, y) = projection.Project(c.Lon, c.Lat);
                sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Math.Round(x)}\" cy=\"{Math.Round(y)}\" r=\"{MarkerRadius}\"/>");
            }
            sb.Append(link is null ? "</g>" : "</a>");
        }
        sb.Append("</g></svg>");
        sb.Append("<figcaption class=\"map-legend\">");
        if (legendTitle is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<span class=\"map-legend-title\">{E(legendTitle)}</span>");
        }
        sb.Append("<ul>");
        foreach (var l in legend)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<li><svg width=\"18\" height=\"14\" aria-hidden=\"true\"><rect x=\".5\" y=\".5\" width=\"17\" height=\"13\" fill=\"{l.Fill}\" stroke=\"{MapPalette.Stroke}\"/></svg>{E(l.Label)}</li>");
        }
        sb.Append("</ul></figcaption></figure>");
        return new HtmlString(sb.ToString());
    }

    /// <summary>
    /// Appends the rings as one path's data in relative whole-number steps (the shortest text: "M12 40l3-2 5 1z"), leaving out
    /// steps that round to nothing and rings that collapse; returns how many points it wrote and their bounding box.
    /// </summary>
    internal static (int Points, (double Width, double Height) Box) Path(StringBuilder sb, MapProjection projection, IReadOnlyList<Ring> rings)
    {
        var points = 0;
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        var xs = new List<long>();
        var ys = new List<long>();
        foreach (var ring in rings)
        {
            xs.Clear();
            ys.Clear();
            for (var i = 0; i < ring.Lon.Length; i++)
            {
                var (x, y) = projection.Project(ring.Lon[i], ring.Lat[i]);
                var ix = (long)Math.Round(x);
                var iy = (long)Math.Round(y);
                if (xs.Count > 0 && xs[^1] == ix && ys[^1] == iy)
                {
                    continue;
                }
                xs.Add(ix);
                ys.Add(iy);
            }
            if (xs.Count > 1 && xs[0] == xs[^1] && ys[0] == ys[^1])
            {
                xs.RemoveAt(xs.Count - 1);
                ys.RemoveAt(ys.Count - 1);
            }
            if (xs.Count < 3)
            {
                continue;
            }
            sb.Append('M').Append(xs[0].ToString(CultureInfo.InvariantCulture)).Append(ys[0] < 0 ? "" : " ").Append(ys[0].ToString(CultureInfo.InvariantCulture)).Append('l');
            for (var i = 1; i < xs.Count; i++)
            {
                var dx = xs[i] - xs[i - 1];
                var dy = ys[i] - ys[i - 1];
                if (i > 1 && dx >= 0)
                {
                    sb.Append(' ');
                }
                sb.Append(dx.ToString(CultureInfo.InvariantCulture));
                if (dy >= 0)
                {
                    sb.Append(' ');
                }
                sb.Append(dy.ToString(CultureInfo.InvariantCulture));
            }
            sb.Append('z');
            points += xs.Count;
            minX = Math.Min(minX, xs.Min());
            maxX = Math.Max(maxX, xs.Max());
            minY = Math.Min(minY, ys.Min());
            maxY = Math.Max(maxY, ys.Max());
        }
        return (points, points == 0 ? (0, 0) : (maxX - minX, maxY - minY));
    }
}
