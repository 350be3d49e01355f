using System.Globalization;
using Closer.Web.Infrastructure;
using SkiaSharp;

namespace Closer.Web.Features.Campaign.Media;

/// <summary>How a marked region is made unrecognisable.</summary>
public enum Redaction
{
    Pixelate,
    Blur,
}

/// <summary>A rectangle in pixels of the full-size picture.</summary>
public sealed record Region(int X, int Y, int W, int H)
{
    /// <summary>The same region in a smaller rendition, widened to whole pixels so no edge of a face survives rounding.</summary>
    public Region Scale(double factor)
    {
        var x = (int)Math.Floor(X * factor);
        var y = (int)Math.Floor(Y * factor);
        return new Region(x, y, (int)Math.Ceiling((X + W) * factor) - x, (int)Math.Ceiling((Y + H) * factor) - y);
    }
}

/// <summary>
/// Anonymisation of faces, name tags and number plates an editor marks. Pixelation averages blocks of at least 1/8 of
/// the region (and 8 px), then a blur smooths them: the averages cannot be turned back into a face, unlike a light
/// blur that deconvolution may undo.
/// </summary>
public static class Redactor
{
    public const int MaxRegions = 20;

    /// <summary>Parses one rectangle per line, "x, y, width, height" in pixels; each must lie inside the picture.</summary>
    public static Result<List<Region>> Parse(string? text, int width, int height)
    {
        var regions = new List<Region>();
        var lines = (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length > MaxRegions)
        {
            return Invalid("At most 20 regions can be marked at once.");
        }
        foreach (var line in lines)
        {
            var parts = line.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries);
            var numbers = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();
            if (numbers.Length != 4 || numbers.Any(n => n < 0))
            {
                return Invalid("Write each region as four whole numbers: x, y, width, height.");
            }
            var region = new Region(numbers[0], numbers[1], numbers[2], numbers[3]);
            if (region.W < 1 || region.H < 1 || region.X + region.W > width || region.Y + region.H > height)
            {
                return Invalid("A region lies outside the picture.");
            }
            regions.Add(region);
        }
        return regions;
    }

    private static ValidationError Invalid(string message) =>
        new("media-bad-regions", "Nothing was changed.", [new FieldError(null, "regions", message)]);

    /// <summary>Overwrites the pixels of each region in the bitmap.</summary>
    public static void Apply(SKBitmap bitmap, IReadOnlyList<Region> regions, Redaction mode)
    {
        if (regions.Count == 0)
        {
            return;
        }
        using var canvas = new SKCanvas(bitmap);
        foreach (var r in regions)
        {
            var rect = SKRectI.Create(r.X, r.Y, Math.Min(r.W, bitmap.Width - r.X), Math.Min(r.H, bitmap.Height - r.Y));
            if (rect.Width < 1 || rect.Height < 1)
            {
                continue;
            }
            using var part = new SKBitmap(rect.Width, rect.Height);
            bitmap.ExtractSubset(part, rect);
            var block = Math.Max(8, Math.Max(rect.Width, rect.Height) / 8);
            var small = new SKImageInfo(Math.Max(1, rect.Width / block), Math.Max(1, rect.Height / block));
            using var averaged = part.Resize(small, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)) ?? throw new InvalidOperationException("Resize failed.");
            using var image = SKImage.FromBitmap(averaged);
            using var paint = new SKPaint();
            if (mode == Redaction.Blur)
            {
                paint.ImageFilter = SKImageFilter.CreateBlur(block / 2f, block / 2f, SKShaderTileMode.Clamp);
            }
            canvas.Save();
            canvas.ClipRect(rect);
            var sampling = mode == Redaction.Blur ? new SKSamplingOptions(SKFilterMode.Linear) : new SKSamplingOptions(SKFilterMode.Nearest);
            canvas.DrawImage(image, SKRect.Create(rect.Left, rect.Top, rect.Width, rect.Height), sampling, paint);
            canvas.Restore();
        }
        canvas.Flush();
    }
}
