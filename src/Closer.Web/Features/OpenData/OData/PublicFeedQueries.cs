using Closer.Web.Features.Coordination;
using Closer.Web.Features.Dashboards;
using Closer.Web.Features.Funding;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.OpenData.OData;

/// <summary>
/// The one point where disclosure control meets the OData feed: every public report cell passes through
/// <see cref="ApplyAsync"/> before a query option runs on it. Implementations may rewrite the query (null the counts of a
/// cell and set <see cref="ReportCell.Suppressed"/>, roll cells up) or materialise it; OData's $filter, $orderby and
/// paging then work on what they return, so nothing suppressed can be filtered or sorted back into view.
/// </summary>
public interface IReportCellDisclosure
{
    /// <summary>The cells as published, and whether disclosure control withholds anything of the feed.</summary>
    Task<(IQueryable<ReportCell> Cells, bool Applied)> ApplyAsync(IQueryable<ReportCell> cells, CancellationToken ct);
}

/// <summary>The queries behind the feed's entity sets: public, validated data only, never a draft or a person.</summary>
public sealed class PublicFeedQueries(CloserDbContext db, IReportCellDisclosure disclosure, FundingCoverage coverage)
{
    /// <summary>
    /// Validated report cells from the dashboards' aggregate table (the public dashboards' rows), after disclosure control,
    /// then named (<see cref="Named"/>); and whether disclosure control withholds anything of the feed.
    /// </summary>
    public async Task<(IQueryable<ReportCell> Cells, bool Applied)> ReportCellsAsync(CancellationToken ct)
    {
        var (cells, applied) = await disclosure.ApplyAsync(
        from m in db.ResponseMonths.AsNoTracking()
        where m.Status == ReportStatus.Validated
        join o in db.Organisations.AsNoTracking() on m.OrganisationId equals o.Id
        select new ReportCell
        {
            Year = m.Year, Country = m.CountryIso3, Indicator = m.IndicatorCode, Month = m.Month, PopulationGroup = m.PopulationGroup,
            OrganisationId = m.OrganisationId, Organisation = o.Acronym, Sector = m.SectorCode, IsPeople = m.IsPeople, Reports = m.Reports,
            Girls = m.Girls, Boys = m.Boys, Women = m.Women, Men = m.Men, Other = m.Other, Total = m.Total, Reached = m.Reached,
            Suppressed = false,
        }, ct);
        return (Named(cells), applied);
    }

    /// <summary>
    /// The names next to the codes (English, the feed's one language: OData has no language parameter and a name must
    /// filter the same for every reader), added after disclosure control to what it returned: every figure and flag is
    /// copied as it came, so naming can never bring a withheld count back. A code without a record keeps its code.
    /// </summary>
    private IQueryable<ReportCell> Named(IQueryable<ReportCell> cells) =>
        // Left joins on the directories' keys (one row each at most), not a correlated lookup per name: disclosure control's
        // month of a withheld series makes the database sort each page's rows before OFFSET/LIMIT, and a lookup per name
        // per sorted row cost twice the joins (bench/odata.sh).
        from c in cells
        join o in db.Organisations.AsNoTracking() on c.OrganisationId equals o.Id into os
        from o in os.DefaultIfEmpty()
        join k in db.Countries.AsNoTracking() on c.Country equals k.Iso3 into ks
        from k in ks.DefaultIfEmpty()
        join x in db.Sectors.AsNoTracking() on c.Sector equals x.Code into xs
        from x in xs.DefaultIfEmpty()
        join i in db.Indicators.AsNoTracking() on c.Indicator equals i.Code into @is
        from i in @is.DefaultIfEmpty()
        select new ReportCell
        {
            Year = c.Year, Country = c.Country, Indicator = c.Indicator, Month = c.Month, PopulationGroup = c.PopulationGroup,
            OrganisationId = c.OrganisationId, Organisation = c.Organisation, Sector = c.Sector, IsPeople = c.IsPeople, Reports = c.Reports,
            Girls = c.Girls, Boys = c.Boys, Women = c.Women, Men = c.Men, Other = c.Other, Total = c.Total, Reached = c.Reached,
            Suppressed = c.Suppressed,
            OrganisationName = (o == null ? null : o.Name) ?? c.Organisation,
            CountryName = (k == null ? null : k.NameEn) ?? c.Country,
            SectorName = (x == null ? null : x.NameEn) ?? c.Sector,
            IndicatorName = (i == null ? null : i.NameEn) ?? c.Indicator,
        };

