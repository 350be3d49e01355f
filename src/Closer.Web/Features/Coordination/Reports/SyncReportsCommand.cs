using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>One report kept on a device while offline: its device-made id, the server version it was based on (an edit of a
/// report the page showed), the report's id then, and the values.</summary>
public sealed record SyncRow(string? DeviceId, int? BaseVersion, int? Id, ReportInput? Report);

public sealed record SyncInput(IReadOnlyList<SyncRow>? Rows);

/// <summary>
/// The answer for one row: <c>stored</c> (new, or a deleted report restored), <c>updated</c>, <c>unchanged</c> (already as
/// sent: a retry after a lost answer), <c>refused</c> (with the import's errors) or <c>conflict</c> (the report changed on
/// the server since the device took it: <c>conflict</c> says how, <c>server</c> holds the server's version).
/// </summary>
public sealed record SyncAnswer(string DeviceId, string Result, int? Id = null, int? Version = null, IReadOnlyList<FieldError>? Errors = null,
    string? Conflict = null, ReportDto? Server = null);

public sealed record SyncResult(IReadOnlyList<SyncAnswer> Rows);

/// <summary>
/// Reports entered offline, synced in batches. Idempotent: a report made on a device carries the device's id (unique per
/// organisation), so the same row sent twice is one report; a row already as sent is "unchanged". Every row is checked by
/// <see cref="ReportRows.Parse"/> (the import's and the API's rules and messages) and answered on its own; nothing the
/// server changed since the device took it is overwritten: that is a conflict the person resolves (resending with the
/// server's version as its base keeps theirs).
/// </summary>
public static class SyncReportsCommand
{
    public const int MaxRows = 100;

    public static async Task<Result<SyncResult>> RunAsync(IReadOnlyList<SyncRow> rows, Actor actor, CloserDbContext db, IMemoryCache cache, TimeProvider time,
        IStringLocalizer t, CancellationToken ct)
    {
        if (!CreateReportCommand.CanWriteAny(actor))
        {
            return new ForbiddenError("out-of-scope", "Only an organisation's focal point or an administrator writes reports.");
        }
        if (rows.Count is 0 or > MaxRows)
        {
            return new BadRequestError("bad-sync", "Send between 1 and 100 rows.");
        }
        // Two syncs of the same rows at once (a retry while the first still runs): the unique device id lets one win and
        // the other fail; run again, it finds the rows stored and answers "unchanged".
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await OnceAsync(rows, actor, db, cache, time, t, ct);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<SyncResult> OnceAsync(IReadOnlyList<SyncRow> rows, Actor actor, CloserDbContext db, IMemoryCache cache, TimeProvider time,
        IStringLocalizer t, CancellationToken ct)
    {
        var reference = await ReportReference.LoadAsync(db, cache, ct);
        var defaultOrg = actor.Scope.OrganisationId is { } o && reference.OrgAcronyms.TryGetValue(o, out var a) ? a : null;
        var deviceIds = rows.Select(r => Guid.TryParse(r.DeviceId, out var g) ? g : Guid.Empty).ToList();
        var wanted = deviceIds.Where(g => g != Guid.Empty).Select(g => (Guid?)g).ToList();
        var ids = rows.Where(r => r.Id is not null).Select(r => r.Id!.Value).ToList();
        // Only reports the caller may write are looked at: others are never disclosed, their rows are refused by the row rules.
        var known = (await db.ActivityReports.Include(r => r.Organisation)
                .Where(r => (r.DeviceId != null && wanted.Contains(r.DeviceId)) || ids.Contains(r.Id)).ToListAsync(ct))
            .Where(r => ReportRules.Allows(actor.Scope, new ReportResource(r.OrganisationId, r.CountryIso3, false), ReportAction.Write)).ToList();

        var parsed = new List<(SyncRow Row, Guid Device, ReportValues? Values, List<FieldError> Errors, ActivityReport? Existing)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var errors = new List<FieldError>();
            if (deviceIds[i] == Guid.Empty)
            {
                errors.Add(new FieldError(i + 1, "deviceId", t["Each row needs the id its device gave it."]));
            }
            var values = row.Report is null ? null : ReportRows.Parse(row.Report.Cells(defaultOrg), i + 1, reference, actor, t, errors);
            if (row.Report is null)
            {
                errors.Add(new FieldError(i + 1, "report", t["The report could not be saved."]));
            }
            var existing = known.FirstOrDefault(r => deviceIds[i] != Guid.Empty && r.DeviceId == deviceIds[i])
                ?? known.FirstOrDefault(r => row.Id is not null && r.Id == row.Id);
            parsed.Add((row, deviceIds[i], errors.Count > 0 ? null : values, errors, existing));
        }
        // Rows without a report found by device or id: is there one of the same key (made online, by import, by another device)?
        var orgIds = parsed.Where(p => p.Values is not null).Select(p => p.Values!.OrganisationId).Distinct().ToList();
        var months = parsed.Where(p => p.Values is not null).Select(p => p.Values!.Month).Distinct().ToList();
        var byKey = (await db.ActivityReports.Include(r => r.Organisation).Where(r => orgIds.Contains(r.OrganisationId) && months.Contains(r.Month)).ToListAsync(ct))
            .ToDictionary(ReportRows.KeyOf, StringComparer.Ordinal);

        var writer = new ReportWriter(db, time);
        var outcomes = new List<(string Device, string Result, ActivityReport? Report, IReadOnlyList<FieldError>? Errors, string? Conflict)>();
        foreach (var (row, device, values, errors, found) in parsed)
        {
            var sent = row.DeviceId ?? "";
            if (values is null)
            {
                // A report the device changed whose month was locked since: the person sees it beside the server's.
                var locked = found is not null && reference.Locks.Contains((found.CountryIso3, found.Month));
                outcomes.Add(locked ? (sent, "conflict", found, null, "locked") : (sent, "refused", null, errors, null));
                continue;
            }
            var existing = found ?? byKey.GetValueOrDefault(values.Key);
            if (existing is null)
            {
                var created = writer.Create(values, actor);
                created.DeviceId = device;
                byKey[values.Key] = created;
                outcomes.Add((sent, "stored", created, null, null));
            }
            else if (!string.Equals(ReportRows.Key(existing.OrganisationId, existing.CountryIso3, existing.Admin1PCode, existing.IndicatorCode, existing.Month,
                existing.PopulationGroup, values.ImplementingPartner), values.Key, StringComparison.Ordinal))
            {
                outcomes.Add((sent, "refused", null, [new FieldError(null, "indicator", t["A report's organisation, country, admin1, indicator, month and group do not change."])], null));
            }
            else if (byKey.TryGetValue(values.Key, out var holder) && holder.Id != existing.Id)
            {
                // The implementing partner is part of the key: it may be corrected, but not into another report's key.
                outcomes.Add((sent, "refused", null, [new FieldError(null, "partner", t["Another report of this month has this place, indicator, group and implementing partner."])], null));
            }
            else if (!ReportRows.Differs(existing, values))
            {
                outcomes.Add((sent, "unchanged", existing, null, null));
            }
            else if (existing.DeletedAt is not null && row.BaseVersion is null)
            {
                byKey.Remove(ReportRows.KeyOf(existing));
                writer.Upsert(existing, values, actor);
                byKey[values.Key] = existing;
                existing.DeviceId ??= device;
                outcomes.Add((sent, "stored", existing, null, null));
            }
            else
            {
                // A row the device made and never saw again was based on the version its creation made.
                var basedOn = row.BaseVersion ?? (existing.DeviceId == device ? 1 : null);
                if (basedOn != existing.Version)
                {
                    outcomes.Add((sent, "conflict", existing, null, basedOn is null ? "exists" : "changed"));
                }
                else if (existing.Status is ReportStatus.Submitted or ReportStatus.Validated)
                {
                    outcomes.Add((sent, "conflict", existing, null, "not-editable"));
                }
                else
                {
                    byKey.Remove(ReportRows.KeyOf(existing));
                    writer.Upsert(existing, values, actor);
                    byKey[values.Key] = existing;
                    outcomes.Add((sent, "updated", existing, null, null));
                }
            }
        }
        if (db.ChangeTracker.HasChanges())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        var conflictIds = outcomes.Where(x => x.Result == "conflict").Select(x => x.Report!.Id).ToList();
        var servers = conflictIds.Count == 0 ? [] : await ReportQueries.Project(db, db.ActivityReports.AsNoTracking().Where(r => conflictIds.Contains(r.Id))).ToListAsync(ct);
        return new SyncResult(outcomes.Select(x => new SyncAnswer(x.Device, x.Result, x.Report?.Id, x.Report?.Version, x.Errors,
            x.Conflict, x.Result == "conflict" ? servers.FirstOrDefault(s => s.Id == x.Report!.Id) : null)).ToList());
    }
}
