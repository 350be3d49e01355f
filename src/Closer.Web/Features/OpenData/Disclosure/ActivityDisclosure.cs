using System.Globalization;

namespace Closer.Web.Features.OpenData.Disclosure;

/// <summary>One published 5W row before disclosure control: counts per sex and age, with the organisation for the scope rule.</summary>
public sealed record ActivityCounts(int OrganisationId, string Org, string? Partner, string Country, string? Admin1, string Sector, string Indicator,
    string Month, string Group, long Girls, long Boys, long Women, long Men, long Other, long Total);

/// <summary>A 5W row as published: a count is null when suppressed; <see cref="Disclosure"/> says what was done to the row.</summary>
public sealed record DisclosedActivity(ActivityCounts Source, string? Admin1, string? Partner, string Period, long? Girls, long? Boys, long? Women,
    long? Men, long? Other, long? Total, string? Disclosure);

/// <summary>
/// Disclosure control of row-level 5W data (the activities dataset), for the rows outside the audience's scope. A row of a
/// cell the dashboards hide (<see cref="HiddenCells"/>: a small sensitive count, or a complement of one) is withheld: every
/// output must hide a hidden cell's parts, or they add back up to it. Rows of sensitive sectors are rolled up where a
/// count is small: the whole month of a series (organisation × country × indicator × population group) to the country
/// (<c>rolled-up-admin1</c>), so no rolled-up figure can be taken apart by subtracting rows that stayed. Where a count is
/// still small, the whole country × sector of the year is withheld (<c>suppressed</c>: one row per series and year, no
/// counts, no area or month): the dashboards publish that cell, and it is the sum over series of each one's best month, so
/// with every other series published a series' small figure would be the cell minus the others (a quarter's sum would
/// not protect it). Rows of other sectors pass unchanged. The caller filters by month or page only after this.
/// </summary>
public static class ActivityDisclosure
{
    public const string RolledUpAdmin1 = "rolled-up-admin1";
    public const string Suppressed = "suppressed";

    public static IReadOnlyList<DisclosedActivity> Apply(IReadOnlyList<ActivityCounts> rows, DisclosureControl control, DisclosureAudience audience,
        HiddenCells hidden)
    {
        var result = new List<DisclosedActivity>(rows.Count);
        var guarded = new List<ActivityCounts>();
        foreach (var r in rows)
        {
            if (!audience.Covers(r.OrganisationId, r.Country) && (control.IsSensitiveSector(r.Sector) || hidden.IsHidden(r.Month, r.Country, r.Sector)))
            {
                guarded.Add(r);
            }
            else
            {
                result.Add(Plain(r, null));
            }
        }
        bool Small(ActivityCounts r) => control.IsSmall(r.Total) || new[] { r.Girls, r.Boys, r.Women, r.Men, r.Other }.Any(control.IsSmall);

        foreach (var cell in guarded.GroupBy(r => (r.Country, r.Sector, Year: Year(r.Month))))
        {
            // A month of a series with any small row is published for the whole country.
            var months = new List<(ActivityCounts Row, string? Disclosure)>();
            foreach (var g in cell.GroupBy(r => (r.OrganisationId, r.Indicator, r.Group, r.Month)))
            {
                if (g.Any(Small))
                {
                    months.Add((Sum(g, g.Key.Month), RolledUpAdmin1));
                }
                else
                {
                    months.AddRange(g.Select(r => (r, (string?)null)));
                }
            }
            if (!hidden.IsHidden(cell.Key.Year, cell.Key.Country, cell.Key.Sector) && !months.Any(m => Small(m.Row)))
            {
                result.AddRange(months.Select(m => Plain(m.Row, m.Disclosure)));
                continue;
            }
            foreach (var series in cell.GroupBy(r => (r.OrganisationId, r.Indicator, r.Group)))
            {
                var first = series.First();
                var withheld = first with { Admin1 = null, Partner = null, Month = cell.Key.Year, Girls = 0, Boys = 0, Women = 0, Men = 0, Other = 0, Total = 0 };
                result.Add(new DisclosedActivity(withheld, null, null, cell.Key.Year, null, null, null, null, null, null, Suppressed));
            }
        }
        return result;
    }

    /// <summary>"2026-05" → "2026".</summary>
    public static string Year(string month) => month.Length >= 4 ? month[..4] : month;

    /// <summary>Whether a published period (a month, or the year of a withheld row) covers <paramref name="month"/>.</summary>
    public static bool Covers(string period, string month) =>
        string.Equals(period, month, StringComparison.Ordinal) || string.Equals(period, Year(month), StringComparison.Ordinal);

    private static DisclosedActivity Plain(ActivityCounts r, string? disclosure) =>
        new(r, r.Admin1, r.Partner, r.Month, r.Girls, r.Boys, r.Women, r.Men, r.Other, r.Total, disclosure);

    private static ActivityCounts Sum(IEnumerable<ActivityCounts> rows, string period)
    {
        var list = rows.ToList();
        var f = list[0];
        return f with
        {
            Admin1 = null,
            Partner = null,
            Month = period,
            Girls = list.Sum(r => r.Girls),
            Boys = list.Sum(r => r.Boys),
            Women = list.Sum(r => r.Women),
            Men = list.Sum(r => r.Men),
            Other = list.Sum(r => r.Other),
            Total = list.Sum(r => r.Total),
        };
    }
}
