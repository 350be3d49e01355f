using System.Text;

namespace Closer.Web.Features.Dashboards.Views;

/// <summary>
/// The permalink of a partner dashboard state (<c>/admin/dashboards</c>): its filters, pivot, chart type and the line chart's
/// countries, in one fixed order, checked values only. A saved view of the partner dashboard stores it behind
/// <see cref="Marker"/>, so the one saved-views list tells the two dashboards apart without a new column.
/// </summary>
public static class PartnerPermalink
{
    public const string Path = "/admin/dashboards";

    /// <summary>What a saved view's query starts with when it is the partner dashboard's.</summary>
    public const string Marker = "page=partner";

    public static IReadOnlyList<string> Keys { get; } = ["year", "country", "sector", "admin1", "group", "org", "status", "rows", "cols", "chart", "c"];

    /// <summary>The canonical query (without '?') of the given values: state keys only, in order, empty and overlong values dropped.</summary>
    public static string Query(IEnumerable<KeyValuePair<string, string?>> values)
    {
        var sb = new StringBuilder();
        var list = values.Where(kv => !string.IsNullOrWhiteSpace(kv.Value) && kv.Value!.Length <= 40).ToList();
        foreach (var key in Keys)
        {
            foreach (var (_, value) in list.Where(kv => kv.Key == key))
            {
                sb.Append(sb.Length == 0 ? "" : "&").Append(key).Append('=').Append(Uri.EscapeDataString(value!.Trim()));
            }
        }
        return sb.ToString();
    }

    /// <summary>Whether a saved view's query is the partner dashboard's.</summary>
    public static bool IsPartner(string? query) =>
        query is not null && (query == Marker || query.StartsWith(Marker + "&", StringComparison.Ordinal));

    /// <summary>A saved view's query without its marker.</summary>
    public static string Strip(string query) => IsPartner(query) ? query[Math.Min(query.Length, Marker.Length + 1)..] : query;

    /// <summary>The page a saved view opens: the partner dashboard for marked ones, else the public dashboard in <paramref name="lang"/>.</summary>
    public static string Link(string lang, string query) =>
        IsPartner(query) ? Permalink.For(Path, Strip(query)) : Permalink.For($"/{lang}/data", query);
}

/// <summary>What _PartnerChartTools.cshtml shows under a partner dashboard chart: file links for the page's state and its citation.</summary>
public sealed record PartnerChartTools(string Figure, string Title, string StateQuery)
{
    public string File(string format) =>
        $"{PartnerPermalink.Path}?handler=Chart&figure={Figure}&format={format}{(StateQuery.Length > 0 ? "&" + StateQuery : "")}";

    public string Permalink => Views.Permalink.For(PartnerPermalink.Path, StateQuery);
}
