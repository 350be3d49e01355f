using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Content;

/// <summary>A content item as a reader sees it: the best version for their language and where it exists.</summary>
public sealed record ContentView(ContentItem Item, ContentTranslation Shown, string RequestedLanguage, IReadOnlyDictionary<string, string> SlugsByLanguage)
{
    /// <summary>True when the reader's language has no published version and another one is shown.</summary>
    public bool IsFallback => !string.Equals(Shown.Language, RequestedLanguage, StringComparison.Ordinal);
    public IReadOnlyList<string> Languages => SlugsByLanguage.Keys.ToList();
    public DateTimeOffset Date => Shown.PublishedAt ?? Shown.UpdatedAt;
}

/// <summary>Reads published campaign content with the language fallback (pap → es → en; pt → es → en; es → en).</summary>
public sealed class ContentService(CloserDbContext db, TimeProvider time)
{
    public const string CacheTag = "campaign";

    /// <summary>Public URL segment of each kind that has a detail page.</summary>
    public static string Segment(ContentKind kind) => kind switch
    {
        ContentKind.Story => "stories",
        ContentKind.PressRelease => "press",
        ContentKind.Video => "videos",
        ContentKind.Fact => "facts",
        ContentKind.Page => "pages",
        _ => "press",
    };

    /// <summary>The public address of a version: its own page, or for facts, videos and contacts their anchor on the list page.</summary>
    public static string Url(string language, ContentKind kind, string slug) => kind switch
    {
        ContentKind.Fact => $"/{language}/facts#{slug}",
        ContentKind.Video => $"/{language}/videos#{slug}",
        ContentKind.MediaContact => $"/{language}/press#contacts",
        _ => $"/{language}/{Segment(kind)}/{slug}",
    };

    private IQueryable<ContentTranslation> Published(IEnumerable<ContentKind> kinds)
    {
        var now = time.GetUtcNow();
        var list = kinds.ToList();
        return db.CampaignTranslations.AsNoTracking().Include(t => t.Item)
            .Where(t => t.Status == TranslationStatus.Published && (t.PublishAt == null || t.PublishAt <= now)
                && t.Item.DeletedAt == null && list.Contains(t.Item.Kind));
    }

    /// <summary>Picks, for each item, the best published version in the reader's fallback chain (or any version at all).</summary>
    public static List<ContentView> Choose(IEnumerable<ContentTranslation> published, string language)
    {
        var chain = Infrastructure.Localization.Languages.FallbackChain(language);
        var views = new List<ContentView>();
        foreach (var group in published.GroupBy(t => t.ItemId))
        {
            var versions = group.ToList();
            var shown = chain.Select(l => versions.FirstOrDefault(v => v.Language == l)).FirstOrDefault(v => v is not null)
                ?? versions.OrderBy(v => Infrastructure.Localization.Languages.All.ToList().IndexOf(v.Language)).First();
            var slugs = Infrastructure.Localization.Languages.All
                .Select(l => versions.FirstOrDefault(v => v.Language == l))
                .Where(v => v is not null)
                .ToDictionary(v => v!.Language, v => v!.Slug, StringComparer.Ordinal);
            views.Add(new ContentView(shown.Item, shown, language, slugs));
        }
        return views.OrderByDescending(v => v.Item.Kind == ContentKind.Fact ? DateTimeOffset.MinValue : v.Date).ThenBy(v => v.Item.Id).ToList();
    }

    public async Task<List<ContentView>> ListAsync(string language, ContentKind[] kinds, string? country = null, CancellationToken ct = default)
    {
        var query = Published(kinds);
        if (country is not null)
        {
            query = query.Where(t => t.Item.CountryIso3 == country);
        }
        return Choose(await query.ToListAsync(ct), language);
    }

    public Task<List<ContentView>> ListAsync(string language, ContentKind kind, CancellationToken ct = default) =>
        ListAsync(language, [kind], null, ct);

    /// <summary>An item by the slug of any of its published versions, shown in the best language for the reader; null when none.</summary>
    public async Task<ContentView?> FindAsync(string language, ContentKind kind, string slug, CancellationToken ct = default)
    {
        var matches = await Published([kind]).Where(t => t.Slug == slug).Select(t => new { t.ItemId, t.Language }).ToListAsync(ct);
        if (matches.Count == 0)
        {
            return null;
        }
        var itemId = (matches.FirstOrDefault(m => m.Language == language) ?? matches[0]).ItemId;
        var versions = await Published([kind]).Where(t => t.ItemId == itemId).ToListAsync(ct);
        return Choose(versions, language).FirstOrDefault();
    }

    public async Task<ContentView?> FindByKeyAsync(string language, string key, CancellationToken ct = default)
    {
        var versions = await Published(Enum.GetValues<ContentKind>()).Where(t => t.Item.Key == key).ToListAsync(ct);
        return Choose(versions, language).FirstOrDefault();
    }

    /// <summary>Every published version, for the sitemap.</summary>
    public async Task<List<ContentView>> AllPublishedAsync(CancellationToken ct = default) =>
        Choose(await Published([ContentKind.Story, ContentKind.PressRelease, ContentKind.Page]).ToListAsync(ct), Infrastructure.Localization.Languages.English);
}
