using Closer.Web.Features.Search;

namespace Closer.Tests.Features.Search;

public sealed class SearchPassagesTests
{
    private static string Filler(int chars)
    {
        var sb = new System.Text.StringBuilder();
        var i = 0;
        while (sb.Length < chars)
        {
            sb.Append("palabra").Append(i++ % 97).Append(' ');
        }
        return sb.ToString();
    }

    [Fact]
    public void AWordDeepInALongText_IsFoundPastTheFirstScan()
    {
        var text = Filler(30_000) + "la frontera de Cúcuta " + Filler(20_000);
        var passage = SearchPassages.Build(text, SearchQuery.Parse("frontera cucuta"), "es");
        Assert.Equal(["frontera", "Cúcuta"], passage.Where(p => p.Match).Select(p => p.Text));
        Assert.StartsWith("… ", passage[0].Text);
        Assert.EndsWith(" …", passage[^1].Text);
    }

    [Fact]
    public void WordsEarlyInALongText_AreShownFromThere_AndTheRestIsNotNeeded()
    {
        var text = "Salud en la frontera. " + Filler(50_000) + " salud frontera";
        var passage = SearchPassages.Build(text, SearchQuery.Parse("salud frontera"), "es");
        Assert.Equal(["Salud", "frontera"], passage.Where(p => p.Match).Select(p => p.Text));
        Assert.Equal("Salud", passage[0].Text);
        Assert.EndsWith(" …", passage[^1].Text);
    }

    [Fact]
    public void OnlyOneOfTwoWordsEarly_TheWindowWithBothLaterWins()
    {
        var text = "salud " + Filler(10_000) + " salud y frontera " + Filler(10_000);
        var passage = SearchPassages.Build(text, SearchQuery.Parse("salud frontera"), "es");
        Assert.Equal(["salud", "frontera"], passage.Where(p => p.Match).Select(p => p.Text));
        Assert.StartsWith("… ", passage[0].Text);
    }
}
