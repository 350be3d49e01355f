using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using SkiaSharp;

namespace Closer.Web.Features.Campaign.Public;

/// <summary>
/// Social card images (og:image), 1200×630 PNG: the page's title in its language on the brand background.
/// Drawn with SkiaSharp and the DejaVu Sans Bold font shipped with the app (the NoDependencies build has no fonts);
/// served through the output cache, so each card is drawn once until content changes.
/// </summary>
public sealed class SocialImage : IDisposable
{
    public const int Width = 1200;
    public const int Height = 630;
    private readonly SKTypeface _typeface;

    public SocialImage()
    {
        using var stream = typeof(SocialImage).Assembly.GetManifestResourceStream("Closer.Campaign.DejaVuSans-Bold.ttf")
            ?? throw new InvalidOperationException("The card font is not embedded.");
        _typeface = SKTypeface.FromStream(stream) ?? throw new InvalidOperationException("The card font could not be loaded.");
    }

    /// <summary>The static pages that have a card, with the English key of their title.</summary>
    public static readonly IReadOnlyDictionary<string, string> Pages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["home"] = "One step closer",
        ["stories"] = "Stories",
        ["facts"] = "Myths and facts",
        ["videos"] = "Videos",
        ["press"] = "Press room",
        ["pledge"] = "I take a step closer",
        ["search"] = "Search",
    };

    public byte[] Render(string title, string footer)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(new SKColor(0x0b, 0x5c, 0xad));
        using (var accent = new SKPaint { Color = new SKColor(0xff, 0xd2, 0x3f), IsAntialias = true })
        {
            canvas.DrawRect(0, 0, 24, Height, accent);
        }
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        // The largest size at which the title fits in four lines.
        var size = 72f;
        List<string> lines;
        while (true)
        {
            using var font = new SKFont(_typeface, size);
            lines = TextWrap.Lines(title, font, Width - 160);
            if (lines.Count <= 4 || size <= 36)
            {
                break;
            }
            size -= 6;
        }
        using (var font = new SKFont(_typeface, size))
        {
            var y = 120 + size;
            foreach (var line in lines.Take(5))
            {
                canvas.DrawText(line, 80, y, SKTextAlign.Left, font, white);
                y += size * 1.2f;
            }
        }
        using (var small = new SKFont(_typeface, 34))
        using (var soft = new SKPaint { Color = new SKColor(0xff, 0xff, 0xff, 0xd0), IsAntialias = true })
        {
            canvas.DrawText(footer, 80, Height - 60, SKTextAlign.Left, small, soft);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 90);
        return data.ToArray();
    }

    /// <summary>The embedded font, shared with the campaign kit (Sharing/KitImage).</summary>
    public SKTypeface Typeface => _typeface;

    public void Dispose() => _typeface.Dispose();

    private static string Footer(IStringLocalizer t) => $"Closer · {t["One step closer"]}";

    public static Results<FileContentHttpResult, NotFound> PageCard(string lang, string page, SocialImage images, IStringLocalizer<SharedResource> t, HttpContext http)
    {
        if (!Pages.TryGetValue(page, out var key))
        {
            return TypedResults.NotFound();
        }
        http.Response.Headers.CacheControl = "public, max-age=86400";
        return TypedResults.File(images.Render(t[key], Footer(t)), "image/png");
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> ContentCard(string lang, int id, SocialImage images, CloserDbContext db, TimeProvider time,
        IStringLocalizer<SharedResource> t, HttpContext http, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var title = await db.CampaignTranslations.AsNoTracking()
            .Where(x => x.Id == id && x.Item.DeletedAt == null && x.Status == TranslationStatus.Published && (x.PublishAt == null || x.PublishAt <= now))
            .Select(x => x.Title).FirstOrDefaultAsync(ct);
        if (title is null)
        {
            return TypedResults.NotFound();
        }
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.File(images.Render(title, Footer(t)), "image/png");
    }
}
