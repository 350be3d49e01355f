using System.IO.Compression;
using System.Text;
using System.Xml;
using Closer.Web.Infrastructure.Tabular;
using Closer.Web.Infrastructure.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace Closer.Web.Features.Documents;

public enum DocumentFileKind
{
    Pdf,
    Docx,
    Xlsx,
    Pptx,
}

public sealed record InspectedFile(DocumentFileKind Kind, string ContentType, string Text);

/// <summary>
/// What an uploaded document is, decided from its bytes (never from its name alone), with the guards an
/// upload of office files needs: size caps, archive-bomb limits, no macros, embedded programs or external
/// links, XML read without DTDs. Extracts the text for search.
/// </summary>
public static class DocumentFiles
{
    public const long MaxBytes = 20 * 1024 * 1024;
    private const long MaxUnpackedBytes = 200L * 1024 * 1024;
    private const int MaxEntries = 5000;
    private const int MaxRatio = 200;
    private const int MaxTextChars = 1_000_000;

    public const string ErrorEmpty = "The file is empty.";
    public const string ErrorTooLarge = "The file is larger than 20 MB.";
    public const string ErrorType = "Only PDF, DOCX, XLSX and PPTX files are accepted.";
    public const string ErrorMismatch = "The file's content does not match its type.";
    public const string ErrorBomb = "The file unpacks to far more than its size; it was refused as a possible archive bomb.";
    public const string ErrorActive = "The file contains macros, embedded programs or external links, which are not accepted.";
    public const string ErrorUnreadable = "The file could not be read. It may be damaged or protected by a password.";

    public static IReadOnlyList<string> Messages { get; } =
        [ErrorEmpty, ErrorTooLarge, ErrorType, ErrorMismatch, ErrorBomb, ErrorActive, ErrorUnreadable];

