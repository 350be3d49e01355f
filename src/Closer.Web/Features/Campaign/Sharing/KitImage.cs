using System.Security.Cryptography;
using System.Text;
using Closer.Web.Infrastructure.Text;
using SkiaSharp;

namespace Closer.Web.Features.Campaign.Sharing;

/// <summary>The three shapes of the campaign kit: feeds (1:1), stories and status (9:16), link previews (1.91:1).</summary>
public sealed record KitFormat(string Name, int Width, int Height, string Label)
{
    public static readonly KitFormat Feed = new("feed", 1080, 1080, "Feed (1:1)");
    public static readonly KitFormat Status = new("status", 1080, 1920, "Stories and status (9:16)");
    public static readonly KitFormat Link = new("link", 1200, 630, "Link preview (1.91:1)");
    public static readonly IReadOnlyList<KitFormat> All = [Feed, Status, Link];

    public static KitFormat? Find(string name) => All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
}

/// <summary>
/// What a kit image says: a small label ("Myth", the campaign's country…), the title, the text under it; and the
/// campaign's mark as saved in the back office (sanitised SVG; null: the built-in mark).
/// </summary>
public sealed record KitText(string Campaign, string? Label, string Title, string? Text, string? Note, string? Mark = null)
{
    // Bump when the drawing changes, so every cached image gets a new address.
    private const string Drawing = "kit-2";

    /// <summary>Content version: the same words always give the same address, any change a new one.</summary>
    public string Version()
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', Drawing, Campaign, Label, Title, Text, Note, Mark)));
        return Convert.ToHexStringLower(bytes)[..12];
    }
}

/// <summary>
/// Draws the kit images with SkiaSharp and the DejaVu Sans Bold font shipped with the app (as the social cards):
/// the campaign's mark and name, the title as large as fits, the text below, a note (e.g. DEMO) at the foot. Words
/// wrap on spaces; a word wider than the line (long compounds, URLs) is cut by letters, so no language overflows.
/// </summary>
public sealed class KitImage(Public.SocialImage fonts)
{
    private static readonly SKColor Brand = new(0x0b, 0x5d, 0x7a);
    private static readonly SKColor Accent = new(0xb8, 0x45, 0x1b);
    private static readonly SKColor Soft = new(0xff, 0xff, 0xff, 0xe0);

    public SKTypeface Typeface => fonts.Typeface;

