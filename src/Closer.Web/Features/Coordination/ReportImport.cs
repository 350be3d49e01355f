using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination;

public sealed record ImportResult(int Imported, int Updated, int Unchanged);

/// <summary>
/// The spreadsheet import: reads a CSV or XLSX, checks every row, and only when all are valid stores them in one
/// transaction. Rows matching an existing report's key update it; identical rows change nothing.
/// </summary>
public sealed class ReportImporter(CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t)
{
    public async Task<(ImportResult? Result, Error? Error)> ImportAsync(Stream upload, long length, Actor actor, CancellationToken ct)
    {
        if (length > Spreadsheets.MaxUploadBytes)
        {
            return (null, new BadRequestError("file-too-large", "The file is larger than 20 MB."));
        }
        using var buffer = new MemoryStream();
        await upload.CopyToAsync(buffer, ct);
        if (buffer.Length > Spreadsheets.MaxUploadBytes)
        {
            return (null, new BadRequestError("file-too-large", "The file is larger than 20 MB."));
        }
        if (buffer.Length == 0)
        {
            return (null, Empty());
        }
        buffer.Position = 0;
        var head = buffer.GetBuffer().AsSpan(0, (int)Math.Min(buffer.Length, 4096));
        var kind = Spreadsheets.Sniff(head);
        if (kind is null)
        {
            return (null, new BadRequestError("unsupported-file-type", "Upload a CSV or XLSX file."));
        }
        List<SheetRow> rows;
        if (kind == SheetKind.Xlsx)
        {
            if (Spreadsheets.CheckXlsxArchive(buffer) is { } refusal)
            {
                return (null, new BadRequestError("unsafe-spreadsheet", refusal));
            }
            try
            {
                rows = Spreadsheets.ReadXlsx(buffer);
            }
#pragma warning disable CA1031 // a broken workbook is the sender's problem, reported as such
            catch (Exception)
#pragma warning restore CA1031
            {
                return (null, new BadRequestError("unreadable-spreadsheet", "The spreadsheet could not be read."));
            }
        }
        else
        {
            rows = Spreadsheets.ReadCsv(buffer);
        }
        rows = rows.Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c))).ToList();
        if (rows.Count == 0)
        {
            return (null, Empty());
        }
        return await ImportRowsAsync(rows, actor, ct);
    }

    private ValidationError Empty() =>
        new("empty-file", "The file holds no reports.", [new FieldError(null, "file", t["The file is empty."])]);

    public async Task<(ImportResult? Result, Error? Error)> ImportRowsAsync(List<SheetRow> rows, Actor actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        // The header is the first row; an HXL row may be the header itself or the line right after it.
        var header = rows[0];
        var dataStart = 1;
        var mappingRow = header;
        if (rows.Count > 1 && ReportColumns.IsHxlRow(rows[1].Cells))
        {
            mappingRow = rows[1];
            dataStart = 2;
        }
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < mappingRow.Cells.Count; i++)
        {
            var column = ReportColumns.Match(mappingRow.Cells[i]) ?? (mappingRow == header ? null : ReportColumns.Match(i < header.Cells.Count ? header.Cells[i] : null));
            if (column is not null)
            {
                index.TryAdd(column.Key, i);
            }
        }
        foreach (var c in ReportColumns.Import.Where(c => c.Required && !index.ContainsKey(c.Key)))
        {
            errors.Add(new FieldError(header.Line, c.Key, t["This column is missing."]));
        }
        if (errors.Count > 0)
        {
            return (null, new ValidationError("invalid-import", "Nothing was imported: the file has errors.", errors));
        }
        if (rows.Count <= dataStart)
        {
            return (null, Empty());
        }

        var reference = await ReportReference.LoadAsync(db, ct);
        var parsed = new List<(int Line, ReportValues Values)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows.Skip(dataStart))
        {
            var cells = index.ToDictionary(kv => kv.Key, kv => kv.Value < row.Cells.Count ? row.Cells[kv.Value] : null, StringComparer.Ordinal);
            var values = ReportRows.Parse(cells, row.Line, reference, actor, t, errors);
            if (values is null)
            {
                continue;
            }
            if (seen.TryGetValue(values.Key, out var first))
            {
                errors.Add(new FieldError(row.Line, ReportColumns.Indicator.Key, t["Duplicate of row {0}: same organisation, country, admin1, indicator, month and population group.", first]));
                continue;
            }
            seen[values.Key] = row.Line;
            parsed.Add((row.Line, values));
        }

        var orgIds = parsed.Select(p => p.Values.OrganisationId).Distinct().ToList();
        var months = parsed.Select(p => p.Values.Month).Distinct().ToList();
        var existing = (await db.ActivityReports.Where(r => orgIds.Contains(r.OrganisationId) && months.Contains(r.Month)).ToListAsync(ct))
            .ToDictionary(ReportRows.KeyOf, StringComparer.Ordinal);
        foreach (var (line, v) in parsed)
        {
            if (existing.TryGetValue(v.Key, out var r) && r.DeletedAt is null && r.Status is ReportStatus.Submitted or ReportStatus.Validated
                && ReportRows.Differs(r, v))
            {
                errors.Add(new FieldError(line, ReportColumns.Status.Key, t["This report is already submitted or validated and cannot change; ask your coordinator to return it."]));
            }
        }
        if (errors.Count > 0)
        {
            var ordered = errors.OrderBy(e => e.Row ?? 0).ToList();
            return (null, new ValidationError("invalid-import", "Nothing was imported: the file has errors.", ordered));
        }

        var writer = new ReportWriter(db, time);
        int created = 0, updated = 0, unchanged = 0;
        // Adding tens of thousands of entities: detect changes once, not on every Add.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var (_, v) in parsed)
        {
            switch (writer.Upsert(existing.GetValueOrDefault(v.Key), v, actor))
            {
                case "created": created++; break;
                case "updated": updated++; break;
                default: unchanged++; break;
            }
        }
        if (created + updated > 0)
        {
            AuditLog.Add(db, writer.Now, actor, "import", "import", $"{created}+{updated}", null, actor.Scope.OrganisationId, null);
            db.ChangeTracker.DetectChanges();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await Closer.Web.Features.Dashboards.ResponseAggregates.SaveChangesAsync(db, ct);
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        return (new ImportResult(created, updated, unchanged), null);
    }
}
