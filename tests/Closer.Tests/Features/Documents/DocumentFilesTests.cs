using System.IO.Compression;
using System.Text;
using Closer.Web.Features.Documents;

namespace Closer.Tests.Features.Documents;

public sealed class DocumentFilesTests
{
    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                s.Write(content);
            }
        }
        return buffer.ToArray();
    }

    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);
    private static readonly byte[] ContentTypes = Text("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");

    [Fact]
    public void Pdf_TextIsExtracted_WithAccents()
    {
        var pdf = DemoDocuments.Pdf("Informe de situación", "Regularización migratoria en Colombia: 1.842.390 personas (R4V, 2021).");
        var (file, error) = DocumentFiles.Inspect("informe.pdf", pdf);
        Assert.Null(error);
        Assert.Equal(DocumentFileKind.Pdf, file!.Kind);
        Assert.Contains("Regularización migratoria", file.Text);
        Assert.Contains("1.842.390", file.Text);
    }

    [Fact]
    public void Docx_TextIsExtracted()
    {
        var docx = DemoDocuments.Docx("Ata da reunião", "Proteção infantil e encaminhamento de casos.");
        var (file, error) = DocumentFiles.Inspect("ata.docx", docx);
        Assert.Null(error);
        Assert.Contains("Proteção infantil", file!.Text);
    }

    [Fact]
    public void Xlsx_And_Pptx_TextIsExtracted()
    {
        var xlsx = Zip(("[Content_Types].xml", ContentTypes), ("xl/workbook.xml", Text("<workbook/>")),
            ("xl/sharedStrings.xml", Text("<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>Población atendida</t></si></sst>")));
        Assert.Contains("Población atendida", DocumentFiles.Inspect("datos.xlsx", xlsx).File!.Text);
        var pptx = Zip(("[Content_Types].xml", ContentTypes), ("ppt/presentation.xml", Text("<p/>")),
            ("ppt/slides/slide1.xml", Text("<p:sld xmlns:p=\"p\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:t>Mensajes clave</a:t></p:sld>")));
        Assert.Contains("Mensajes clave", DocumentFiles.Inspect("slides.pptx", pptx).File!.Text);
    }

    public static TheoryData<string, byte[], string> Refusals()
    {
        var docx = DemoDocuments.Docx("x", "y");
        return new TheoryData<string, byte[], string>
        {
            { "empty.pdf", [], DocumentFiles.ErrorEmpty },
            { "virus.exe", Text("MZ this is a program"), DocumentFiles.ErrorType },
            { "page.html", Text("<script>alert(1)</script>"), DocumentFiles.ErrorType },
            { "fake.pdf", docx, DocumentFiles.ErrorMismatch },
            { "fake.docx", Text("%PDF-1.7 not really"), DocumentFiles.ErrorMismatch },
            { "sheet.docx", Zip(("[Content_Types].xml", ContentTypes), ("xl/workbook.xml", Text("<w/>"))), DocumentFiles.ErrorMismatch },
            { "bomb.docx", Zip(("[Content_Types].xml", ContentTypes), ("word/document.xml", Text("<w/>")), ("word/media/zeros.bin", new byte[210 * 1024 * 1024])), DocumentFiles.ErrorBomb },
            { "macro.docx", Zip(("[Content_Types].xml", ContentTypes), ("word/document.xml", Text("<w/>")), ("word/vbaProject.bin", Text("macro"))), DocumentFiles.ErrorActive },
            { "links.xlsx", Zip(("[Content_Types].xml", ContentTypes), ("xl/workbook.xml", Text("<w/>")), ("xl/externalLinks/externalLink1.xml", Text("<x/>"))), DocumentFiles.ErrorActive },
            { "traversal.docx", Zip(("[Content_Types].xml", ContentTypes), ("word/document.xml", Text("<w/>")), ("../../evil.txt", Text("x"))), DocumentFiles.ErrorMismatch },
            { "xxe.docx", Zip(("[Content_Types].xml", ContentTypes), ("word/document.xml", Text("<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><w:document xmlns:w=\"w\"><w:t>&x;</w:t></w:document>"))), DocumentFiles.ErrorUnreadable },
            { "broken.pdf", Text("%PDF-1.7\n garbage garbage"), DocumentFiles.ErrorUnreadable },
        };
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Upload_IsRefused_WithAClearReason(string name, byte[] content, string expected) =>
        Assert.Equal(expected, DocumentFiles.Inspect(name, content).Error);

    [Fact]
    public void TooLarge_IsRefusedBeforeAnyParsing() =>
        Assert.Equal(DocumentFiles.ErrorTooLarge, DocumentFiles.Inspect("big.pdf", new byte[DocumentFiles.MaxBytes + 1]).Error);

    [Theory]
    [InlineData("../../etc/passwd.pdf", "passwd.pdf")]
    [InlineData("C:\\Users\\x\\informe \"final\".pdf", "informe final.pdf")]
    [InlineData("\u0001\u0002.pdf", ".pdf")]
    public void FileNames_AreMadeSafe(string raw, string safe) => Assert.Equal(safe, DocumentService.SafeFileName(raw));
}