    public byte[] Render(KitText text, KitFormat format)
    {
        var (w, h) = (format.Width, format.Height);
        using var surface = SKSurface.Create(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(Brand);
        using var accent = new SKPaint { Color = Accent, IsAntialias = true };
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        using var soft = new SKPaint { Color = Soft, IsAntialias = true };
        var margin = w / 14f;
        canvas.DrawRect(0, h - 18, w, 18, accent);

        // Mark and campaign name at the top.
        var markSize = format == KitFormat.Link ? 64f : 96f;
        DrawMark(canvas, margin, margin, markSize, text.Mark);
        using (var nameFont = new SKFont(fonts.Typeface, markSize * 0.42f))
        {
            canvas.DrawText(Fit(text.Campaign, nameFont, w - margin * 3 - markSize), margin + markSize + markSize * 0.3f, margin + markSize * 0.65f, SKTextAlign.Left, nameFont, white);
        }

        var top = margin * 2 + markSize;
        var bottom = h - margin - 40;
        var width = w - margin * 2;
        var y = top;
        if (text.Label is { Length: > 0 } label)
        {
            using var labelFont = new SKFont(fonts.Typeface, format == KitFormat.Link ? 30 : 40);
            var labelWidth = labelFont.MeasureText(label) + 32;
            canvas.DrawRoundRect(margin, y, labelWidth, labelFont.Size * 1.6f, 8, 8, accent);
            canvas.DrawText(label, margin + 16, y + labelFont.Size * 1.15f, SKTextAlign.Left, labelFont, white);
            y += labelFont.Size * 2.2f;
        }

        // The title as large as fits in the upper part of the space left; the text in what remains.
        var hasText = !string.IsNullOrWhiteSpace(text.Text) && format != KitFormat.Link;
        var titleSpace = (bottom - y) * (hasText ? 0.55f : 1f);
        var (titleSize, titleLines) = Largest(text.Title, width, titleSpace, format == KitFormat.Link ? 64 : 92, 28);
        using (var font = new SKFont(fonts.Typeface, titleSize))
        {
            foreach (var line in titleLines)
            {
                y += titleSize;
                canvas.DrawText(line, margin, y, SKTextAlign.Left, font, white);
                y += titleSize * 0.22f;
            }
        }
        if (hasText)
        {
            y += titleSize * 0.6f;
            var (size, lines) = Largest(text.Text!, width, bottom - y, 48, 22);
            using var font = new SKFont(fonts.Typeface, size);
            foreach (var line in lines)
            {
                y += size;
                canvas.DrawText(line, margin, y, SKTextAlign.Left, font, soft);
                y += size * 0.3f;
            }
        }
        if (text.Note is { Length: > 0 } note)
        {
            using var small = new SKFont(fonts.Typeface, 28);
            canvas.DrawText(Fit(note, small, width), margin, h - 44, SKTextAlign.Left, small, soft);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 90);
        return data.ToArray();

        (float Size, List<string> Lines) Largest(string s, float maxWidth, float maxHeight, float from, float to)
        {
            for (var size = from; ; size -= 4)
            {
                using var font = new SKFont(fonts.Typeface, size);
                var lines = TextWrap.Lines(s, font, maxWidth);
                var fits = lines.Count * size * 1.25f <= maxHeight;
                if (fits || size - 4 < to)
                {
                    // At the smallest size, what does not fit ends with an ellipsis rather than running off the image.
                    var max = Math.Max(1, (int)(maxHeight / (size * 1.25f)));
                    if (lines.Count > max)
                    {
                        lines = lines.Take(max).ToList();
                        lines[^1] = Fit(lines[^1] + "…", font, maxWidth);
                    }
                    return (size, lines);
                }
            }
        }
    }

    /// <summary>
    /// The saved mark on a white tile (a mark drawn for a light page stays readable on the kit's dark ground), scaled
    /// to fit <paramref name="size"/> and centred; without one, or if it cannot be drawn, the built-in mark.
    /// </summary>
    private static void DrawMark(SKCanvas canvas, float x, float y, float size, string? svg)
    {
        if (svg is not null && SavedMark(svg) is { } picture)
        {
            using (picture)
            {
                using var tile = new SKPaint { Color = SKColors.White, IsAntialias = true };
                canvas.DrawRoundRect(x, y, size, size, size / 4, size / 4, tile);
                var bounds = picture.CullRect;
                var inner = size * 0.8f;
                var scale = Math.Min(inner / Math.Max(bounds.Width, 1), inner / Math.Max(bounds.Height, 1));
                canvas.Save();
                canvas.Translate(x + (size - bounds.Width * scale) / 2, y + (size - bounds.Height * scale) / 2);
                canvas.Scale(scale);
                canvas.Translate(-bounds.Left, -bounds.Top);
                canvas.ClipRect(bounds);
                canvas.DrawPicture(picture);
                canvas.Restore();
            }
            return;
        }
        DrawBuiltInMark(canvas, x, y, size);
    }

    private static SKPicture? SavedMark(string svg)
    {
        try
        {
            using var document = new Svg.Skia.SKSvg();
            // The picture outlives the document: record it again onto one this method hands over.
            var drawn = document.FromSvg(svg);
            if (drawn is null || drawn.CullRect.Width <= 0 || drawn.CullRect.Height <= 0)
            {
                return null;
            }
            using var recorder = new SKPictureRecorder();
            var canvas = recorder.BeginRecording(drawn.CullRect);
            canvas.DrawPicture(drawn);
            return recorder.EndRecording();
        }
        catch (Exception ex) when (ex is System.Xml.XmlException or InvalidOperationException or ArgumentException or FormatException)
        {
            // The mark was sanitised when saved; one Svg.Skia cannot draw still leaves the kit with a mark.
            return null;
        }
    }

    /// <summary>The mark of Features/Shared/_Mark.cshtml (a 32-unit drawing), scaled to <paramref name="size"/>.</summary>
    private static void DrawBuiltInMark(SKCanvas canvas, float x, float y, float size)
    {
        canvas.Save();
        canvas.Translate(x, y);
        canvas.Scale(size / 32f);
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        using var brand = new SKPaint { Color = Brand, IsAntialias = true };
        using var arch = new SKPaint { Color = Accent, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 2.6f, StrokeCap = SKStrokeCap.Round };
        canvas.DrawRoundRect(0, 0, 32, 32, 8, 8, white);
        using (var path = SKPath.ParseSvgPathData("M6 25 C7 12 25 12 26 25"))
        {
            canvas.DrawPath(path, arch);
        }
        foreach (var (cx, d) in new[] { (11.5f, "M8.5 26 q3-6 6 0z"), (20.5f, "M17.5 26 q3-6 6 0z") })
        {
            canvas.DrawCircle(cx, 17, 2.6f, brand);
            using var body = SKPath.ParseSvgPathData(d);
            canvas.DrawPath(body, brand);
        }
        canvas.Restore();
    }

    private static string Fit(string text, SKFont font, float maxWidth)
    {
        if (font.MeasureText(text) <= maxWidth)
        {
            return text;
        }
        var s = text.TrimEnd('…');
        while (s.Length > 1 && font.MeasureText(s + "…") > maxWidth)
        {
            s = s[..^1];
        }
        return s + "…";
    }
}
