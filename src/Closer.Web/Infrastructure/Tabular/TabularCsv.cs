using System.Globalization;
using System.Text;

namespace Closer.Web.Infrastructure.Tabular;

/// <summary>How a cell value becomes text, the same for every table: invariant numbers, ISO dates, yes/no.</summary>
public static class TabularCells
{
    /// <summary>The value as text: numbers invariant (decimals without trailing zeros), dates ISO 8601, booleans yes/no.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        decimal d => d.ToString("0.############################", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public static bool IsNumber(object? value) => value is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal;

    /// <summary>
    /// What a writer puts in a cell: text goes through the <see cref="FormulaGuard"/>; numbers, dates and booleans are
    /// written by us and cannot be formulas.
    /// </summary>
    public static string? Guarded(object? value) => value is string s ? FormulaGuard.Neutralise(s) : Text(value);
}

/// <summary>
/// The CSV writer: a header row in the asked language, the HXL row as second line (unless left out), then the rows.
/// RFC 4180 quoting, CRLF line ends, UTF-8 with a byte-order mark so that Excel opens accents right.
/// </summary>
public static class TabularCsv
{
    public static byte[] Write(IReadOnlyList<TabularColumn> columns, string language, IEnumerable<IReadOnlyList<object?>> rows, bool hxlRow = true)
    {
        var sb = new StringBuilder();
        AppendLine(sb, columns.Select(c => c.Header(language)));
        if (hxlRow)
        {
            AppendLine(sb, columns.Select(c => c.Hxl));
        }
        foreach (var row in rows)
        {
            AppendLine(sb, row);
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    /// <summary>Rows as they are, no header added (a user's own file given back, with a column added).</summary>
    public static byte[] WriteRows(IEnumerable<IReadOnlyList<string?>> rows)
    {
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            AppendLine(sb, row);
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    /// <summary>Typed rows: each column gives its cell through its accessor.</summary>
    public static byte[] Write<TRow>(IReadOnlyList<TabularColumn<TRow>> columns, string language, IEnumerable<TRow> rows, bool hxlRow = true) =>
        Write(columns, language, rows.Select(r => (IReadOnlyList<object?>)columns.Select(c => c.Value(r)).ToList()), hxlRow);

    private static void AppendLine<T>(StringBuilder sb, IEnumerable<T> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                sb.Append(',');
            }
            first = false;
            var v = TabularCells.Guarded(cell) ?? "";
            if (v.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                sb.Append('"').Append(v.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                sb.Append(v);
            }
        }
        sb.Append("\r\n");
    }
}
