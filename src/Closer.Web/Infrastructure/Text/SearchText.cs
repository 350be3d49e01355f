using System.Globalization;
using System.Text;

namespace Closer.Web.Infrastructure.Text;

/// <summary>
/// Accent- and case-insensitive search text: "Migración" and "migracion" fold to the same string. Folding is
/// one character for one character, so a position found in the folded text is the same in the original.
/// </summary>
public static class SearchText
{
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            result.Append(FoldChar(c));
        }
        return result.ToString();
    }

    private static char FoldChar(char c)
    {
        if (c < 128)
        {
            return char.ToLowerInvariant(c);
        }
        var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
        var basic = decomposed.FirstOrDefault(d => CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark);
        return char.ToLowerInvariant(basic == default ? c : basic);
    }

    /// <summary>The words of a query, folded, at most 8, each at least 2 characters.</summary>
    public static IReadOnlyList<string> Terms(string? query) =>
        Fold(query).Split([' ', '\t', ',', ';', '"', '\'', '(', ')'], StringSplitOptions.RemoveEmptyEntries)
            .Where(t => t.Length >= 2).Distinct(StringComparer.Ordinal).Take(8).ToList();

    /// <summary>A passage of <paramref name="text"/> around the first term found, for showing why a result matched.</summary>
    public static string? Snippet(string? text, IReadOnlyList<string> terms, int radius = 90)
    {
        if (string.IsNullOrEmpty(text) || terms.Count == 0)
        {
            return null;
        }
        var folded = Fold(text);
        // Centre on the whole phrase when it occurs, else on the longest word found (short words match everywhere).
        var candidates = terms.Count > 1 ? terms.OrderByDescending(t => t.Length).Prepend(string.Join(' ', terms)) : terms;
        var at = candidates.Select(t => folded.IndexOf(t, StringComparison.Ordinal)).FirstOrDefault(i => i >= 0, -1);
        if (at < 0)
        {
            return null;
        }
        var start = Math.Max(0, at - radius);
        var end = Math.Min(text.Length, at + radius);
        var passage = string.Join(' ', text[start..end].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return (start > 0 ? "… " : "") + passage + (end < text.Length ? " …" : "");
    }
}
