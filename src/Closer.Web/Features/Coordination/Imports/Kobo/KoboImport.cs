using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Imports.Kobo;

/// <summary>What an import of submissions did; <c>withdrawn</c> counts reports a submission no longer holds (soft-deleted, restorable).</summary>
public sealed record KoboImportCounts(int Imported, int Updated, int Unchanged, int Withdrawn);

/// <summary>
/// Imports a Kobo or ODK export of the 5W XLSForm through the 5W import (its rules, its one transaction), with the
/// submission id as the key: a report remembers the submission it came from (<see cref="ActivityReport.SourceUuid"/>),
/// so the same export imported again updates instead of doubling, and a submission edited to another place, indicator,
/// month or group moves its figures there (the old report is withdrawn: soft-deleted, with revision and audit entry).
/// </summary>
public sealed class KoboImport(CloserDbContext db, IMemoryCache cache, ReportImporter importer, TimeProvider time, IStringLocalizer<SharedResource> t)
{
    /// <summary>Checks the upload (size, type, archive) and imports its first sheet, whose first row is the export's header.</summary>
    public async Task<Result<KoboImportCounts>> ImportFileAsync(Stream upload, long length, Actor actor, IReadOnlyCollection<string> ignore, CancellationToken ct)
    {
        var (checkedUpload, refusal) = await SheetReader.CheckUploadAsync(upload, length, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        using var content = checkedUpload!.Content;
        if (checkedUpload.IsEmpty)
        {
            return importer.Empty();
        }
        List<SheetRow> rows;
        try
        {
            rows = SheetReader.EnumerateRows(content, checkedUpload.Kind).Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c))).ToList();
        }
