using System.Globalization;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>
/// The month a partner is reporting on a given day: the previous month until its deadline (partners report a month once
/// it is over), then the current month. Forms and imports default to it instead of the calendar month.
/// </summary>
public static class ReportingMonth
{
    /// <param name="periods">The reporting periods (month YYYY-MM → deadline).</param>
    /// <param name="today">The date (UTC) of the request.</param>
    public static string? Default(IReadOnlyDictionary<string, DateOnly> periods, DateOnly today)
    {
        var current = new DateOnly(today.Year, today.Month, 1);
        var previous = current.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        if (periods.TryGetValue(previous, out var deadline) && today <= deadline)
        {
            return previous;
        }
        var now = current.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        if (periods.ContainsKey(now))
        {
            return now;
        }
        // Outside the plan's periods: the latest one not after today, else the first.
        return periods.Keys.Where(m => string.CompareOrdinal(m, now) <= 0).Max(StringComparer.Ordinal)
            ?? periods.Keys.Min(StringComparer.Ordinal);
    }
}
