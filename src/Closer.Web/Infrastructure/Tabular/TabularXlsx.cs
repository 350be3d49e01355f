using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using MiniExcelLibs;

namespace Closer.Web.Infrastructure.Tabular;

/// <summary>
/// Drop-down lists for a template: <paramref name="Codes"/> go to a second sheet named "codes" (one column per key) and
/// the column of that key offers them; <paramref name="Choices"/> are short fixed lists (yes/no) written into the rule.
/// </summary>
public sealed record XlsxLists(IReadOnlyDictionary<string, IReadOnlyList<string>> Codes, IReadOnlyDictionary<string, IReadOnlyList<string>>? Choices = null);

/// <summary>
/// The XLSX writer (MiniExcel, with OpenXML for the drop-downs): the same rows as the CSV, header row then HXL row,
/// numbers as numbers, text through the <see cref="FormulaGuard"/>.
/// </summary>
public static class TabularXlsx
{
    public static byte[] Write(IReadOnlyList<TabularColumn> columns, string language, IEnumerable<IReadOnlyList<object?>> rows, string sheet,
        bool hxlRow = true, XlsxLists? lists = null)
    {
        // MiniExcel prints the dictionary keys as the header row, so headers must be unique (they are, per language).
        var headers = columns.Select(c => FormulaGuard.Neutralise(c.Header(language))).ToList();
        var data = new List<Dictionary<string, object?>>();
        if (hxlRow)
        {
            data.Add(headers.Zip(columns).ToDictionary(x => x.First, x => (object?)x.Second.Hxl, StringComparer.Ordinal));
        }
        foreach (var row in rows)
        {
            var d = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < headers.Count; i++)
            {
                var v = i < row.Count ? row[i] : null;
                d[headers[i]] = TabularCells.IsNumber(v) ? v : TabularCells.Guarded(v);
            }
            data.Add(d);
        }
        var sheets = new Dictionary<string, object> { [sheet] = data };
        if (lists is not null)
        {
            var longest = lists.Codes.Values.Select(v => v.Count).DefaultIfEmpty(0).Max();
            sheets["codes"] = Enumerable.Range(0, longest).Select(i =>
                lists.Codes.ToDictionary(kv => kv.Key, kv => (object?)(i < kv.Value.Count ? FormulaGuard.Neutralise(kv.Value[i]) : null), StringComparer.Ordinal)).ToList();
        }
        using var ms = new MemoryStream();
        ms.SaveAs(sheets, printHeader: true, excelType: ExcelType.XLSX);
        if (lists is not null)
        {
            AddDropDowns(ms, columns, lists, firstDataRow: hxlRow ? 3 : 2);
        }
        return ms.ToArray();
    }

    /// <summary>Rows as they are, one sheet, no header added (a user's own file given back, with a column added).</summary>
    public static byte[] WriteRows(IEnumerable<IReadOnlyList<string?>> rows, string sheet)
    {
        var list = rows.ToList();
        var width = list.Select(r => r.Count).DefaultIfEmpty(0).Max();
        var keys = Enumerable.Range(0, width).Select(ColumnName1).ToList();
        var data = list.Select(r => keys.Select((k, i) => (k, v: i < r.Count ? TabularCells.Guarded(r[i]) : null))
            .ToDictionary(x => x.k, x => (object?)x.v, StringComparer.Ordinal)).ToList();
        using var ms = new MemoryStream();
        ms.SaveAs(new Dictionary<string, object> { [sheet] = data }, printHeader: false, excelType: ExcelType.XLSX);
        return ms.ToArray();
    }

    private static string ColumnName1(int index) => ColumnName(index + 1);

    /// <summary>Typed rows: each column gives its cell through its accessor.</summary>
    public static byte[] Write<TRow>(IReadOnlyList<TabularColumn<TRow>> columns, string language, IEnumerable<TRow> rows, string sheet, bool hxlRow = true) =>
        Write(columns, language, rows.Select(r => (IReadOnlyList<object?>)columns.Select(c => c.Value(r)).ToList()), sheet, hxlRow);

    /// <summary>Adds list validations (drop-downs) to the first sheet: each coded column offers the codes of the "codes" sheet.</summary>
    private static void AddDropDowns(MemoryStream workbook, IReadOnlyList<TabularColumn> columns, XlsxLists lists, int firstDataRow)
    {
        using var doc = SpreadsheetDocument.Open(workbook, isEditable: true);
        var book = doc.WorkbookPart!;
        var firstSheet = book.Workbook.Sheets!.Elements<Sheet>().First();
        var part = (WorksheetPart)book.GetPartById(firstSheet.Id!);
        var validations = new DataValidations();
        var codeColumn = 0;
        foreach (var (key, codes) in lists.Codes)
        {
            codeColumn++;
            var index = IndexOf(columns, key);
            if (index < 0 || codes.Count == 0)
            {
                continue;
            }
            var source = ColumnName(codeColumn);
            validations.Append(ListRule(ColumnName(index + 1), firstDataRow, $"codes!${source}$2:${source}${codes.Count + 1}"));
        }
        foreach (var (key, choices) in lists.Choices ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            var index = IndexOf(columns, key);
            if (index >= 0)
            {
                validations.Append(ListRule(ColumnName(index + 1), firstDataRow, "\"" + string.Join(',', choices) + "\""));
            }
        }
        validations.Count = (uint)validations.ChildElements.Count;
        var sheet = part.Worksheet;
        // dataValidations comes after sheetData, autoFilter, mergeCells and conditionalFormatting in the schema.
        OpenXmlElement anchor = sheet.GetFirstChild<SheetData>()!;
        foreach (var later in sheet.ChildElements.Where(e => e is AutoFilter or MergeCells or ConditionalFormatting or SheetProtection).ToList())
        {
            anchor = later;
        }
        sheet.InsertAfter(validations, anchor);
        sheet.Save();
    }

    private static DataValidation ListRule(string column, int firstDataRow, string formula) => new()
    {
        Type = DataValidationValues.List,
        AllowBlank = true,
        ShowErrorMessage = true,
        SequenceOfReferences = new ListValue<StringValue>([$"{column}{firstDataRow}:{column}10000"]),
        Formula1 = new Formula1(formula),
    };

    private static int IndexOf(IReadOnlyList<TabularColumn> columns, string key)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].Key == key)
            {
                return i;
            }
        }
        return -1;
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
