using Closer.Web.Features.Coordination;
using Closer.Web.Features.Dashboards;
using Closer.Web.Infrastructure.Tabular;

namespace Closer.Tests.Features.Dashboards;

/// <summary>The pivot and the "reached" rule on a small hand-made dataset.</summary>
public sealed class PivotTests
{
    private static readonly Names Names = new(
        new(StringComparer.Ordinal) { ["COL"] = "Colombia", ["PER"] = "Peru" },
        new(StringComparer.Ordinal) { ["HEA"] = "Health", ["EDU"] = "Education" },
        new(StringComparer.Ordinal) { ["HEA"] = 1, ["EDU"] = 2 },
        new(StringComparer.Ordinal), new() { [1] = "AAA", [2] = "BBB" });

    private static MonthRow Row(int org, string country, string indicator, string month, long reached, string group = "destination", bool people = true) =>
        new(country, indicator[..3], indicator, month, group, org, ReportStatus.Validated, people, reached, 1);

    private static readonly List<MonthRow> Data =
    [
        // AAA in Colombia, health: 100 in January, 150 in February (a de-duplicated figure to date) → 150 for the year.
        Row(1, "COL", "HEA-01", "2026-01", 100),
        Row(1, "COL", "HEA-01", "2026-02", 150),
        // BBB in Colombia, health: 40, then 30 → 40.
        Row(2, "COL", "HEA-01", "2026-01", 40),
        Row(2, "COL", "HEA-01", "2026-02", 30),
        // AAA in Peru, education: 70 in February, and another group 5.
        Row(1, "PER", "EDU-01", "2026-02", 70),
        Row(1, "PER", "EDU-01", "2026-02", 5, group: "host"),
        // Items are never added to people.
        Row(1, "PER", "EDU-02", "2026-02", 999, people: false),
    ];

    [Fact]
    public void CountryBySector_TakesTheHighestMonthPerSeries_AndAddsSeries()
    {
        var p = PivotTable.Build(Data, PivotDimension.Country, PivotDimension.Sector, Names);
        Assert.Equal(["COL", "PER"], p.RowKeys);
        Assert.Equal(["EDU", "HEA"], p.ColumnKeys);
        Assert.Equal(190, p.Cell("COL", "HEA"));
        Assert.Equal(0, p.Cell("COL", "EDU"));
        Assert.Equal(75, p.Cell("PER", "EDU"));
        Assert.Equal(190, p.RowTotals["COL"]);
        Assert.Equal(265, p.Total);
    }

    [Fact]
    public void OrganisationByMonth_ShowsEachMonth_AndTotalsAreNotSumsOfMonths()
    {
        var p = PivotTable.Build(Data, PivotDimension.Organisation, PivotDimension.Month, Names);
        Assert.Equal(["AAA", "BBB"], p.RowKeys);
        Assert.Equal(["2026-01", "2026-02"], p.ColumnKeys);
        Assert.Equal(100, p.Cell("AAA", "2026-01"));
        Assert.Equal(225, p.Cell("AAA", "2026-02"));
        Assert.Equal(40, p.Cell("BBB", "2026-01"));
        Assert.Equal(30, p.Cell("BBB", "2026-02"));
        // AAA: max(100, 150) + 70 + 5 = 225, not 100 + 225.
        Assert.Equal(225, p.RowTotals["AAA"]);
        Assert.Equal(40, p.RowTotals["BBB"]);
        Assert.Equal(140, p.ColumnTotals["2026-01"]);
        Assert.Equal(265, p.Total);
    }

    [Fact]
    public void PivotExport_HasAnHxlTagForEveryColumn()
    {
        var p = PivotTable.Build(Data, PivotDimension.Group, PivotDimension.Month, Names);
        var table = PartnerModel.PivotExport(p, Names);
        var csv = System.Text.Encoding.UTF8.GetString(TabularCsv.Write(table.Columns, "en", table.Rows)).TrimStart('\uFEFF').Split("\r\n");
        Assert.Equal("Population group,2026-01,2026-02,Total", csv[0]);
        Assert.Equal("#beneficiary+code,#reached+v_2026_01,#reached+v_2026_02,#reached+total", csv[1]);
        Assert.Equal("destination,140,250,260", csv[2]);
        Assert.Equal("host,0,5,5", csv[3]);
        Assert.Equal("Total,140,255,265", csv[4]);
    }
}
