using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Closer.Web.Features.Campaign.Identity;

/// <summary>
/// Turns an uploaded SVG into one the site may serve: it is parsed (no DTD, no entity or external resolution) and
/// written out again from an allow-list — shapes, text, gradients, clip paths and their presentation attributes — so
/// scripts, <c>foreignObject</c>, images, links, animation, styles, event attributes (<c>on…</c>) and any reference
/// outside the document (<c>href</c> or <c>url(…)</c> that is not <c>#id</c>) are simply never written. What was
/// dropped is reported, so the editor knows. Not well-formed XML, or a root that is not <c>svg</c>, is an error.
/// </summary>
public static partial class MarkSanitizer
{
    private const string SvgNs = "http://www.w3.org/2000/svg";
    private const string XlinkNs = "http://www.w3.org/1999/xlink";

    private static readonly HashSet<string> Elements = new(StringComparer.Ordinal)
    {
        "svg", "g", "defs", "symbol", "use", "path", "circle", "ellipse", "rect", "line", "polyline", "polygon",
        "text", "tspan", "title", "desc", "linearGradient", "radialGradient", "stop", "clipPath", "mask",
    };

    private static readonly HashSet<string> TextElements = new(StringComparer.Ordinal) { "text", "tspan", "title", "desc" };

    private static readonly HashSet<string> Attributes = new(StringComparer.Ordinal)
    {
        "id", "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr",
        "d", "points", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
        "stroke-opacity", "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "opacity", "transform", "offset",
        "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod", "clip-path", "clip-rule",
        "clipPathUnits", "mask", "maskUnits", "maskContentUnits", "font-size", "font-family", "font-weight", "font-style",
        "text-anchor", "dominant-baseline", "letter-spacing", "dx", "dy", "preserveAspectRatio", "visibility", "display",
        "vector-effect", "paint-order", "role", "aria-label", "aria-hidden", "focusable", "version",
    };

    /// <summary>The sanitised SVG and what was left out, or an error key (English, localized by the page).</summary>
    public sealed record Outcome(string? Svg, IReadOnlyList<string> Removed, string? Error);

    public static Outcome Sanitize(string input)
    {
        if (input.Length > IdentityRevision.MaxMark)
        {
            return new(null, [], "The mark is too large (at most 20,000 characters).");
        }
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersInDocument = IdentityRevision.MaxMark,
        };
        var removed = new SortedSet<string>(StringComparer.Ordinal);
        var output = new StringBuilder();
        try
        {
            using var reader = XmlReader.Create(new StringReader(input), settings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "svg" || reader.NamespaceURI is not (SvgNs or ""))
            {
                return new(null, [], "The mark must be an SVG drawing (its root element is svg).");
            }
            using var writer = XmlWriter.Create(output, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false });
            Copy(reader, writer, removed);
        }
        catch (XmlException)
        {
            return new(null, [], "The mark is not a well-formed SVG file.");
        }
        return new(output.ToString(), [.. removed], null);
    }

    /// <summary>Copies the element the reader is on, and what it holds, if allowed; otherwise skips all of it.</summary>
    private static void Copy(XmlReader reader, XmlWriter writer, SortedSet<string> removed)
    {
        var name = reader.LocalName;
        if (reader.NamespaceURI is not (SvgNs or "") || !Elements.Contains(name))
        {
            removed.Add(name);
            reader.Skip();
            return;
        }
        writer.WriteStartElement(name, SvgNs);
        var empty = reader.IsEmptyElement;
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                WriteAttribute(reader, writer, name, removed);
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }
        if (!empty)
        {
            reader.Read();
            while (reader.NodeType != XmlNodeType.EndElement)
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        Copy(reader, writer, removed);
                        continue;
                    case XmlNodeType.Text or XmlNodeType.CDATA when TextElements.Contains(name):
                        writer.WriteString(reader.Value);
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA when !string.IsNullOrWhiteSpace(reader.Value):
                        removed.Add("text");
                        break;
                }
                reader.Read();
            }
        }
        writer.WriteEndElement();
        reader.Read();
    }

    private static void WriteAttribute(XmlReader reader, XmlWriter writer, string element, SortedSet<string> removed)
    {
        var (ns, local, value) = (reader.NamespaceURI, reader.LocalName, reader.Value);
        if (ns == "http://www.w3.org/2000/xmlns/" || (ns == "" && local == "xmlns"))
        {
            return; // namespaces are written by the writer itself
        }
        // A reference is allowed only inside the document: <use href="#a">. Anything else (http:, data:, javascript:,
        // another file) is how an SVG would load or run something.
        if (local == "href" && ns is "" or XlinkNs)
        {
            if (element == "use" && LocalReference().IsMatch(value))
            {
                writer.WriteAttributeString("href", value);
            }
            else
            {
                removed.Add("href");
            }
            return;
        }
        if (ns != "" || !Attributes.Contains(local))
        {
            removed.Add(local);
            return;
        }
        if (!SafeValue(value))
        {
            removed.Add(local);
            return;
        }
        writer.WriteAttributeString(local, value);
    }

    /// <summary>Every <c>url(…)</c> in a value points inside the document, and nothing reads like a script.</summary>
    private static bool SafeValue(string value) =>
        UrlCall().Matches(value).All(m => LocalUrl().IsMatch(m.Value))
        && !value.Contains('\\', StringComparison.Ordinal) // a CSS escape could spell url( another way
        && !value.Contains("javascript:", StringComparison.OrdinalIgnoreCase)
        && !value.Contains("expression(", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^#[A-Za-z_][\w.-]*$")]
    private static partial Regex LocalReference();

    [GeneratedRegex(@"url\s*\([^)]*\)?", RegexOptions.IgnoreCase)]
    private static partial Regex UrlCall();

    [GeneratedRegex(@"^url\(\s*#[A-Za-z_][\w.-]*\s*\)$", RegexOptions.IgnoreCase)]
    private static partial Regex LocalUrl();
}
