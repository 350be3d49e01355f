namespace Closer.Web.Infrastructure.Tabular;

/// <summary>
/// A check of a CSV's shape before it is parsed: a quote never closed, or a cell longer than a spreadsheet cell can be,
/// would make the parser gather the rest of the file into one cell (hundreds of MB for a 20 MB upload). One pass over
/// the bytes, quotes counted on any of the usual separators (',', ';', tab, '|').
/// </summary>
public static class CsvText
{
    /// <summary>The most characters a spreadsheet cell holds (Excel's limit); a longer cell is not a 5W or funding value.</summary>
    public const int MaxCellBytes = 32767 * 3;

    /// <summary>Null when the file's quotes and cells are sound; otherwise the error, on the row it starts.</summary>
    public static FieldError? Fault(ReadOnlySpan<byte> csv)
    {
        var row = 1;
        var quoteRow = 0;
        var inQuotes = false;
        var cell = 0;
        for (var i = 0; i < csv.Length; i++)
        {
            var b = csv[i];
            if (b == (byte)'"')
            {
                if (!inQuotes)
                {
                    quoteRow = row;
                }
                // "" inside quotes closes and reopens: the state ends right either way.
                inQuotes = !inQuotes;
            }
            else if (b == (byte)'\n')
            {
                row += inQuotes ? 0 : 1;
                cell = inQuotes ? cell + 1 : 0;
                continue;
            }
            else if (!inQuotes && b is (byte)',' or (byte)';' or (byte)'\t' or (byte)'|')
            {
                cell = 0;
                continue;
            }
            if (++cell > MaxCellBytes)
            {
                return new FieldError(inQuotes ? quoteRow : row, "file", inQuotes
                    ? "A quote opened on this row is never closed, or a cell is longer than a spreadsheet cell can be (32,767 characters)."
                    : "A cell on this row is longer than a spreadsheet cell can be (32,767 characters).");
            }
        }
        return inQuotes
            ? new FieldError(quoteRow, "file", "A quote opened on this row is never closed: the rest of the file would be one cell.")
            : null;
    }
}
