using System.Globalization;
using System.Text;
using Closer.Web.Features.Coordination.Reports;
using MiniExcelLibs;

namespace Closer.Web.Features.Coordination.Imports;

/// <summary>Writing: the 5W template and exports as CSV or XLSX (with drop-down lists of the valid codes).</summary>
public static partial class Spreadsheets
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>CSV with a header row, the HXL row as its second line, then the rows (RFC 4180 quoting, UTF-8 with BOM for Excel).</summary>
    public static byte[] WriteCsv(IReadOnlyList<ReportColumn> columns, string language, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var sb = new StringBuilder();
        AppendCsvLine(sb, columns.Select(c => c.Header(language)));
        AppendCsvLine(sb, columns.Select(c => c.Hxl));
        foreach (var row in rows)
        {
            AppendCsvLine(sb, row);
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    private static void AppendCsvLine(StringBuilder sb, IEnumerable<string?> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                sb.Append(',');
            }
            first = false;
            var v = cell ?? "";
            // Neutralise spreadsheet formulas in user text (CSV injection).
            if (v.Length > 0 && v[0] is '=' or '+' or '@' && !long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                v = "'" + v;
            }
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

    /// <summary>XLSX: the first sheet holds header, HXL row and rows; a second sheet lists the valid codes.</summary>
    public static byte[] WriteXlsx(IReadOnlyList<ReportColumn> columns, string language, IEnumerable<IReadOnlyList<string?>> rows,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? codeLists = null)
    {
        var headers = columns.Select(c => c.Header(language)).ToList();
        var data = new List<Dictionary<string, object?>>
        {
            headers.Zip(columns).ToDictionary(x => x.First, x => (object?)x.Second.Hxl, StringComparer.Ordinal),
        };
        foreach (var row in rows)
        {
            var d = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < headers.Count; i++)
            {
                var v = i < row.Count ? row[i] : null;
                d[headers[i]] = columns[i].Key is "girls" or "boys" or "women" or "men" or "other" or "total" or "todate" or "cashusd" or "id"
                    && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : v;
            }
            data.Add(d);
        }
        var sheets = new Dictionary<string, object> { ["reports"] = data };
        if (codeLists is not null)
        {
            var longest = codeLists.Values.Select(v => v.Count).DefaultIfEmpty(0).Max();
            sheets["codes"] = Enumerable.Range(0, longest).Select(i =>
                codeLists.ToDictionary(kv => kv.Key, kv => (object?)(i < kv.Value.Count ? kv.Value[i] : null), StringComparer.Ordinal)).ToList();
        }
        using var ms = new MemoryStream();
        ms.SaveAs(sheets, printHeader: true, excelType: ExcelType.XLSX);
        if (codeLists is not null)
        {
            AddDropDowns(ms, columns, codeLists);
        }
        return ms.ToArray();
    }

    /// <summary>Adds list validations (drop-downs) to the first sheet: each coded column offers the codes of the "codes" sheet.</summary>
    private static void AddDropDowns(MemoryStream workbook, IReadOnlyList<ReportColumn> columns, IReadOnlyDictionary<string, IReadOnlyList<string>> codeLists)
    {
        using var doc = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(workbook, isEditable: true);
        var book = doc.WorkbookPart!;
        var firstSheet = book.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().First();
        var part = (DocumentFormat.OpenXml.Packaging.WorksheetPart)book.GetPartById(firstSheet.Id!);
        var validations = new DocumentFormat.OpenXml.Spreadsheet.DataValidations();
        var codeColumn = 0;
        foreach (var (key, codes) in codeLists)
        {
            codeColumn++;
            var index = columns.ToList().FindIndex(c => c.Key == key);
            if (index < 0 || codes.Count == 0)
            {
                continue;
            }
            var target = ColumnName(index + 1);
            var source = ColumnName(codeColumn);
            validations.Append(new DocumentFormat.OpenXml.Spreadsheet.DataValidation
            {
                Type = DocumentFormat.OpenXml.Spreadsheet.DataValidationValues.List,
                AllowBlank = true,
                ShowErrorMessage = true,
                SequenceOfReferences = new DocumentFormat.OpenXml.ListValue<DocumentFormat.OpenXml.StringValue>([$"{target}3:{target}10000"]),
                Formula1 = new DocumentFormat.OpenXml.Spreadsheet.Formula1($"codes!${source}$2:${source}${codes.Count + 1}"),
            });
        }
        var cash = columns.ToList().FindIndex(c => c.Key == "cash");
        if (cash >= 0)
        {
            var target = ColumnName(cash + 1);
            validations.Append(new DocumentFormat.OpenXml.Spreadsheet.DataValidation
            {
                Type = DocumentFormat.OpenXml.Spreadsheet.DataValidationValues.List,
                AllowBlank = true,
                ShowErrorMessage = true,
                SequenceOfReferences = new DocumentFormat.OpenXml.ListValue<DocumentFormat.OpenXml.StringValue>([$"{target}3:{target}10000"]),
                Formula1 = new DocumentFormat.OpenXml.Spreadsheet.Formula1("\"yes,no\""),
            });
        }
        validations.Count = (uint)validations.ChildElements.Count;
        var sheet = part.Worksheet;
        // dataValidations comes after sheetData, autoFilter, mergeCells and conditionalFormatting in the schema.
        DocumentFormat.OpenXml.OpenXmlElement anchor = sheet.GetFirstChild<DocumentFormat.OpenXml.Spreadsheet.SheetData>()!;
        foreach (var later in sheet.ChildElements.Where(e => e is DocumentFormat.OpenXml.Spreadsheet.AutoFilter or DocumentFormat.OpenXml.Spreadsheet.MergeCells
            or DocumentFormat.OpenXml.Spreadsheet.ConditionalFormatting or DocumentFormat.OpenXml.Spreadsheet.SheetProtection).ToList())
        {
            anchor = later;
        }
        sheet.InsertAfter(validations, anchor);
        sheet.Save();
    }

    private static string ColumnName(int n)
    {
        var name = "";
        for (; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }
        return name;
    }
}
