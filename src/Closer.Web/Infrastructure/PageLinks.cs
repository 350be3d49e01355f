using Closer.Web.Infrastructure.Localization;

namespace Closer.Web.Infrastructure;

/// <summary>Links of the current page in the other languages: the switcher and the hreflang alternates.</summary>
public static class PageLinks
{
    /// <summary>View-data key a page sets to the languages it really exists in (defaults to all four).</summary>
    public const string AvailableLanguagesKey = "AvailableLanguages";

    /// <summary>
    /// HttpContext.Items key a page sets to an <c>IReadOnlyDictionary&lt;string, string&gt;</c> of its own URLs per
    /// language, when they differ by more than the prefix (content with a slug per language).
    /// </summary>
    public const string AlternateUrlsKey = "closer.alternate-urls";

    /// <summary>The same page in another language: the URL prefix swapped, or <c>?lang=</c> on unprefixed pages.</summary>
    public static string InLanguage(HttpContext context, string language)
    {
        if (context.Items.TryGetValue(AlternateUrlsKey, out var value) && value is IReadOnlyDictionary<string, string> urls
            && urls.TryGetValue(language, out var url))
        {
            return url;
        }
        var path = context.Request.Path.Value ?? "/";
        // On an error page, link the page that was asked for, not the error page itself.
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is { } reExecuted
            && Languages.IsSupported(reExecuted.OriginalPath.TrimStart('/').Split('/', 2)[0]))
        {
            var tailOfOriginal = reExecuted.OriginalPath.TrimStart('/').Split('/', 2) is [_, var t] ? t : "";
            return $"/{language}/{tailOfOriginal}{reExecuted.OriginalQueryString}";
        }
        if (context.HasLanguagePrefix())
        {
            var rest = path.TrimStart('/').Split('/', 2);
            var tail = rest.Length > 1 ? rest[1] : "";
            return $"/{language}/{tail}{context.Request.QueryString}";
        }
        var query = context.Request.Query
            .Where(q => !string.Equals(q.Key, "lang", StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"lang={language}");
        return $"{path}?{string.Join('&', query)}";
    }

    public static string Absolute(HttpContext context, string relative) =>
        $"{context.Request.Scheme}://{context.Request.Host}{relative}";

    /// <summary>Native names, so a reader finds their language whatever language the page is in.</summary>
    public static string NativeName(string language) => language switch
    {
        Languages.Spanish => "Español",
        Languages.Portuguese => "Português",
        Languages.Papiamentu => "Papiamentu",
        _ => "English",
    };
}