    public IQueryable<PlanTargetEntry> PlanTargets() =>
        from t in db.PlanTargets.AsNoTracking()
        join i in db.Indicators.AsNoTracking() on t.IndicatorCode equals i.Code
        select new PlanTargetEntry
        {
            Year = t.Year, Country = t.CountryIso3, Indicator = t.IndicatorCode, PopulationGroup = t.PopulationGroup, Sector = i.SectorCode,
            Targeted = t.Target, InNeed = t.PeopleInNeed, RequirementUsd = t.RequirementUsd,
            CountryName = db.Countries.Where(k => k.Iso3 == t.CountryIso3).Select(k => k.NameEn).FirstOrDefault() ?? t.CountryIso3,
            SectorName = db.Sectors.Where(x => x.Code == i.SectorCode).Select(x => x.NameEn).FirstOrDefault() ?? i.SectorCode,
            IndicatorName = i.NameEn,
        };

    public IQueryable<PopulationFigureEntry> PopulationFigures() =>
        db.PopulationFigures.AsNoTracking().Select(f => new PopulationFigureEntry
        {
            Country = f.CountryIso3, AsOf = f.AsOf, RefugeesAndMigrants = f.RefugeesAndMigrants, RecognisedRefugees = f.RecognisedRefugees,
            AsylumSeekers = f.AsylumSeekers, RegularStayPermits = f.RegularStayPermits, Precision = f.Precision, Source = f.Source,
            CountryName = db.Countries.Where(k => k.Iso3 == f.CountryIso3).Select(k => k.NameEn).FirstOrDefault() ?? f.CountryIso3,
        });

    /// <summary>
    /// Funding coverage of every plan year, built by the funding feature's own rules (received = paid + committed) and
    /// queried in memory: a handful of lines per year.
    /// </summary>
    public async Task<IQueryable<FundingEntry>> FundingAsync(string language, CancellationToken ct)
    {
        var years = await db.ResponsePlans.AsNoTracking().OrderBy(p => p.Year).Select(p => p.Year).ToListAsync(ct);
        var lines = new List<FundingEntry>();
        foreach (var year in years)
        {
            if (await coverage.BuildAsync(year, language, ct) is not { } report)
            {
                continue;
            }
            lines.Add(Entry(year, "total", report.Total));
            lines.AddRange(report.Countries.Select(l => Entry(year, "country", l)));
            lines.AddRange(report.Sectors.Select(l => Entry(year, "sector", l)));
            lines.AddRange(report.Cells.Select(l => Entry(year, "cell", l)));
        }
        return lines.AsQueryable();
    }

    private static FundingEntry Entry(int year, string level, CoverageLine l) => new()
    {
        Id = string.Join(':', year.ToString(System.Globalization.CultureInfo.InvariantCulture), level, l.Country ?? "", l.Sector ?? ""),
        Year = year, Level = level, Country = l.Country, Sector = l.Sector, Label = l.Label,
        RequirementUsd = l.RequirementCents / 100m, ReceivedUsd = l.ReceivedCents / 100m, PaidUsd = l.PaidCents / 100m,
        CommittedUsd = l.CommittedCents / 100m, PledgedUsd = l.PledgedCents / 100m, CoveragePct = l.CoveragePct,
    };
}
