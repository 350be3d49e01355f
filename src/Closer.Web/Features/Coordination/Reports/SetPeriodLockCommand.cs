using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>
/// Locks or unlocks a country's reporting month (a coordinator of the country or an administrator): while locked no
/// report of it changes (<see cref="TransitionReportCommand"/>, <see cref="ReportRows.Parse"/>). Audited.
/// </summary>
public static class SetPeriodLockCommand
{
    /// <summary>Null when done (or when it already was so); otherwise why not.</summary>
    public static async Task<Error?> RunAsync(string country, string month, bool locked, Actor actor, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        country = country.ToUpperInvariant();
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
        var now = time.GetUtcNow();
        if (locked)
        {
            db.PeriodLocks.Add(new PeriodLock { CountryIso3 = country, Month = month, LockedAt = now, LockedBy = actor.Email });
        }
        else
        {
            db.PeriodLocks.Remove(existing!);
        }
        AuditLog.Add(db, now, actor, locked ? "lock" : "unlock", "period", $"{country}|{month}", country, null,
            new Dictionary<string, string?[]>(StringComparer.Ordinal) { ["locked"] = [locked ? "no" : "yes", locked ? "yes" : "no"] });
        await db.SaveChangesAsync(ct);
        return null;
    }
}
