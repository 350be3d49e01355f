namespace Closer.Web.Infrastructure.Localization;

/// <summary>The CLDR plural categories; Closer's languages use one, many and other.</summary>
public enum PluralCategory
{
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

/// <summary>
/// Which plural form a whole number takes in each of Closer's languages, after the CLDR plural rules
/// (unicode.org/cldr, plurals.xml) for integers: English and Papiamentu say "1 reply", "0 replies";
/// Portuguese (CLDR "pt", the Brazilian norm) puts 0 with 1 ("0 resposta"); Spanish and Portuguese have a
/// "many" form for whole millions ("1.000.000 de respuestas"), which falls back to "other" when an entry has none.
/// </summary>
public static class PluralRules
{
    /// <summary>The categories a language's entries must hold; others they may hold are in <see cref="Optional"/>.</summary>
    public static IReadOnlySet<PluralCategory> Required(string language) => OneOther;

    /// <summary>Categories a language has that an entry may leave out (falling back to other).</summary>
    public static IReadOnlySet<PluralCategory> Optional(string language) => language switch
    {
        Languages.Spanish or Languages.Portuguese => Many,
        _ => None,
    };

    public static PluralCategory Category(string language, long count)
    {
        // CLDR's operands for a whole number: n = i = |count|, no visible fraction digits (v = 0), exponent e = 0.
        var i = count == long.MinValue ? long.MaxValue : Math.Abs(count);
        return language switch
        {
            Languages.Portuguese => i is 0 or 1 ? PluralCategory.One : IsWholeMillions(i) ? PluralCategory.Many : PluralCategory.Other,
            Languages.Spanish => i == 1 ? PluralCategory.One : IsWholeMillions(i) ? PluralCategory.Many : PluralCategory.Other,
            // English and Papiamentu (CLDR: one for n = 1); any other language the same.
            _ => i == 1 ? PluralCategory.One : PluralCategory.Other,
        };
    }

    // CLDR: many → e = 0 and i != 0 and i % 1000000 = 0 and v = 0.
    private static bool IsWholeMillions(long i) => i != 0 && i % 1_000_000 == 0;

    private static readonly IReadOnlySet<PluralCategory> OneOther = new HashSet<PluralCategory> { PluralCategory.One, PluralCategory.Other };
    private static readonly IReadOnlySet<PluralCategory> Many = new HashSet<PluralCategory> { PluralCategory.Many };
    private static readonly IReadOnlySet<PluralCategory> None = new HashSet<PluralCategory>();
}
