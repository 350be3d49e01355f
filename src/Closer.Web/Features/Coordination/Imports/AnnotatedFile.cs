using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Tabular;

namespace Closer.Web.Features.Coordination.Imports;

/// <summary>
/// A partner's own file given back with one column added that says what is wrong in each row: every row where it
/// was (blank rows and title rows too, so row numbers match), fixed in place and uploaded again.
/// </summary>
public static class AnnotatedFile
{
    public static byte[] Build(CheckedUpload upload, IReadOnlyList<FieldError> errors, string header, bool xlsx)
    {
        upload.Content.Position = 0;
        var sheet = ReportImporter.DataSheet(upload);
        var rows = SheetReader.EnumerateRows(upload.Content, upload.Kind, sheet).ToList();
        var byLine = errors.Where(e => e.Row is not null).GroupBy(e => e.Row!.Value)
            .ToDictionary(g => g.Key, g => string.Join(" | ", g.Select(e => e.Message)));
        var general = string.Join(" | ", errors.Where(e => e.Row is null).Select(e => e.Message));
        var headerLine = rows.Take(ReportImporter.HeaderSearchRows).FirstOrDefault(r => ReportImporter.IsHeaderRow(r.Cells))?.Line
            ?? rows.FirstOrDefault()?.Line ?? 1;
        var width = rows.Select(r => LastFilled(r.Cells) + 1).DefaultIfEmpty(0).Max();
        var output = new List<IReadOnlyList<string?>>(rows.Count);
        var line = 0;
        foreach (var row in rows)
        {
            // Rows the reader skipped (none for CSV; empty XLSX rows) keep their place.
            for (line++; line < row.Line; line++)
            {
                output.Add([]);
            }
            var cells = new string?[width + 1];
            for (var i = 0; i < width && i < row.Cells.Count; i++)
            {
                cells[i] = row.Cells[i];
            }
            var note = byLine.GetValueOrDefault(row.Line);
            cells[width] = row.Line == headerLine
                ? string.Join(": ", new[] { header, general, note }.Where(s => !string.IsNullOrEmpty(s)))
                : note;
            output.Add(cells);
        }
        return xlsx ? TabularXlsx.WriteRows(output, "5W") : TabularCsv.WriteRows(output);
    }

    private static int LastFilled(IReadOnlyList<string?> cells)
    {
        for (var i = cells.Count - 1; i >= 0; i--)
        {
            if (!string.IsNullOrWhiteSpace(cells[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
