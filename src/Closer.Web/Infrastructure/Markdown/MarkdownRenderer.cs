using AngleSharp.Dom;
using Ganss.Xss;
using Markdig;
using Markdig.Syntax;

namespace Closer.Web.Infrastructure.Markdown;

/// <summary>
/// Renders text people write (forum posts, comments) to safe HTML: Markdig with raw HTML disabled, then
/// HtmlSanitizer with a short allow-list. Links keep only http, https and mailto, and get
/// <c>rel="nofollow ugc noopener"</c>. Images are dropped (no tracking pixels, no hot-linking).
/// Thread-safe; register as a singleton and reuse.
/// </summary>
public sealed class MarkdownRenderer
{
    private static readonly string[] Tags =
    [
        "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
        "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
    ];

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseAutoLinks()
        .Build();

    private readonly HtmlSanitizer _sanitizer;

    public MarkdownRenderer()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(Tags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href", "title", "align"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            AllowedClasses = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
        };
        _sanitizer = new HtmlSanitizer(options) { KeepChildNodes = true };
        _sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement { LocalName: "a" } a)
            {
                a.SetAttribute("rel", "nofollow ugc noopener");
            }
        };
    }

    /// <summary>Markdown to sanitized HTML.</summary>
    public string ToHtml(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return "";
        }
        var html = Markdig.Markdown.ToHtml(markdown, _pipeline);
        return _sanitizer.Sanitize(html);
    }

    /// <summary>Plain text of the Markdown (for e-mails and excerpts); no HTML at all.</summary>
    public string ToPlainText(string? markdown) =>
        string.IsNullOrWhiteSpace(markdown) ? "" : Markdig.Markdown.ToPlainText(markdown, _pipeline).Trim();

    /// <summary>How many links the Markdown would render (autolinks and bare URLs included).</summary>
    public int CountLinks(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return 0;
        }
        var doc = Markdig.Markdown.Parse(markdown, _pipeline);
        return doc.Descendants<Markdig.Syntax.Inlines.LinkInline>().Count()
            + doc.Descendants<Markdig.Syntax.Inlines.AutolinkInline>().Count();
    }
}
