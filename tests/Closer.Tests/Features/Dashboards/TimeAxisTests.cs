using System.Text.RegularExpressions;
using Closer.Web.Features.Dashboards;
using Closer.Web.Infrastructure.Localization;

namespace Closer.Tests.Features.Dashboards;

/// <summary>The line charts' time axis: real dates, gaps left open, labels that fit and speak the reader's language.</summary>
public sealed partial class TimeAxisTests
{
    [Fact]
    public void Index_CountsMonthsSinceYearZero() =>
        Assert.Equal(1, TimeAxis.Index("2024-02") - TimeAxis.Index("2024-01") + TimeAxis.Index("2023-12") - TimeAxis.Index("2023-12"));

    [Fact]
    public void Runs_BreakWhereAMonthIsMissing()
    {
        var runs = TimeAxis.Runs([(TimeAxis.Index("2021-11"), 5), (TimeAxis.Index("2024-07"), 7), (TimeAxis.Index("2024-08"), 8), (TimeAxis.Index("2024-10"), 9)]);
        Assert.Equal([1, 2, 1], runs.Select(r => r.Count));
    }

    [Theory]
    [InlineData("en", 360)]
    [InlineData("es", 360)]
    [InlineData("pt", 236)]
    [InlineData("pap", 236)]
    [InlineData("pap", 120)]
    public void Ticks_NeverOverlap_OverAnySpan(string language, double width)
    {
        var culture = Languages.Culture(language);
        foreach (var span in new[] { 1, 2, 5, 11, 12, 13, 24, 33, 60, 120, 400 })
        {
            var first = TimeAxis.Index("2019-03");
            var ticks = TimeAxis.Ticks(first, first + span, width, 11, culture);
            Assert.NotEmpty(ticks);
            Assert.True(TimeAxis.Fits(ticks, first, width / span, width, 11, 8), $"{language} {span} months: {string.Join(" | ", ticks.Select(t => t.Label))}");
            Assert.All(ticks, t => Assert.InRange(t.Month, first, first + span));
        }
    }

    [Fact]
    public void Ticks_UseTheFinestStepThatFits()
    {
        var en = Languages.Culture("en");
        var first = TimeAxis.Index("2024-01");
        // Twelve months on a wide axis: every month has room.
        Assert.Equal(13, TimeAxis.Ticks(first, first + 12, 2000, 11, en).Count);
        // On a phone's 236 units, fewer labels, still with their month.
        var narrow = TimeAxis.Ticks(first, first + 12, 236, 11, en);
        Assert.InRange(narrow.Count, 2, 6);
        Assert.All(narrow, t => Assert.Contains(" ", t.Label, StringComparison.Ordinal));
        // Years apart: years only, on Januaries.
        var years = TimeAxis.Ticks(TimeAxis.Index("2021-10"), TimeAxis.Index("2024-08"), 236, 11, en);
        Assert.All(years, t => Assert.Matches("^\\d{4}$", t.Label));
        Assert.All(years, t => Assert.Equal(0, t.Month % 12));
    }

    [Theory]
    [InlineData("en", "Nov 2021")]
    [InlineData("es", "nov 2021")]
    [InlineData("pt", "nov 2021")]
    [InlineData("pap", "nov 2021")]
    public void Labels_UseTheReadersMonthNames(string language, string november) =>
        Assert.Equal(november, TimeAxis.Label(TimeAxis.Index("2021-11"), true, Languages.Culture(language)));

    [Fact]
    public void Labels_InPapiamentu_AreItsOwnNotEnglish()
    {
        var pap = Languages.Culture("pap");
        Assert.Equal("yan 2024", TimeAxis.Label(TimeAxis.Index("2024-01"), true, pap));
        Assert.Equal("oug 2024", TimeAxis.Label(TimeAxis.Index("2024-08"), true, pap));
        Assert.Equal("òkt 2024", TimeAxis.Label(TimeAxis.Index("2024-10"), true, pap));
    }

    [Fact]
    public void LineChart_LeavesTheGapBetweenFiguresYearsApartOpen()
    {
        var html = Charts.Lines("c", "T", "D", [new Line("Colombia", "COL", [("2021-11", 1_842_390), ("2024-07", 2_860_000), ("2024-08", 2_870_000)])],
            Languages.Culture("en")).ToString()!;
        // One line for the two adjacent months, none across the 32 missing ones; three dots.
        Assert.Single(PolylinePattern().Matches(html));
        Assert.Equal(3, Regex.Count(html, "<circle "));
        Assert.Contains("Colombia, Nov 2021: 1,842,390", html, StringComparison.Ordinal);
        var labels = Regex.Matches(html, "text-anchor=\"middle\">([^<]+)<").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["2022", "2023", "2024"], labels);
    }

    [GeneratedRegex("<polyline ")]
    private static partial Regex PolylinePattern();
}
