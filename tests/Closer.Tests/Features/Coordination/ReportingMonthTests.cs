using Closer.Web.Features.Coordination.Reports;

namespace Closer.Tests.Features.Coordination;

public sealed class ReportingMonthTests
{
    private static readonly Dictionary<string, DateOnly> Periods = new(StringComparer.Ordinal)
    {
        ["2026-09"] = new DateOnly(2026, 10, 10), ["2026-10"] = new DateOnly(2026, 11, 10), ["2026-11"] = new DateOnly(2026, 12, 10),
        ["2026-12"] = new DateOnly(2027, 1, 10),
    };

    [Theory]
    [InlineData("2026-11-01", "2026-10")] // the month just over is the one being reported...
    [InlineData("2026-11-10", "2026-10")] // ...up to and including its deadline
    [InlineData("2026-11-11", "2026-11")] // then the current month
    [InlineData("2026-10-05", "2026-09")]
    [InlineData("2027-03-15", "2026-12")] // past the plan's periods: the latest one
    [InlineData("2026-01-15", "2026-09")] // before them: the first
    public void TheMonthBeingReported_IsThePreviousOneUntilItsDeadline(string today, string expected) =>
        Assert.Equal(expected, ReportingMonth.Default(Periods, DateOnly.ParseExact(today, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
}