#pragma warning disable CA1031 // a broken workbook is the sender's problem, reported as such
        catch (Exception ex) when (checkedUpload.Kind == SheetKind.Xlsx && ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return new BadRequestError("unreadable-spreadsheet", "The spreadsheet could not be read.");
        }
        return rows.Count == 0 ? importer.Empty() : await ImportTableAsync(rows[0], rows.Skip(1), actor, ignore, null, ct);
    }

    /// <summary>
    /// Imports a table of submissions (header first). <paramref name="alsoInTransaction"/> runs inside the import's
    /// transaction (the pull withdraws the submissions deleted on the server there) and returns what it withdrew.
    /// </summary>
    public async Task<Result<KoboImportCounts>> ImportTableAsync(SheetRow header, IEnumerable<SheetRow> data, Actor actor, IReadOnlyCollection<string> ignore,
        Func<CloserDbContext, CancellationToken, Task<int>>? alsoInTransaction, CancellationToken ct)
    {
        // Read with every choice (a form made for another caller exports the same names); write with the caller's rules.
        var form = await XlsFormBuilder.BuildAsync(db, Everything, t, time, ct);
        var reference = await ReportReference.LoadAsync(db, cache, ct);
        var callerOrg = actor.Scope.OrganisationId is { } id ? reference.OrgAcronyms.GetValueOrDefault(id) : null;
        var export = KoboExport.Read(form, header, data, callerOrg, t);
        var scratch = new List<FieldError>();
        var values = new Dictionary<string, (int Line, ReportValues Values)>(StringComparer.Ordinal);
        foreach (var (line, uuid) in export.Uuids)
        {
            if (ReportRows.Parse(export.Cells[line], line, reference, actor, t, scratch) is { } v)
            {
                values[uuid] = (line, v);
            }
        }
        var errors = export.Errors;
        var (moves, releases) = await MovesAsync(values, reference, errors, ct);
        var check = errors.Count > 0;
        var collected = check ? new List<FieldError>() : null;
        var stamped = false;
        var withdrawn = 0;
        async Task<bool> StampHereAsync(CloserDbContext d, CancellationToken c)
        {
            stamped = true;
            withdrawn = await StampAsync(d, moves, releases, values, reference, actor, c);
            withdrawn += alsoInTransaction is null ? 0 : await alsoInTransaction(d, c);
            return true;
        }
        var hooks = new ImportHooks
        {
            Ignore = ignore, HeaderTexts = export.HeaderTexts, Reference = reference, CheckOnly = check, CollectErrors = collected,
            BeforeCommit = (d, _, c) => StampHereAsync(d, c),
        };
        var (result, error) = await importer.ImportRowsAsync(export.Rows, actor, hooks, ct);
        if (check)
        {
            // The submission ids' own problems, with every row problem of the import beside them: nothing stored.
            var all = errors.Concat(collected!).OrderBy(e => e.Row ?? 0).ToList();
            return new ValidationError("invalid-import", "Nothing was imported: the file has errors.", all.Take(ReportImporter.MaxListedErrors).ToList(), all.Count);
        }
        if (error is not null)
        {
            return error;
        }
        if (!stamped)
        {
            // The import changed no report (the same export again): the ids and withdrawals still go in, in one transaction.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await StampHereAsync(db, ct);
            await tx.CommitAsync(ct);
        }
        return new KoboImportCounts(result!.Imported, result.Updated, result.Unchanged, withdrawn);
    }

    /// <summary>The scope that sees every choice (organisations, countries, admin1 areas) when reading an export.</summary>
    private static readonly Actor Everything = new(null, null, new ScopeUser(new HashSet<string>(StringComparer.Ordinal) { Roles.PlatformAdmin }, null,
        new HashSet<string>(StringComparer.Ordinal)));

    /// <summary>
    /// Reports that hold a submission of the file under another key. A key another submission of the file takes is
    /// only released (its id cleared, the import updates it); otherwise the report is withdrawn, which its status and
    /// month must allow, as any change must.
    /// </summary>
    private async Task<(List<int> Moves, List<int> Releases)> MovesAsync(Dictionary<string, (int Line, ReportValues Values)> values, ReportReference reference,
        List<FieldError> errors, CancellationToken ct)
    {
        var moves = new List<int>();
        var releases = new List<int>();
        if (values.Count == 0)
        {
            return (moves, releases);
        }
        var uuids = values.Keys.ToList();
        var claimed = values.Values.Select(v => v.Values.Key).ToHashSet(StringComparer.Ordinal);
        var holders = await db.ActivityReports.AsNoTracking().Where(r => r.SourceUuid != null && uuids.Contains(r.SourceUuid)).ToListAsync(ct);
        foreach (var h in holders)
        {
            var (line, v) = values[h.SourceUuid!];
            var key = ReportRows.KeyOf(h);
            if (h.OrganisationId != v.OrganisationId || key == v.Key)
            {
                continue;
            }
            if (claimed.Contains(key))
            {
                releases.Add(h.Id);
            }
            else if (h.DeletedAt is null && h.Status is ReportStatus.Submitted or ReportStatus.Validated)
            {
                errors.Add(new FieldError(line, ReportColumns.Status.Key, t["Row {0}: this submission was imported before as another report ({1}), which is submitted or validated and cannot change; ask your coordinator to return it.",
                    line, h.NaturalKey(reference.OrgAcronyms[h.OrganisationId])]));
            }
            else if (h.DeletedAt is null && reference.Locks.Contains((h.CountryIso3, h.Month)))
            {
                errors.Add(new FieldError(line, ReportColumns.Month.Key, t["Row {0}: this submission was imported before as a report of {1}, a month now locked; ask your coordinator to unlock it.",
                    line, h.Month]));
            }
            else
            {
                moves.Add(h.Id);
            }
        }
        return (moves, releases);
    }

    /// <summary>Clears the ids of released and moved reports (withdrawing the moved), then gives each submission's report its id.</summary>
    private async Task<int> StampAsync(CloserDbContext d, List<int> moves, List<int> releases, Dictionary<string, (int Line, ReportValues Values)> values,
        ReportReference reference, Actor actor, CancellationToken ct)
    {
        var withdrawn = 0;
        var clear = moves.Concat(releases).ToList();
        if (clear.Count > 0)
        {
            var writer = new ReportWriter(d, time);
            foreach (var r in await d.ActivityReports.Where(r => clear.Contains(r.Id)).ToListAsync(ct))
            {
                r.SourceUuid = null;
                if (moves.Contains(r.Id) && r.DeletedAt is null)
                {
                    writer.Transition(r, "delete", actor, reference.OrgAcronyms[r.OrganisationId]);
                    withdrawn++;
                }
            }
            await d.SaveChangesAsync(ct);
        }
        foreach (var (uuid, (_, v)) in values)
        {
            await d.ActivityReports.Where(r => r.OrganisationId == v.OrganisationId && r.CountryIso3 == v.CountryIso3 && r.Admin1PCode == v.Admin1PCode
                    && r.IndicatorCode == v.IndicatorCode && r.Month == v.Month && r.PopulationGroup == v.PopulationGroup
                    && r.ImplementingPartner == v.ImplementingPartner && (r.SourceUuid == null || r.SourceUuid != uuid))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.SourceUuid, uuid), ct);
        }
        return withdrawn;
    }
}