    public static (InspectedFile? File, string? Error) Inspect(string fileName, byte[] content)
    {
        if (content.Length == 0)
        {
            return (null, ErrorEmpty);
        }
        if (content.LongLength > MaxBytes)
        {
            return (null, ErrorTooLarge);
        }
        var kind = Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".pdf" => DocumentFileKind.Pdf,
            ".docx" => DocumentFileKind.Docx,
            ".xlsx" => DocumentFileKind.Xlsx,
            ".pptx" => DocumentFileKind.Pptx,
            _ => (DocumentFileKind?)null,
        };
        if (kind is null)
        {
            return (null, ErrorType);
        }
        return kind == DocumentFileKind.Pdf ? InspectPdf(content) : InspectOffice(kind.Value, content);
    }

    public static string ContentType(DocumentFileKind kind) => kind switch
    {
        DocumentFileKind.Pdf => "application/pdf",
        DocumentFileKind.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        DocumentFileKind.Xlsx => TabularContentTypes.Xlsx,
        _ => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    };

    private static (InspectedFile?, string?) InspectPdf(byte[] content)
    {
        if (content.Length < 5 || Encoding.ASCII.GetString(content, 0, 5) != "%PDF-")
        {
            return (null, ErrorMismatch);
        }
        try
        {
            using var pdf = PdfDocument.Open(content);
            var text = new StringBuilder();
            foreach (var page in pdf.GetPages())
            {
                text.AppendLine(ContentOrderTextExtractor.GetText(page));
                if (text.Length > MaxTextChars)
                {
                    break;
                }
            }
            return (new InspectedFile(DocumentFileKind.Pdf, ContentType(DocumentFileKind.Pdf), Cap(text.ToString())), null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return (null, ErrorUnreadable);
        }
    }

    private static (InspectedFile?, string?) InspectOffice(DocumentFileKind kind, byte[] content)
    {
        if (content.Length < 4 || content[0] != 'P' || content[1] != 'K' || content[2] != 3 || content[3] != 4)
        {
            return (null, ErrorMismatch);
        }
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
            if (zip.Entries.Count > MaxEntries)
            {
                return (null, ErrorBomb);
            }
            long declared = 0;
            foreach (var e in zip.Entries)
            {
                declared += e.Length;
                var name = e.FullName.Replace('\\', '/');
                if (declared > MaxUnpackedBytes || (e.CompressedLength > 0 && e.Length / e.CompressedLength > MaxRatio && e.Length > 1_000_000))
                {
                    return (null, ErrorBomb);
                }
                if (name.Contains("..", StringComparison.Ordinal) || name.StartsWith('/'))
                {
                    return (null, ErrorMismatch);
                }
                var lower = name.ToLowerInvariant();
                if (lower.EndsWith("vbaproject.bin", StringComparison.Ordinal) || lower.Contains("activex", StringComparison.Ordinal)
                    || lower.Contains("/embeddings/", StringComparison.Ordinal) || lower.StartsWith("xl/externallinks/", StringComparison.Ordinal)
                    || lower.EndsWith(".exe", StringComparison.Ordinal) || lower.EndsWith(".dll", StringComparison.Ordinal))
                {
                    return (null, ErrorActive);
                }
            }
            var main = kind switch
            {
                DocumentFileKind.Docx => "word/document.xml",
                DocumentFileKind.Xlsx => "xl/workbook.xml",
                _ => "ppt/presentation.xml",
            };
            if (zip.GetEntry(main) is null || zip.GetEntry("[Content_Types].xml") is null)
            {
                return (null, ErrorMismatch);
            }
            if (ReadAllText(zip.GetEntry("[Content_Types].xml")!).Contains("macroEnabled", StringComparison.OrdinalIgnoreCase))
            {
                return (null, ErrorActive);
            }
            var parts = kind switch
            {
                DocumentFileKind.Docx => zip.Entries.Where(e => e.FullName is "word/document.xml" || e.FullName.StartsWith("word/header", StringComparison.Ordinal) || e.FullName.StartsWith("word/footer", StringComparison.Ordinal)),
                DocumentFileKind.Xlsx => zip.Entries.Where(e => e.FullName is "xl/sharedStrings.xml" || e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)),
                _ => zip.Entries.Where(e => e.FullName.StartsWith("ppt/slides/slide", StringComparison.Ordinal)).OrderBy(e => e.FullName.Length).ThenBy(e => e.FullName, StringComparer.Ordinal),
            };
            var text = new StringBuilder();
            long unpacked = 0;
            foreach (var part in parts)
            {
                text.AppendLine(XmlText(part, kind, ref unpacked));
                if (text.Length > MaxTextChars)
                {
                    break;
                }
            }
            return (new InspectedFile(kind, ContentType(kind), Cap(text.ToString())), null);
        }
        catch (InvalidDataException)
        {
            return (null, ErrorUnreadable);
        }
        catch (XmlException)
        {
            return (null, ErrorUnreadable);
        }
        catch (BombException)
        {
            return (null, ErrorBomb);
        }
    }

    private sealed class BombException : Exception;

    private static string ReadAllText(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        var buffer = new char[64 * 1024];
        var n = reader.ReadBlock(buffer, 0, buffer.Length);
        return new string(buffer, 0, n);
    }

    /// <summary>The text nodes of an OOXML part, counting what is really unpacked (headers can lie).</summary>
    private static string XmlText(ZipArchiveEntry entry, DocumentFileKind kind, ref long unpacked)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
        using var stream = new CountingStream(entry.Open(), MaxUnpackedBytes - unpacked);
        using var reader = XmlReader.Create(stream, settings);
        var text = new StringBuilder();
        var inText = false;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                inText = reader.LocalName is "t" || (kind == DocumentFileKind.Xlsx && reader.LocalName is "v");
            }
            else if (reader.NodeType == XmlNodeType.EndElement)
            {
                if (reader.LocalName is "p" or "si" or "row")
                {
                    text.Append('\n');
                }
                inText = false;
            }
            else if (inText && reader.NodeType is XmlNodeType.Text or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace)
            {
                text.Append(reader.Value);
                if (kind == DocumentFileKind.Xlsx)
                {
                    text.Append(' ');
                }
            }
        }
        unpacked += stream.Count;
        return text.ToString();
    }

    private static string Cap(string text) => TextLimits.Truncate(text, MaxTextChars);

    private sealed class CountingStream(Stream inner, long limit) : Stream
    {
        public long Count { get; private set; }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            Count += n;
            if (Count > limit)
            {
                throw new BombException();
            }
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
