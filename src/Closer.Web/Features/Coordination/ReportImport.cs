using System.Buffers;
using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination;

public sealed record ImportResult(int Imported, int Updated, int Unchanged);

/// <summary>How long each phase of an import took (the benchmark prints them).</summary>
public sealed class ImportTimings
{
    public TimeSpan ReadAndValidate { get; set; }
    public TimeSpan Existing { get; set; }
    public TimeSpan Prepare { get; set; }
    public TimeSpan Write { get; set; }
    /// <summary>The parts of <see cref="Write"/>: reports inserted and updated, revisions, audit entries, the dashboards' aggregates.</summary>
    public TimeSpan WriteReports { get; set; }
    public TimeSpan WriteRevisions { get; set; }
    public TimeSpan WriteAudit { get; set; }
    public TimeSpan WriteAggregates { get; set; }
    public TimeSpan Commit { get; set; }
    public int Rows { get; set; }
}

/// <summary>What a caller may hook into an import: progress while reading, and a last word inside the transaction.</summary>
public sealed class ImportHooks
{
    /// <summary>Called every few thousand rows while the file is read and checked (no transaction is open then).</summary>
    public Func<int, CancellationToken, Task>? OnProgress { get; init; }

    /// <summary>
    /// Called inside the import's transaction after the rows are written, before the commit. Returning false rolls
    /// everything back (a background job that lost its claim).
    /// </summary>
    public Func<CloserDbContext, ImportResult, CancellationToken, Task<bool>>? BeforeCommit { get; init; }

    public ImportTimings? Timings { get; init; }
}

/// <summary>
/// The spreadsheet import: streams a CSV or XLSX row by row, checks every row, and only when all are valid stores them
/// in one transaction (bulk statements, no change tracking). Rows matching an existing report's key update it, with a
/// revision and an audit entry each; identical rows change nothing.
/// </summary>
public sealed class ReportImporter(CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t)
{
    public const int ProgressEvery = 2000;

    /// <summary>Checks the upload (size, type, archive) and imports it.</summary>
    public async Task<(ImportResult? Result, Error? Error)> ImportAsync(Stream upload, long length, Actor actor, CancellationToken ct)
    {
        var (checkedUpload, refusal) = await Spreadsheets.CheckUploadAsync(upload, length, ct);
        if (refusal is not null)
        {
            return (null, refusal);
        }
        using var content = checkedUpload!.Content;
        return await ImportCheckedAsync(checkedUpload, actor, null, ct);
    }

    public ValidationError Empty() =>
        new("empty-file", "The file holds no reports.", [new FieldError(null, "file", t["The file is empty."])]);

    private static ValidationError Invalid(List<FieldError> errors) =>
        new("invalid-import", "Nothing was imported: the file has errors.", errors.OrderBy(e => e.Row ?? 0).ToList());

    /// <summary>Imports an upload that passed <see cref="Spreadsheets.CheckUploadAsync"/>.</summary>
    public async Task<(ImportResult? Result, Error? Error)> ImportCheckedAsync(CheckedUpload upload, Actor actor, ImportHooks? hooks, CancellationToken ct)
    {
        if (upload.IsEmpty)
        {
            return (null, Empty());
        }
        upload.Content.Position = 0;
        using var rows = Spreadsheets.EnumerateRows(upload.Content, upload.Kind).GetEnumerator();
        bool Next()
        {
            // Skips blank rows. An unreadable workbook surfaces here, while reading.
            try
            {
                while (rows.MoveNext())
                {
                    if (rows.Current.Cells.Any(c => !string.IsNullOrWhiteSpace(c)))
                    {
                        return true;
                    }
                }
                return false;
            }
#pragma warning disable CA1031 // a broken workbook is the sender's problem, reported as such
            catch (Exception ex) when (upload.Kind == SheetKind.Xlsx && ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                throw new UnreadableSpreadsheetException(ex);
            }
        }
        try
        {
            return await ImportRowsAsync(Next, () => rows.Current, actor, hooks, ct);
        }
        catch (UnreadableSpreadsheetException)
        {
            return (null, new BadRequestError("unreadable-spreadsheet", "The spreadsheet could not be read."));
        }
    }

    private sealed class UnreadableSpreadsheetException(Exception inner) : Exception("unreadable spreadsheet", inner);

