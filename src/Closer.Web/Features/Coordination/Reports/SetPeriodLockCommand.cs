using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>
/// Locks or unlocks a country's reporting month (a coordinator of the country or an administrator): while locked no
/// report of it changes (<see cref="TransitionReportCommand"/>, <see cref="ReportRows.Parse"/>). A month that still has
/// submitted or returned reports is not locked (a partner would lose the chance to correct them) unless the caller
/// overrides with a reason; unlocking needs a reason. Both are audited and e-mailed to the country's focal points.
/// </summary>
public static class SetPeriodLockCommand
{
    public sealed record Request(string Country, string Month, bool Locked, string? Reason = null, bool Override = false);

    /// <summary>Null when done (or when it already was so); otherwise why not (the open reports, one per line, when they stop it).</summary>
    public static async Task<Error?> RunAsync(Request request, Actor actor, CloserDbContext db, ReportMail mail, TimeProvider time, CancellationToken ct)
    {
        var (country, month, locked) = (request.Country.ToUpperInvariant(), request.Month, request.Locked);
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        if (!await db.Countries.AnyAsync(c => c.Iso3 == country, ct) || !await db.ReportingPeriods.AnyAsync(p => p.Month == month, ct))
        {
            return new NotFoundError("period-not-found", "No such country or reporting period.");
        }
        if (!ReportRules.ManagesCountry(actor.Scope, country))
        {
            return new ForbiddenError("out-of-scope", "Only a coordinator of this country locks its months.");
        }
        var existing = await db.PeriodLocks.FirstOrDefaultAsync(l => l.CountryIso3 == country && l.Month == month, ct);
        if (locked == (existing is not null))
        {
            return null;
        }
        if (reason is { Length: > 1000 })
        {
            return new ValidationError("reason-too-long", "The reason is too long.", [new FieldError(null, "reason", "At most 1,000 characters.")]);
        }
        if (!locked && reason is null)
        {
            return new ValidationError("reason-required", "Say why the month is unlocked.", [new FieldError(null, "reason", "A reason is required.")]);
        }
        var open = locked
            ? await db.ActivityReports.AsNoTracking().Where(r => r.CountryIso3 == country && r.Month == month && r.DeletedAt == null
                    && (r.Status == ReportStatus.Submitted || r.Status == ReportStatus.Returned))
                .OrderBy(r => r.Organisation!.Acronym).ThenBy(r => r.Id)
                .Select(r => new { r.Id, Org = r.Organisation!.Acronym, r.Status, r.Admin1PCode, r.IndicatorCode, r.PopulationGroup }).ToListAsync(ct)
            : [];
        if (open.Count > 0 && !request.Override)
        {
            return new ValidationError("period-has-open-reports", "Reports of this month are still submitted or returned: review them first, or lock anyway with a reason.",
                open.Select(r => new FieldError(r.Id, "status", $"{r.Org} {r.Admin1PCode} {r.IndicatorCode} {r.PopulationGroup}: {r.Status}")).ToList());
        }
        if (open.Count > 0 && reason is null)
        {
            return new ValidationError("reason-required", "Say why the month is locked with reports still open.", [new FieldError(null, "reason", "A reason is required.")]);
        }
        var now = time.GetUtcNow();
        if (locked)
        {
            db.PeriodLocks.Add(new PeriodLock { CountryIso3 = country, Month = month, LockedAt = now, LockedBy = actor.Email });
        }
        else
        {
            db.PeriodLocks.Remove(existing!);
        }
        var changes = new Dictionary<string, string?[]>(StringComparer.Ordinal) { ["locked"] = [locked ? "no" : "yes", locked ? "yes" : "no"] };
        if (reason is not null)
        {
            changes["reason"] = [null, reason];
        }
        if (open.Count > 0)
        {
            // The override is on record with the reports it left open.
            changes["override"] = [null, string.Join(' ', open.Select(r => r.Id))];
        }
        AuditLog.Add(db, now, actor, locked ? "lock" : "unlock", "period", $"{country}|{month}", country, null, changes);
        await mail.LockChangedAsync(db, country, month, locked, reason, ct);
        await db.SaveChangesAsync(ct);
        return null;
    }
}
