using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>
/// The workflow of a report: submit and delete (its organisation, while draft or returned), validate (submitted) and
/// return with a reason (submitted or validated) by a coordinator of its country. A locked month refuses them all.
/// </summary>
public static class TransitionReportCommand
{
    /// <summary>Applies one action to a tracked report (with revision and audit entry); the caller saves. Null when done.</summary>
    internal static async Task<Error?> ApplyAsync(ActivityReport r, string action, string? reason, Actor actor, CloserDbContext db,
        ReportWriter writer, CancellationToken ct)
    {
        var needed = action is "validate" or "return" ? ReportAction.Review : ReportAction.Write;
        var resource = new ReportResource(r.OrganisationId, r.CountryIso3, r.Status == ReportStatus.Validated);
        if (!ReportRules.Allows(actor.Scope, resource, ReportAction.Read))
        {
            return new NotFoundError("report-not-found", "No such report.");
        }
        if (!ReportRules.Allows(actor.Scope, resource, needed))
        {
            return new ForbiddenError("out-of-scope", "This report is outside your scope.");
        }
        if (await db.PeriodLocks.AnyAsync(l => l.CountryIso3 == r.CountryIso3 && l.Month == r.Month, ct))
        {
            return new ConflictError("period-locked", "This month is locked for this country.");
        }
        var allowed = action switch
        {
            "submit" => r.Status is ReportStatus.Draft or ReportStatus.Returned,
            "delete" => r.Status is ReportStatus.Draft or ReportStatus.Returned,
            "validate" => r.Status is ReportStatus.Submitted,
            "return" => r.Status is ReportStatus.Submitted or ReportStatus.Validated,
            _ => false,
        };
        if (!allowed)
        {
            return new ConflictError("wrong-status", "The report's status does not allow this.");
        }
        if (action == "return" && string.IsNullOrWhiteSpace(reason))
        {
            return new ValidationError("reason-required", "Say why the report is returned.", [new FieldError(null, "reason", "A reason is required.")]);
        }
        writer.Transition(r, action, actor, r.Organisation?.Acronym ?? "", reason?.Trim());
        return null;
    }

    /// <summary>Applies one action to the report of <paramref name="id"/> and saves it. Null when done.</summary>
    public static async Task<Error?> RunAsync(int id, string action, string? reason, Actor actor, CloserDbContext db, ReportMail mail, TimeProvider time, CancellationToken ct)
    {
        var r = await db.ActivityReports.Include(x => x.Organisation).FirstOrDefaultAsync(x => x.Id == id && x.DeletedAt == null, ct);
        if (r is null)
        {
            return new NotFoundError("report-not-found", "No such report.");
        }
        var error = await ApplyAsync(r, action, reason, actor, db, new ReportWriter(db, time), ct);
        if (error is not null)
        {
            return error;
        }
        await NotifyAsync([r], action, reason, db, mail, ct);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The e-mail owed for applied actions (added to the unit of work, saved with it): returns and validated months.</summary>
    internal static async Task NotifyAsync(IReadOnlyCollection<ActivityReport> reports, string action, string? reason, CloserDbContext db, ReportMail mail, CancellationToken ct)
    {
        if (action == "return")
        {
            await mail.ReturnedAsync(db, reports, reason!.Trim(), ct);
        }
        else if (action == "validate")
        {
            await mail.ValidatedAsync(db, reports, ct);
        }
    }
}
