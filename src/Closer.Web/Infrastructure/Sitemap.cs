namespace Closer.Web.Infrastructure;

/// <summary>
/// A feature's pages for /sitemap.xml, without the sitemap depending on the feature: register an implementation
/// (<c>services.AddScoped&lt;ISitemapSource, X&gt;()</c>) and evict <see cref="Sitemap.CacheTag"/> when those pages change.
/// </summary>
public interface ISitemapSource
{
    /// <summary>One entry per page: its path in each language version (key: en, es, pt, pap), e.g. "/es/documents/7".</summary>
    Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> PagesAsync(CancellationToken ct);
}

public static class Sitemap
{
    /// <summary>Output-cache tag of /sitemap.xml.</summary>
    public const string CacheTag = "sitemap";
}
