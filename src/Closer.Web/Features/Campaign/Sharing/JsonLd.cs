using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Closer.Web.Features.Campaign.Content;

namespace Closer.Web.Features.Campaign.Sharing;

/// <summary>
/// schema.org JSON-LD for search engines and link previews: <c>ClaimReview</c> for a fact card (the myth is the claim,
/// the fact the review, with the figure's source and date), <c>Article</c> for a story. Videos carry their
/// <c>VideoObject</c> (Video/VideoPlayer). Written as a data block, which the CSP's script-src does not govern.
/// </summary>
public static partial class JsonLd
{
    // Letters of every language as they are; "<", ">" and "&" escaped as \u003C…, so no text can close the element.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public static string Script(IDictionary<string, object?> value) =>
        "<script type=\"application/ld+json\">" + Serialize(value) + "</script>";

    public static string Serialize(IDictionary<string, object?> value) =>
        JsonSerializer.Serialize(value.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value), Options);

    /// <summary>Text of HTML (a summary with its live figures expanded), for JSON and PDF.</summary>
    public static string PlainText(string html) => WebUtility.HtmlDecode(Tags().Replace(html, "")).Trim();

    private static Dictionary<string, object?> Organisation(string name, string origin) => new()
    {
        ["@type"] = "Organization",
        ["name"] = name,
        ["url"] = origin + "/",
    };

    /// <summary>"2024-07" → "2024-07" (schema.org dates may be a year-month), anything else left out.</summary>
    private static string? IsoMonth(string? date) =>
        date is not null && DateOnly.TryParseExact(date + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? date : null;

    public static Dictionary<string, object?> ClaimReview(ContentView fact, string factText, string origin, string campaign, string verdict)
    {
        var item = fact.Item;
        var language = fact.Shown.Language;
        var source = item.FigureSource is { Length: > 0 } s
            ? new Dictionary<string, object?> { ["@type"] = "CreativeWork", ["name"] = s, ["datePublished"] = IsoMonth(item.FigureDate) }
                .Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value)
            : null;
        return new Dictionary<string, object?>
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "ClaimReview",
            ["url"] = origin + ContentService.Url(fact.RequestedLanguage, ContentKind.Fact, fact.Shown.Slug),
            ["inLanguage"] = language,
            ["datePublished"] = fact.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["claimReviewed"] = fact.Shown.Title,
            ["reviewBody"] = factText,
            ["itemReviewed"] = new Dictionary<string, object?> { ["@type"] = "Claim", ["name"] = fact.Shown.Title, ["inLanguage"] = language },
            ["reviewRating"] = new Dictionary<string, object?>
            {
                ["@type"] = "Rating", ["ratingValue"] = 1, ["worstRating"] = 1, ["bestRating"] = 5, ["alternateName"] = verdict,
            },
            ["author"] = Organisation(campaign, origin),
            ["isBasedOn"] = source,
            ["citation"] = item.FigureSource is { Length: > 0 } ? $"{item.FigureSource}, {item.FigureDate}" : null,
        };
    }

    public static Dictionary<string, object?> Article(ContentView story, string origin, string campaign, string? image) => new()
    {
        ["@context"] = "https://schema.org",
        ["@type"] = "Article",
        ["headline"] = story.Shown.Title,
        ["description"] = story.Shown.Summary,
        ["inLanguage"] = story.Shown.Language,
        ["url"] = origin + ContentService.Url(story.Shown.Language, story.Item.Kind, story.Shown.Slug),
        ["mainEntityOfPage"] = origin + ContentService.Url(story.RequestedLanguage, story.Item.Kind, story.Shown.Slug),
        ["datePublished"] = story.Date.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
        ["dateModified"] = story.Shown.UpdatedAt.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
        ["image"] = image is null ? null : origin + image,
        ["author"] = Organisation(campaign, origin),
        ["publisher"] = Organisation(campaign, origin),
        ["isAccessibleForFree"] = true,
        ["contentLocation"] = story.Item.CountryIso3 is { } iso3 ? new Dictionary<string, object?> { ["@type"] = "Country", ["identifier"] = iso3 } : null,
    };

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
