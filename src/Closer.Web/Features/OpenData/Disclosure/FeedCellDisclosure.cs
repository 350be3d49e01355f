using Closer.Web.Features.OpenData.OData;

namespace Closer.Web.Features.OpenData.Disclosure;

/// <summary>
/// Disclosure control at the OData feed's seam. The feed's cells are one organisation's month of one indicator and group,
/// far finer than any published total, so a sensitive sector's cell could be read or worked back out whatever its size:
/// every cell of a sensitive sector (<see cref="DisclosureControl.SensitiveSectors"/>) carries no counts and says so
/// (<see cref="ReportCell.Suppressed"/>). Those sectors' figures are published by country, after suppression, on the
/// dashboards' API. The rule runs inside the query, so no $filter or $orderby can bring a count back.
/// </summary>
public sealed class FeedCellDisclosure(DisclosureControl disclosure) : IReportCellDisclosure
{
    public IQueryable<ReportCell> Apply(IQueryable<ReportCell> cells)
    {
        // The configured codes as listed (the plan's sensitive sectors are leaves; a deeper sub-sector is listed too).
        var sensitive = disclosure.SensitiveSectors.ToList();
        return cells.Select(c => new ReportCell
        {
            Year = c.Year, Country = c.Country, Indicator = c.Indicator, Month = c.Month, PopulationGroup = c.PopulationGroup,
            OrganisationId = c.OrganisationId, Organisation = c.Organisation, Sector = c.Sector, IsPeople = c.IsPeople, Reports = c.Reports,
            Girls = sensitive.Contains(c.Sector) ? null : c.Girls,
            Boys = sensitive.Contains(c.Sector) ? null : c.Boys,
            Women = sensitive.Contains(c.Sector) ? null : c.Women,
            Men = sensitive.Contains(c.Sector) ? null : c.Men,
            Other = sensitive.Contains(c.Sector) ? null : c.Other,
            Total = sensitive.Contains(c.Sector) ? null : c.Total,
            Reached = sensitive.Contains(c.Sector) ? null : c.Reached,
            Suppressed = sensitive.Contains(c.Sector),
        });
    }
}
