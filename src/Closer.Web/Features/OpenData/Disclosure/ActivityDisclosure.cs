using System.Globalization;

namespace Closer.Web.Features.OpenData.Disclosure;

/// <summary>One published 5W row before disclosure control: counts per sex and age, with the organisation for the scope rule.</summary>
public sealed record ActivityCounts(int OrganisationId, string Org, string? Partner, string Country, string? Admin1, string Sector, string Indicator,
    string Month, string Group, long Girls, long Boys, long Women, long Men, long Other, long Total);

/// <summary>A 5W row as published: a count is null when suppressed; <see cref="Disclosure"/> says what was done to the row.</summary>
public sealed record DisclosedActivity(ActivityCounts Source, string? Admin1, string? Partner, string Period, long? Girls, long? Boys, long? Women,
    long? Men, long? Other, long? Total, string? Disclosure);

/// <summary>
/// Disclosure control of row-level 5W data (the activities dataset): rows of sensitive sectors outside the audience's scope
/// are rolled up where a count is small — first the admin1 areas of a month into the country (<c>rolled-up-admin1</c>), then,
/// where the country's month is still small, the months of the quarter (<c>rolled-up-quarter</c>, period <c>YYYY-Qn</c>) —
/// always the whole month or quarter of a series (organisation × country × indicator × population group), so no rolled-up
/// figure can be taken apart by subtracting rows that stayed. What is still small is suppressed cell by cell, with
/// complementary suppression against the row's total (<c>suppressed</c>). Rows of other sectors pass unchanged. The
/// caller filters by month or page only after this (a filter before it would publish the parts of a rolled-up quarter).
/// </summary>
public static class ActivityDisclosure
{
    public const string RolledUpAdmin1 = "rolled-up-admin1";
    public const string RolledUpQuarter = "rolled-up-quarter";
    public const string Suppressed = "suppressed";

    public static IReadOnlyList<DisclosedActivity> Apply(IReadOnlyList<ActivityCounts> rows, DisclosureControl control, DisclosureAudience audience)
    {
        var result = new List<DisclosedActivity>(rows.Count);
        var sensitive = new List<ActivityCounts>();
        foreach (var r in rows)
        {
            if (control.IsSensitiveSector(r.Sector) && !audience.Covers(r.OrganisationId, r.Country))
            {
                sensitive.Add(r);
            }
            else
            {
                result.Add(Plain(r, null));
            }
        }
        bool Small(ActivityCounts r) => control.IsSmall(r.Total) || new[] { r.Girls, r.Boys, r.Women, r.Men, r.Other }.Any(control.IsSmall);

        // 1. A month of a series with any small row is published for the whole country.
        var months = new List<(ActivityCounts Row, string? Disclosure)>();
        foreach (var g in sensitive.GroupBy(r => (r.OrganisationId, r.Country, r.Indicator, r.Group, r.Month)))
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
        // 2. A quarter of a series with a small country month is published as one quarter.
        foreach (var g in months.GroupBy(m => (m.Row.OrganisationId, m.Row.Country, m.Row.Indicator, m.Row.Group, Quarter(m.Row.Month))))
        {
            var stillSmall = g.Any(m => m.Disclosure == RolledUpAdmin1 && Small(m.Row));
            var published = stillSmall ? [(Sum(g.Select(m => m.Row), g.Key.Item5), RolledUpQuarter)] : g.ToList();
            foreach (var (row, disclosure) in published)
            {
                result.Add(Small(row) ? Cells(row, disclosure, control) : Plain(row, disclosure));
            }
        }
        return result;
    }

    /// <summary>"2026-05" → "2026-Q2".</summary>
    public static string Quarter(string month) =>
        month.Length >= 7 && int.TryParse(month.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            ? string.Create(CultureInfo.InvariantCulture, $"{month[..4]}-Q{((m - 1) / 3) + 1}")
            : month;

    /// <summary>Whether a published period (a month or a quarter) covers <paramref name="month"/>.</summary>
    public static bool Covers(string period, string month) =>
        string.Equals(period, month, StringComparison.Ordinal) || string.Equals(period, Quarter(month), StringComparison.Ordinal);

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

    /// <summary>The row's small counts hidden, with complements so the total cannot give them back.</summary>
    private static DisclosedActivity Cells(ActivityCounts r, string? rolled, DisclosureControl control)
    {
        string[] parts = ["girls", "boys", "women", "men", "other"];
        long[] values = [r.Girls, r.Boys, r.Women, r.Men, r.Other];
        var cells = parts.Select((p, i) => new DisclosureCell(p, values[i], true)).Append(new DisclosureCell("total", r.Total, true)).ToList();
        var hidden = control.Suppress(cells, [new DisclosureGroup("total", parts)]);
        var admin1 = rolled is null ? r.Admin1 : null;
        return new DisclosedActivity(r, admin1, rolled is null ? r.Partner : null, r.Month, hidden.Show("girls", r.Girls), hidden.Show("boys", r.Boys),
            hidden.Show("women", r.Women), hidden.Show("men", r.Men), hidden.Show("other", r.Other), hidden.Show("total", r.Total),
            hidden.Applied ? Suppressed : rolled);
    }
}
