using System.Globalization;
using System.IO.Compression;
using System.Text;
using Closer.Web.Infrastructure;
using MiniExcelLibs;
using nietras.SeparatedValues;

namespace Closer.Web.Features.Coordination;

/// <summary>A column of the 5W spreadsheet: its key, HXL hashtag and header in the four languages.</summary>
public sealed record ReportColumn(string Key, string Hxl, string En, string Es, string Pt, string Pap, bool Required)
{
    public string Header(string language) => language switch { "es" => Es, "pt" => Pt, "pap" => Pap, _ => En };
}

public static class ReportColumns
{
    public static readonly ReportColumn Org = new("org", "#org", "Organisation", "Organización", "Organização", "Organisashon", true);
    public static readonly ReportColumn Partner = new("partner", "#org+impl", "Implementing partner", "Socio implementador", "Parceiro implementador", "Socio implementadó", false);
    public static readonly ReportColumn Country = new("country", "#country+code", "Country", "País", "País", "Pais", true);
    public static readonly ReportColumn Admin1 = new("admin1", "#adm1+code", "Admin1 P-code", "Código P admin1", "Código P admin1", "Kódigo P admin1", true);
    public static readonly ReportColumn Sector = new("sector", "#sector", "Sector", "Sector", "Setor", "Sektor", false);
    public static readonly ReportColumn Indicator = new("indicator", "#indicator+code", "Indicator", "Indicador", "Indicador", "Indikadó", true);
    public static readonly ReportColumn Month = new("month", "#date+reported", "Month (YYYY-MM)", "Mes (AAAA-MM)", "Mês (AAAA-MM)", "Luna (AAAA-MM)", true);
    public static readonly ReportColumn Group = new("group", "#population+type", "Population group", "Grupo de población", "Grupo populacional", "Grupo di poblashon", true);
    public static readonly ReportColumn Girls = new("girls", "#reached+f+children", "Girls", "Niñas", "Meninas", "Mucha muhé", true);
    public static readonly ReportColumn Boys = new("boys", "#reached+m+children", "Boys", "Niños", "Meninos", "Mucha hòmber", true);
    public static readonly ReportColumn Women = new("women", "#reached+f+adults", "Women", "Mujeres", "Mulheres", "Muhé", true);
    public static readonly ReportColumn Men = new("men", "#reached+m+adults", "Men", "Hombres", "Homens", "Hòmber", true);
    public static readonly ReportColumn Other = new("other", "#reached+unknown", "Other or unknown", "Otro o desconocido", "Outro ou desconhecido", "Otro òf deskonosí", false);
    public static readonly ReportColumn Total = new("total", "#reached+total", "Total", "Total", "Total", "Total", false);
    public static readonly ReportColumn ToDate = new("todate", "#reached+todate", "Reached to date (de-duplicated)", "Alcanzados a la fecha (sin duplicados)", "Alcançados até a data (sem duplicação)", "Alkansá te awe (sin duplikashon)", false);
    public static readonly ReportColumn Cash = new("cash", "#modality+cash", "Cash-based (yes/no)", "Basado en efectivo (sí/no)", "Baseado em dinheiro (sim/não)", "Basá riba plaka (si/no)", false);
    public static readonly ReportColumn CashUsd = new("cashusd", "#value+cash+usd", "Cash value (USD)", "Valor del efectivo (USD)", "Valor em dinheiro (USD)", "Balor di plaka (USD)", false);
    public static readonly ReportColumn Id = new("id", "#meta+id", "Id", "Id", "Id", "Id", false);
    public static readonly ReportColumn Status = new("status", "#status", "Status", "Estado", "Situação", "Estado", false);

    /// <summary>The columns of the import template, in order.</summary>
    public static IReadOnlyList<ReportColumn> Import { get; } =
        [Org, Partner, Country, Admin1, Sector, Indicator, Month, Group, Girls, Boys, Women, Men, Other, Total, ToDate, Cash, CashUsd];

    /// <summary>The columns of an export: the import columns plus id and status (so an export can be re-imported).</summary>
    public static IReadOnlyList<ReportColumn> Export { get; } = [Id, Status, .. Import];

