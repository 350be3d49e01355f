using System.Text.Json;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>Writes to reports with their revisions and audit entries; callers save (one transaction).</summary>
public sealed class ReportWriter(CloserDbContext db, TimeProvider time)
{
    public DateTimeOffset Now { get; } = time.GetUtcNow();

    /// <summary>Creates or updates the report of the values' key. Returns "created", "updated" or "unchanged".</summary>
    public string Upsert(ActivityReport? existing, ReportValues v, Actor actor)
    {
        if (existing is null)
        {
            Create(v, actor);
            return "created";
        }
        if (!ReportRows.Differs(existing, v))
        {
            return "unchanged";
        }
        var old = ReportRows.Snapshot(existing);
        Record(existing, ReportRows.Change(existing, v, Now), old, actor, v.OrgAcronym);
        return "updated";
    }

    /// <summary>Adds the report of the values' key (none exists), with its revision and audit entry.</summary>
    public ActivityReport Create(ReportValues v, Actor actor)
    {
        var r = ReportRows.New(v, Now);
        db.ActivityReports.Add(r);
        Record(r, "create", null, actor, v.OrgAcronym);
        return r;
    }

    /// <summary>Changes a report's status (submit, validate, return) or soft-deletes it, with revision and audit.</summary>
    public void Transition(ActivityReport r, string action, Actor actor, string orgAcronym, string? reason = null)
    {
        var old = ReportRows.Snapshot(r);
        switch (action)
        {
            case "submit":
                r.Status = ReportStatus.Submitted;
                r.ReturnReason = null;
                break;
            case "validate":
                r.Status = ReportStatus.Validated;
                r.ReturnReason = null;
                break;
            case "return":
                r.Status = ReportStatus.Returned;
                r.ReturnReason = reason;
                break;
            case "delete":
                r.DeletedAt = Now;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action));
        }
        r.UpdatedAt = Now;
        Record(r, action, old, actor, orgAcronym);
    }

    private void Record(ActivityReport r, string action, Dictionary<string, string?>? old, Actor actor, string orgAcronym)
    {
        r.Version++;
        var now = ReportRows.Snapshot(r);
        db.ReportRevisions.Add(new ReportRevision
        {
            Report = r, Version = r.Version, Snapshot = JsonSerializer.Serialize(now), ChangedAt = Now, ChangedBy = actor.Email,
        });
        AuditLog.Add(db, Now, actor, action, "report", r.NaturalKey(orgAcronym), r.CountryIso3, r.OrganisationId, AuditLog.Diff(old, now));
    }
}
