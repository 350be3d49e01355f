using Closer.Web.Features.Campaign.Media;
using SkiaSharp;

namespace Closer.Web.Features.Campaign;

/// <summary>
/// Original illustrations for the demo stories, drawn with SkiaSharp at seed time (no stock image, nothing downloaded):
/// a landscape in the story's colours with two people a step apart, and a "DEMO" ribbon so nobody mistakes them for a photo.
/// </summary>
public static class DemoIllustrations
{
    private static readonly (uint Sky, uint Ground, uint Sun)[] Palettes =
    [
        (0xFFF6D7A7, 0xFF0B5D7A, 0xFFB8451B),
        (0xFFCDE7F0, 0xFF1D6B35, 0xFFF2A541),
        (0xFFF4E1D2, 0xFF7A3B0B, 0xFF0B5D7A),
        (0xFFE3DAF2, 0xFF3B2F7A, 0xFFE07A5F),
        (0xFFD9F0E3, 0xFF0B5D7A, 0xFFB8451B),
        (0xFFFBE7C6, 0xFF5D0B3B, 0xFF2A9D8F),
    ];

    public static SKBitmap Draw(int index, int width = 1200, int height = 800)
    {
        var (sky, ground, sun) = Palettes[index % Palettes.Length];
        var bitmap = new SKBitmap(width, height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(new SKColor(sky));
        using var paint = new SKPaint { IsAntialias = true };
        paint.Color = new SKColor(sun);
        canvas.DrawCircle(width * (0.2f + 0.12f * (index % 3)), height * 0.28f, height * 0.12f, paint);
        // Two hills, the far one lighter.
        paint.Color = new SKColor(ground).WithAlpha(110);
        using (var far = Path($"M0 {height * 0.62f} C{width * 0.3f} {height * (0.45f + 0.03f * (index % 2))} {width * 0.6f} {height * 0.7f} {width} {height * 0.5f} L{width} {height} L0 {height} Z"))
        {
            canvas.DrawPath(far, paint);
        }
        paint.Color = new SKColor(ground);
        using (var near = Path($"M0 {height * 0.78f} Q{width * 0.5f} {height * 0.66f} {width} {height * 0.8f} L{width} {height} L0 {height} Z"))
        {
            canvas.DrawPath(near, paint);
        }
        // Two people a step apart, under an arch (the campaign's mark, drawn large).
        paint.Color = new SKColor(sun);
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = height * 0.025f;
        paint.StrokeCap = SKStrokeCap.Round;
        var cx = width * 0.62f;
        using (var arch = Path($"M{cx - height * 0.3f} {height * 0.74f} C{cx - height * 0.26f} {height * 0.3f} {cx + height * 0.26f} {height * 0.3f} {cx + height * 0.3f} {height * 0.74f}"))
        {
            canvas.DrawPath(arch, paint);
        }
        paint.Style = SKPaintStyle.Fill;
        paint.Color = SKColors.White;
        foreach (var dx in new[] { -0.12f, 0.12f })
        {
            var x = cx + height * dx;
            canvas.DrawCircle(x, height * 0.5f, height * 0.055f, paint);
            canvas.DrawRoundRect(SKRect.Create(x - height * 0.075f, height * 0.575f, height * 0.15f, height * 0.2f), height * 0.07f, height * 0.07f, paint);
        }
        // The demo ribbon.
        paint.Color = new SKColor(0xCC1B1F24);
        canvas.DrawRect(SKRect.Create(0, 0, width * 0.22f, height * 0.09f), paint);
        using var typeface = SKTypeface.FromStream(typeof(DemoIllustrations).Assembly.GetManifestResourceStream("Closer.Campaign.DejaVuSans-Bold.ttf"));
        using var font = new SKFont(typeface, height * 0.055f);
        paint.Color = SKColors.White;
        canvas.DrawText("DEMO", width * 0.03f, height * 0.065f, SKTextAlign.Left, font, paint);
        canvas.Flush();
        return bitmap;
    }

    private static SKPath Path(FormattableString svg) =>
        SKPath.ParseSvgPathData(FormattableString.Invariant(svg)) ?? throw new InvalidOperationException("Bad path.");

    /// <summary>The illustration as a media library image (JPEG and WebP at each width, like an upload).</summary>
    public static MediaAsset Asset(int index, DateTimeOffset now, int width = 1200, int height = 800)
    {
        using var bitmap = Draw(index, width, height);
        var asset = new MediaAsset { FileName = $"demo-illustration-{index + 1}.png", Width = bitmap.Width, Height = bitmap.Height, CreatedAt = now, CreatedBy = "demo" };
        asset.Renditions.AddRange(MediaLibrary.Renditions(bitmap));
        return asset;
    }
}
