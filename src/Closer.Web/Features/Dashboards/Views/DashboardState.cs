using System.Globalization;
using Closer.Web.Features.Coordination;
using Microsoft.Extensions.Primitives;

namespace Closer.Web.Features.Dashboards.Views;

/// <summary>A state value the page did not know: the parameter's name and the value as given (shown back, encoded).</summary>
public sealed record UnknownValue(string Key, string Value);

/// <summary>
/// The public dashboard's state read from its query (the permalink's parameters, <see cref="Permalink.Keys"/>): each value
/// checked against what exists; an unknown one is dropped and listed in <see cref="Unknown"/>, so the page says so and
/// shows the default instead of failing.
/// </summary>
public sealed class DashboardState
{
    /// <summary>Chart types: maps and bars (default), maps only, bars only. Every chart is followed by its table either way.</summary>
    public static IReadOnlyList<string> ChartTypes { get; } = ["map", "bars"];

    public int? Year { get; private init; }
    public string? Country { get; private init; }
    public string? Sector { get; private init; }
    public string? Admin1 { get; set; }
    public string? Group { get; private init; }
    public string? Chart { get; private init; }
    public List<UnknownValue> Unknown { get; } = [];
    /// <summary>The line chart's countries as asked for (known ones, in the order given); empty for the default choice.</summary>
    public List<string> LineCountries { get; } = [];

    public bool ShowMaps => Chart != "bars";
    public bool ShowBars => Chart != "map";

    public static DashboardState Read(IQueryCollection query, Names names, IReadOnlyCollection<int> years)
    {
        var unknown = new List<UnknownValue>();
        string? One(string key) => query[key] is { Count: > 0 } v && !StringValues.IsNullOrEmpty(v) ? v[^1]?.Trim() : null;
        string? Check(string key, Func<string, string?> known)
        {
            var raw = One(key);
            if (string.IsNullOrEmpty(raw))
            {
                return null;
            }
            var value = known(raw);
            if (value is null)
            {
                unknown.Add(new UnknownValue(key, raw.Length > 40 ? raw[..40] + "…" : raw));
            }
            return value;
        }
        var year = Check("year", y => int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && years.Contains(n) ? y : null);
        var state = new DashboardState
        {
            Year = year is null ? null : int.Parse(year, CultureInfo.InvariantCulture),
            Country = Check("country", c => names.Countries.ContainsKey(c.ToUpperInvariant()) ? c.ToUpperInvariant() : null),
            Sector = Check("sector", s => names.Sectors.ContainsKey(s.ToUpperInvariant()) ? s.ToUpperInvariant() : null),
            Group = Check("group", g => PopulationGroups.All.Contains(g.ToLowerInvariant(), StringComparer.Ordinal) ? g.ToLowerInvariant() : null),
            Chart = Check("chart", c => ChartTypes.Contains(c.ToLowerInvariant(), StringComparer.Ordinal) ? c.ToLowerInvariant() : null),
            Admin1 = One("admin1")?.ToUpperInvariant(),
        };
        state.Unknown.AddRange(unknown);
        foreach (var c in query["c"])
        {
            var code = c?.Trim().ToUpperInvariant();
            if (string.IsNullOrEmpty(code))
            {
                continue;
            }
            if (names.Countries.ContainsKey(code))
            {
                if (!state.LineCountries.Contains(code, StringComparer.Ordinal))
                {
                    state.LineCountries.Add(code);
                }
            }
            else
            {
                state.Unknown.Add(new UnknownValue("c", code.Length > 40 ? code[..40] + "…" : code));
            }
        }
        return state;
    }

    /// <summary>Checks the area against the areas of the chosen country (known only once its map is loaded).</summary>
    public void CheckAdmin1(IEnumerable<string> areas)
    {
        if (Admin1 is { } a && !areas.Contains(a, StringComparer.Ordinal))
        {
            Unknown.Add(new UnknownValue("admin1", a.Length > 40 ? a[..40] + "…" : a));
            Admin1 = null;
        }
    }

    /// <summary>The state's values other than the line chart's countries, for forms that must keep them.</summary>
    public IEnumerable<KeyValuePair<string, string>> Values(int? yearOverride = null)
    {
        if ((yearOverride ?? Year) is { } y) { yield return new("year", y.ToString(CultureInfo.InvariantCulture)); }
        if (Country is { } c) { yield return new("country", c); }
        if (Sector is { } s) { yield return new("sector", s); }
        if (Admin1 is { } a) { yield return new("admin1", a); }
        if (Group is { } g) { yield return new("group", g); }
        if (Chart is { } t) { yield return new("chart", t); }
    }
}
