using Closer.Web.Infrastructure.Tabular;

namespace Closer.Tests.Infrastructure.Tabular;

/// <summary>The header matcher shared by the imports: any language, an HXL tag or the key; unknown headers reported.</summary>
public sealed class HeaderMatcherTests
{
    private static readonly TabularColumn Org = new("org", "#org", "Organisation", "Organización", "Organização", "Organisashon", Required: true);
    private static readonly TabularColumn Month = new("month", "#date+reported", "Month (YYYY-MM)", "Mes (AAAA-MM)", "Mês (AAAA-MM)", "Luna (AAAA-MM)", Required: true);
    private static readonly TabularColumn Girls = new("girls", "#reached+f+children", "Girls", "Niñas", "Meninas", "Mucha muhé");
    private static readonly TabularColumn[] Columns = [Org, Month, Girls];

    [Theory]
    [InlineData("Organisation", "org")]
    [InlineData("  organización ", "org")]
    [InlineData("ORGANIZACAO", "org")]
    [InlineData("Organisashon", "org")]
    [InlineData("org", "org")]
    [InlineData("#org", "org")]
    [InlineData("mes (aaaa-mm)", "month")]
    [InlineData("Mes AAAA MM", "month")]
    [InlineData("Mês(AAAA-MM)", "month")]
    [InlineData("luna (aaaa-mm)", "month")]
    [InlineData("#DATE + reported", "month")]
    [InlineData("ninas", "girls")]
    [InlineData("Mucha Muhe", "girls")]
    [InlineData("#reached+children+f", "girls")]
    public void Match_FindsTheColumnInAnyLanguage_ByHxlTagOrByKey(string cell, string key) =>
        Assert.Equal(key, HeaderMatcher.Match(cell, Columns)?.Key);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("---")]
    [InlineData("Boys")]
    [InlineData("#reached+f")]
    [InlineData("#org+impl")]
    public void Match_NamesNothing_ForBlankOrUnknownCells(string? cell) => Assert.Null(HeaderMatcher.Match(cell, Columns));

    [Fact]
    public void Match_ReturnsTheInstanceOfTheList() => Assert.Same(Girls, HeaderMatcher.Match("Meninas", Columns));

    [Fact]
    public void Map_ReportsUnknownHeaders_DuplicatesAndMissingRequiredColumns()
    {
        var map = HeaderMatcher.Map(["Notes", "Organización", "", "Niñas", "girls", "Comments"], ["not hxl", "#x"], Columns);
        Assert.Equal(1, map.DataStart);
        Assert.Equal(new Dictionary<string, int> { ["org"] = 1, ["girls"] = 3 }, map.Positions);
        Assert.Equal([new UnmatchedHeader(0, "Notes"), new UnmatchedHeader(5, "Comments")], map.Unknown);
        Assert.Equal([new UnmatchedHeader(4, "girls")], map.Duplicates);
        Assert.Equal([Month], map.Missing);
    }

    [Fact]
    public void Map_ReadsTheHxlRowFirst_AndFallsBackToTheHeaderWhereTheTagIsUnknown()
    {
        var map = HeaderMatcher.Map(["Who", "Mes (AAAA-MM)", "Meninas", "Extra"], ["#org", "#meta+unknown", "", "#meta+note"], Columns);
        Assert.Equal(2, map.DataStart);
        Assert.Equal(new Dictionary<string, int> { ["org"] = 0, ["month"] = 1, ["girls"] = 2 }, map.Positions);
        Assert.Equal([new UnmatchedHeader(3, "Extra")], map.Unknown);
        Assert.Empty(map.Missing);
    }

    [Fact]
    public void Map_ReportsAnUnknownTagWhenTheHeaderCellIsBlank()
    {
        var map = HeaderMatcher.Map(["", "Month"], ["#meta+note", "#org"], Columns);
        Assert.Equal([new UnmatchedHeader(0, "#meta+note")], map.Unknown);
        Assert.Equal(new Dictionary<string, int> { ["org"] = 1 }, map.Positions);
        Assert.Equal([Month], map.Missing);
    }

    [Theory]
    [InlineData(new[] { "#org", "", " #date+reported" }, true)]
    [InlineData(new[] { "#org", "Month" }, false)]
    [InlineData(new[] { "", " " }, false)]
    public void IsHxlRow_NeedsATagAndNothingElse(string[] cells, bool expected) => Assert.Equal(expected, HeaderMatcher.IsHxlRow(cells));
}