    /// <summary>Finds the report column a header cell names (see <see cref="Match(string?, IReadOnlyList{ReportColumn})"/>).</summary>
    public static ReportColumn? Match(string? cell) => Match(cell, Export);

    /// <summary>
    /// Finds which of <paramref name="columns"/> a header cell names: an HXL hashtag (attributes in any order) or a
    /// header in any of the four languages (accents, case, spaces and punctuation ignored). Shared by every import.
    /// </summary>
    public static ReportColumn? Match(string? cell, IReadOnlyList<ReportColumn> columns)
    {
        if (string.IsNullOrWhiteSpace(cell))
        {
            return null;
        }
        var text = cell.Trim();
        if (text.StartsWith('#'))
        {
            var tag = HxlKey(text);
            return columns.FirstOrDefault(c => string.Equals(HxlKey(c.Hxl), tag, StringComparison.Ordinal));
        }
        var norm = Normalize(text);
        return columns.FirstOrDefault(c => norm == Normalize(c.Key) || norm == Normalize(c.En) || norm == Normalize(c.Es)
            || norm == Normalize(c.Pt) || norm == Normalize(c.Pap));
    }

    public static bool IsHxlRow(IReadOnlyList<string?> cells) =>
        cells.Any(c => !string.IsNullOrWhiteSpace(c)) && cells.All(c => string.IsNullOrWhiteSpace(c) || c.TrimStart().StartsWith('#'));

    private static string HxlKey(string tag)
    {
        var parts = tag.Trim().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).Split('+');
        return parts[0] + string.Concat(parts.Skip(1).Order(StringComparer.Ordinal).Select(a => "+" + a));
    }

    /// <summary>A header folded for matching: accents, case, spaces and punctuation ignored.</summary>
    private static string Normalize(string text) =>
        string.Concat(Infrastructure.Text.SearchText.Fold(text).Where(char.IsLetterOrDigit));
}

/// <summary>A spreadsheet read into text cells, each row with its line number in the file.</summary>
public sealed record SheetRow(int Line, IReadOnlyList<string?> Cells);

/// <summary>An upload that passed the guards: its bytes (at most the cap) and what it is.</summary>
public sealed record CheckedUpload(MemoryStream Content, SheetKind Kind)
{
    public bool IsEmpty => Content.Length == 0;
}

public enum SheetKind
{
    Csv,
    Xlsx,
}

/// <summary>Reading and writing the 5W spreadsheets (CSV through Sep, XLSX through MiniExcel), with upload guards.</summary>
public static class Spreadsheets
{
    public const long MaxUploadBytes = 20 * 1024 * 1024;
    /// <summary>An XLSX is a zip: refuse archives that would inflate beyond this, or with absurd compression ratios.</summary>
    public const long MaxXlsxUncompressedBytes = 200L * 1024 * 1024;
    public const int MaxXlsxEntries = 200;
    public const int MaxCompressionRatio = 200;

