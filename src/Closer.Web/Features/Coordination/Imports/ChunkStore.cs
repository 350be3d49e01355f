using System.Diagnostics;
using System.Text.Json;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Closer.Web.Features.Coordination.Imports;

/// <summary>
/// A chunk of rows to write: the new ones and the changed ones (with the reports they change). Prepared, it holds
/// the new reports (ids not yet given) with their first revision and audit entry at the same index, then the
/// changed reports with the version they were read with, and their revisions and audit entries.
/// </summary>
internal sealed class ChunkPlan(List<ReportValues> creates, List<(ActivityReport Report, ReportValues Values)> changes)
{
    private List<ReportValues>? _creates = creates;
    private List<(ActivityReport Report, ReportValues Values)>? _changes = changes;

    public List<ActivityReport> Creates { get; } = new(creates.Count);
    public List<(ActivityReport Report, int ReadVersion)> Updates { get; } = new(changes.Count);
    public List<ReportRevision> Revisions { get; } = new(creates.Count + changes.Count);
    public List<AuditEntry> Audit { get; } = new(creates.Count + changes.Count);
    public bool IsPrepared => _creates is null;

    /// <summary>Builds the rows to write (JSON snapshots and diffs included) and lets go of the values.</summary>
    public void Prepare(DateTimeOffset now, Actor actor, SnapshotJson json)
    {
        if (_creates is null || _changes is null)
        {
            return;
        }
        foreach (var v in _creates)
        {
            var r = ReportRows.New(v, now);
            r.Version++;
            Creates.Add(r);
            Revisions.Add(new ReportRevision { Version = 1, Snapshot = json.Snapshot(r), ChangedAt = now, ChangedBy = actor.Email });
            Audit.Add(Entry(now, actor, "create", r, v.OrgAcronym, json.CreateDiff(r)));
        }
        foreach (var (r, v) in _changes)
        {
            var old = ReportRows.Snapshot(r);
            var readVersion = r.Version;
            var action = ReportRows.Change(r, v, now);
            r.Version++;
            var snapshot = ReportRows.Snapshot(r);
            Updates.Add((r, readVersion));
            Revisions.Add(new ReportRevision { ReportId = r.Id, Version = r.Version, Snapshot = JsonSerializer.Serialize(snapshot), ChangedAt = now, ChangedBy = actor.Email });
            Audit.Add(Entry(now, actor, action, r, v.OrgAcronym, JsonSerializer.Serialize(AuditLog.Diff(old, snapshot))));
        }
        _creates = null;
        _changes = null;
    }

    private static AuditEntry Entry(DateTimeOffset now, Actor actor, string action, ActivityReport r, string orgAcronym, string? changes) => new()
    {
        At = now, UserId = actor.UserId, UserEmail = actor.Email, Action = action, EntityType = "report", EntityKey = r.NaturalKey(orgAcronym),
        CountryIso3 = r.CountryIso3, OrganisationId = r.OrganisationId, Changes = changes,
    };
}

/// <summary>
/// The writing side, and the one place an import writes: each prepared chunk's new reports (given their ids here),
/// changed reports (only if unchanged since they were read), revisions and audit entries; at the end the import's
/// own audit entry, all in one transaction, begun at the first write. The reports it writes are recorded by
/// <see cref="ReportBulkWriter"/> in <see cref="CloserDbContext.ReportsWritten"/>: what derives from them (the
/// dashboards' aggregates) is refreshed when this transaction commits, inside it.
/// </summary>
internal sealed class ChunkStore(CloserDbContext db, DateTimeOffset now, Actor actor, ImportHooks? hooks, ImportPhases phases) : IAsyncDisposable
{
    private readonly SnapshotJson _json = new();
    private IDbContextTransaction? _tx;
    private ReportBulkWriter? _bulk;
    private bool _conflict;

    public async Task WriteAsync(ChunkPlan chunk, CancellationToken ct)
    {
        if (_conflict)
        {
            return;
        }
        var clock = Stopwatch.StartNew();
        if (!chunk.IsPrepared)
        {
            chunk.Prepare(now, actor, _json);
            phases.Prepare += clock.Elapsed;
            clock.Restart();
        }
        if (_tx is null)
        {
            _tx = await db.Database.BeginTransactionAsync(ct);
            // The bulk path bypasses the change tracker: stamp the reports dataset ourselves, so the public answers
            // built on reports are evicted when this transaction commits (and only then).
            await Closer.Web.Features.OpenData.DataStamps.MarkChangedAsync(db, Closer.Web.Features.OpenData.DataStamps.Reports, now, ct);
            _bulk = ReportBulkWriter.For(db);
            await _bulk.BeginAsync(ct);
        }
        var bulk = _bulk!;
        var ids = chunk.Creates.Count > 0 ? await bulk.ReserveReportIdsAsync(chunk.Creates.Count, ct) : [];
        for (var i = 0; i < chunk.Creates.Count; i++)
        {
            chunk.Creates[i].Id = ids[i];
            chunk.Revisions[i].ReportId = ids[i];
        }
        await bulk.InsertReportsAsync(chunk.Creates, ct);
        if (await bulk.UpdateReportsAsync(chunk.Updates, ct) != chunk.Updates.Count)
        {
            // Another change came in between: nothing will be stored.
            _conflict = true;
            return;
        }
        phases.WriteReports += clock.Elapsed;
        clock.Restart();
        await bulk.InsertRevisionsAsync(chunk.Revisions, ct);
        phases.WriteRevisions += clock.Elapsed;
        clock.Restart();
        await bulk.InsertAuditAsync(chunk.Audit, ct);
        phases.WriteAudit += clock.Elapsed;
    }

    /// <summary>After the last chunk of a valid file: the import's audit entry, the caller's hook, the commit.</summary>
    public async Task<Result<ImportResult>> FinishAsync(ImportResult result, CancellationToken ct)
    {
        if (_conflict)
        {
            return Changed();
        }
        if (_tx is null)
        {
            return result;
        }
        var clock = Stopwatch.StartNew();
        await _bulk!.InsertAuditAsync([new AuditEntry
        {
            At = now, UserId = actor.UserId, UserEmail = actor.Email, Action = "import", EntityType = "import",
            EntityKey = $"{result.Imported}+{result.Updated}", OrganisationId = actor.Scope.OrganisationId,
        }], ct);
        if (hooks?.BeforeCommit is { } beforeCommit && !await beforeCommit(db, result, ct))
        {
            return new ConflictError("import-claim-lost", "The import was taken over by another worker.");
        }
        clock.Restart();
        await _tx.CommitAsync(ct);
        phases.Commit = clock.Elapsed;
        return result;
    }

    /// <summary>Rolls back whatever was not committed.</summary>
    public async ValueTask DisposeAsync()
    {
        _json.Dispose();
        if (_bulk is not null)
        {
            await _bulk.EndAsync();
        }
        if (_tx is not null)
        {
            await _tx.DisposeAsync();
        }
    }
    internal static ConflictError Changed() =>
        new("import-conflict", "Some of these reports changed while the file was being imported; nothing was stored. Please upload it again.");
}
