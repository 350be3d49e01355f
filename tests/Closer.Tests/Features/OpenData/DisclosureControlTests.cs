using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace Closer.Tests.Features.OpenData;

/// <summary>The disclosure-control service on small tables (the rules of Features/OpenData/README.md, "Disclosure control").</summary>
public sealed class DisclosureControlTests
{
    private static readonly DisclosureControl Control = new(Options.Create(new DisclosureOptions()));

    private static readonly (string, string, string?, long)[] Table =
    [
        ("COL", "HEA", null, 900), ("COL", "PRO-GBV", "PRO", 2), ("COL", "PRO", null, 300), ("COL", "PRO-CP", "PRO", 40),
        ("PER", "HEA", null, 700), ("PER", "PRO-GBV", "PRO", 30), ("PER", "PRO", null, 100),
        ("ECU", "HEA", null, 500), ("ECU", "PRO-GBV", "PRO", 12), ("ECU", "PRO-HTS", "PRO", 3),
    ];

    [Fact]
    public void SmallSensitiveCells_AreHidden_WithComplementsInEveryGroup_AndNoneIsDetermined()
    {
        var result = Control.CountrySector(Table, DisclosureAudience.Public);
        Assert.True(result.IsSuppressed(CountrySectorKeys.Cell("COL", "PRO-GBV")));
        Assert.True(result.IsSuppressed(CountrySectorKeys.Cell("ECU", "PRO-HTS")));
        Assert.False(result.IsSuppressed(CountrySectorKeys.Cell("PER", "HEA")) && result.IsSuppressed(CountrySectorKeys.Cell("COL", "HEA")) && result.IsSuppressed(CountrySectorKeys.Cell("ECU", "HEA")));
        // Each row (country) and column (sector) with a hidden cell has at least two.
        foreach (var country in new[] { "COL", "ECU" })
        {
            Assert.True(Table.Count(t => t.Item1 == country && result.IsSuppressed(CountrySectorKeys.Cell(country, t.Item2)))
                + (result.IsSuppressed(CountrySectorKeys.Cell(country, null)) ? 1 : 0) >= 2);
        }
        Assert.True(Table.Count(t => t.Item2 == "PRO-GBV" && result.IsSuppressed(CountrySectorKeys.Cell(t.Item1, "PRO-GBV")))
            + (result.IsSuppressed(CountrySectorKeys.Cell(null, "PRO-GBV")) ? 1 : 0) >= 2);
        // The single-country sub-sector (trafficking, only in Ecuador): its regional total is the cell itself, so it is hidden too.
        Assert.True(result.IsSuppressed(CountrySectorKeys.Cell(null, "PRO-HTS")));
    }

    [Fact]
    public void ACoordinator_SeesTheirCountryUnsuppressed_AndTheOthersStayProtectedAgainstWhatTheyKnow()
    {
        var coordinator = DisclosureAudience.For(new ScopeUser(new HashSet<string> { Roles.CountryCoordinator }, null, new HashSet<string> { "COL" }));
        var result = Control.CountrySector(Table, coordinator);
        Assert.False(result.IsSuppressed(CountrySectorKeys.Cell("COL", "PRO-GBV")));
        Assert.DoesNotContain(result.Suppressed, k => k.StartsWith("cs|COL|", StringComparison.Ordinal) || k.StartsWith("main|COL|", StringComparison.Ordinal));
        Assert.True(result.IsSuppressed(CountrySectorKeys.Cell("ECU", "PRO-HTS")));
        var admin = DisclosureAudience.For(new ScopeUser(new HashSet<string> { Roles.PlatformAdmin }, null, new HashSet<string>()));
        Assert.False(Control.CountrySector(Table, admin).Applied);
    }

    [Fact]
    public void WithoutSmallSensitiveCells_NothingIsHidden()
    {
        var result = Control.CountrySector([("COL", "HEA", null, 3), ("COL", "PRO-GBV", "PRO", 0), ("PER", "PRO-CP", "PRO", 50)], DisclosureAudience.Public);
        Assert.False(result.Applied);
    }

