using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>
/// A new report through the API: an organisation's focal point (for its own organisation) or an administrator; the
/// row rules of <see cref="ReportRows.Parse"/>; a live report of the same key is a conflict, a deleted one is restored.
/// </summary>
public static class CreateReportCommand
{
    /// <summary>The new report's id, or why it was refused.</summary>
    public static async Task<(int Id, Error? Error)> RunAsync(ReportInput input, Actor actor, CloserDbContext db, IMemoryCache cache, TimeProvider time,
        IStringLocalizer t, CancellationToken ct)
    {
        if (!CanWriteAny(actor))
        {
            return (0, new ForbiddenError("out-of-scope", "Only an organisation's focal point or an administrator writes reports."));
        }
        var reference = await ReportReference.LoadAsync(db, cache, ct);
        var defaultOrg = actor.Scope.OrganisationId is { } o && reference.OrgAcronyms.TryGetValue(o, out var a) ? a : null;
        var errors = new List<FieldError>();
        var values = ReportRows.Parse(input.Cells(defaultOrg), null, reference, actor, t, errors);
        if (values is null)
        {
            return (0, Invalid(errors));
        }
        var existing = await ReportRows.OfKey(db.ActivityReports, values).FirstOrDefaultAsync(ct);
        if (existing is not null && existing.DeletedAt is null)
        {
            return (0, Exists);
        }
        var writer = new ReportWriter(db, time);
        var report = existing ?? writer.Create(values, actor);
        if (existing is not null)
        {
            writer.Upsert(existing, values, actor);
        }
        await db.SaveChangesAsync(ct);
        return (report.Id, null);
    }

    /// <summary>Whether the caller writes reports at all: an organisation's focal point or an administrator.</summary>
    internal static bool CanWriteAny(Actor actor) =>
        actor.IsAdmin || (actor.Scope.Roles.Contains(Roles.OrgFocalPoint) && actor.Scope.OrganisationId is not null);

    /// <summary>A live report of the same key: two implementing partners make two reports, the same one is a duplicate.</summary>
    internal static ConflictError Exists => new("report-exists",
        "A report with this organisation, country, admin1, indicator, month, population group and implementing partner exists.");

    internal static ValidationError Invalid(List<FieldError> errors) => new("invalid-report", "The report could not be saved.", errors);
}
