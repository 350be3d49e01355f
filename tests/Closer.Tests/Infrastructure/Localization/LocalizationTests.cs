using System.Globalization;
using System.Text.RegularExpressions;
using Closer.Web.Infrastructure.Localization;

namespace Closer.Tests.Infrastructure.Localization;

public sealed partial class LocalizationTests
{
    private static readonly StringTable Table = new();

    [Fact]
    public void EveryResourceKey_IsTranslatedInAllFourLanguages()
    {
        var english = Table.Entries("en").Keys.ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(english);
        foreach (var lang in Languages.All)
        {
            var keys = Table.Entries(lang).Keys.ToHashSet(StringComparer.Ordinal);
            Assert.Empty(english.Except(keys));
            Assert.Empty(keys.Except(english));
            Assert.All(Table.Entries(lang), e => Assert.False(string.IsNullOrWhiteSpace(e.Value), $"{lang}: '{e.Key}' is empty"));
        }
    }

    [Fact]
    public void EveryHxlTermMeaning_IsTranslated_ForTheDataPackagesFieldDescriptions()
    {
        foreach (var term in Closer.Web.Infrastructure.Tabular.Hxl.All)
        {
            foreach (var lang in Languages.All.Where(l => l != "en"))
            {
                Assert.True(Table.Entries(lang).TryGetValue(term.Meaning, out var text) && text != term.Meaning, $"{lang}: '{term.Meaning}' ({term.Tag}) is not translated");
            }
        }
    }

