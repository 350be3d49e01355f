using System.Globalization;

namespace Closer.Web.Infrastructure.Text;

/// <summary>How a stored month (<c>YYYY-MM</c>) is written for people: "October 2026", "octubre de 2026"... in the current culture.</summary>
public static class Months
{
    /// <summary>The month in the current culture's year-month pattern; the text itself when it is not <c>YYYY-MM</c>.</summary>
    public static string Label(string month) =>
        DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("Y", CultureInfo.CurrentCulture) : month;
}
