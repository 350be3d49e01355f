using System.Buffers;
using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination;

public sealed record ImportResult(int Imported, int Updated, int Unchanged);

/// <summary>How long each phase of an import took (the benchmark prints them).</summary>
public sealed class ImportTimings
{
    public TimeSpan ReadAndValidate { get; set; }
    public TimeSpan Existing { get; set; }
    public TimeSpan Prepare { get; set; }
    /// <summary>The sum of the write's parts.</summary>
    public TimeSpan Write => WriteReports + WriteRevisions + WriteAudit + WriteAggregates;
    /// <summary>The parts of <see cref="Write"/>: reports inserted and updated, revisions, audit entries, the dashboards' aggregates.</summary>
    public TimeSpan WriteReports { get; set; }
    public TimeSpan WriteRevisions { get; set; }
    public TimeSpan WriteAudit { get; set; }
    public TimeSpan WriteAggregates { get; set; }
    public TimeSpan Commit { get; set; }
    /// <summary>How long the writer waited for the reading side to hand over the next chunk.</summary>
    public TimeSpan WriterWaiting { get; set; }
    /// <summary>How long the reading side waited for the writer to take a chunk (PostgreSQL, where the two overlap).</summary>
    public TimeSpan ReaderWaiting { get; set; }
    public int Rows { get; set; }
}

/// <summary>What a caller may hook into an import: progress while reading, and a last word inside the transaction.</summary>
public sealed class ImportHooks
{
    /// <summary>
    /// Called every few thousand rows from the thread that reads and checks the file. On PostgreSQL the import's
    /// transaction may be open on the importer's context meanwhile: use a context of your own.
    /// </summary>
    public Func<int, CancellationToken, Task>? OnProgress { get; init; }

    /// <summary>
    /// Called inside the import's transaction after the rows are written, before the commit. Returning false rolls
    /// everything back (a background job that lost its claim).
    /// </summary>
    public Func<CloserDbContext, ImportResult, CancellationToken, Task<bool>>? BeforeCommit { get; init; }

    public ImportTimings? Timings { get; init; }

    /// <summary>
    /// Rows handed over at a time from the reading thread to the writer (tests use a few, to cross chunks). The first
    /// chunk is a quarter of this, so the writer starts early.
    /// </summary>
    public int ChunkRows { get; init; } = ReportImporter.DefaultChunkRows;
}

/// <summary>
/// The spreadsheet import: streams a CSV or XLSX row by row, checks every row, and only when all are valid stores them
/// in one transaction (bulk statements, no change tracking). Rows matching an existing report's key update it, with a
/// revision and an audit entry each; identical rows change nothing.
/// </summary>
public sealed class ReportImporter(CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t, IServiceScopeFactory scopes)
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
        // Reading and checking runs on its own thread, with its own database context for looking up existing reports,
        // and hands chunks of valid rows to the writer. On PostgreSQL the reading side also prepares each chunk (the
        // JSON of revisions and audit entries) and the writer writes the chunks as they come, inside the one
        // transaction, while the next ones are read: an open transaction there blocks no reader and no other writer,
        // and the server's work overlaps the parse. On SQLite a transaction takes the file's one write lock, so the
        // whole file is read and checked first (holding only the checked values, not their JSON) and the writer then
        // prepares and writes chunk by chunk. Either way, an invalid row anywhere means nothing is stored.
        var overlap = db.Database.IsNpgsql();
        var chunks = overlap
            ? Channel.CreateBounded<ChunkPlan>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true })
            : Channel.CreateUnbounded<ChunkPlan>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        // Overlapping, the reading side looks up existing reports through a context of its own (the writer's is busy);
        // on SQLite it runs first, on this thread and this context, before the writer opens its transaction.
        await using var lookupScope = overlap ? scopes.CreateAsyncScope() : (AsyncServiceScope?)null;
        var now = time.GetUtcNow();
        var reading = new RowReading(index, reference, lookupScope?.ServiceProvider.GetRequiredService<CloserDbContext>() ?? db, actor, t, hooks,
            now, prepareHere: overlap, chunks.Writer);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = overlap ? Task.Run(() => reading.RunAsync(next, current, pending, stop.Token), stop.Token)
            : reading.RunAsync(next, current, pending, stop.Token);
        await using var store = new ChunkStore(db, now, actor, hooks);
        try
        {
            if (!overlap)
            {
                await producer;
            }
            var waiting = Stopwatch.StartNew();
            await foreach (var chunk in chunks.Reader.ReadAllAsync(stop.Token))
            {
                timings?.WriterWaiting += waiting.Elapsed;
                if (reading.ErrorCount == 0)
                {
                    await store.WriteAsync(chunk, stop.Token);
                }
                waiting.Restart();
            }
            await producer;
            timings?.Rows = reading.Count;
            if (reading.Count == 0)
            {
                return (null, Empty());
            }
            if (reading.Errors.Count > 0)
            {
                return (null, Invalid(reading.Errors));
            }
            return await store.FinishAsync(reading.Result, ct);
        }
        catch (DbException) when (!ct.IsCancellationRequested && !producer.IsFaulted)
        {
            // A write refused: another write of the same keys came in between (the unique index refused ours).
            // Nothing was stored. (A failure of the reading side's lookups is not that, and goes up as it is.)
            db.ChangeTracker.Clear();
            return (null, Changed());
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await producer;
            }
