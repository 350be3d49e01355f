using System.Globalization;
using System.Text;

namespace Closer.Web.Infrastructure.Text;

/// <summary>
/// Accent- and case-insensitive search text: "Migración" and "migracion" fold to the same string. Folding is
/// one UTF-16 unit for one, so a position found in the folded text is the same in the original. Text is read as
/// Unicode scalars: a character outside the BMP (an emoji) is kept as its surrogate pair, a lone surrogate (not text at
/// all) becomes U+FFFD, so no input makes folding throw.
/// </summary>
public static class SearchText
{
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        return string.Create(text.Length, text, static (folded, text) => Fold(text, folded));
    }

    /// <summary>
    /// <paramref name="text"/> folded into <paramref name="folded"/> (at least as long), one unit for one: for a long text
    /// read once (a document's passage) into a pooled buffer instead of a new string on the large object heap.
    /// </summary>
    public static void Fold(ReadOnlySpan<char> text, Span<char> folded)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c))
            {
                folded[i] = FoldChar(c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                // Outside the BMP there is nothing to fold (emoji, historic scripts): kept as it is.
                folded[i] = c;
                folded[i + 1] = text[i + 1];
                i++;
            }
            else
            {
                folded[i] = '\uFFFD';
            }
        }
    }

    /// <summary>
    /// Each BMP character's folding, worked out the first time it is met (0 = not yet): normalizing a character to its
    /// decomposed form allocates, and a Spanish or Portuguese document has thousands of accented letters. Filling an
    /// entry twice from two threads writes the same value, so the table needs no lock.
    /// </summary>
    private static readonly char[] Folded = new char[char.MaxValue + 1];

    private static char FoldChar(char c)
    {
        if (c < 128)
        {
            return char.ToLowerInvariant(c);
        }
        var folded = Folded[c];
        if (folded == 0)
        {
            var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            var basic = decomposed.FirstOrDefault(d => CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark);
            folded = char.ToLowerInvariant(basic == default ? c : basic);
            Folded[c] = folded;
        }
        return folded;
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
        // Cut between whole characters: never inside a surrogate pair or between a letter and its accents.
        var start = TextLimits.Boundary(text, Math.Max(0, at - radius));
        var end = TextLimits.Boundary(text, Math.Min(text.Length, at + radius));
        var passage = string.Join(' ', text[start..end].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return (start > 0 ? "… " : "") + passage + (end < text.Length ? " …" : "");
    }
}
