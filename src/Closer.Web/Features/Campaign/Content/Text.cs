using System.Globalization;
using System.Text;
using Ganss.Xss;
using Markdig;

namespace Closer.Web.Features.Campaign.Content;

/// <summary>Text helpers of the campaign: search normalisation, slugs, Markdown to sanitized HTML.</summary>
public static class Text
{
    /// <summary>Lower-case, without diacritics, whitespace collapsed: "Migración" → "migracion".</summary>
    public static string Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "";
        }
        var decomposed = value.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (!space && sb.Length > 0)
                {
                    sb.Append(' ');
                }
                space = true;
                continue;
            }
            space = false;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString().TrimEnd().Normalize(NormalizationForm.FormC);
    }

    /// <summary>A URL slug from a title: "¿Quién es María?" → "quien-es-maria".</summary>
    public static string Slugify(string title)
    {
        var sb = new StringBuilder();
        foreach (var c in Normalize(title))
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }
        var slug = sb.ToString().Trim('-');
        return slug.Length > 100 ? slug[..100].TrimEnd('-') : slug.Length == 0 ? "item" : slug;
    }

    public static bool IsValidSlug(string slug) =>
        slug.Length is > 0 and <= 120 && slug.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-') && !slug.StartsWith('-') && !slug.EndsWith('-');

    public static string SearchText(string title, string summary, string body) => Normalize($"{title} {summary} {body}");
}

/// <summary>Markdown (Markdig) rendered to HTML and then sanitized (HtmlSanitizer): the only way user text becomes HTML.</summary>
public sealed class MarkdownRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().Build();
    private readonly HtmlSanitizer _sanitizer = new();

    public string ToHtml(string? markdown) =>
        string.IsNullOrWhiteSpace(markdown) ? "" : _sanitizer.Sanitize(Markdown.ToHtml(markdown, _pipeline));
}
