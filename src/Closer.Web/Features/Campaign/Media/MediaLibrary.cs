using System.Security.Claims;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace Closer.Web.Features.Campaign.Media;

/// <summary>
/// Image uploads: the type is sniffed from the bytes (JPEG, PNG, WebP; the name and declared type are not trusted),
/// the size is capped, and the picture is decoded, turned upright and re-encoded at responsive widths as JPEG —
/// which drops EXIF, GPS and every other piece of metadata (location data in refugees' photos is a safety risk).
/// </summary>
public sealed class MediaLibrary(CloserDbContext db, TimeProvider time, IConfiguration configuration)
{
    public static readonly int[] Widths = [320, 640, 1024];
    public long MaxBytes => configuration.GetValue("Campaign:MaxUploadBytes", 5L * 1024 * 1024);

    public static string? SniffImage(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return "image/jpeg";
        }
        if (head.Length >= 8 && head[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
        {
            return "image/png";
        }
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }
        return null;
    }

    public async Task<Result<MediaAsset>> UploadAsync(string fileName, Stream content, long length, ClaimsPrincipal user, CancellationToken ct)
    {
        if (length > MaxBytes)
        {
            return new ValidationError("media-too-large", "The file could not be uploaded.", [new FieldError(null, "file", "The file is too large.")]);
        }
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxBytes)
        {
            return new ValidationError("media-too-large", "The file could not be uploaded.", [new FieldError(null, "file", "The file is too large.")]);
        }
        var bytes = buffer.ToArray();
        if (SniffImage(bytes) is null)
        {
            return new ValidationError("media-wrong-type", "The file could not be uploaded.", [new FieldError(null, "file", "Only JPEG, PNG and WebP images are accepted.")]);
        }
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        using var decoded = codec is null ? null : SKBitmap.Decode(codec);
        if (codec is null || decoded is null || decoded.Width < 1 || decoded.Height < 1 || (long)decoded.Width * decoded.Height > 40_000_000)
        {
            return new ValidationError("media-unreadable", "The file could not be uploaded.", [new FieldError(null, "file", "The image could not be read.")]);
        }
        using var upright = Orient(decoded, codec.EncodedOrigin);
        var asset = new MediaAsset
        {
            FileName = Path.GetFileName(fileName).Length is > 0 and <= 200 ? Path.GetFileName(fileName) : "image",
            Width = upright.Width, Height = upright.Height, CreatedAt = time.GetUtcNow(),
            CreatedBy = user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name,
        };
        foreach (var width in Widths.Where(w => w < upright.Width).Append(Math.Min(upright.Width, Widths[^1])).Distinct().Order())
        {
            var height = Math.Max(1, (int)Math.Round(upright.Height * (double)width / upright.Width));
            using var resized = upright.Resize(new SKImageInfo(width, height), new SKSamplingOptions(SKCubicResampler.Mitchell)) ?? throw new InvalidOperationException("Resize failed.");
            using var image = SKImage.FromBitmap(resized);
            using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 80);
            asset.Renditions.Add(new MediaRendition { Width = width, Height = height, Bytes = jpeg.ToArray() });
        }
        db.Add(asset);
        await db.SaveChangesAsync(ct);
        return asset;
    }

    /// <summary>Applies the EXIF orientation to the pixels, since the tag itself is about to be dropped.</summary>
    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return source.Copy();
        }
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(swap ? source.Height : source.Width, swap ? source.Width : source.Height);
        using var canvas = new SKCanvas(result);
        var (w, h) = (source.Width, source.Height);
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Scale(-1, 1, w / 2f, 0); break;
            case SKEncodedOrigin.BottomRight: canvas.RotateDegrees(180, w / 2f, h / 2f); break;
            case SKEncodedOrigin.BottomLeft: canvas.Scale(1, -1, 0, h / 2f); break;
            case SKEncodedOrigin.RightTop: canvas.Translate(h, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, w); canvas.RotateDegrees(270); break;
            case SKEncodedOrigin.LeftTop: canvas.Translate(h, 0); canvas.RotateDegrees(90); canvas.Scale(1, -1, 0, h / 2f); break;
            case SKEncodedOrigin.RightBottom: canvas.Translate(0, w); canvas.RotateDegrees(270); canvas.Scale(1, -1, 0, h / 2f); break;
        }
        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), null);
        return result;
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> ServeAsync(int id, int width, CloserDbContext db, HttpContext http, CancellationToken ct)
    {
        var bytes = await db.Set<MediaRendition>().AsNoTracking()
            .Where(r => r.AssetId == id && r.Width == width && db.Set<MediaAsset>().Any(a => a.Id == id && a.DeletedAt == null))
            .Select(r => r.Bytes).FirstOrDefaultAsync(ct);
        if (bytes is null)
        {
            return TypedResults.NotFound();
        }
        // Renditions never change once made: cache them for a year.
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.File(bytes, "image/jpeg");
    }
}
