using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Shared;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Campaign.Sharing;

/// <summary>A kit image's address and shape, for the download links.</summary>
public sealed record KitLink(KitFormat Format, string Url, string FileName);

/// <summary>
/// The campaign kit: for each story and fact, in the reader's language, ready-made images for feeds, stories/status
/// and link previews (the story's og:image is the link preview). Addresses carry a version made from the words drawn,
/// so an image is cached for a year ("immutable") and any change of text gets a new address.
/// </summary>
public sealed class CampaignKit(KitImage images, CampaignIdentity identity, Identity.IdentityStore marks, OpenData.LiveFigures figures, IStringLocalizer<SharedResource> t)
{
    public static bool HasKit(ContentKind kind) => kind is ContentKind.Story or ContentKind.Fact;

    public static string Url(string lang, int translationId, KitFormat format, string version) =>
        $"/{lang}/kit/{translationId}/{format.Name}-{version}.png";

    /// <summary>What the images of a story or fact say, labels in <paramref name="lang"/> (the text in the version shown).</summary>
    public async Task<KitText> TextAsync(ContentView view, string lang, CancellationToken ct = default)
    {
        var demo = view.Item.IsDemo ? t["Demo content"].Value.ToUpperInvariant() : null;
        if (view.Item.Kind == ContentKind.Fact)
        {
            var fact = JsonLd.PlainText(await figures.TextToHtmlAsync(view.Shown.Summary, lang, ct));
            var source = view.Item.FigureSource is { Length: > 0 } s ? $"{t["Source"]}: {s}, {OpenData.LiveFigures.FormatDate(view.Item.FigureDate ?? "", Languages.Culture(lang))}" : null;
            return new KitText(identity.Name(lang), t["Myth"], view.Shown.Title, $"{t["Fact"]}: {fact}",
                string.Join(" · ", new[] { source, demo }.OfType<string>()) is { Length: > 0 } note ? note : null, marks.MarkSvg);
        }
        return new KitText(identity.Name(lang), null, view.Shown.Title, view.Shown.Summary, demo, marks.MarkSvg);
    }

    public async Task<IReadOnlyList<KitLink>> LinksAsync(ContentView view, string lang, CancellationToken ct = default)
    {
        var version = (await TextAsync(view, lang, ct)).Version();
        return KitFormat.All.Select(f => new KitLink(f, Url(lang, view.Shown.Id, f, version), $"{view.Shown.Slug}-{f.Name}.png")).ToList();
    }

    public byte[] Render(KitText text, KitFormat format) => images.Render(text, format);

    /// <summary>The briefing kit's PDF fact sheet: every published fact in <paramref name="lang"/>, with its source and date.</summary>
    public async Task<byte[]> FactSheetAsync(IReadOnlyList<ContentView> facts, string lang, DateTimeOffset now, CancellationToken ct = default)
    {
        var culture = Languages.Culture(lang);
        var entries = new List<FactSheetEntry>();
        foreach (var f in facts)
        {
            var fact = JsonLd.PlainText(await figures.TextToHtmlAsync(f.Shown.Summary, lang, ct));
            var source = f.Item.FigureSource is { Length: > 0 } s ? $"{s}, {OpenData.LiveFigures.FormatDate(f.Item.FigureDate ?? "", culture)}" : null;
            entries.Add(new FactSheetEntry(f.Shown.Title, fact, f.Item.Figure?.ToString("N0", culture), source));
        }
        var note = facts.Any(f => f.Item.IsDemo) ? $"{t["Demo content"]}: {t["Some facts are demo content; every figure names its source."]}" : null;
        return FactSheetPdf.Render(images.Typeface, $"{identity.Name(lang)} — {t["Fact sheet"]}",
            t["Built from the published content on {0}.", now.ToString("D", culture)], (t["Myth"], t["Fact"], t["Source"]), entries, note, now);
    }

    public async Task<byte[]> RenderAsync(ContentView view, string lang, KitFormat format, CancellationToken ct = default) =>
        images.Render(await TextAsync(view, lang, ct), format);

    /// <summary>GET /{lang}/kit/{id}/{format}-{version}.png: the image, or a redirect to the current version.</summary>
    public static async Task<Results<FileContentHttpResult, RedirectHttpResult, StatusCodeHttpResult, NotFound>> ServeAsync(
        string lang, int id, string file, CampaignKit kit, CloserDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var dash = file.IndexOf('-', StringComparison.Ordinal);
        var format = dash > 0 ? KitFormat.Find(file[..dash]) : null;
        if (format is null)
        {
            return TypedResults.NotFound();
        }
        var now = time.GetUtcNow();
        var shown = await db.CampaignTranslations.AsNoTracking().Include(x => x.Item)
            .FirstOrDefaultAsync(x => x.Id == id && x.Item.DeletedAt == null && x.Status == TranslationStatus.Published
                && (x.PublishAt == null || x.PublishAt <= now) && (x.Item.Kind == ContentKind.Story || x.Item.Kind == ContentKind.Fact), ct);
        if (shown is null)
        {
            return TypedResults.NotFound();
        }
        var view = new ContentView(shown.Item, shown, lang, new Dictionary<string, string>(StringComparer.Ordinal));
        var text = await kit.TextAsync(view, lang, ct);
        var version = text.Version();
        if (!string.Equals(file[(dash + 1)..], version, StringComparison.Ordinal))
        {
            // An old address (the words changed since): the current image, which a share made earlier still finds.
            http.Response.Headers.CacheControl = "no-cache";
            return TypedResults.Redirect(Url(lang, id, format, version));
        }
        var etag = $"\"{version}-{format.Name}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        if (http.Request.Headers.IfNoneMatch.Any(v => string.Equals(v, etag, StringComparison.Ordinal)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.File(kit.Render(text, format), "image/png");
    }
}