    [Fact]
    public void EveryResourceArea_HasAFileInAllFourLanguages()
    {
        Assert.Contains("foundation", Table.Areas.Keys);
        Assert.All(Table.Areas, a => Assert.Equal(Languages.All.Order(StringComparer.Ordinal), a.Value.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void TranslationsKeepTheirPlaceholders()
    {
        foreach (var lang in Languages.All)
        {
            foreach (var (key, value) in Table.Entries(lang))
            {
                var expected = Placeholders(key);
                Assert.Equal(expected, Placeholders(value));
                if (Table.Plurals(lang).TryGetValue(key, out var forms))
                {
                    Assert.All(forms, f => Assert.True(expected.SequenceEqual(Placeholders(f.Value)), $"{lang}: the {f.Key} form of '{key}' changes its placeholders"));
                }
            }
        }
    }

    private static List<string> Placeholders(string text) =>
        Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void EveryCountedPhrase_HasThePluralFormsOfEachLanguage()
    {
        var english = Table.Plurals("en");
        Assert.NotEmpty(english);
        foreach (var lang in Languages.All)
        {
            var plurals = Table.Plurals(lang);
            // A counted phrase is counted in every language, and a plain string is plain in every language.
            Assert.Equal(english.Keys.Order(StringComparer.Ordinal), plurals.Keys.Order(StringComparer.Ordinal));
            var required = PluralRules.Required(lang);
            var allowed = required.Union(PluralRules.Optional(lang)).ToHashSet();
            foreach (var (key, forms) in plurals)
            {
                Assert.True(required.IsSubsetOf(forms.Keys), $"{lang}: '{key}' lacks a form of {string.Join(", ", required.Except(forms.Keys))}");
                Assert.True(allowed.IsSupersetOf(forms.Keys), $"{lang}: '{key}' has a form {lang} does not use: {string.Join(", ", forms.Keys.Except(allowed))}");
                Assert.All(forms, f => Assert.False(string.IsNullOrWhiteSpace(f.Value), $"{lang}: the {f.Key} form of '{key}' is empty"));
            }
        }
        // The English "other" form is the key.
        Assert.All(english, e => Assert.Equal(e.Key, e.Value[PluralCategory.Other]));
    }

    [Fact]
    public void EveryStringUsedInTheCode_HasAResourceKey()
    {
        var src = Path.Combine(Repository.Root, "src", "Closer.Web");
        var files = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains("Migrations", StringComparison.Ordinal));
        var missing = new List<string>();
        var english = Table.Entries("en");
        var plurals = Table.Plurals("en");
        var pluralCalls = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (Match m in UsedKey().Matches(text))
            {
                var key = Unescape(m.Groups.Values.Skip(1).First(g => g.Success).Value);
                if (!english.ContainsKey(key))
                {
                    missing.Add($"{Path.GetFileName(file)}: {key}");
                }
                else if (plurals.ContainsKey(key))
                {
                    missing.Add($"{Path.GetFileName(file)}: '{key}' is a counted phrase: use Plural(count, one, other)");
                }
            }
            foreach (Match m in UsedPlural().Matches(text))
            {
                var (one, other) = (Unescape(m.Groups["one"].Value), Unescape(m.Groups["other"].Value));
                if (!plurals.TryGetValue(other, out var forms))
                {
                    missing.Add($"{Path.GetFileName(file)}: counted phrase '{other}'");
                }
                else if (forms.GetValueOrDefault(PluralCategory.One) != one)
                {
                    missing.Add($"{Path.GetFileName(file)}: '{other}' says '{one}' for one, the English entry '{forms.GetValueOrDefault(PluralCategory.One)}'");
                }
                pluralCalls++;
            }
        }
        Assert.Empty(missing);
        Assert.True(pluralCalls > 10, "The scan found too few Plural(...) calls: has the pattern drifted from the code?");
    }

    private static string Unescape(string literal) => literal.Replace("\\\"", "\"", StringComparison.Ordinal);

    [Theory]
    [InlineData("pap-CW", "pap")]
    [InlineData("pap-AW", "pap")]
    [InlineData("pt-BR", "pt")]
    [InlineData("es-MX", "es")]
    [InlineData("es", "es")]
    [InlineData("fr-FR", "en")]
    [InlineData("en-GB", "en")]
    [InlineData("nl;q=1, pap;q=0.5", "pap")]
    [InlineData("es;q=0", "en")]
    [InlineData("garbage;;;", "en")]
    [InlineData(null, "en")]
    public void Negotiate_PicksTheBestSupportedLanguage(string? header, string expected) =>
        Assert.Equal(expected, Languages.Negotiate(header));

    [Theory]
    [InlineData("pap", new[] { "pap", "es", "en" })]
    [InlineData("pt", new[] { "pt", "es", "en" })]
    [InlineData("es", new[] { "es", "en" })]
    [InlineData("en", new[] { "en" })]
    public void FallbackChain_IsPapThenSpanishThenEnglish(string lang, string[] chain) =>
        Assert.Equal(chain, Languages.FallbackChain(lang));

    [Fact]
    public void Papiamentu_FormatsDatesWithItsOwnNames()
    {
        var pap = Languages.Culture("pap");
        var date = new DateTime(2021, 11, 25);
        Assert.Equal("25 di novèmber 2021", date.ToString("d 'di' MMMM yyyy", pap));
        Assert.Equal("djaweps 25 di novèmber 2021", date.ToString("D", pap));
        Assert.Equal("25-11-2021", date.ToString("d", pap));
        Assert.Equal("novèmber 2021", date.ToString("Y", pap));
        Assert.Equal("djadumingu", new DateTime(2026, 11, 29).ToString("dddd", pap));
        Assert.Equal("yüli", new DateTime(2024, 7, 1).ToString("MMMM", pap));
        Assert.Equal(12, pap.DateTimeFormat.MonthNames.Count(n => n.Length > 0));
        Assert.Equal(DayOfWeek.Monday, pap.DateTimeFormat.FirstDayOfWeek);
    }

    [Fact]
    public void Papiamentu_FormatsNumbersTheCuraçaoWay()
    {
        var pap = Languages.Culture("pap");
        Assert.Equal("1.842.390", 1842390.ToString("N0", pap));
        Assert.Equal("6.038.937,50", 6038937.5m.ToString("N2", pap));
        Assert.Equal("80 %", 0.8.ToString("P0", pap));
        Assert.Equal("US$ 1.350.000.000", 1_350_000_000m.ToString("C0", pap));
        Assert.Equal(1234.5m, decimal.Parse("1.234,5", NumberStyles.Number, pap));
    }

    [Fact]
    public void OtherLanguages_KeepTheirOwnFormats()
    {
        Assert.Equal("1,842,390", 1842390.ToString("N0", Languages.Culture("en")));
        Assert.Equal("1.842.390", 1842390.ToString("N0", Languages.Culture("pt")));
        Assert.Equal("novembro", new DateTime(2021, 11, 25).ToString("MMMM", Languages.Culture("pt")));
        Assert.Equal("noviembre", new DateTime(2021, 11, 25).ToString("MMMM", Languages.Culture("es")));
    }

    [Fact]
    public void Localizer_FallsBackToEnglishKeyForUnknownStrings()
    {
        var (value, found) = Table.Lookup("A sentence nobody translated", "pap");
        Assert.Equal("A sentence nobody translated", value);
        Assert.False(found);
        Assert.Equal(("Un paso mas serka", true), Table.Lookup("One step closer", "pap"));
    }

    [Fact]
    public void NumberedPluralNouns_AreCountedPhrases()
    {
        // "{0} replies" as a plain string reads "1 replies": a number before an English plural noun is a counted phrase.
        string[] plainOnPurpose =
        [
            "The first {0} of {1} errors:", // shown only when more errors than the first {0} exist, so {1} is 2 or more
        ];
        var plain = Table.Entries("en").Keys.Where(k => !Table.Plurals("en").ContainsKey(k) && NumberedPluralNoun().IsMatch(k));
        Assert.Empty(plain.Except(plainOnPurpose, StringComparer.Ordinal));
    }

    // A placeholder, up to two words, then a word ending in s that is not a verb ("{0} has", "{2} was").
    [GeneratedRegex(@"\{\d\}(?: [a-z-]+){0,2} (?!(?:has|was|is|does)\b)[a-z-]+s\b")]
    private static partial Regex NumberedPluralNoun();

    // CLDR plural rules for whole numbers, one theory per language (unicode.org/cldr, plurals.xml).
    [Theory]
    [InlineData(0, PluralCategory.Other)]
    [InlineData(1, PluralCategory.One)]
    [InlineData(2, PluralCategory.Other)]
    [InlineData(-1, PluralCategory.One)]
    [InlineData(11, PluralCategory.Other)]
    [InlineData(1_000_000, PluralCategory.Other)]
    public void English_HasOneForExactlyOne(long count, PluralCategory expected) =>
        Assert.Equal(expected, PluralRules.Category("en", count));

    [Theory]
    [InlineData(0, PluralCategory.Other)]
    [InlineData(1, PluralCategory.One)]
    [InlineData(2, PluralCategory.Other)]
    [InlineData(21, PluralCategory.Other)]
    [InlineData(1_000_000, PluralCategory.Many)]
    [InlineData(3_000_000, PluralCategory.Many)]
    [InlineData(1_000_001, PluralCategory.Other)]
    public void Spanish_HasOneForOne_AndManyForWholeMillions(long count, PluralCategory expected) =>
        Assert.Equal(expected, PluralRules.Category("es", count));

    [Theory]
    [InlineData(0, PluralCategory.One)]
    [InlineData(1, PluralCategory.One)]
    [InlineData(2, PluralCategory.Other)]
    [InlineData(101, PluralCategory.Other)]
    [InlineData(2_000_000, PluralCategory.Many)]
    [InlineData(2_500_000, PluralCategory.Other)]
    public void Portuguese_PutsZeroWithOne_AndHasManyForWholeMillions(long count, PluralCategory expected) =>
        Assert.Equal(expected, PluralRules.Category("pt", count));

    [Theory]
    [InlineData(0, PluralCategory.Other)]
    [InlineData(1, PluralCategory.One)]
    [InlineData(2, PluralCategory.Other)]
    [InlineData(1_000_000, PluralCategory.Other)]
    public void Papiamentu_HasOneForExactlyOne(long count, PluralCategory expected) =>
        Assert.Equal(expected, PluralRules.Category("pap", count));

    [Theory]
    [InlineData("en", 0, "0 replies")]
    [InlineData("en", 1, "1 reply")]
    [InlineData("en", 1234, "1,234 replies")]
    [InlineData("es", 1, "1 respuesta")]
    [InlineData("es", 0, "0 respuestas")]
    [InlineData("es", 1_000_000, "1.000.000 respuestas")] // no "many" form: other
    [InlineData("pt", 0, "0 resposta")]
    [InlineData("pt", 1, "1 resposta")]
    [InlineData("pt", 2, "2 respostas")]
    [InlineData("pap", 1, "1 kontesta")]
    [InlineData("pap", 2, "2 kontesta")] // after a number the noun stays singular
    [InlineData("pap", 1234, "1.234 kontesta")]
    public void Plural_PicksTheLanguagesForm_AndFormatsTheCount(string lang, long count, string expected)
    {
        var t = new JsonStringLocalizer(Table);
        Assert.Equal(expected, Languages.InCulture(lang, () => t.Plural(count, "{0} reply", "{0} replies").Value));
    }

    [Fact]
    public void Plural_FillsTheOtherArguments_AndKeepsACountLeftOutOfTheText()
    {
        var t = new JsonStringLocalizer(Table);
        Assert.Equal("1 resultado para «pan».", Languages.InCulture("es", () => t.Plural(1, "{0} result for “{1}”.", "{0} results for “{1}”.", "pan").Value));
        Assert.Equal("person has taken a step closer.", Languages.InCulture("en", () => t.Plural(1, "person has taken a step closer.", "people have taken a step closer.").Value));
        Assert.Equal("pessoa já reduziu a distância.", Languages.InCulture("pt", () => t.Plural(0, "person has taken a step closer.", "people have taken a step closer.").Value));
    }

    [Fact]
    public void Plural_OfAnUnknownPhrase_FallsBackToTheEnglishFormsOfTheCode()
    {
        var t = new JsonStringLocalizer(Table);
        var one = Languages.InCulture("pt", () => t.Plural(1, "{0} unheard-of thing", "{0} unheard-of things"));
        Assert.Equal("1 unheard-of thing", one.Value);
        Assert.True(one.ResourceNotFound);
        // Portuguese would say one for 0; the English fallback forms follow the English rule.
        Assert.Equal("0 unheard-of things", Languages.InCulture("pt", () => t.Plural(0, "{0} unheard-of thing", "{0} unheard-of things").Value));
    }

    [Fact]
    public void Plural_ReachesTheFormsThroughTheInjectedLocalizer()
    {
        var services = new ServiceCollection().AddCloserLocalization().BuildServiceProvider();
        var t = services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>();
        Assert.Equal("1 kontesta", Languages.InCulture("pap", () => t.Plural(1, "{0} reply", "{0} replies").Value));
        Assert.False(Languages.InCulture("pap", () => t.Plural(1, "{0} reply", "{0} replies")).ResourceNotFound);
    }

    private const string UsedKeyPattern =
        "\\b[Tt]\\[\"((?:[^\"\\\\]|\\\\.)*)\"" +
        "|\\bS\\(\"((?:[^\"\\\\]|\\\\.)*)\"\\)" +
        "|Error\\(\"[^\"]*\",\\s*\"((?:[^\"\\\\]|\\\\.)*)\"" +
        "|FieldError\\([^,]*,\\s*\"[^\"]*\",\\s*\"((?:[^\"\\\\]|\\\\.)*)\"";

    // t.Plural(count, "one", "other"...), T.Plural(...) in pages, mail.Plural(...) in e-mails; the count holds no string.
    [GeneratedRegex("\\bPlural\\([^\";]*?,\\s*\"(?<one>(?:[^\"\\\\]|\\\\.)*)\",\\s*\"(?<other>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex UsedPlural();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    // T["..."] / t["..."] in pages and models, S("...") in e-mails, messages of error records.
    [GeneratedRegex(UsedKeyPattern)]
    private static partial Regex UsedKey();
}
