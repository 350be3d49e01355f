using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Closer.Web.Infrastructure.Localization;

/// <summary>The four languages of Closer, their cultures, negotiation and fallback.</summary>
public static class Languages
{
    public const string English = "en";
    public const string Spanish = "es";
    public const string Portuguese = "pt";
    public const string Papiamentu = "pap";
    public const string Default = English;

    public static IReadOnlyList<string> All { get; } = [English, Spanish, Portuguese, Papiamentu];

    private static readonly FrozenDictionary<string, CultureInfo> Cultures = new Dictionary<string, CultureInfo>
    {
        [English] = CultureInfo.ReadOnly(new CultureInfo("en")),
        [Spanish] = CultureInfo.ReadOnly(new CultureInfo("es")),
        [Portuguese] = CultureInfo.ReadOnly(new CultureInfo("pt")),
        [Papiamentu] = CultureInfo.ReadOnly(PapiamentuCulture.Create()),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool IsSupported(string? language) => language is not null && Cultures.ContainsKey(language);

    /// <summary>The app's own culture for a language; Papiamentu's carries formats ICU does not have.</summary>
    public static CultureInfo Culture(string language) =>
        Cultures.TryGetValue(language, out var culture) ? culture : Cultures[Default];

    /// <summary>The language of a culture set by this app (en, es, pt or pap).</summary>
    public static string FromCulture(CultureInfo culture)
    {
        for (var c = culture; !string.IsNullOrEmpty(c.Name); c = c.Parent)
        {
            if (IsSupported(c.Name))
            {
                return c.Name;
            }
        }
        return Default;
    }

    public static string Current => FromCulture(CultureInfo.CurrentUICulture);

    /// <summary>Runs <paramref name="build"/> with the current (UI) culture set to a language's, then puts it back (mail composed off-request).</summary>
    public static T InCulture<T>(string language, Func<T> build)
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = Languages.Culture(language);
            return build();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui);
        }
    }

    /// <summary>Where a reader is sent when a page is missing in their language: pap → es → en; pt → es → en; es → en.</summary>
    public static IReadOnlyList<string> FallbackChain(string language) => language switch
    {
        Papiamentu => [Papiamentu, Spanish, English],
        Portuguese => [Portuguese, Spanish, English],
        Spanish => [Spanish, English],
        _ => [English],
    };

    /// <summary>Maps one language tag of a browser to one of ours, or null.</summary>
    public static string? Match(string tag)
    {
        var primary = tag.Split('-', 2)[0].Trim().ToLowerInvariant();
        return primary switch
        {
            "pap" => Papiamentu,
            "pt" => Portuguese,
            "es" => Spanish,
            "en" => English,
            _ => null,
        };
    }

    /// <summary>The best of our languages for an Accept-Language header (quality values honoured), else English.</summary>
    public static string Negotiate(string? acceptLanguage)
    {
        if (string.IsNullOrWhiteSpace(acceptLanguage)
            || !StringWithQualityHeaderValue.TryParseList(acceptLanguage.Split(','), out var values))
        {
            return Default;
        }
        var best = values
            .Select((v, i) => (Tag: v.Value.Value ?? "", Quality: v.Quality ?? 1.0, Index: i))
            .Where(v => v.Quality > 0)
            .OrderByDescending(v => v.Quality)
            .ThenBy(v => v.Index)
            .Select(v => Match(v.Tag))
            .FirstOrDefault(l => l is not null);
        return best ?? Default;
    }
}
