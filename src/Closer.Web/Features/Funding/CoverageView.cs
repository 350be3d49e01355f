using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Funding;

/// <summary>
/// The model of the reusable coverage partial (<c>/Features/Funding/_Coverage.cshtml</c>): SVG charts of requirement vs
/// received per country and per sector, each followed by the same numbers as a table. Embed it with
/// <c>&lt;partial name="/Features/Funding/_Coverage.cshtml" model="new CoverageView(report)" /&gt;</c> where the report
/// comes from <see cref="FundingCoverage.BuildAsync"/>. <paramref name="Tools"/>: what to show under each chart ("countries",
/// "sectors"), such as the data dashboard's chart tools (files, citation, embedding); none elsewhere.
/// </summary>
public sealed record CoverageView(CoverageReport Report, int HeadingLevel = 2, bool ShowDownloads = true, string IdPrefix = "funding",
    IReadOnlyDictionary<string, IHtmlContent>? Tools = null)
{
    /// <summary>The two charts' keys, in the order they are shown.</summary>
    public static IReadOnlyList<string> ChartKeys { get; } = ["countries", "sectors"];

    /// <summary>A chart's title in the reader's language.</summary>
    public static string Title(IStringLocalizer t, string key, int year) => key == "countries"
        ? t["Requirement and funding received by country, {0}", year.ToString(CultureInfo.InvariantCulture)].Value
        : t["Requirement and funding received by sector, {0}", year.ToString(CultureInfo.InvariantCulture)].Value;

    /// <summary>A chart's table as the open data gives it (the coverage columns with their HXL tags), its level's rows only.</summary>
    public static (IReadOnlyList<Infrastructure.Tabular.TabularColumn> Columns, List<object?[]> Rows) Table(CoverageReport? r, string key)
    {
        var level = key == "countries" ? "country" : "sector";
        return (FundingOpenData.CoverageColumns, r is null ? [] : [.. FundingOpenData.CoverageRows(r).Where(row => level.Equals(row[0])).Select(row => row.ToArray())]);
    }

    /// <summary>A chart's lines.</summary>
    public static IReadOnlyList<CoverageLine> Lines(CoverageReport r, string key) => key == "countries" ? r.Countries : r.Sectors;

    /// <summary>
    /// A chart as inline SVG, 360 units wide: an outlined bar for the requirement, a filled one for what was received, the
    /// coverage at the end of each label line. The page draws it and the data dashboard's chart files make it standalone.
    /// </summary>
    public static IHtmlContent Chart(string id, string title, IReadOnlyList<CoverageLine> lines, IStringLocalizer t, CultureInfo culture)
    {
        const double barWidth = 340, rowHeight = 40, top = 34;
        static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        static string E(string s) => System.Net.WebUtility.HtmlEncode(s);
        var bars = Bars(lines, barWidth);
        var height = top + (rowHeight * bars.Count) + 4;
        var sb = new System.Text.StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<figure class=\"funding-chart\"><svg viewBox=\"0 0 360 {N(height)}\" width=\"100%\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{E(title)}</title>");
        sb.Append(CultureInfo.InvariantCulture, $"<desc id=\"{id}-desc\">{E(t["Outlined bar: requirement. Filled bar: received (committed and paid). The percentage is the coverage. The table below gives the numbers."].Value)}</desc>");
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"10\" y=\"8\" width=\"14\" height=\"10\" class=\"funding-req\"></rect><text x=\"28\" y=\"17\" class=\"funding-legend\">{E(t["Requirement"].Value)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"150\" y=\"8\" width=\"14\" height=\"10\" class=\"funding-rec\"></rect><text x=\"168\" y=\"17\" class=\"funding-legend\">{E(t["Received"].Value)}</text>");
        for (var i = 0; i < bars.Count; i++)
        {
            var (line, req, rec) = bars[i];
            var y = top + (i * rowHeight);
            sb.Append(CultureInfo.InvariantCulture, $"<g><text x=\"10\" y=\"{N(y + 11)}\" class=\"funding-label\">{E(line.Label)}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"350\" y=\"{N(y + 11)}\" text-anchor=\"end\" class=\"funding-label\">{E(FormatPercent(line.CoveragePct, culture))}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"10\" y=\"{N(y + 16)}\" width=\"{N(Math.Max(req, 0.5))}\" height=\"16\" class=\"funding-req\"></rect>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"10\" y=\"{N(y + 19)}\" width=\"{N(rec)}\" height=\"10\" class=\"funding-rec\"></rect></g>");
        }
        sb.Append("</svg></figure>");
        return new HtmlString(sb.ToString());
    }

    public string Money(long cents, CultureInfo culture) => (cents / 100m).ToString("N0", culture);

    public string Percent(decimal? pct, CultureInfo culture) => FormatPercent(pct, culture);

    /// <summary>A coverage percentage in the culture's digits ("–" without a requirement).</summary>
    public static string FormatPercent(decimal? pct, CultureInfo culture) => pct is { } p ? p.ToString("N1", culture) + " %" : "–";

    /// <summary>The bars of one chart, scaled to the largest requirement or amount received.</summary>
    public static IReadOnlyList<(CoverageLine Line, double Requirement, double Received)> Bars(IReadOnlyList<CoverageLine> lines, double width)
    {
        var max = lines.Select(l => Math.Max(l.RequirementCents, l.ReceivedCents)).DefaultIfEmpty(0).Max();
        return lines.Select(l => (l, max == 0 ? 0 : width * l.RequirementCents / max, max == 0 ? 0 : width * l.ReceivedCents / max)).ToList();
    }
}