    /// <summary>Imports rows already read (tests and callers with their own reader).</summary>
    public Task<(ImportResult? Result, Error? Error)> ImportRowsAsync(List<SheetRow> rows, Actor actor, CancellationToken ct)
    {
        var i = -1;
        var nonEmpty = rows.Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c))).ToList();
        return ImportRowsAsync(() => ++i < nonEmpty.Count, () => nonEmpty[i], actor, null, ct);
    }

    private async Task<(ImportResult? Result, Error? Error)> ImportRowsAsync(Func<bool> next, Func<SheetRow> current, Actor actor, ImportHooks? hooks,
        CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var timings = hooks?.Timings;
        if (!next())
        {
            return (null, Empty());
        }
        var errors = new List<FieldError>();
        // The header is the first row; an HXL row may be the header itself or the line right after it.
        var header = current();
        var mappingRow = header;
        SheetRow? pending = null;
        if (next())
        {
            var second = current();
            if (ReportColumns.IsHxlRow(second.Cells))
            {
                mappingRow = second;
            }
            else
            {
                pending = second;
            }
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
            return (null, Invalid(errors));
        }

        var reference = await ReportReference.LoadAsync(db, ct);
        var parsed = new List<(int Line, ReportValues Values)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var cells = new RowCells(index);
        var count = 0;
        while (pending is not null || next())
        {
            var row = pending ?? current();
            pending = null;
            count++;
            if (hooks?.OnProgress is { } progress && count % ProgressEvery == 0)
            {
                await progress(count, ct);
            }
            cells.Row = row.Cells;
            var values = ReportRows.Parse(cells, row.Line, reference, actor, t, errors);
            if (values is null)
            {
                continue;
            }
            var key = values.Key;
            if (seen.TryGetValue(key, out var first))
            {
                errors.Add(new FieldError(row.Line, ReportColumns.Indicator.Key, t["Duplicate of row {0}: same organisation, country, admin1, indicator, month and population group.", first]));
                continue;
            }
            seen[key] = row.Line;
            parsed.Add((row.Line, values));
        }
        if (count == 0)
        {
            return (null, Empty());
        }
        if (hooks?.OnProgress is { } done)
        {
            await done(count, ct);
        }
        if (timings is not null)
        {
            timings.ReadAndValidate = clock.Elapsed;
            timings.Rows = count;
            clock.Restart();
        }

        // One query for the reports of the organisations and months in the file, matched by key in memory.
        var orgIds = parsed.Select(p => p.Values.OrganisationId).Distinct().ToList();
        var months = parsed.Select(p => p.Values.Month).Distinct().ToList();
        var existing = new Dictionary<string, ActivityReport>(StringComparer.Ordinal);
        if (parsed.Count > 0)
        {
            foreach (var r in await db.ActivityReports.AsNoTracking().Where(r => orgIds.Contains(r.OrganisationId) && months.Contains(r.Month)).ToListAsync(ct))
            {
                existing[ReportRows.KeyOf(r)] = r;
            }
        }
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
            return (null, Invalid(errors));
        }
        if (timings is not null)
        {
            timings.Existing = clock.Elapsed;
            clock.Restart();
        }
        return await StoreAsync(parsed, existing, actor, hooks, ct);
    }

    /// <summary>
    /// The one place an import writes: new reports, changed reports, their revisions and audit entries, and the
    /// import's own audit entry, all in one transaction.
    /// </summary>
    private async Task<(ImportResult? Result, Error? Error)> StoreAsync(List<(int Line, ReportValues Values)> parsed, Dictionary<string, ActivityReport> existing,
        Actor actor, ImportHooks? hooks, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var timings = hooks?.Timings;
        var now = time.GetUtcNow();
        var creates = new List<ReportValues>();
        var updates = new List<(ActivityReport Report, int ReadVersion)>();
        var revisions = new List<ReportRevision>();
        var audit = new List<AuditEntry>();
        using var json = new SnapshotJson();
        foreach (var (_, v) in parsed)
        {
            if (!existing.TryGetValue(v.Key, out var r))
            {
                creates.Add(v);
            }
            else if (ReportRows.Differs(r, v))
            {
                var old = ReportRows.Snapshot(r);
                var readVersion = r.Version;
                ReportRows.Apply(r, v);
                var restored = r.DeletedAt is not null;
                r.DeletedAt = null;
                if (r.Status == ReportStatus.Returned)
                {
                    r.Status = ReportStatus.Draft;
                }
                r.UpdatedAt = now;
                r.Version++;
                var snapshot = ReportRows.Snapshot(r);
                updates.Add((r, readVersion));
                revisions.Add(new ReportRevision { ReportId = r.Id, Version = r.Version, Snapshot = JsonSerializer.Serialize(snapshot), ChangedAt = now, ChangedBy = actor.Email });
                audit.Add(Entry(now, actor, restored ? "restore" : "update", r, v.OrgAcronym, JsonSerializer.Serialize(AuditLog.Diff(old, snapshot))));
            }
        }
        var unchanged = parsed.Count - creates.Count - updates.Count;
        var result = new ImportResult(creates.Count, updates.Count, unchanged);
        if (creates.Count + updates.Count == 0)
        {
            return (result, null);
        }
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // The bulk path bypasses the change tracker: stamp the reports dataset ourselves, so the public answers
            // built on reports are evicted when this transaction commits (and only then).
            await Closer.Web.Features.OpenData.DataStamps.MarkChangedAsync(db, Closer.Web.Features.OpenData.DataStamps.Reports, now, ct);
            var bulk = ReportBulkWriter.For(db);
            await bulk.BeginAsync(ct);
            try
            {
            var ids = await bulk.ReserveReportIdsAsync(creates.Count, ct);
            var reports = new List<ActivityReport>(creates.Count);
            for (var i = 0; i < creates.Count; i++)
            {
                var v = creates[i];
                var r = new ActivityReport
                {
                    Id = ids[i], OrganisationId = v.OrganisationId, CountryIso3 = v.CountryIso3, Admin1PCode = v.Admin1PCode, IndicatorCode = v.IndicatorCode,
                    Month = v.Month, PopulationGroup = v.PopulationGroup, Status = ReportStatus.Draft, Version = 1, CreatedAt = now, UpdatedAt = now,
                };
                ReportRows.Apply(r, v);
                reports.Add(r);
                revisions.Add(new ReportRevision { ReportId = r.Id, Version = 1, Snapshot = json.Snapshot(r), ChangedAt = now, ChangedBy = actor.Email });
                audit.Add(Entry(now, actor, "create", r, v.OrgAcronym, json.CreateDiff(r)));
            }
            audit.Add(new AuditEntry
            {
                At = now, UserId = actor.UserId, UserEmail = actor.Email, Action = "import", EntityType = "import",
                EntityKey = $"{creates.Count}+{updates.Count}", OrganisationId = actor.Scope.OrganisationId,
            });
            if (timings is not null)
            {
                timings.Prepare = clock.Elapsed;
                clock.Restart();
            }
            var part = Stopwatch.StartNew();
            await bulk.InsertReportsAsync(reports, ct);
            if (await bulk.UpdateReportsAsync(updates, ct) != updates.Count)
            {
                await tx.RollbackAsync(ct);
                return (null, Changed());
            }
            timings?.WriteReports = part.Elapsed;
            part.Restart();
            await bulk.InsertRevisionsAsync(revisions, ct);
            timings?.WriteRevisions = part.Elapsed;
            part.Restart();
            await bulk.InsertAuditAsync(audit, ct);
            timings?.WriteAudit = part.Elapsed;
            part.Restart();
            // Everything derived from reports is refreshed here, in this transaction: the dashboards' aggregates of
            // every organisation × country × year the new (`reports`) and changed (`updates`) reports belong to.
            await Closer.Web.Features.Dashboards.ResponseAggregates.RefreshAsync(db, Closer.Web.Features.Dashboards.ResponseAggregates.KeysOf(
                reports.Select(r => (r.OrganisationId, r.CountryIso3, r.Month)).Concat(updates.Select(u => (u.Report.OrganisationId, u.Report.CountryIso3, u.Report.Month)))), ct);
            timings?.WriteAggregates = part.Elapsed;
            if (hooks?.BeforeCommit is { } beforeCommit && !await beforeCommit(db, result, ct))
            {
                await tx.RollbackAsync(ct);
                return (null, new ConflictError("import-claim-lost", "The import was taken over by another worker."));
            }
            if (timings is not null)
            {
                timings.Write = clock.Elapsed;
                clock.Restart();
            }
            await tx.CommitAsync(ct);
            if (timings is not null)
            {
                timings.Commit = clock.Elapsed;
            }
            }
            finally
            {
                await bulk.EndAsync();
            }
        }
        catch (DbException) when (!ct.IsCancellationRequested)
        {
            // Another write of the same keys came in between (the unique index refused ours): nothing was stored.
            db.ChangeTracker.Clear();
            return (null, Changed());
        }
        return (result, null);
    }

    private static ConflictError Changed() =>
        new("import-conflict", "Some of these reports changed while the file was being imported; nothing was stored. Please upload it again.");

    private static AuditEntry Entry(DateTimeOffset now, Actor actor, string action, ActivityReport r, string orgAcronym, string? changes) => new()
    {
        At = now, UserId = actor.UserId, UserEmail = actor.Email, Action = action, EntityType = "report", EntityKey = r.NaturalKey(orgAcronym),
        CountryIso3 = r.CountryIso3, OrganisationId = r.OrganisationId, Changes = changes,
    };

    /// <summary>A row's cells keyed by column key, over the row's array (no dictionary per row).</summary>
    private sealed class RowCells(Dictionary<string, int> index) : IReadOnlyDictionary<string, string?>
    {
        public IReadOnlyList<string?> Row { get; set; } = [];

        public bool TryGetValue(string key, out string? value)
        {
            if (index.TryGetValue(key, out var i) && i < Row.Count)
            {
                value = Row[i];
                return true;
            }
            value = null;
            return false;
        }

        public string? this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);
        public IEnumerable<string> Keys => index.Keys;
        public IEnumerable<string?> Values => index.Keys.Select(k => this[k]);
        public int Count => index.Count;
        public bool ContainsKey(string key) => index.ContainsKey(key);
        public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() => index.Keys.Select(k => new KeyValuePair<string, string?>(k, this[k])).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>