#pragma warning disable CA1031 // already seen (rethrown above) or moot: the import stopped for another reason
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>Rows per chunk handed from the reading thread to the writer.</summary>
    public const int DefaultChunkRows = 8192;

    /// <summary>
    /// A chunk of rows to write: the new ones and the changed ones (with the reports they change). Prepared, it holds
    /// the new reports (ids not yet given) with their first revision and audit entry at the same index, then the
    /// changed reports with the version they were read with, and their revisions and audit entries.
    /// </summary>
    private sealed class ChunkPlan(List<ReportValues> creates, List<(ActivityReport Report, ReportValues Values)> changes)
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
    }

    /// <summary>
    /// The reading side: every row parsed and checked (codes, numbers, scope, duplicates within the file); each chunk
    /// of valid rows matched with the existing reports of its organisations and months (read once per pair, through
    /// its own context), then, while the file is still valid, prepared for writing.
    /// </summary>
    private sealed class RowReading(Dictionary<string, int> index, ReportReference reference, CloserDbContext lookup, Actor actor,
        IStringLocalizer<SharedResource> t, ImportHooks? hooks, DateTimeOffset now, bool prepareHere, ChannelWriter<ChunkPlan> output)
    {
        private readonly Dictionary<string, ActivityReport> _existing = new(StringComparer.Ordinal);
        private readonly HashSet<(int OrganisationId, string Month)> _loaded = [];
        private readonly ImportTimings? _timings = hooks?.Timings;
        private int _errorCount;
        private int _creates;
        private int _updates;
        private int _unchanged;

        public List<FieldError> Errors { get; } = [];
        public int Count { get; private set; }
        /// <summary>Errors found so far (read from the writing side while this one runs).</summary>
        public int ErrorCount => Volatile.Read(ref _errorCount);
        public ImportResult Result => new(_creates, _updates, _unchanged);

        public async Task RunAsync(Func<bool> next, Func<SheetRow> current, SheetRow? pending, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            var outside = TimeSpan.Zero;
            try
            {
                var seen = new Dictionary<string, int>(StringComparer.Ordinal);
                var cells = new RowCells(index);
                var full = Math.Max(1, hooks?.ChunkRows ?? DefaultChunkRows);
                var size = Math.Max(1, full / 4);
                var chunk = new List<(int Line, ReportValues Values)>(size);
                using var json = new SnapshotJson();
                while (pending is not null || next())
                {
                    var row = pending ?? current();
                    pending = null;
                    Count++;
                    if (hooks?.OnProgress is { } progress && Count % ProgressEvery == 0)
                    {
                        await progress(Count, ct);
                    }
                    cells.Row = row.Cells;
                    var before = Errors.Count;
                    var values = ReportRows.Parse(cells, row.Line, reference, actor, t, Errors);
                    if (values is not null)
                    {
                        if (seen.TryGetValue(values.Key, out var first))
                        {
                            Errors.Add(new FieldError(row.Line, ReportColumns.Indicator.Key,
                                t["Duplicate of row {0}: same organisation, country, admin1, indicator, month and population group.", first]));
                        }
                        else
                        {
                            seen[values.Key] = row.Line;
                            chunk.Add((row.Line, values));
                        }
                    }
                    if (Errors.Count != before)
                    {
                        Volatile.Write(ref _errorCount, Errors.Count);
                    }
                    if (chunk.Count == size)
                    {
                        outside += await HandOverAsync(chunk, json, ct);
                        size = full;
                        chunk = new List<(int Line, ReportValues Values)>(size);
                    }
                }
                if (chunk.Count > 0)
                {
                    outside += await HandOverAsync(chunk, json, ct);
                }
                if (Count > 0 && hooks?.OnProgress is { } done)
                {
                    await done(Count, ct);
                }
            }
            finally
            {
                _timings?.ReadAndValidate = clock.Elapsed - outside;
                output.TryComplete();
            }
        }

        /// <summary>Matches a chunk with the existing reports, prepares it (where this side does) and hands it over; returns the time spent here.</summary>
        private async Task<TimeSpan> HandOverAsync(List<(int Line, ReportValues Values)> chunk, SnapshotJson json, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            foreach (var group in chunk.Select(p => (p.Values.OrganisationId, p.Values.Month)).Where(_loaded.Add).GroupBy(k => k.OrganisationId))
            {
                var org = group.Key;
                var months = group.Select(k => k.Month).ToList();
                foreach (var r in await lookup.ActivityReports.AsNoTracking().Where(r => r.OrganisationId == org && months.Contains(r.Month)).ToListAsync(ct))
                {
                    _existing[ReportRows.KeyOf(r)] = r;
                }
            }
            var creates = new List<ReportValues>();
            var updates = new List<(ActivityReport Report, ReportValues Values)>();
            foreach (var (line, v) in chunk)
            {
                // Keys are unique within the file: a matched report is not looked up again.
                if (!_existing.Remove(v.Key, out var r))
                {
                    creates.Add(v);
                }
                else if (!ReportRows.Differs(r, v))
                {
                    _unchanged++;
                }
                else if (r.DeletedAt is null && r.Status is ReportStatus.Submitted or ReportStatus.Validated)
                {
                    Errors.Add(new FieldError(line, ReportColumns.Status.Key, t["This report is already submitted or validated and cannot change; ask your coordinator to return it."]));
                    Volatile.Write(ref _errorCount, Errors.Count);
                }
                else
                {
                    updates.Add((r, v));
                }
            }
            var existing = clock.Elapsed;
            _timings?.Existing += existing;
            if (Errors.Count > 0 || creates.Count + updates.Count == 0)
            {
                // Nothing will be stored (or nothing changes here): no need to prepare anything.
                return clock.Elapsed;
            }
            _creates += creates.Count;
            _updates += updates.Count;
            var plan = new ChunkPlan(creates, updates);
            if (prepareHere)
            {
                plan.Prepare(now, actor, json);
                _timings?.Prepare += clock.Elapsed - existing;
            }
            var handedOver = clock.Elapsed;
            await output.WriteAsync(plan, ct);
            _timings?.ReaderWaiting += clock.Elapsed - handedOver;
            return clock.Elapsed;
        }
    }

    /// <summary>
    /// The writing side, and the one place an import writes: each prepared chunk's new reports (given their ids here),
    /// changed reports (only if unchanged since they were read), revisions and audit entries; at the end the import's
    /// own audit entry and the dashboards' aggregates, all in one transaction, begun at the first write.
    /// </summary>
    private sealed class ChunkStore(CloserDbContext db, DateTimeOffset now, Actor actor, ImportHooks? hooks) : IAsyncDisposable
    {
        private readonly ImportTimings? _timings = hooks?.Timings;
        private readonly HashSet<Closer.Web.Features.Dashboards.AggregateKey> _aggregates = [];
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
                _timings?.Prepare += clock.Elapsed;
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
            _aggregates.UnionWith(Closer.Web.Features.Dashboards.ResponseAggregates.KeysOf(
                chunk.Creates.Concat(chunk.Updates.Select(u => u.Report)).Select(r => (r.OrganisationId, r.CountryIso3, r.Month))));
            await bulk.InsertReportsAsync(chunk.Creates, ct);
            if (await bulk.UpdateReportsAsync(chunk.Updates, ct) != chunk.Updates.Count)
            {
                // Another change came in between: nothing will be stored.
                _conflict = true;
                return;
            }
            _timings?.WriteReports += clock.Elapsed;
            clock.Restart();
            await bulk.InsertRevisionsAsync(chunk.Revisions, ct);
            _timings?.WriteRevisions += clock.Elapsed;
            clock.Restart();
            await bulk.InsertAuditAsync(chunk.Audit, ct);
            _timings?.WriteAudit += clock.Elapsed;
        }

        /// <summary>After the last chunk of a valid file: the import's audit entry, the aggregates, the caller's hook, the commit.</summary>
        public async Task<(ImportResult? Result, Error? Error)> FinishAsync(ImportResult result, CancellationToken ct)
        {
            if (_conflict)
            {
                return (null, Changed());
            }
            if (_tx is null)
            {
                return (result, null);
            }
            var clock = Stopwatch.StartNew();
            await _bulk!.InsertAuditAsync([new AuditEntry
            {
                At = now, UserId = actor.UserId, UserEmail = actor.Email, Action = "import", EntityType = "import",
                EntityKey = $"{result.Imported}+{result.Updated}", OrganisationId = actor.Scope.OrganisationId,
            }], ct);
            // Everything derived from reports is refreshed here, in this transaction: the dashboards' aggregates of
            // every organisation × country × year the new and changed reports belong to.
            await Closer.Web.Features.Dashboards.ResponseAggregates.RefreshAsync(db, _aggregates, ct);
            _timings?.WriteAggregates = clock.Elapsed;
            if (hooks?.BeforeCommit is { } beforeCommit && !await beforeCommit(db, result, ct))
            {
                return (null, new ConflictError("import-claim-lost", "The import was taken over by another worker."));
            }
            clock.Restart();
            await _tx.CommitAsync(ct);
            _timings?.Commit = clock.Elapsed;
            return (result, null);
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
