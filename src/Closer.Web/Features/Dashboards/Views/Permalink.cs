using System.Text;

namespace Closer.Web.Features.Dashboards.Views;

/// <summary>
/// The permalink of a dashboard state: the dashboard's path with its state parameters (year, country, sector, admin1,
/// population group, chart type, and the line chart's countries) in one fixed order, everything else dropped. A saved view
/// stores exactly this query.
/// </summary>
public static class Permalink
{
    /// <summary>The state parameters, in the order a permalink writes them.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["year", "country", "sector", "admin1", "group", "chart", "c"];

    /// <summary>The canonical query (without '?') of a request's state; empty values and unknown keys are dropped.</summary>
    public static string Query(IQueryCollection query)
    {
        var sb = new StringBuilder();
        foreach (var key in Keys)
        {
            foreach (var value in query[key])
            {
                if (string.IsNullOrWhiteSpace(value) || value.Length > 40)
                {
                    continue;
                }
                sb.Append(sb.Length == 0 ? "" : "&").Append(key).Append('=').Append(Uri.EscapeDataString(value.Trim()));
            }
        }
        return sb.ToString();
    }

    /// <summary>A path with a canonical query.</summary>
    public static string For(string path, string query) => query.Length == 0 ? path : $"{path}?{query}";
}
