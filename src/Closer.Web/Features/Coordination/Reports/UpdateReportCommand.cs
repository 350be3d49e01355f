using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>
/// An edit of a report's figures through the API: only while draft or returned (a returned report becomes a draft
/// again); its place in the key (organisation, country, admin1, indicator, month, group) never changes; its implementing
/// partner may be corrected while no other report has the key that makes.
/// </summary>
public static class UpdateReportCommand
{
    /// <summary>Null when saved; otherwise why not.</summary>
    public static async Task<Error?> RunAsync(int id, ReportInput input, Actor actor, CloserDbContext db, IMemoryCache cache, TimeProvider time,
        IStringLocalizer t, CancellationToken ct)
    {
        var (r, error) = await ReportQueries.FindAsync(id, db, actor, ReportAction.Write, ct);
        if (error is not null)
        {
            return error;
        }
        if (r!.Status is ReportStatus.Submitted or ReportStatus.Validated)
        {
            return new ConflictError("report-not-editable", "A submitted or validated report cannot change; ask your coordinator to return it.");
        }
        var reference = await ReportReference.LoadAsync(db, cache, ct);
        // The key of a report does not change: an edit changes its figures.
        var cells = (input with
        {
            Org = r.Organisation!.Acronym,
            Country = r.CountryIso3,
            Admin1 = r.Admin1PCode,
            Indicator = r.IndicatorCode,
            Month = r.Month,
            PopulationGroup = r.PopulationGroup,
            Sector = null,
        }).Cells(null);
        var errors = new List<FieldError>();
        var values = ReportRows.Parse(cells, null, reference, actor, t, errors);
        if (values is null)
        {
            return CreateReportCommand.Invalid(errors);
        }
        // The implementing partner may be corrected, unless another report holds the key that makes.
        if (!string.Equals(values.ImplementingPartner, r.ImplementingPartner, StringComparison.Ordinal)
            && await ReportRows.OfKey(db.ActivityReports, values).AnyAsync(x => x.Id != r.Id, ct))
        {
            return CreateReportCommand.Exists;
        }
        new ReportWriter(db, time).Upsert(r, values, actor);
        await db.SaveChangesAsync(ct);
        return null;
    }
}
