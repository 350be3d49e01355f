using Closer.Web.Infrastructure.Text;

namespace Closer.Tests.Infrastructure.Text;

public sealed class UnicodeTextTests
{
    public static TheoryData<string> Samples => [.. UnicodeCorpus.Samples];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Fold_KeepsEveryUnit_AndNeverBreaksAPair(string text)
    {
        var folded = SearchText.Fold(text);
        Assert.Equal(text.Length, folded.Length);
        Assert.False(UnicodeCorpus.HasLoneSurrogate(folded));
        Assert.Equal(folded, SearchText.Fold(folded));
    }

    [Fact]
    public void Fold_TurnsALoneSurrogateIntoTheReplacementCharacter() =>
        Assert.Equal("a\uFFFDb", SearchText.Fold("a\uD83Db"));

    [Fact]
    public void Fold_StillFoldsAccentsAndCase_BesideAnEmoji() =>
        Assert.Equal("migracion 😀 cafe", SearchText.Fold("Migración 😀 CAFÉ"));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Slugify_GivesAValidSlug(string title) =>
        Assert.True(Slugs.IsValidSlug(Slugs.Slugify(title)), Slugs.Slugify(title));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Truncate_CutsBetweenWholeCharacters(string text)
    {
        for (var max = 0; max <= text.Length + 1; max++)
        {
            var cut = TextLimits.Truncate(text, max);
            Assert.True(cut.Length <= max);
            Assert.StartsWith(cut, text, StringComparison.Ordinal);
            Assert.False(UnicodeCorpus.HasLoneSurrogate(cut));
        }
        Assert.Equal("Cafe\u0301", TextLimits.Truncate("Cafe\u0301 x", 5));
        Assert.Equal("Caf", TextLimits.Truncate("Cafe\u0301 x", 4));
        Assert.Equal("", TextLimits.Truncate("👩🏽‍💻", 6));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Snippet_AroundAnEmoji_IsWholeText(string sample)
    {
        var text = string.Concat(Enumerable.Repeat(sample + " ", 30)) + "needle " + string.Concat(Enumerable.Repeat(sample + " ", 30));
        for (var radius = 1; radius < 40; radius++)
        {
            var snippet = SearchText.Snippet(text, ["needle"], radius);
            Assert.NotNull(snippet);
            Assert.False(UnicodeCorpus.HasLoneSurrogate(snippet));
        }
        Assert.NotNull(SearchText.Snippet(text, SearchText.Terms(sample)));
    }
}
