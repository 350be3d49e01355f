using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Shared;
using Closer.Web.Infrastructure;

namespace Closer.Web.Features.Campaign.Public;

/// <summary>The campaign's public pages: the public page parts, plus per-language slugs for content.</summary>
public abstract class CampaignPageModel : PublicPageModel
{
    /// <summary>For content with a slug per language: the hreflang alternates and the language switcher point to each version's own URL.</summary>
    protected void DescribeContent(ContentView view)
    {
        var urls = view.SlugsByLanguage.ToDictionary(p => p.Key, p => ContentService.Url(p.Key, view.Item.Kind, p.Value), StringComparer.Ordinal);
        HttpContext.Items[PageLinks.AlternateUrlsKey] = (IReadOnlyDictionary<string, string>)urls;
        Describe(view.Shown.Title, view.Shown.Summary, type: "article", languages: view.Languages, image: $"/{Lang}/og/content/{view.Shown.Id}.png");
    }
}
