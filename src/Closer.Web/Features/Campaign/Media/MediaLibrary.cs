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

    public async Task<Result<MediaAsset>> UploadAsync(string fileName, Stream content, long length, ClaimsPrincipal user, CancellationToken ct, string? regions = null, Redaction mode = Redaction.Pixelate)
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
        var parsed = Redactor.Parse(regions, upright.Width, upright.Height);
        if (parsed.Error is not null)
        {
            return parsed.Error;
        }
        // Regions are blurred in the full-size picture before any rendition is made: the unblurred face is never stored.
        Redactor.Apply(upright, parsed.Value!, mode);
        var asset = new MediaAsset
        {
            FileName = Path.GetFileName(fileName).Length is > 0 and <= 200 ? Path.GetFileName(fileName) : "image",
            Width = upright.Width, Height = upright.Height, CreatedAt = time.GetUtcNow(),
            CreatedBy = user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name,
        };
        asset.Renditions.AddRange(Renditions(upright));
        db.Add(asset);
        await db.SaveChangesAsync(ct);
        return asset;
    }

    /// <summary>
    /// Blurs or pixelates regions (given in pixels of the full-size picture) in every stored rendition, in place and
    /// irreversibly: the unblurred pixels are overwritten, and no original exists to restore them from.
    /// </summary>
    public async Task<Result<MediaAsset>> AnonymiseAsync(int id, string? regions, Redaction mode, CancellationToken ct)
    {
        var asset = await db.CampaignMedia.Include(a => a.Renditions).FirstOrDefaultAsync(a => a.Id == id && a.DeletedAt == null, ct);
        if (asset is null)
        {
            return new NotFoundError("media-not-found", "The image was not found.");
        }
        var parsed = Redactor.Parse(regions, asset.Width, asset.Height);
        if (parsed.Error is not null)
        {
            return parsed.Error;
        }
        if (parsed.Value!.Count == 0)
        {
            return new ValidationError("media-no-regions", "Nothing was changed.", [new FieldError(null, "regions", "Mark at least one region.")]);
        }
        foreach (var rendition in asset.Renditions)
        {
            using var bitmap = SKBitmap.Decode(rendition.Bytes) ?? throw new InvalidOperationException("A stored rendition could not be decoded.");
            var scale = (double)bitmap.Width / asset.Width;
            Redactor.Apply(bitmap, parsed.Value.Select(r => r.Scale(scale)).ToList(), mode);
            rendition.Bytes = Encode(bitmap, rendition.Format);
        }
        await db.SaveChangesAsync(ct);
        return asset;
    }

    /// <summary>JPEG (the fallback every browser reads) and WebP (lighter) at each responsive width, never wider than the picture.</summary>
    public static List<MediaRendition> Renditions(SKBitmap upright)
    {
        var list = new List<MediaRendition>();
        foreach (var width in Widths.Where(w => w < upright.Width).Append(Math.Min(upright.Width, Widths[^1])).Distinct().Order())
        {
            var height = Math.Max(1, (int)Math.Round(upright.Height * (double)width / upright.Width));
            using var resized = upright.Resize(new SKImageInfo(width, height), new SKSamplingOptions(SKCubicResampler.Mitchell)) ?? throw new InvalidOperationException("Resize failed.");
            foreach (var format in new[] { MediaRendition.Jpeg, MediaRendition.Webp })
            {
                list.Add(new MediaRendition { Width = width, Height = height, Format = format, Bytes = Encode(resized, format) });
            }
        }
        return list;
    }

    private static byte[] Encode(SKBitmap bitmap, string format)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format == MediaRendition.Webp ? SKEncodedImageFormat.Webp : SKEncodedImageFormat.Jpeg, format == MediaRendition.Webp ? 75 : 80);
        return data.ToArray();
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

    public static Task<Results<FileContentHttpResult, NotFound>> ServeJpegAsync(int id, int width, CloserDbContext db, HttpContext http, CancellationToken ct) =>
        ServeAsync(id, width, MediaRendition.Jpeg, db, http, ct);

    public static Task<Results<FileContentHttpResult, NotFound>> ServeWebpAsync(int id, int width, CloserDbContext db, HttpContext http, CancellationToken ct) =>
        ServeAsync(id, width, MediaRendition.Webp, db, http, ct);

    private static async Task<Results<FileContentHttpResult, NotFound>> ServeAsync(int id, int width, string format, CloserDbContext db, HttpContext http, CancellationToken ct)
    {
        var bytes = await db.Set<MediaRendition>().AsNoTracking()
            .Where(r => r.AssetId == id && r.Width == width && r.Format == format && db.Set<MediaAsset>().Any(a => a.Id == id && a.DeletedAt == null))
            .Select(r => r.Bytes).FirstOrDefaultAsync(ct);
        if (bytes is null)
        {
            return TypedResults.NotFound();
        }
        // A day, not a year: an editor may still blur a face in a picture already published (AnonymiseAsync).
        http.Response.Headers.CacheControl = "public, max-age=86400";
        return TypedResults.File(bytes, format == MediaRendition.Webp ? "image/webp" : "image/jpeg");
    }
}
