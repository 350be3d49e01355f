using System.Globalization;
using System.Text;

namespace Closer.Web.Infrastructure.Text;

/// <summary>
/// Length limits and cuts on whole characters. A cut at a UTF-16 index can split an emoji's surrogate pair (which
/// PostgreSQL refuses to store and encoders turn into U+FFFD) or part a letter from its combining accent.
/// </summary>
public static class TextLimits
{
    /// <summary>
    /// The nearest position at or before <paramref name="index"/> that does not fall inside a surrogate pair, before a
    /// combining mark, a variation selector or a zero-width joiner (so "é" written e + U+0301 and 👩‍💻 stay whole).
    /// Looks back from the index only, so it costs the same in a long text as in a short one.
    /// </summary>
    public static int Boundary(string text, int index)
    {
        index = Math.Clamp(index, 0, text.Length);
        while (index > 0 && index < text.Length && Continues(text, index))
        {
            index--;
        }
        return index;
    }

    private static bool Continues(string text, int index)
    {
        var c = text[index];
        if (char.IsLowSurrogate(c) && char.IsHighSurrogate(text[index - 1]))
        {
            return true;
        }
        // After a zero-width joiner the next character belongs to the same emoji.
        if (text[index - 1] == '\u200D' || c == '\u200D' || c is >= '\uFE00' and <= '\uFE0F')
        {
            return true;
        }
        // A lone surrogate decodes as U+FFFD, which continues nothing.
        Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out _);
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            || rune.Value is >= 0x1F3FB and <= 0x1F3FF; // skin-tone modifiers
    }

    /// <summary>At most <paramref name="max"/> UTF-16 units of <paramref name="text"/>, cut between whole characters.</summary>
    public static string Truncate(string text, int max) =>
        text.Length <= max ? text : text[..Boundary(text, max)];
}
