using System.Globalization;
using System.Text;
using System.Xml;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Campaign.Public;

/// <summary>Atom feeds, the sitemap with hreflang alternates, robots.txt and subtitle files.</summary>
public static class Discovery
{
    private const string Atom = "http://www.w3.org/2005/Atom";
    private const string SitemapNs = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private const string XhtmlNs = "http://www.w3.org/1999/xhtml";

    /// <summary>Pages every language has, relative to /{lang}/.</summary>
    public static readonly string[] StaticPages = ["", "stories", "facts", "videos", "press", "pledge", "search"];

    private static string Origin(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";

    private static string Iso(DateTimeOffset d) => d.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static async Task<ContentHttpResult> FeedAsync(string lang, HttpContext http, ContentService content, IStringLocalizer<SharedResource> t, TimeProvider time, CancellationToken ct)
    {
        var items = (await content.ListAsync(lang, [ContentKind.Story, ContentKind.PressRelease], null, ct)).Take(50).ToList();
        var origin = Origin(http);
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(sb, new XmlWriterSettings { Indent = false, OmitXmlDeclaration = false }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("feed", Atom);
            w.WriteAttributeString("xml", "lang", null, lang);
            w.WriteElementString("title", Atom, $"Closer — {t["One step closer"]}");
            w.WriteElementString("subtitle", Atom, t["Stories and press releases"]);
            w.WriteElementString("id", Atom, $"{origin}/{lang}/feed.xml");
            w.WriteElementString("updated", Atom, Iso(items.Count > 0 ? items.Max(i => i.Date) : time.GetUtcNow()));
            Link(w, "self", $"{origin}/{lang}/feed.xml", "application/atom+xml");
            Link(w, "alternate", $"{origin}/{lang}/", "text/html");
            w.WriteStartElement("author", Atom);
            w.WriteElementString("name", Atom, "Closer");
            w.WriteEndElement();
            foreach (var v in items)
            {
                w.WriteStartElement("entry", Atom);
                w.WriteAttributeString("xml", "lang", null, v.Shown.Language);
                w.WriteElementString("title", Atom, v.Shown.Title);
                w.WriteElementString("id", Atom, $"urn:closer:content:{v.Item.Id.ToString(CultureInfo.InvariantCulture)}:{v.Shown.Language}");
                w.WriteElementString("updated", Atom, Iso(v.Shown.UpdatedAt > v.Date ? v.Shown.UpdatedAt : v.Date));
                w.WriteElementString("published", Atom, Iso(v.Date));
                Link(w, "alternate", origin + ContentService.Url(lang, v.Item.Kind, v.Shown.Slug), "text/html");
                w.WriteElementString("summary", Atom, v.Shown.Summary);
                w.WriteStartElement("category", Atom);
                w.WriteAttributeString("term", v.Item.Kind == ContentKind.Story ? "story" : "press-release");
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return TypedResults.Text(sb.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal), "application/atom+xml; charset=utf-8", Encoding.UTF8);
    }

    private static void Link(XmlWriter w, string rel, string href, string type)
    {
        w.WriteStartElement("link", Atom);
        w.WriteAttributeString("rel", rel);
        w.WriteAttributeString("type", type);
        w.WriteAttributeString("href", href);
        w.WriteEndElement();
    }

    public static async Task<ContentHttpResult> SitemapAsync(HttpContext http, ContentService content, CloserDbContext db,
        [Microsoft.AspNetCore.Mvc.FromServices] IEnumerable<ISitemapSource> sources, CancellationToken ct)
    {
        var origin = Origin(http);
        var all = Languages.All.ToDictionary(l => l, l => "", StringComparer.Ordinal);
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(sb))
        {
            w.WriteStartDocument();
            w.WriteStartElement("urlset", SitemapNs);
            w.WriteAttributeString("xmlns", "xhtml", null, XhtmlNs);
            foreach (var page in StaticPages.Where(p => p != "search"))
            {
                Url(w, origin, Languages.All.ToDictionary(l => l, l => $"/{l}/{page}", StringComparer.Ordinal));
            }
            var planCountries = await db.Countries.AsNoTracking().OrderBy(c => c.Iso3).Select(c => c.Iso3).ToListAsync(ct);
            foreach (var iso3 in planCountries.Concat(CampaignCountries.CampaignOnly.Select(c => c.Iso3)))
            {
                Url(w, origin, Languages.All.ToDictionary(l => l, l => $"/{l}/countries/{iso3.Trim()}", StringComparer.Ordinal));
            }
            foreach (var v in await content.AllPublishedAsync(ct))
            {
                Url(w, origin, v.SlugsByLanguage.ToDictionary(p => p.Key, p => ContentService.Url(p.Key, v.Item.Kind, p.Value), StringComparer.Ordinal));
            }
            // Other features' pages (documents, ...) through the ISitemapSource extension point.
            foreach (var source in sources)
            {
                foreach (var page in await source.PagesAsync(ct))
                {
                    Url(w, origin, page.ToDictionary(StringComparer.Ordinal));
                }
            }
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return TypedResults.Text(sb.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal), "application/xml; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>One &lt;url&gt; per language version, each listing every version (and x-default) as xhtml:link.</summary>
    private static void Url(XmlWriter w, string origin, Dictionary<string, string> byLanguage)
    {
        foreach (var (_, path) in byLanguage)
        {
            w.WriteStartElement("url", SitemapNs);
            w.WriteElementString("loc", SitemapNs, origin + path);
            foreach (var (l, p) in byLanguage)
            {
                Alternate(w, l, origin + p);
            }
            if (byLanguage.TryGetValue(Languages.English, out var en))
            {
                Alternate(w, "x-default", origin + en);
            }
            w.WriteEndElement();
        }
    }

    private static void Alternate(XmlWriter w, string hreflang, string href)
    {
        w.WriteStartElement("xhtml", "link", XhtmlNs);
        w.WriteAttributeString("rel", "alternate");
        w.WriteAttributeString("hreflang", hreflang);
        w.WriteAttributeString("href", href);
        w.WriteEndElement();
    }

    public static ContentHttpResult Robots(HttpContext http) => TypedResults.Text(
        "User-agent: *\nDisallow: /admin/\nDisallow: /account/\nDisallow: /api/\nAllow: /\n\nSitemap: " + Origin(http) + "/sitemap.xml\n",
        "text/plain; charset=utf-8", Encoding.UTF8);

    public static async Task<Results<ContentHttpResult, NotFound>> SubtitlesAsync(int id, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var vtt = await db.CampaignTranslations.AsNoTracking()
            .Where(t => t.Id == id && t.Item.Kind == ContentKind.Video && t.Item.DeletedAt == null
                && t.Status == TranslationStatus.Published && (t.PublishAt == null || t.PublishAt <= now))
            .Select(t => t.SubtitleVtt).FirstOrDefaultAsync(ct);
        return vtt is null ? TypedResults.NotFound() : TypedResults.Text(vtt, "text/vtt; charset=utf-8", Encoding.UTF8);
    }
}
