using System.Globalization;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>
/// "Copy last month": the rows a focal point starts a month from — the previous month's reports of the organisation
/// (activity, place, group and implementing partner) with the numbers empty. Nothing is stored: the rows are offered on
/// the reporting page as new rows, and only those given numbers are saved (<see cref="SaveReportingGridCommand"/>).
/// Rows the month already has (live), and countries the month is locked for or the person may not report for, are left out.
/// </summary>
public static class CopyLastMonth
{
    /// <summary>The month before <paramref name="month"/> (YYYY-MM), or null for a malformed one.</summary>
    public static string? Previous(string month) =>
        DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            ? first.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture)
            : null;

    public static async Task<List<NewRow>> RowsAsync(CloserDbContext db, int organisationId, string month, Actor actor, CancellationToken ct)
    {
        if (Previous(month) is not { } previous)
        {
            return [];
        }
        var keys = new[] { previous, month };
        var reports = await db.ActivityReports.AsNoTracking()
            .Where(r => r.OrganisationId == organisationId && keys.Contains(r.Month) && r.DeletedAt == null)
            .OrderBy(r => r.CountryIso3).ThenBy(r => r.Admin1PCode).ThenBy(r => r.IndicatorCode).ThenBy(r => r.PopulationGroup).ThenBy(r => r.ImplementingPartner)
            .Select(r => new { r.Month, r.CountryIso3, r.Admin1PCode, r.IndicatorCode, r.PopulationGroup, r.ImplementingPartner }).ToListAsync(ct);
        var locked = (await db.PeriodLocks.AsNoTracking().Where(l => l.Month == month).Select(l => l.CountryIso3).ToListAsync(ct))
            .Select(c => c.Trim()).ToHashSet(StringComparer.Ordinal);
        string Key(string country, string admin1, string indicator, string group, string partner) => string.Join('|', country.Trim(), admin1, indicator, group, partner);
        var present = reports.Where(r => r.Month == month)
            .Select(r => Key(r.CountryIso3, r.Admin1PCode, r.IndicatorCode, r.PopulationGroup, r.ImplementingPartner)).ToHashSet(StringComparer.Ordinal);
        return reports.Where(r => r.Month == previous && !locked.Contains(r.CountryIso3.Trim())
                && !present.Contains(Key(r.CountryIso3, r.Admin1PCode, r.IndicatorCode, r.PopulationGroup, r.ImplementingPartner))
                && ReportRules.Allows(actor.Scope, new ReportResource(organisationId, r.CountryIso3.Trim(), false), ReportAction.Write))
            .Select(r => new NewRow
            {
                Country = r.CountryIso3.Trim(), Admin1 = r.Admin1PCode, Indicator = r.IndicatorCode, Group = r.PopulationGroup,
                Partner = r.ImplementingPartner.Length == 0 ? null : r.ImplementingPartner,
            })
            .ToList();
    }
}
