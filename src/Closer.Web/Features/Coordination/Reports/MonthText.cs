using System.Globalization;
using Closer.Web.Infrastructure.Text;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>
/// A reporting month as partners type it, read as <c>YYYY-MM</c>: <c>2026-10</c>, <c>10/2026</c>, <c>oct-26</c>,
/// <c>octubre 2026</c>, <c>out/2026</c>, <c>Oct 2026</c>, a date (<c>2026-10-01</c>, <c>01/10/2026</c>, as an Excel date cell
/// gives it) or an Excel serial number. Month names in English, Spanish, Portuguese and Papiamentu, full or short.
/// </summary>
public static class MonthText
{
    private static readonly Dictionary<string, int> Names = Build();

    private static Dictionary<string, int> Build()
    {
        string[][] byMonth =
        [
            ["january", "jan", "enero", "ene", "janeiro", "yanuari", "yan"],
            ["february", "feb", "febrero", "fevereiro", "fev", "februari"],
            ["march", "mar", "marzo", "marco", "mart"],
            ["april", "apr", "abril", "abr", "aprel"],
            ["may", "mayo", "maio", "mai", "mei"],
            ["june", "jun", "junio", "junho", "yuni", "yun"],
            ["july", "jul", "julio", "julho", "yuli", "yul"],
            ["august", "aug", "agosto", "ago", "ougustus", "oug"],
            ["september", "sep", "sept", "septiembre", "setiembre", "set", "setembro", "september", "sep"],
            ["october", "oct", "octubre", "outubro", "out", "oktober", "okt"],
            ["november", "nov", "noviembre", "novembro", "november"],
            ["december", "dec", "diciembre", "dic", "dezembro", "dez", "desember", "des"],
        ];
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var m = 0; m < byMonth.Length; m++)
        {
            foreach (var n in byMonth[m])
            {
                names.TryAdd(n, m + 1);
            }
        }
        return names;
    }

    /// <summary>The month as <c>YYYY-MM</c>, or null when the text is not a month (or is ambiguous, like 03/04/2026).</summary>
    public static string? Parse(string text)
    {
        var t = text.Trim();
        if (t.Length == 7 && t[4] == '-' && char.IsAsciiDigit(t[0]))
        {
            // The canonical form, checked fast (the common case of a big import).
            return Month(Number(t[..4]), Number(t[5..]));
        }
        var tokens = Tokens(t);
        if (tokens.Count == 1 && tokens[0].Length == 5 && int.TryParse(tokens[0], NumberStyles.None, CultureInfo.InvariantCulture, out var serial)
            && serial is > 20000 and < 80000)
        {
            // An Excel date serial (days since 1899-12-30), as a date cell saved as a number.
            var date = new DateOnly(1899, 12, 30).AddDays(serial);
            return Month(date.Year, date.Month);
        }
        if (tokens.Count == 2)
        {
            var (a, b) = (tokens[0], tokens[1]);
            if (Names.TryGetValue(a, out var named))
            {
                return Month(Year(b), named);
            }
            if (Names.TryGetValue(b, out named))
            {
                return Month(Year(a), named);
            }
            return a.Length == 4 ? Month(Number(a), Number(b)) : b.Length == 4 ? Month(Number(b), Number(a)) : null;
        }
        if (tokens.Count == 3)
        {
            // A date: year first (ISO), or day and month in either order; a day other than the 1st that could be a
            // month (03/04/2026) is ambiguous.
            if (tokens[0].Length == 4)
            {
                return Month(Number(tokens[0]), Number(tokens[1]));
            }
            if (tokens[2].Length != 4)
            {
                return null;
            }
            var year = Number(tokens[2]);
            if (Names.TryGetValue(tokens[1], out var named))
            {
                return Month(year, named);
            }
            var (first, second) = (Number(tokens[0]), Number(tokens[1]));
            return first == 1 || first > 12 ? Month(year, second) : second == 1 || second > 12 ? Month(year, first) : null;
        }
        return null;
    }

    /// <summary>Folded words and numbers; "de" and "of" ("octubre de 2026") and a dot after a short name are dropped.</summary>
    private static List<string> Tokens(string text)
    {
        var folded = SearchText.Fold(text);
        var chars = folded.Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray();
        return new string(chars).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w is not ("de" or "of" or "del")).ToList();
    }

    private static int Number(string text) =>
        text.Length is > 0 and <= 4 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;

    private static int Year(string text) => text.Length == 2 ? 2000 + Number(text) : text.Length == 4 ? Number(text) : -1;

    private static string? Month(int year, int month) =>
        year is >= 1990 and <= 2100 && month is >= 1 and <= 12
            ? string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}")
            : null;
}
