using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>Which reports a caller sees, the list filters, and the one projection every list and export uses.</summary>
public static class ReportQueries
{
    /// <summary>The reports <paramref name="u"/> sees, deleted ones left out.</summary>
    internal static IQueryable<ActivityReport> Visible(IQueryable<ActivityReport> q, ScopeUser u) =>
        VisibleTo(q.Where(r => r.DeletedAt == null), u);

    /// <summary>
    /// The one rule of who sees which reports (and aggregates of them): administrators all; everyone who may read
    /// validated data the validated ones; coordinators everything in their countries; focal points their own
    /// organisation's in their countries (all of them when they have no country list). See ReportRules.
    /// </summary>
    public static IQueryable<T> VisibleTo<T>(IQueryable<T> q, ScopeUser u) where T : class, IReportScoped
    {
        if (u.Roles.Contains(Roles.PlatformAdmin))
        {
            return q;
        }
        var seesValidated = ReportRules.SeesValidated(u);
        var coordinatorCountries = u.Roles.Contains(Roles.CountryCoordinator) ? u.Countries.ToList() : [];
        var focal = u.Roles.Contains(Roles.OrgFocalPoint) && u.OrganisationId is not null;
        var org = u.OrganisationId ?? -1;
        var focalAllCountries = u.Countries.Count == 0;
        var focalCountries = u.Countries.ToList();
        return q.Where(r => (seesValidated && r.Status == ReportStatus.Validated)
            || coordinatorCountries.Contains(r.CountryIso3)
            || (focal && r.OrganisationId == org && (focalAllCountries || focalCountries.Contains(r.CountryIso3))));
    }

    /// <summary>
    /// The report of <paramref name="id"/> (tracked, with its organisation) when the actor may do <paramref name="action"/>
    /// to it: 404 when the actor may not even read it (its existence is not disclosed), 403 when it may read but not act.
    /// </summary>
    internal static async Task<Result<ActivityReport>> FindAsync(int id, CloserDbContext db, Actor actor, ReportAction action, CancellationToken ct)
    {
        var r = await db.ActivityReports.Include(x => x.Organisation).FirstOrDefaultAsync(x => x.Id == id && x.DeletedAt == null, ct);
        if (r is null || !ReportRules.Allows(actor.Scope, new ReportResource(r.OrganisationId, r.CountryIso3, r.Status == ReportStatus.Validated), ReportAction.Read))
        {
            return new NotFoundError("report-not-found", "No such report.");
        }
        if (!ReportRules.Allows(actor.Scope, new ReportResource(r.OrganisationId, r.CountryIso3, r.Status == ReportStatus.Validated), action))
        {
            return new ForbiddenError("out-of-scope", "This report is outside your scope.");
        }
        return r;
    }

    internal sealed record Filters(string? Country, string? Sector, string? Month, string? Status, string? Org, string? Admin1 = null);

    internal static IQueryable<ActivityReport> Filter(CloserDbContext db, IQueryable<ActivityReport> q, Filters f)
    {
        if (!string.IsNullOrWhiteSpace(f.Country))
        {
            var c = f.Country.Trim().ToUpperInvariant();
            q = q.Where(r => r.CountryIso3 == c);
        }
        if (!string.IsNullOrWhiteSpace(f.Month))
        {
            var m = f.Month.Trim();
            q = q.Where(r => r.Month == m);
        }
        if (!string.IsNullOrWhiteSpace(f.Status) && Enum.TryParse<ReportStatus>(f.Status, ignoreCase: true, out var s))
        {
            q = q.Where(r => r.Status == s);
        }
        if (!string.IsNullOrWhiteSpace(f.Org))
        {
            var o = f.Org.Trim();
            q = q.Where(r => r.Organisation!.Acronym == o);
        }
        if (!string.IsNullOrWhiteSpace(f.Admin1))
        {
            var a = f.Admin1.Trim().ToUpperInvariant();
            q = q.Where(r => r.Admin1PCode == a);
        }
        if (!string.IsNullOrWhiteSpace(f.Sector))
        {
            var sector = f.Sector.Trim().ToUpperInvariant();
            q = q.Where(r => db.Indicators.Any(i => i.Code == r.IndicatorCode && (i.SectorCode == sector || db.Sectors.Any(x => x.Code == i.SectorCode && x.ParentCode == sector))));
        }
        return q;
    }