    /// <summary>Sniffs the content: a zip (XLSX) or UTF-8 text without NUL bytes (CSV); anything else is refused.</summary>
    public static SheetKind? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 4 && head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04)
        {
            return SheetKind.Xlsx;
        }
        if (head.IndexOf((byte)0) >= 0)
        {
            return null;
        }
        // Legacy binary formats (XLS/OLE, PDF) and invalid UTF-8 are not CSV.
        var text = head.Length > 1024 ? head[..1024] : head;
        try
        {
            _ = new UTF8Encoding(false, true).GetCharCount(TrimPartialUtf8(text));
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        return head.StartsWith("%PDF"u8) ? null : SheetKind.Csv;
    }

    private static ReadOnlySpan<byte> TrimPartialUtf8(ReadOnlySpan<byte> s)
    {
        // A sniff window may cut a multi-byte character in two; drop trailing continuation bytes.
        var end = s.Length;
        var back = 0;
        while (end > 0 && back < 3 && (s[end - 1] & 0xC0) == 0x80)
        {
            end--;
            back++;
        }
        if (end > 0 && s[end - 1] >= 0xC0)
        {
            end--;
        }
        return s[..end];
    }

    /// <summary>Null when the archive looks safe; otherwise why it is refused.</summary>
    public static string? CheckXlsxArchive(Stream stream)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > MaxXlsxEntries)
            {
                return "The spreadsheet holds too many parts.";
            }
            long total = 0;
            foreach (var e in zip.Entries)
            {
                total += e.Length;
                if (total > MaxXlsxUncompressedBytes || (e.CompressedLength > 0 && e.Length / e.CompressedLength > MaxCompressionRatio)
                    || (e.CompressedLength == 0 && e.Length > 0))
                {
                    return "The spreadsheet would expand to an unsafe size.";
                }
            }
            if (zip.GetEntry("[Content_Types].xml") is null || !zip.Entries.Any(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal)))
            {
                return "The file is not an XLSX workbook.";
            }
            // Links to other workbooks, macros and embedded objects have no place in a data upload: a reader that
            // followed them could fetch files or URLs on the server's behalf.
            if (zip.Entries.Any(e => e.FullName.StartsWith("xl/externalLinks/", StringComparison.OrdinalIgnoreCase)
                || e.FullName.StartsWith("xl/embeddings/", StringComparison.OrdinalIgnoreCase)
                || e.FullName.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase)))
            {
                return "The spreadsheet links to other files or holds macros or embedded objects. Save it as a plain workbook and upload it again.";
            }
            return null;
        }
        catch (InvalidDataException)
        {
            return "The file is not an XLSX workbook.";
        }
        finally
        {
            stream.Position = 0;
        }
    }

    /// <summary>The file of an API upload (multipart/form-data, field <c>file</c>), or the error to answer when there is none.</summary>
    public static async Task<(IFormFile? File, Error? Error)> FormFileAsync(HttpRequest request, CancellationToken ct)
    {
        var missing = new BadRequestError("file-required", "Send the file as multipart/form-data in the field 'file'.");
        if (!request.HasFormContentType)
        {
            return (null, missing);
        }
        var file = (await request.ReadFormAsync(ct)).Files.GetFile("file");
        return file is null ? (null, missing) : (file, null);
    }

    /// <summary>
    /// The upload guard shared by every spreadsheet upload (5W import, funding...): size cap, content sniffed, XLSX
    /// archive-bomb check. Reads the upload into memory once (it is capped) and returns it with its kind, or why it
    /// is refused. An empty upload is returned as such (<see cref="CheckedUpload.IsEmpty"/>): callers say it their way.
    /// </summary>
    public static async Task<(CheckedUpload? Upload, Error? Error)> CheckUploadAsync(Stream upload, long length, CancellationToken ct,
        long maxBytes = MaxUploadBytes)
    {
        if (length > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }
        var buffer = new MemoryStream(length > 0 && length <= maxBytes ? (int)length : 0);
        // Copy at most one byte more than allowed: a lying Content-Length cannot make us read more.
        var chunk = new byte[81920];
        int read;
        while ((read = await upload.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length)), ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                return (null, TooLarge(maxBytes));
            }
        }
        buffer.Position = 0;
        if (buffer.Length == 0)
        {
            return (new CheckedUpload(buffer, SheetKind.Csv), null);
        }
        var kind = Sniff(buffer.GetBuffer().AsSpan(0, (int)Math.Min(buffer.Length, 4096)));
        if (kind is null)
        {
            return (null, new BadRequestError("unsupported-file-type", "Upload a CSV or XLSX file."));
        }
        if (kind == SheetKind.Xlsx && CheckXlsxArchive(buffer) is { } refusal)
        {
            return (null, new BadRequestError("unsafe-spreadsheet", refusal));
        }
        return (new CheckedUpload(buffer, kind.Value), null);
    }

    private static BadRequestError TooLarge(long maxBytes) => maxBytes == MaxUploadBytes
        ? new BadRequestError("file-too-large", "The file is larger than 20 MB.")
        : new BadRequestError("file-too-large", "The file is too large.");

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
