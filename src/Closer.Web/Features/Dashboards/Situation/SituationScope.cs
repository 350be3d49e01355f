using System.Globalization;
using Closer.Web.Infrastructure.Security;

namespace Closer.Web.Features.Dashboards.Situation;

/// <summary>Which situation report an address names, and who may write, publish and preview it.</summary>
public sealed record SituationScope(string Code, string Month)
{
    /// <summary>The scope code of the regional report (the URL segment, any case).</summary>
    public const string Region = "region";
    public const int MaxHighlights = 8000;

    public bool IsRegion => Code == Region;
    public int Year => int.Parse(Month.AsSpan(0, 4), CultureInfo.InvariantCulture);
    public int MonthNumber => int.Parse(Month.AsSpan(5, 2), CultureInfo.InvariantCulture);
    public DateOnly LastDay => new DateOnly(Year, MonthNumber, 1).AddMonths(1).AddDays(-1);

    /// <summary>
    /// Reads a scope ("region" or an ISO3 code, any case) and a month (YYYY-MM, 2000 onwards); null for anything else.
    /// Whether the country and month exist is for the caller to check against the data.
    /// </summary>
    public static SituationScope? Parse(string? scope, string? month)
    {
        if (scope is null || month is null || month.Length != 7 || month[4] != '-'
            || !DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) || d.Year < 2000)
        {
            return null;
        }
        var s = scope.Trim();
        if (string.Equals(s, Region, StringComparison.OrdinalIgnoreCase))
        {
            return new SituationScope(Region, month);
        }
        return s.Length == 3 && s.All(char.IsAsciiLetter) ? new SituationScope(s.ToUpperInvariant(), month) : null;
    }

    /// <summary>
    /// Who writes the highlights, publishes and sees a draft: a platform administrator for every report, a country
    /// coordinator for the reports of their countries (the region's belongs to administrators only).
    /// </summary>
    public bool MayCoordinate(ScopeUser user) =>
        user.Roles.Contains(Roles.PlatformAdmin) || (!IsRegion && user.Roles.Contains(Roles.CountryCoordinator) && user.InCountry(Code));

    /// <summary>The report's address in a language.</summary>
    public string Path(string language) => $"/{language}/data/situation/{Code}/{Month}";
}
