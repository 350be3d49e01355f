using System.Globalization;
using System.IO.Compression;
using System.Text;
using MiniExcelLibs;
using nietras.SeparatedValues;

namespace Closer.Web.Infrastructure.Tabular;

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

/// <summary>
/// The reader of every spreadsheet upload (CSV through Sep, XLSX through MiniExcel) and its guards: size cap, content
/// sniffing, XLSX archive checks. Cells come back as text; the import decides what they mean.
/// </summary>
public static class SheetReader
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
    public static async Task<Result<IFormFile>> FormFileAsync(HttpRequest request, CancellationToken ct)
    {
        var missing = new BadRequestError("file-required", "Send the file as multipart/form-data in the field 'file'.");
        if (!request.HasFormContentType)
        {
            return missing;
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception ex) when (Errors.StatusOf(ex, request.HttpContext) is { } status)
        {
            // Read as the error page reads it (one place knows Kestrel's and the multipart reader's failures): the
            // size limit is a 413 naming ours, anything else unreadable (no boundary, broken framing) the client's 400.
            return status == StatusCodes.Status413PayloadTooLarge ? TooLarge(MaxUploadBytes) : new BadRequestError("bad-request", "Bad request");
        }
        var file = form.Files.GetFile("file");
        return file is null ? missing : new Result<IFormFile>(file);
    }

    /// <summary>
    /// The upload guard shared by every spreadsheet upload (5W import, funding...): size cap, content sniffed, XLSX
    /// archive-bomb check. Reads the upload into memory once (it is capped) and returns it with its kind, or why it
    /// is refused. An empty upload is returned as such (<see cref="CheckedUpload.IsEmpty"/>): callers say it their way.
    /// </summary>
    public static async Task<Result<CheckedUpload>> CheckUploadAsync(Stream upload, long length, CancellationToken ct,
        long maxBytes = MaxUploadBytes)
    {
        if (length > maxBytes)
        {
            return TooLarge(maxBytes);
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
                return TooLarge(maxBytes);
            }
        }
        buffer.Position = 0;
        if (buffer.Length == 0)
        {
            return new CheckedUpload(buffer, SheetKind.Csv);
        }
        var kind = Sniff(buffer.GetBuffer().AsSpan(0, (int)Math.Min(buffer.Length, 4096)));
        if (kind is null)
        {
            return new BadRequestError("unsupported-file-type", "Upload a CSV or XLSX file.");
        }
        if (kind == SheetKind.Xlsx && CheckXlsxArchive(buffer) is { } refusal)
        {
            return new BadRequestError("unsafe-spreadsheet", refusal);
        }
        if (kind == SheetKind.Csv && CsvText.Fault(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)) is { } fault)
        {
            return new ValidationError("malformed-csv", "The CSV file cannot be read; nothing was imported.", [fault]);
        }
        return new CheckedUpload(buffer, kind.Value);
    }

    /// <summary>
    /// A whole upload read into rows behind the guards of <see cref="CheckUploadAsync"/>, blank rows dropped: for small
    /// files (funding) that are checked as a whole before anything is stored. An empty upload gives no rows.
    /// </summary>
    public static async Task<Result<List<SheetRow>>> ReadUploadAsync(Stream upload, long length, CancellationToken ct)
    {
        var (checkedUpload, error) = await CheckUploadAsync(upload, length, ct);
        if (checkedUpload is null)
        {
            return error!;
        }
        using var content = checkedUpload.Content;
        try
        {
            return EnumerateRows(content, checkedUpload.Kind).Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c))).ToList();
        }
#pragma warning disable CA1031 // a broken workbook is the sender's problem, reported as such
        catch (Exception) when (checkedUpload.Kind == SheetKind.Xlsx)
#pragma warning restore CA1031
        {
            return new BadRequestError("unreadable-spreadsheet", "The spreadsheet could not be read.");
        }
    }

    /// <summary>413, with the limit in the message.</summary>
    private static TooLargeError TooLarge(long maxBytes) => maxBytes == MaxUploadBytes
        ? new TooLargeError("file-too-large", "The file is larger than 20 MB.")
        : new TooLargeError("file-too-large", "The file is too large.");

    /// <summary>
    /// The rows of a CSV or XLSX, one at a time (the file is never turned into one big string or list): each with its
    /// line number, counting the header as line 1.
    /// </summary>
    public static IEnumerable<SheetRow> EnumerateRows(Stream stream, SheetKind kind, string? sheet = null) =>
        kind == SheetKind.Xlsx ? EnumerateXlsx(stream, sheet) : EnumerateCsv(stream);

    /// <summary>
    /// The first sheet of a workbook with a row (within its first <paramref name="rows"/>) that <paramref name="isHeader"/>
    /// accepts: partners keep notes or instructions in a sheet before the data. Null for the first sheet (also when
    /// none matches, or the workbook cannot be read here: reading it reports that).
    /// </summary>
    public static string? FindSheet(Stream stream, int rows, Func<IReadOnlyList<string?>, bool> isHeader)
    {
        try
        {
            var names = MiniExcel.GetSheetNames(stream);
            stream.Position = 0;
            if (names.Count < 2)
            {
                return null;
            }
            foreach (var name in names)
            {
                stream.Position = 0;
                if (EnumerateXlsx(stream, name).Take(rows).Any(r => isHeader(r.Cells)))
                {
                    return name;
                }
            }
            return null;
        }
#pragma warning disable CA1031 // an unreadable workbook is reported when it is read
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return null;
        }
        finally
        {
            stream.Position = 0;
        }
    }

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

    public static IEnumerable<SheetRow> EnumerateXlsx(Stream stream, string? sheet = null)
    {
        var line = 0;
        foreach (IDictionary<string, object?> row in MiniExcel.Query(stream, useHeaderRow: false, sheetName: sheet, excelType: ExcelType.XLSX))
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
