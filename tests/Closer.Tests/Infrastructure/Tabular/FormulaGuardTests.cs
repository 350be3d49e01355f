using System.Text;
using Closer.Web.Infrastructure.Tabular;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Closer.Tests.Infrastructure.Tabular;

/// <summary>
/// The formula-injection guard as both writers apply it: every starter character (=, +, -, @, tab, CR) gets a single
/// quote in front in CSV and in XLSX; numbers, and plain number literals written as text, stay as they are.
/// </summary>
public sealed class FormulaGuardTests
{
    private static readonly TabularColumn Name = new("name", "#org+name", "Name", "Nombre", "Nome", "Nòmber");
    private static readonly TabularColumn Amount = new("amount", "#value", "Amount", "Monto", "Valor", "Suma");

    /// <summary>One payload per starter character, each a formula a spreadsheet would run without the guard.</summary>
    public static TheoryData<string> Payloads => new()
    {
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    };

    [Fact]
    public void ThePayloadsCoverEveryStarter() =>
        Assert.Equal(FormulaGuard.Starters.Order(), Payloads.Select(p => ((string)p.Data)[0]).Order());

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Csv_QuotesATextCellThatStartsLikeAFormula(string payload)
    {
        var rows = ReadCsv(TabularCsv.Write([Name, Amount], "en", [[payload, 5L]]));
        Assert.Equal("'" + payload, rows[2][0]);
        Assert.Equal("5", rows[2][1]);
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Xlsx_QuotesATextCellThatStartsLikeAFormula(string payload)
    {
        var cells = XlsxCells(TabularXlsx.Write([Name, Amount], "en", [[payload, 5L]], "data"));
        var cell = cells.Single(c => c.Reference == "A3");
        // XML reads a raw CR back as LF (end-of-line normalisation); the quote in front is what matters.
        Assert.Equal("'" + payload.Replace('\r', '\n'), cell.Text);
        Assert.False(cell.IsFormula);
        Assert.All(cells, c => Assert.False(c.IsFormula, c.Reference));
    }

    [Fact]
    public void Csv_HeadersGoThroughTheGuard_HxlTagsAreUntouched()
    {
        var evil = new TabularColumn("k", "#meta", "=1+1", "=1+1", "=1+1", "=1+1");
        var rows = ReadCsv(TabularCsv.Write([evil], "es", []));
        Assert.Equal(["'=1+1"], rows[0]);
        Assert.Equal(["#meta"], rows[1]);
    }

    [Fact]
    public void Csv_NumbersStayNumbers_AndANumberLiteralAsTextIsLeftAlone()
    {
        var rows = ReadCsv(TabularCsv.Write([Name, Amount], "en",
        [
            [-5L, -1.50m],
            ["-5", "+1.25"],
            ["-5 ", "-1e5"],
            ["-.5", "1-2"],
        ]));
        Assert.Equal(["-5", "-1.5"], rows[2]);
        // Documented choice: a plain number literal (sign, digits, optional dot and digits) cannot call anything.
        Assert.Equal(["-5", "+1.25"], rows[3]);
        // Anything more after the sign is quoted; a cell that does not start with a starter is not touched.
        Assert.Equal(["'-5 ", "'-1e5"], rows[4]);
        Assert.Equal(["'-.5", "1-2"], rows[5]);
    }

    [Fact]
    public void Xlsx_ANegativeNumberIsANumberCell_ANegativeNumberAsTextStaysText()
    {
        var cells = XlsxCells(TabularXlsx.Write([Name, Amount], "en", [["-5", -5L], ["-cmd", -2.5m]], "data"));
        Assert.Equal(("-5", false), Shape(cells, "A3"));
        Assert.Equal(("-5", true), Shape(cells, "B3"));
        Assert.Equal(("'-cmd", false), Shape(cells, "A4"));
        Assert.Equal(("-2.5", true), Shape(cells, "B4"));
    }

    [Fact]
    public void Csv_IsUtf8WithBom_CrlfLines_AndQuotesWhatNeedsQuoting()
    {
        var bytes = TabularCsv.Write([Name, Amount], "pap", [["a,b", 1L], ["say \"hi\"", null]]);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.Equal("Nòmber,Suma\r\n#org+name,#value\r\n\"a,b\",1\r\n\"say \"\"hi\"\"\",\r\n", Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal("Nòmber,Suma\r\na,1\r\n", Encoding.UTF8.GetString(TabularCsv.Write([Name, Amount], "pap", [["a", 1L]], hxlRow: false)[3..]));
    }

    private static (string Text, bool Number) Shape(IReadOnlyList<XlsxCell> cells, string reference)
    {
        var c = cells.Single(x => x.Reference == reference);
        return (c.Text, c.IsNumber);
    }

    private static List<string[]> ReadCsv(byte[] bytes) =>
        SheetReader.ReadCsv(new MemoryStream(bytes)).Select(r => r.Cells.Select(c => c ?? "").ToArray()).ToList();

    private sealed record XlsxCell(string Reference, string Text, bool IsNumber, bool IsFormula);

    /// <summary>The cells of the first sheet as the workbook stores them (not as a reader would interpret them).</summary>
    private static List<XlsxCell> XlsxCells(byte[] xlsx)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var book = doc.WorkbookPart!;
        var shared = book.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
        var sheet = (WorksheetPart)book.GetPartById(book.Workbook.Sheets!.Elements<Sheet>().First().Id!);
        return sheet.Worksheet.Descendants<Cell>().Select(c =>
        {
            var type = c.DataType?.Value;
            var text = type == CellValues.SharedString ? shared[int.Parse(c.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)]
                : type == CellValues.InlineString ? c.InlineString!.InnerText
                : c.CellValue?.Text ?? "";
            var isNumber = (type is null || type == CellValues.Number) && c.CellFormula is null;
            return new XlsxCell(c.CellReference!.Value!, text, isNumber, c.CellFormula is not null);
        }).ToList();
    }
}
