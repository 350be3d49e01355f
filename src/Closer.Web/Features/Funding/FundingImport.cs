using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Funding;

/// <summary>
/// The contributions import: every row checked first; only when all are valid are they stored, in one transaction.
/// A row with the key of an existing contribution (year, donor, recipient, country, sector, reference) updates it;
/// identical rows change nothing.
/// </summary>
public sealed class FundingImporter(CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t, IOutputCacheStore cache)
{
    public async Task<Result<ImportResult>> ImportAsync(Stream upload, long length, Actor actor, CancellationToken ct)
    {
        var (rows, error) = await SheetReader.ReadUploadAsync(upload, length, ct);
        if (error is not null)
        {
            return error;
        }
        if (rows!.Count == 0)
        {
            return Empty();
        }
        return await ImportRowsAsync(rows, actor, ct);
    }

    private ValidationError Empty() =>
        new ValidationError("empty-file", "The file holds no contributions.", [new FieldError(null, "file", t["The file is empty."])]);

    public async Task<Result<ImportResult>> ImportRowsAsync(List<SheetRow> rows, Actor actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var header = rows[0];
        // Unknown header cells are ignored: a sheet may carry the sender's own notes next to the contributions.
        var map = HeaderMatcher.Map(header.Cells, rows.Count > 1 ? rows[1].Cells : null, FundingColumns.Import);
        var dataStart = map.DataStart;
        var index = map.Positions;
        foreach (var c in map.Missing)
        {
            errors.Add(new FieldError(header.Line, c.Key, t["This column is missing."]));
        }
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        if (rows.Count <= dataStart)
        {
            return Empty();
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
            return Invalid(errors.OrderBy(e => e.Row ?? 0).ToList());
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
        return new ImportResult(created, updated, unchanged);
    }

    private static ValidationError Invalid(IReadOnlyList<FieldError> errors) =>
        new("invalid-import", "Nothing was imported: the file has errors.", errors);
}
