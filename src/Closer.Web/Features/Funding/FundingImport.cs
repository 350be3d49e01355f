using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Funding;

/// <summary>
/// An uploaded spreadsheet read into rows behind the coordination import's guards (<see cref="Spreadsheets"/>): size cap,
/// content sniffing (XLSX zip or UTF-8 text), the XLSX archive guard. Blank rows are dropped.
/// </summary>
public static class SpreadsheetUpload
{
    public static async Task<(List<SheetRow>? Rows, Error? Error)> ReadAsync(Stream upload, long length, CancellationToken ct)
    {
        if (length > Spreadsheets.MaxUploadBytes)
        {
            return (null, TooLarge);
        }
        using var buffer = new MemoryStream();
        // Copy at most one byte over the cap: a lying Content-Length does not fill the memory.
        await CopyCappedAsync(upload, buffer, Spreadsheets.MaxUploadBytes + 1, ct);
        if (buffer.Length > Spreadsheets.MaxUploadBytes)
        {
            return (null, TooLarge);
        }
        if (buffer.Length == 0)
        {
            return ([], null);
        }
        buffer.Position = 0;
        var kind = Spreadsheets.Sniff(buffer.GetBuffer().AsSpan(0, (int)Math.Min(buffer.Length, 4096)));
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
        return (rows.Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c))).ToList(), null);
    }

    private static readonly BadRequestError TooLarge = new("file-too-large", "The file is larger than 20 MB.");

    private static async Task CopyCappedAsync(Stream from, Stream to, long cap, CancellationToken ct)
    {
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while (total < cap && (read = await from.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, cap - total)), ct)) > 0)
        {
            await to.WriteAsync(chunk.AsMemory(0, read), ct);
            total += read;
        }
    }
}

/// <summary>
/// The contributions import: every row checked first; only when all are valid are they stored, in one transaction.
/// A row with the key of an existing contribution (year, donor, recipient, country, sector, reference) updates it;
/// identical rows change nothing.
/// </summary>
public sealed class FundingImporter(CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t, IOutputCacheStore cache)
{
    public async Task<(ImportResult? Result, Error? Error)> ImportAsync(Stream upload, long length, Actor actor, CancellationToken ct)
    {
        var (rows, error) = await SpreadsheetUpload.ReadAsync(upload, length, ct);
        if (error is not null)
        {
            return (null, error);
        }
        if (rows!.Count == 0)
        {
            return (null, Empty());
        }
        return await ImportRowsAsync(rows, actor, ct);
    }

    private ValidationError Empty() =>
        new ValidationError("empty-file", "The file holds no contributions.", [new FieldError(null, "file", t["The file is empty."])]);

    public async Task<(ImportResult? Result, Error? Error)> ImportRowsAsync(List<SheetRow> rows, Actor actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
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
            var column = FundingColumns.Match(mappingRow.Cells[i])
                ?? (mappingRow == header ? null : FundingColumns.Match(i < header.Cells.Count ? header.Cells[i] : null));
            if (column is not null)
            {
                index.TryAdd(column.Key, i);
            }
        }
        foreach (var c in FundingColumns.Import.Where(c => c.Required && !index.ContainsKey(c.Key)))
        {
            errors.Add(new FieldError(header.Line, c.Key, t["This column is missing."]));
        }
        if (errors.Count > 0)
        {
            return (null, Invalid(errors));
        }
        if (rows.Count <= dataStart)
        {
            return (null, Empty());
        }

        var reference = await FundingReference.LoadAsync(db, ct);
        var parsed = new List<ContributionValues>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows.Skip(dataStart))
        {
            var cells = index.ToDictionary(kv => kv.Key, kv => kv.Value < row.Cells.Count ? row.Cells[kv.Value] : null, StringComparer.Ordinal);
            var values = FundingRows.Parse(cells, row.Line, reference, actor, t, errors);
            if (values is null)
            {
                continue;
            }
            if (seen.TryGetValue(values.Key, out var first))
            {
                errors.Add(new FieldError(row.Line, FundingColumns.Donor.Key, t["Duplicate of row {0}: same year, donor, recipient, country, sector and reference.", first]));
                continue;
            }
            seen[values.Key] = row.Line;
            parsed.Add(values);
        }
        if (errors.Count > 0)
        {
            return (null, Invalid(errors.OrderBy(e => e.Row ?? 0).ToList()));
        }

        var years = parsed.Select(p => p.Year).Distinct().ToList();
        var existing = new Dictionary<string, Contribution>(StringComparer.Ordinal);
        foreach (var c in await db.Contributions.Include(c => c.RecipientOrganisation).Where(c => years.Contains(c.Year)).OrderBy(c => c.DeletedAt != null).ThenBy(c => c.Id).ToListAsync(ct))
        {
            existing.TryAdd(FundingRows.KeyOf(c), c); // a live contribution wins over a deleted one with the same key
        }
        var writer = new FundingWriter(db, time);
        int created = 0, updated = 0, unchanged = 0;
        foreach (var v in parsed)
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
            AuditLog.Add(db, writer.Now, actor, "import", "contribution-import", $"{created}+{updated}", null, null, null);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            await cache.EvictByTagAsync(FundingFeature.CacheTag, ct);
        }
        return (new ImportResult(created, updated, unchanged), null);
    }

    private static ValidationError Invalid(IReadOnlyList<FieldError> errors) =>
        new("invalid-import", "Nothing was imported: the file has errors.", errors);
}
