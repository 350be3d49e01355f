using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;
using SkiaSharp;
using Svg.Skia;
using Svg.Skia.TypefaceProviders;

namespace Closer.Web.Features.Dashboards.Views;

/// <summary>
/// What a chart file says around its drawing, since a file leaves the page that explained it: the title on top; below, what
/// the bar labels are (when they need saying), the source (Closer and the figures' source; the outlines' credit on a map)
/// and the date and page it was taken from — each a line, in the reader's language.
/// </summary>
public sealed record ChartFrame(string Title, IReadOnlyList<string> Footer);

/// <summary>
/// A page chart as a file: the inline SVG made standalone (fixed size, white background, the page's chart styles inlined),
/// and that same SVG rendered to PNG by Svg.Skia. The NoDependencies Skia build has no system fonts, so the app's Liberation
/// Sans (SIL OFL, shipped in Assets/Fonts) is given to it for every family.
/// </summary>
public static partial class ChartImages
{
    /// <summary>The page's chart colours (site.css) for a file that has no stylesheet.</summary>
    private const string Style = "<style>text{font-family:'Liberation Sans',Arial,sans-serif;font-size:13px;fill:#1b1f24}.dash-axis{font-size:11px;fill:#4a5360}"
        + ".dash-bar{fill:#0b5d7a}.dash-target{fill:#f3f5f7;stroke:#1b1f24;stroke-width:1}.dash-grid{stroke:#c9d0d8;stroke-width:1}.dash-line{fill:none;stroke-width:2}"
        + ".dash-line-0{stroke:#0b5d7a;fill:#0b5d7a}.dash-line-1{stroke:#b8451b;fill:#b8451b;stroke-dasharray:6 3}.dash-line-2{stroke:#1d6b35;fill:#1d6b35;stroke-dasharray:2 2}"
        + ".dash-line-3{stroke:#6a3d9a;fill:#6a3d9a;stroke-dasharray:8 3 2 3}.dash-line-4{stroke:#1b1f24;fill:#1b1f24;stroke-dasharray:1 3}"
        + ".dash-line-5{stroke:#8a6d00;fill:#8a6d00;stroke-dasharray:10 4}polyline.dash-line{fill:none}"
        + ".funding-req{fill:#fff;stroke:#1f2937;stroke-width:1}.funding-rec{fill:#1d4ed8}.funding-label,.funding-legend{font-size:13px;fill:#111827}</style>";

    private static readonly byte[] Font = LoadFont();
    private static readonly Lazy<SKTypeface> Typeface = new(() => SKTypeface.FromStream(new MemoryStream(Font)) ?? throw new InvalidOperationException("The chart font could not be loaded."));

    private static byte[] LoadFont()
    {
        using var stream = typeof(ChartImages).Assembly.GetManifestResourceStream("Closer.Fonts.LiberationSans-Regular.ttf")
            ?? throw new InvalidOperationException("The chart font is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [GeneratedRegex("viewBox=\"0 0 (\\d+) (\\d+)\" width=\"100%\"")]
    private static partial Regex Size();

