using System.Globalization;

namespace Closer.Web.Features.Funding;

/// <summary>
/// The model of the reusable coverage partial (<c>/Features/Funding/_Coverage.cshtml</c>): SVG charts of requirement vs
/// received per country and per sector, each followed by the same numbers as a table. Embed it with
/// <c>&lt;partial name="/Features/Funding/_Coverage.cshtml" model="new CoverageView(report)" /&gt;</c> where the report
/// comes from <see cref="FundingCoverage.BuildAsync"/>.
/// </summary>
public sealed record CoverageView(CoverageReport Report, int HeadingLevel = 2, bool ShowDownloads = true, string IdPrefix = "funding")
{
    public string Money(long cents, CultureInfo culture) => (cents / 100m).ToString("N0", culture);

    public string Percent(decimal? pct, CultureInfo culture) => pct is { } p ? p.ToString("N1", culture) + " %" : "–";

    /// <summary>The bars of one chart, scaled to the largest requirement or amount received.</summary>
    public static IReadOnlyList<(CoverageLine Line, double Requirement, double Received)> Bars(IReadOnlyList<CoverageLine> lines, double width)
    {
        var max = lines.Select(l => Math.Max(l.RequirementCents, l.ReceivedCents)).DefaultIfEmpty(0).Max();
        return lines.Select(l => (l, max == 0 ? 0 : width * l.RequirementCents / max, max == 0 ? 0 : width * l.ReceivedCents / max)).ToList();
    }
}
