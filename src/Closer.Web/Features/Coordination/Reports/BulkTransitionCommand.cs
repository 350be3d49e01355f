using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>Validates, returns or submits many reports at once (the review queue, <c>POST /reports/bulk</c>): all or nothing.</summary>
public static class BulkTransitionCommand
{
    public sealed record Refusal(int Id, ActivityReport? Report, Error Error);

    /// <summary>
    /// Applies the action to every report of <paramref name="ids"/> and saves them in one transaction when every one
    /// allows it; otherwise saves nothing and returns why each refused. A missing id is a refusal when
    /// <paramref name="missingRefuses"/>, else it is passed over. Returns how many reports were found.
    /// </summary>
    public static async Task<(int Found, List<Refusal> Refusals)> RunAsync(IReadOnlyCollection<int> ids, string action, string? reason, bool missingRefuses,
        Actor actor, CloserDbContext db, ReportMail mail, TimeProvider time, CancellationToken ct)
    {
        var reports = await db.ActivityReports.Include(x => x.Organisation).Where(x => ids.Contains(x.Id) && x.DeletedAt == null).ToListAsync(ct);
        var writer = new ReportWriter(db, time);
        var refusals = new List<Refusal>();
        var order = missingRefuses
            ? ids.Distinct().Select(id => (Id: id, Report: reports.FirstOrDefault(x => x.Id == id)))
            : reports.Select(r => (r.Id, Report: (ActivityReport?)r));
        foreach (var (id, r) in order)
        {
            var error = r is null ? new NotFoundError("report-not-found", "No such report.") : await TransitionReportCommand.ApplyAsync(r, action, reason, actor, db, writer, ct);
            if (error is not null)
            {
                refusals.Add(new Refusal(id, r, error));
            }
        }
        if (refusals.Count > 0)
        {
            db.ChangeTracker.Clear();
            return (reports.Count, refusals);
        }
        await TransitionReportCommand.NotifyAsync(reports, action, reason, db, mail, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (reports.Count, refusals);
    }
}
