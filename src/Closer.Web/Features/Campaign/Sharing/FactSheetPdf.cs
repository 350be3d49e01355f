using Closer.Web.Infrastructure.Text;
using SkiaSharp;

namespace Closer.Web.Features.Campaign.Sharing;

/// <summary>One fact of the sheet: the myth, the fact (live figures expanded), its figure and its source with the date.</summary>
public sealed record FactSheetEntry(string Myth, string Fact, string? Figure, string? Source);

/// <summary>
/// The briefing kit's fact sheet as a PDF, drawn with SkiaSharp's PDF backend (already a dependency; no browser on
/// the server): A4 pages, the shipped DejaVu font embedded, text that stays text (searchable, copyable).
/// </summary>
public static class FactSheetPdf
{
    private const float PageWidth = 595; // A4 in points
    private const float PageHeight = 842;
    private const float Margin = 56;
    private static readonly SKColor Brand = new(0x0b, 0x5d, 0x7a);
    private static readonly SKColor Accent = new(0xb8, 0x45, 0x1b);
    private static readonly SKColor Ink = new(0x1b, 0x1f, 0x24);
    private static readonly SKColor Muted = new(0x4a, 0x53, 0x60);

    public static byte[] Render(SKTypeface typeface, string title, string subtitle, (string Myth, string Fact, string Source) label,
        IReadOnlyList<FactSheetEntry> entries, string? note, DateTimeOffset now)
    {
        using var stream = new MemoryStream();
        var metadata = new SKDocumentPdfMetadata
        {
            Title = title,
            Subject = subtitle,
            Creator = "Closer",
            Producer = "Closer (SkiaSharp)",
            Creation = now.UtcDateTime,
            Modified = now.UtcDateTime,
        };
        using (var document = SKDocument.CreatePdf(stream, metadata))
        {
            var writer = new PageWriter(document, typeface);
            writer.Line(title, 22, Brand, after: 4);
            writer.Line(subtitle, 11, Muted, after: 14);
            if (note is { Length: > 0 })
            {
                writer.Paragraph(note, 10, Accent, after: 10);
            }
            foreach (var e in entries)
            {
                writer.KeepTogether(90);
                writer.Rule();
                writer.Paragraph($"{label.Myth}: {e.Myth}", 12, Ink, after: 4);
                writer.Paragraph($"{label.Fact}: {e.Fact}", 11, Ink, after: 4);
                if (e.Figure is { Length: > 0 } figure)
                {
                    writer.Line(figure, 16, Brand, after: 2);
                }
                if (e.Source is { Length: > 0 } source)
                {
                    writer.Paragraph($"{label.Source}: {source}", 9.5f, Muted, after: 10);
                }
            }
            writer.Close();
            document.Close();
        }
        return stream.ToArray();
    }

    /// <summary>Writes lines down the page and starts a new page when the next one would not fit.</summary>
    private sealed class PageWriter(SKDocument document, SKTypeface typeface)
    {
        private SKCanvas? _canvas;
        private float _y;

        private SKCanvas Canvas
        {
            get
            {
                if (_canvas is null)
                {
                    _canvas = document.BeginPage(PageWidth, PageHeight);
                    _y = Margin;
                }
                return _canvas;
            }
        }

        public void KeepTogether(float height)
        {
            _ = Canvas;
            if (_y + height > PageHeight - Margin)
            {
                Close();
            }
        }

        public void Rule()
        {
            using var paint = new SKPaint { Color = Accent, StrokeWidth = 1.5f, IsAntialias = true };
            Canvas.DrawLine(Margin, _y, PageWidth - Margin, _y, paint);
            _y += 10;
        }

        public void Line(string text, float size, SKColor color, float after) => Paragraph(text, size, color, after);

        public void Paragraph(string text, float size, SKColor color, float after)
        {
            using var font = new SKFont(typeface, size);
            using var paint = new SKPaint { Color = color, IsAntialias = true };
            foreach (var line in TextWrap.Lines(text, font, PageWidth - Margin * 2))
            {
                if (_canvas is not null && _y + size * 1.35f > PageHeight - Margin)
                {
                    Close();
                }
                var canvas = Canvas;
                _y += size * 1.35f;
                canvas.DrawText(line, Margin, _y, SKTextAlign.Left, font, paint);
            }
            _y += after;
        }

        public void Close()
        {
            if (_canvas is not null)
            {
                document.EndPage();
                _canvas = null;
            }
        }
    }
}
