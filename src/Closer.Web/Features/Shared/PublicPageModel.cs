using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Closer.Web.Features.Shared;

/// <summary>What a page tells social networks: Open Graph and Twitter card tags.</summary>
public sealed record SocialCard(string Title, string Description, string Type, string Locale, IReadOnlyList<string> AlternateLocales, string Image);

/// <summary>
/// Common parts of every public page (campaign, data, home): language, social tags, the languages a page really exists
/// in. Public pages of any feature derive from it; the campaign's content pages add their per-language slugs on top.
/// </summary>
public abstract class PublicPageModel : PageModel
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
}