    [Fact]
    public void AChainOfTotals_CannotGiveAHiddenCellBack()
    {
        // a + b = T1 (published), b + c = T2 (published), c published: the pairwise rule is satisfied after a and b are
        // hidden, and the linear check must still see that T2 − c gives b, then T1 − b gives a.
        var cells = new[]
        {
            new DisclosureCell("a", 2, true), new DisclosureCell("b", 40, false), new DisclosureCell("c", 10, false, Known: true),
            new DisclosureCell("T1", 42, true), new DisclosureCell("T2", 50, false), new DisclosureCell("d", 8, false), new DisclosureCell("T3", 18, false),
        };
        var result = Control.Suppress(cells, [new DisclosureGroup("T1", ["a", "b"]), new DisclosureGroup("T2", ["b", "c"]), new DisclosureGroup("T3", ["c", "d"])]);
        Assert.True(result.IsSuppressed("a"));
        Assert.DoesNotContain("a", LinearCheck.Determined(result.Suppressed, [("T1", ["a", "b"]), ("T2", ["b", "c"]), ("T3", ["c", "d"])]));
    }

    [Fact]
    public void ActivityRows_AreRolledUpToTheCountry_ThenTheWholeCellOfTheYearIsWithheld()
    {
        ActivityCounts Row(string country, string admin1, string month, long girls, long women, string sector = "PRO-GBV", string group = "host") =>
            new(7, "ORG", "partner", country, admin1, sector, sector + "-01", month, group, girls, 0, women, 0, 0, girls + women);
        var rows = new[]
        {
            Row("GUY", "GY01", "2026-01", 2, 0), Row("GUY", "GY02", "2026-01", 3, 6), // small at admin1, 5 girls and 6 women in the country: rolled up to it
            Row("GUY", "GY01", "2026-07", 20, 20), // large: as it is
            Row("GUY", "GY01", "2026-01", 1, 1, "HEA"), // not sensitive: as it is
            Row("COL", "CO05", "2026-04", 1, 0), Row("COL", "CO05", "2026-05", 1, 1), // small even for the country: the year's cell is withheld
            Row("COL", "CO05", "2026-06", 30, 30, group: "refugees"), // large, but of the same cell: withheld with it (the cell minus it gives the rest)
            Row("COL", "CO05", "2026-02", 40, 40, "HEA"), // a cell the dashboards hide as a complement: withheld
            Row("COL", "CO05", "2025-02", 40, 40, "HEA"), // the same cell of another year: as it is
        };
        var hidden = HiddenCells.Of([(2026, "COL", "HEA")]);
        var published = ActivityDisclosure.Apply(rows, Control, DisclosureAudience.Public, hidden);
        var jan = Assert.Single(published, p => p.Source.Sector == "PRO-GBV" && p.Period == "2026-01");
        Assert.Null(jan.Admin1);
        Assert.Equal(ActivityDisclosure.RolledUpAdmin1, jan.Disclosure);
        Assert.Equal((5L, 6L, 11L), (jan.Girls!.Value, jan.Women!.Value, jan.Total!.Value));
        Assert.Null(jan.Partner);
        Assert.Contains(published, p => p.Source.Country == "GUY" && p.Period == "2026-07" && p.Disclosure is null && p.Total == 40);
        Assert.Contains(published, p => p.Source.Sector == "HEA" && p.Source.Country == "GUY" && p.Total == 2 && p.Admin1 == "GY01");
        // Colombia's gender-based violence of 2026: one row per series, the year as period, nothing counted, no area, no month.
        var col = published.Where(p => p.Source.Country == "COL" && p.Source.Sector == "PRO-GBV").ToList();
        Assert.Equal(2, col.Count);
        Assert.All(col, p =>
        {
            Assert.Equal(("2026", ActivityDisclosure.Suppressed), (p.Period, p.Disclosure));
            Assert.Null(p.Admin1);
            Assert.All(new[] { p.Girls, p.Boys, p.Women, p.Men, p.Other, p.Total }, v => Assert.Null(v));
            Assert.Equal(0, p.Source.Total);
        });
        Assert.True(ActivityDisclosure.Covers("2026", "2026-05"));
        var hea = Assert.Single(published, p => p.Source.Country == "COL" && p.Source.Sector == "HEA" && p.Period == "2026");
        Assert.Null(hea.Total);
        Assert.Contains(published, p => p.Source.Country == "COL" && p.Source.Sector == "HEA" && p.Period == "2025-02" && p.Total == 80);
        // Their own organisation's rows: as they are.
        var focal = DisclosureAudience.For(new ScopeUser(new HashSet<string> { Roles.OrgFocalPoint }, 7, new HashSet<string>()));
        Assert.All(ActivityDisclosure.Apply(rows, Control, focal, hidden), p => Assert.Null(p.Disclosure));
    }
}
