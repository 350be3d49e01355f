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
                var expected = Placeholder().Matches(key).Select(m => m.Value).Order(StringComparer.Ordinal);
                var actual = Placeholder().Matches(value).Select(m => m.Value).Order(StringComparer.Ordinal);
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void EveryStringUsedInTheCode_HasAResourceKey()
    {
        var src = Path.Combine(RepoRoot(), "src", "Closer.Web");
        var files = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains("Migrations", StringComparison.Ordinal));
        var missing = new List<string>();
        var english = Table.Entries("en");
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (Match m in UsedKey().Matches(text))
            {
                var key = m.Groups.Values.Skip(1).First(g => g.Success).Value.Replace("\\\"", "\"", StringComparison.Ordinal);
                if (!english.ContainsKey(key))
                {
                    missing.Add($"{Path.GetFileName(file)}: {key}");
                }
            }
        }
        Assert.Empty(missing);
    }

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

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Closer.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Closer.slnx not found above the test binaries.");
    }

    private const string UsedKeyPattern =
        "\\b[Tt]\\[\"((?:[^\"\\\\]|\\\\.)*)\"" +
        "|\\bS\\(\"((?:[^\"\\\\]|\\\\.)*)\"\\)" +
        "|Error\\(\"[^\"]*\",\\s*\"((?:[^\"\\\\]|\\\\.)*)\"" +
        "|FieldError\\([^,]*,\\s*\"[^\"]*\",\\s*\"((?:[^\"\\\\]|\\\\.)*)\"";

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    // T["..."] / t["..."] in pages and models, S("...") in e-mails, messages of error records.
    [GeneratedRegex(UsedKeyPattern)]
    private static partial Regex UsedKey();
}
