using System.Globalization;
using System.Text;
using MiniExcelLibs;
using nietras.SeparatedValues;

namespace Closer.Web.Features.Coordination.Imports;

/// <summary>A spreadsheet read into text cells, each row with its line number in the file.</summary>
public sealed record SheetRow(int Line, IReadOnlyList<string?> Cells);

/// <summary>Reading: CSV through Sep, XLSX through MiniExcel, one row at a time.</summary>
public static partial class Spreadsheets
{
    /// <summary>
    /// The rows of a CSV or XLSX, one at a time (the file is never turned into one big string or list): each with its
    /// line number, counting the header as line 1.
    /// </summary>
    public static IEnumerable<SheetRow> EnumerateRows(Stream stream, SheetKind kind) =>
        kind == SheetKind.Xlsx ? EnumerateXlsx(stream) : EnumerateCsv(stream);

    public static IEnumerable<SheetRow> EnumerateCsv(Stream stream)
    {
        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 65536, leaveOpen: true);
        if (text.Peek() < 0)
        {
            yield break;
        }
        using var reader = Sep.Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).From(text);
        var line = 0;
        foreach (var row in reader)
        {
            var cells = new string?[row.ColCount];
            for (var i = 0; i < row.ColCount; i++)
            {
                cells[i] = row[i].ToString();
            }
            yield return new SheetRow(++line, cells);
        }
    }

    public static IEnumerable<SheetRow> EnumerateXlsx(Stream stream)
    {
        var line = 0;
        foreach (IDictionary<string, object?> row in MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX))
        {
            var cells = new string?[row.Count];
            var i = 0;
            foreach (var value in row.Values)
            {
                cells[i++] = CellText(value);
            }
            yield return new SheetRow(++line, cells);
        }
    }

    public static List<SheetRow> ReadCsv(Stream stream) => EnumerateCsv(stream).ToList();

    public static List<SheetRow> ReadXlsx(Stream stream) => EnumerateXlsx(stream).ToList();

    private static string? CellText(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTime d => d.ToString(d.Day == 1 && d.TimeOfDay == TimeSpan.Zero ? "yyyy-MM" : "yyyy-MM-dd", CultureInfo.InvariantCulture),
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => ((long)d).ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
