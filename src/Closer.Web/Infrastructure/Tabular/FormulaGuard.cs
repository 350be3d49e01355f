namespace Closer.Web.Infrastructure.Tabular;

/// <summary>
/// CSV/formula injection guard (OWASP "CSV Injection"): a text cell that a spreadsheet could take for a formula gets a
/// single quote in front, so it shows as the text it is. Applied by both writers to every text cell, headers included.
/// </summary>
/// <remarks>
/// Starters are <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab and carriage return. Numbers are not text: a value
/// handed to a writer as a number (<c>-5L</c>, <c>-1.5m</c>) is written as a number and never quoted. A negative (or
/// signed) number that arrives as text, such as <c>"-5"</c> or <c>"+1.25"</c>, is left as it is too: it is a plain
/// number literal (an optional sign, digits, an optional dot and digits, nothing else), which a spreadsheet reads as that
/// number and which cannot call anything. Anything more after the sign (<c>"-2+3"</c>, <c>"-cmd|..."</c>, <c>"-1e5"</c>,
/// <c>" -5"</c> is not a starter at all) is quoted.
/// </remarks>
public static class FormulaGuard
{
    /// <summary>The first characters that make a spreadsheet read a cell as a formula (or, for tab and CR, hide one).</summary>
    public static IReadOnlyList<char> Starters { get; } = ['=', '+', '-', '@', '\t', '\r'];

    public static bool StartsLikeFormula(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>The text to write: unchanged, or with a leading single quote when it starts like a formula.</summary>
    public static string Neutralise(string text) => StartsLikeFormula(text) && !IsNumberLiteral(text) ? "'" + text : text;

    /// <summary>An optional sign, digits, optionally a dot and digits: what <c>-5</c> and <c>+1.25</c> look like, and nothing else.</summary>
    public static bool IsNumberLiteral(string text)
    {
        var s = text.AsSpan();
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            s = s[1..];
        }
        var dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        var fraction = dot < 0 ? "0".AsSpan() : s[(dot + 1)..];
        return whole.Length > 0 && fraction.Length > 0 && AllDigits(whole) && AllDigits(fraction);
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