    /// <summary>
    /// The chart's SVG as a file: an XML declaration, its size in pixels, the styles and a white background, the drawing moved
    /// down under the frame's title, and the frame's footer lines under it (wrapped to the width, measured in the shipped font,
    /// so the PNG draws exactly what the SVG says).
    /// </summary>
    public static string Standalone(IHtmlContent chart, ChartFrame frame)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        chart.WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        var raw = writer.ToString();
        // A drawing wrapped in markup of its page (the funding charts' <figure>): the file is the SVG element alone.
        var svgStart = raw.IndexOf("<svg", StringComparison.Ordinal);
        var svgEnd = raw.LastIndexOf("</svg>", StringComparison.Ordinal);
        raw = raw[svgStart..(svgEnd + "</svg>".Length)];
        var size = Size().Match(raw);
        var (width, height) = (int.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(size.Groups[2].Value, CultureInfo.InvariantCulture));
        // Text sizes follow the drawing's width (a chart is 360 wide, a map several times that), so both print alike.
        var scale = Math.Max(1, width / 360.0);
        double titleSize = 14 * scale, footSize = 10.5 * scale, pad = 8 * scale;
        var titleLines = Lines(frame.Title, titleSize, width - (2 * pad));
        var footLines = frame.Footer.SelectMany(l => Lines(l, footSize, width - (2 * pad))).ToList();
        var top = (int)Math.Ceiling(pad + (titleLines.Count * titleSize * 1.3) + pad);
        var bottom = (int)Math.Ceiling(pad + (footLines.Count * footSize * 1.35) + pad);
        var total = top + height + bottom;
        var svg = Size().Replace(raw, $"viewBox=\"0 0 {width} {total}\" width=\"{width}\" height=\"{total}\"", 1);
        var open = svg.IndexOf('>', StringComparison.Ordinal) + 1;
        var close = svg.LastIndexOf("</svg>", StringComparison.Ordinal);
        var head = new StringBuilder();
        var y = pad;
        foreach (var line in titleLines)
        {
            y += titleSize * 1.3;
            head.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-title\" x=\"{pad:0.#}\" y=\"{y - (titleSize * 0.3):0.#}\" style=\"font-size:{titleSize:0.#}px\">{WebUtility.HtmlEncode(line)}</text>");
        }
        var foot = new StringBuilder();
        y = top + height + pad;
        foreach (var line in footLines)
        {
            y += footSize * 1.35;
            foot.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-credit\" x=\"{pad:0.#}\" y=\"{y - (footSize * 0.35):0.#}\" style=\"font-size:{footSize:0.#}px;fill:#4a5360\">{WebUtility.HtmlEncode(line)}</text>");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg[..open] + Style + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>" + head
            + $"<g transform=\"translate(0 {top})\">" + svg[open..close] + "</g>" + foot + svg[close..];
    }

    private static List<string> Lines(string text, double size, double width)
    {
        using var font = new SKFont(Typeface.Value, (float)size);
        return Infrastructure.Text.TextWrap.Lines(text, font, (float)width);
    }

    /// <summary>
    /// A map as a file: the page's map SVG (the same <see cref="Maps.MapSvg"/> drawing) with its legend drawn inside it — the page
    /// gives the legend as HTML beside the map, which a file has no room for — then made standalone like a chart.
    /// </summary>
    public static string StandaloneMap(string id, Maps.MapTexts texts, Maps.MapDrawing d, ChartFrame frame)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Maps.MapSvg.Render(id, texts.Title, texts.Description, d.Projection, d.Areas, d.Others, d.Legend, texts.LegendTitle)
            .WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        var html = writer.ToString();
        var start = html.IndexOf("<svg", StringComparison.Ordinal);
        var end = html.IndexOf("</svg>", start, StringComparison.Ordinal);
        var width = (int)d.Projection.Width;
        var height = (int)d.Projection.Height;
        const int Row = 28;
        var legend = new StringBuilder();
        var y = height + 12;
        legend.Append(CultureInfo.InvariantCulture, $"<g class=\"map-legend\" font-size=\"18\"><text x=\"8\" y=\"{y + 18}\">{WebUtility.HtmlEncode(texts.LegendTitle)}</text>");
        y += Row + 4;
        foreach (var l in d.Legend)
        {
            legend.Append(CultureInfo.InvariantCulture, $"<rect x=\"8.5\" y=\"{y + 0.5}\" width=\"26\" height=\"19\" fill=\"{l.Fill}\" stroke=\"{Maps.MapPalette.Stroke}\"/>");
            legend.Append(CultureInfo.InvariantCulture, $"<text x=\"44\" y=\"{y + 16}\">{WebUtility.HtmlEncode(l.Label)}</text>");
            y += Row;
        }
        legend.Append("</g>");
        var total = y + 8;
        var svg = html[start..end].Replace($"viewBox=\"0 0 {width} {height}\"", $"viewBox=\"0 0 {width} {total}\"", StringComparison.Ordinal)
            + legend + "</svg>";
        return Standalone(new HtmlString(svg), frame);
    }

    /// <summary>The standalone SVG rendered at twice its size (sharp on high-density screens and in print).</summary>
    public static byte[] Png(string svg)
    {
        using var document = new SKSvg();
        var providers = document.Settings.TypefaceProviders ?? throw new InvalidOperationException("Svg.Skia has no font list.");
        providers.Clear();
        var provider = new CustomTypefaceProvider(new MemoryStream(Font), 0);
        foreach (var alias in new[] { "sans-serif", "Arial", "system-ui" })
        {
            provider.FamilyAliases!.Add(alias);
        }
        providers.Add(provider);
        document.FromSvg(svg);
        using var output = new MemoryStream();
        if (!document.Save(output, SKColors.White, SKEncodedImageFormat.Png, 100, 2f, 2f))
        {
            throw new InvalidOperationException("The chart could not be drawn.");
        }
        return output.ToArray();
    }
}
