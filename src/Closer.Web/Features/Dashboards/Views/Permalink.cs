using System.Text;

namespace Closer.Web.Features.Dashboards.Views;

/// <summary>
/// The permalink of a dashboard state: the dashboard's path with its state parameters (year, country, sector, admin1,
/// population group, chart type, and the line chart's countries) in one fixed order, known values only. A saved view
/// stores exactly this query.
/// </summary>
public static class Permalink
{
    /// <summary>The state parameters, in the order a permalink writes them.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["year", "country", "sector", "admin1", "group", "chart", "c"];

    /// <summary>The canonical query (without '?') of a checked state.</summary>
    public static string Query(DashboardState state) =>
        Write(state.Values().Concat(state.LineCountries.Select(c => new KeyValuePair<string, string>("c", c))));

    /// <summary>The state's query with another admin1 area chosen (null: all areas of the country).</summary>
    public static string Query(DashboardState state, string? admin1) =>
        Write(state.Values().Where(kv => kv.Key != "admin1")
            .Concat(admin1 is null ? [] : [new KeyValuePair<string, string>("admin1", admin1)])
            .Concat(state.LineCountries.Select(c => new KeyValuePair<string, string>("c", c))));

    /// <summary>The canonical query (without '?') of raw values: state keys only, in order, empty and overlong values dropped.</summary>
    public static string Query(IQueryCollection query) =>
        Write(Keys.SelectMany(k => query[k].Where(v => !string.IsNullOrWhiteSpace(v) && v.Length <= 40).Select(v => new KeyValuePair<string, string>(k, v!.Trim()))));

    private static int Order(string key)
    {
        for (var i = 0; i < Keys.Count; i++)
        {
            if (Keys[i] == key)
            {
                return i;
            }
        }
        return Keys.Count;
    }

    private static string Write(IEnumerable<KeyValuePair<string, string>> values)
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in values.OrderBy(kv => Order(kv.Key)))
        {
            sb.Append(sb.Length == 0 ? "" : "&").Append(key).Append('=').Append(Uri.EscapeDataString(value));
        }
        return sb.ToString();
    }

    /// <summary>A path with a canonical query.</summary>
    public static string For(string path, string query) => query.Length == 0 ? path : $"{path}?{query}";
}
