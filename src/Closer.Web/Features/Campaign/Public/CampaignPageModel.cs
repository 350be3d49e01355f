using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Closer.Web.Features.Campaign.Public;

/// <summary>What a page tells social networks: Open Graph and Twitter card tags.</summary>
public sealed record SocialCard(string Title, string Description, string Type, string Locale, IReadOnlyList<string> AlternateLocales, string Image);

/// <summary>Common parts of the public campaign pages: language, social tags, the languages a page really exists in.</summary>
public abstract class CampaignPageModel : PageModel
{
    public const string SocialKey = "Campaign.Social";

    public string Lang => HttpContext.Language();

    /// <summary>og:locale values: language_TERRITORY as the networks expect.</summary>
    public static string OgLocale(string language) => language switch
    {
        Languages.Spanish => "es_LA",
        Languages.Portuguese => "pt_BR",
        Languages.Papiamentu => "pap_CW",
        _ => "en_US",
    };

    /// <summary>The English name of a language, used as the key of its name in the reader's language.</summary>
    public static string LanguageName(string language) => language switch
    {
        Languages.Spanish => "Spanish",
        Languages.Portuguese => "Portuguese",
        Languages.Papiamentu => "Papiamentu",
        _ => "English",
    };

    /// <summary>Sets title, description and social tags; <paramref name="languages"/> limits hreflang to the versions that exist.</summary>
    protected void Describe(string title, string description, string card = "home", string type = "website", IReadOnlyList<string>? languages = null, string? image = null)
    {
        ViewData["Title"] = title;
        ViewData["Description"] = description;
        var available = languages ?? Languages.All;
        ViewData[PageLinks.AvailableLanguagesKey] = available;
        ViewData[SocialKey] = new SocialCard(title, description, type, OgLocale(Lang),
            available.Where(l => l != Lang).Select(OgLocale).ToList(), image ?? $"/{Lang}/og/page/{card}.png");
    }

    /// <summary>For content with a slug per language: the hreflang alternates and the language switcher point to each version's own URL.</summary>
    protected void DescribeContent(ContentView view)
    {
        var urls = view.SlugsByLanguage.ToDictionary(p => p.Key, p => ContentService.Url(p.Key, view.Item.Kind, p.Value), StringComparer.Ordinal);
        HttpContext.Items[PageLinks.AlternateUrlsKey] = (IReadOnlyDictionary<string, string>)urls;
        Describe(view.Shown.Title, view.Shown.Summary, type: "article", languages: view.Languages, image: $"/{Lang}/og/content/{view.Shown.Id}.png");
    }
}