/// The revision snapshot and the audit diff of a new report as JSON, written straight from its fields: the same JSON as
/// <see cref="ReportRows.Snapshot"/> and <see cref="AuditLog.Diff"/> serialized, without a dictionary per row.
/// </summary>
internal sealed class SnapshotJson : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public SnapshotJson() => _writer = new Utf8JsonWriter(_buffer);

    public void Dispose() => _writer.Dispose();

    private static string N(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string Done()
    {
        _writer.Flush();
        var text = System.Text.Encoding.UTF8.GetString(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        return text;
    }

    public string Snapshot(ActivityReport r)
    {
        var w = _writer;
        w.WriteStartObject();
        w.WriteString("partner", r.ImplementingPartner);
        w.WriteString("girls", N(r.Girls));
        w.WriteString("boys", N(r.Boys));
        w.WriteString("women", N(r.Women));
        w.WriteString("men", N(r.Men));
        w.WriteString("other", N(r.Other));
        w.WriteString("total", N(r.Total));
        w.WriteString("todate", r.ReachedToDate is { } d ? N(d) : null);
        w.WriteString("cash", r.IsCash ? "yes" : "no");
        w.WriteString("cashusd", r.CashUsd is { } u ? N(u) : null);
        w.WriteString("status", r.Status.ToString());
        w.WriteString("returnReason", r.ReturnReason);
        w.WriteNull("deleted");
        w.WriteEndObject();
        return Done();
    }

    /// <summary>Field → [null, new] for every field a new report has.</summary>
    public string CreateDiff(ActivityReport r)
    {
        var w = _writer;
        w.WriteStartObject();
        Field("partner", r.ImplementingPartner);
        Field("girls", N(r.Girls));
        Field("boys", N(r.Boys));
        Field("women", N(r.Women));
        Field("men", N(r.Men));
        Field("other", N(r.Other));
        Field("total", N(r.Total));
        Field("todate", r.ReachedToDate is { } d ? N(d) : null);
        Field("cash", r.IsCash ? "yes" : "no");
        Field("cashusd", r.CashUsd is { } u ? N(u) : null);
        Field("status", r.Status.ToString());
        Field("returnReason", r.ReturnReason);
        w.WriteEndObject();
        return Done();
    }

    private void Field(string name, string? value)
    {
        if (value is not null)
        {
            _writer.WriteStartArray(name);
            _writer.WriteNullValue();
            _writer.WriteStringValue(value);
            _writer.WriteEndArray();
        }
    }
}