    internal static IQueryable<ReportDto> Project(CloserDbContext db, IQueryable<ActivityReport> q) =>
        Select(db, q.OrderBy(r => r.Month).ThenBy(r => r.CountryIso3).ThenBy(r => r.OrganisationId).ThenBy(r => r.Id));

    /// <summary>The columns a list sorts by (<see cref="Sort"/>), by key.</summary>
    internal static readonly IReadOnlyList<string> SortKeys =
        ["org", "country", "admin1", "sector", "indicator", "month", "group", "girls", "boys", "women", "men", "total", "status"];

    /// <summary>Orders by one column (<see cref="SortKeys"/>; month when unknown), then by id so pages are stable.</summary>
    internal static IOrderedQueryable<ActivityReport> Sort(CloserDbContext db, IQueryable<ActivityReport> q, string? key, bool descending)
    {
        IOrderedQueryable<ActivityReport> By<TKey>(System.Linq.Expressions.Expression<Func<ActivityReport, TKey>> k) =>
            descending ? q.OrderByDescending(k) : q.OrderBy(k);
        var sorted = key switch
        {
            "org" => By(r => r.Organisation!.Acronym),
            "country" => By(r => r.CountryIso3),
            "admin1" => By(r => r.Admin1PCode),
            "sector" => By(r => db.Indicators.Where(i => i.Code == r.IndicatorCode).Select(i => i.SectorCode).First()),
            "indicator" => By(r => r.IndicatorCode),
            "group" => By(r => r.PopulationGroup),
            "girls" => By(r => r.Girls),
            "boys" => By(r => r.Boys),
            "women" => By(r => r.Women),
            "men" => By(r => r.Men),
            "total" => By(r => r.Total),
            "status" => By(r => r.Status),
            _ => By(r => r.Month),
        };
        return descending ? sorted.ThenByDescending(r => r.Id) : sorted.ThenBy(r => r.Id);
    }

    /// <summary>The one projection of a report, in the order <paramref name="q"/> has.</summary>
    internal static IQueryable<ReportDto> Select(CloserDbContext db, IQueryable<ActivityReport> q) =>
        q.Select(r => new ReportDto(r.Id, r.Organisation!.Acronym, r.Status.ToString(), r.ReturnReason, r.ImplementingPartner == "" ? null : r.ImplementingPartner, r.CountryIso3,
                r.Admin1PCode, db.Indicators.Where(i => i.Code == r.IndicatorCode).Select(i => i.SectorCode).First(), r.IndicatorCode, r.Month,
                r.PopulationGroup, r.Girls, r.Boys, r.Women, r.Men, r.Other, r.Total, r.ReachedToDate, r.IsCash, r.CashUsd, r.Version));

    /// <summary>
    /// A report as the cells of an export row (<see cref="ReportColumns.Export"/>): id and figures stay numbers, so the
    /// XLSX holds numbers and the CSV writes them invariant.
    /// </summary>
    internal static IReadOnlyList<object?> Cells(ReportDto r) =>
    [
        r.Id, r.Status, r.Org, r.OrgName, r.ImplementingPartner, r.Country, r.CountryName, r.Admin1, r.Admin1Name, r.Sector, r.SectorName,
        r.Indicator, r.IndicatorName, r.Month,
        r.PopulationGroup, r.Girls, r.Boys, r.Women, r.Men, r.Other, r.Total, r.ReachedToDate, r.Cash ? "yes" : "no", r.CashUsd,
    ];
}
