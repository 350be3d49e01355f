using System.Globalization;
using System.Text;

namespace Closer.Web.Infrastructure.Text;

/// <summary>Slugs and the normalised text they are made from (campaign slugs, figure aliases).</summary>
public static class Slugs
{
    /// <summary>Lower-case, without diacritics, whitespace collapsed: "Migración" → "migracion".</summary>
    public static string Normalize(string? value) =>
        string.Join(' ', Infrastructure.Text.SearchText.Fold(value).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

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
