using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Imports;

public sealed record ImportResult(int Imported, int Updated, int Unchanged)
{
    /// <summary>Outlier hints on the stored rows (warnings, never errors), the first <see cref="ReportImporter.MaxListedErrors"/>.</summary>
    public IReadOnlyList<FieldError> Warnings { get; init; } = [];
    public int WarningCount { get; init; }

    // Two results are equal when their counts and their warnings are (a record compares a list by reference).
    public bool Equals(ImportResult? other) => other is not null && Imported == other.Imported && Updated == other.Updated
        && Unchanged == other.Unchanged && WarningCount == other.WarningCount && Warnings.SequenceEqual(other.Warnings);

    public override int GetHashCode() => HashCode.Combine(Imported, Updated, Unchanged, WarningCount);
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

    /// <summary>
    /// Columns of the file the user chose to ignore, by header text or column letter. Any other column that names
    /// nothing known is an error: a column is never dropped silently.
    /// </summary>
    public IReadOnlyCollection<string> Ignore { get; init; } = [];

    /// <summary>
    /// The header texts to name columns by in errors, by position, when the rows given are not the user's own (a Kobo
    /// or ODK export mapped to the template: the user reads "grp_reached/women", not its HXL tag).
    /// </summary>
    public IReadOnlyList<string?>? HeaderTexts { get; init; }

    /// <summary>The reference data the caller has loaded already for its own checks: the import reads it once.</summary>
    public ReportReference? Reference { get; init; }

    /// <summary>Reads and checks every row but stores nothing (the file given back with its errors).</summary>
    public bool CheckOnly { get; init; }

    /// <summary>When set, receives every error of an invalid file, not only the first ones listed.</summary>
    public List<FieldError>? CollectErrors { get; init; }

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
public sealed class ReportImporter(CloserDbContext db, IMemoryCache cache, TimeProvider time, IStringLocalizer<SharedResource> t, IServiceScopeFactory scopes)
{
    public const int ProgressEvery = 2000;

    /// <summary>Checks the upload (size, type, archive) and imports it.</summary>
    public async Task<Result<ImportResult>> ImportAsync(Stream upload, long length, Actor actor, CancellationToken ct, IReadOnlyCollection<string>? ignore = null)
    {
        var (checkedUpload, refusal) = await SheetReader.CheckUploadAsync(upload, length, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        using var content = checkedUpload!.Content;
        return await ImportCheckedAsync(checkedUpload, actor, ignore is null ? null : new ImportHooks { Ignore = ignore }, ct);
    }

    public ValidationError Empty() =>
        new("empty-file", "The file holds no reports.", [new FieldError(null, "file", t["The file is empty."])]);

    /// <summary>At most this many row errors are listed (with the total count): enough to act on, small enough to read.</summary>
    public const int MaxListedErrors = 200;

    private static ValidationError Invalid(List<FieldError> errors, ImportHooks? hooks)
    {
        var sorted = errors.OrderBy(e => e.Row ?? 0).ToList();
        hooks?.CollectErrors?.AddRange(sorted);
        return new("invalid-import", "Nothing was imported: the file has errors.", sorted.Take(MaxListedErrors).ToList(), errors.Count);
    }

    /// <summary>
    /// The upload given back as the user's own file (CSV or XLSX) with a last column that says what is wrong in each
    /// row; nothing is stored. A file that cannot be read at all is the error instead.
    /// </summary>
    public async Task<Result<byte[]>> AnnotateAsync(Stream upload, long length, Actor actor, IReadOnlyCollection<string> ignore, bool xlsx, CancellationToken ct)
    {
        var (checkedUpload, refusal) = await SheetReader.CheckUploadAsync(upload, length, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        using var content = checkedUpload!.Content;
        if (checkedUpload.IsEmpty)
        {
            return Empty();
        }
        var errors = new List<FieldError>();
        var (_, error) = await ImportCheckedAsync(checkedUpload, actor, new ImportHooks { Ignore = ignore, CheckOnly = true, CollectErrors = errors }, ct);
        if (error is not null and not ValidationError)
        {
            return error;
        }
        return AnnotatedFile.Build(checkedUpload, errors, t["Errors"], xlsx);
    }

    /// <summary>Imports an upload that passed <see cref="SheetReader.CheckUploadAsync"/>.</summary>
    public async Task<Result<ImportResult>> ImportCheckedAsync(CheckedUpload upload, Actor actor, ImportHooks? hooks, CancellationToken ct)
    {
        if (upload.IsEmpty)
        {
            return Empty();
        }
        upload.Content.Position = 0;
        var sheet = DataSheet(upload);
        using var rows = SheetReader.EnumerateRows(upload.Content, upload.Kind, sheet).GetEnumerator();
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
            return new BadRequestError("unreadable-spreadsheet", "The spreadsheet could not be read.");
        }
    }

    private sealed class UnreadableSpreadsheetException(Exception inner) : Exception("unreadable spreadsheet", inner);

    /// <summary>Imports rows already read (tests and callers with their own reader).</summary>
    public Task<Result<ImportResult>> ImportRowsAsync(List<SheetRow> rows, Actor actor, CancellationToken ct) => ImportRowsAsync(rows, actor, null, ct);

    /// <summary>Imports rows already read, with hooks (the Kobo/ODK mapping layer).</summary>
    public Task<Result<ImportResult>> ImportRowsAsync(List<SheetRow> rows, Actor actor, ImportHooks? hooks, CancellationToken ct)
    {
        var i = -1;
        var nonEmpty = rows.Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c))).ToList();
        return ImportRowsAsync(() => ++i < nonEmpty.Count, () => nonEmpty[i], actor, hooks, ct);
    }

    private async Task<Result<ImportResult>> ImportRowsAsync(Func<bool> next, Func<SheetRow> current, Actor actor, ImportHooks? hooks,
        CancellationToken ct)
    {
        var timings = new ImportPhases();
        if (!next())
        {
            return Empty();
        }
        // The header is the first row naming at least three known columns (title rows above it are skipped); when
        // none of the first rows does, the first row, so the missing columns are reported. An HXL row may be the header
        // itself or the line right after it.
        var buffered = new List<SheetRow> { current() };
        while (!IsHeaderRow(buffered[^1].Cells) && buffered.Count < HeaderSearchRows && next())
        {
            buffered.Add(current());
        }
        var at = buffered.FindIndex(r => IsHeaderRow(r.Cells));
        var header = buffered[Math.Max(at, 0)];
        var queue = new Queue<SheetRow>(buffered.Skip(Math.Max(at, 0) + 1));
        SheetRow? row = null;
        bool Next()
        {
            row = queue.Count > 0 ? queue.Dequeue() : next() ? current() : null;
            return row is not null;
        }
        var second = Next() ? row : null;
        var map = HeaderMatcher.Map(header.Cells, second?.Cells, ReportColumns.Export);
        var pending = map.DataStart == 1 ? second : null;
        var index = new Dictionary<string, int>(map.Positions, StringComparer.Ordinal);
        // A missing column stops here (every row would repeat it); a column that names nothing known does not: the rows
        // are still checked, so the partner sees every problem at once. Either way nothing is stored.
        var errors = HeaderErrors(header, map, hooks?.Ignore ?? []);
        if (map.Missing.Count > 0)
        {
            return Invalid(errors, hooks);
        }
        var headers = ColumnNames(hooks?.HeaderTexts ?? header.Cells, map.DataStart == 2 ? second?.Cells : null, index);

        var reference = hooks?.Reference ?? await ReportReference.LoadAsync(db, cache, ct);
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
        var reading = new RowReading(index, headers, reference, lookupScope?.ServiceProvider.GetRequiredService<CloserDbContext>() ?? db, actor, t, hooks,
            timings, now, prepareHere: overlap, chunks.Writer);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = overlap ? Task.Run(() => reading.RunAsync(Next, () => row!, pending, stop.Token), stop.Token)
            : reading.RunAsync(Next, () => row!, pending, stop.Token);
        await using var store = new ChunkStore(db, now, actor, hooks, timings);
        try
        {
            if (!overlap)
            {
                await producer;
            }
            var waiting = Stopwatch.StartNew();
            await foreach (var chunk in chunks.Reader.ReadAllAsync(stop.Token))
            {
                timings.WriterWaiting += waiting.Elapsed;
                if (reading.ErrorCount == 0 && errors.Count == 0 && hooks?.CheckOnly != true)
                {
                    await store.WriteAsync(chunk, stop.Token);
                }
                waiting.Restart();
            }
            await producer;
            timings.Rows = reading.Count;
            if (reading.Count == 0 && errors.Count == 0)
            {
                return Empty();
            }
            if (errors.Count + reading.Errors.Count > 0)
            {
                return Invalid([.. errors, .. reading.Errors], hooks);
            }
            if (hooks?.CheckOnly == true)
            {
                return reading.Result;
            }
            // The hints are read before the commit (inside the transaction, which sees the rows just written as the committed
            // database would), so a background job stores them in the same update that marks it done.
            return await store.FinishAsync(await WithHintsAsync(reading.Result, reading.Figures, headers, ct), ct);
        }
        catch (DbException) when (!ct.IsCancellationRequested && !producer.IsFaulted)
        {
            // A write refused: another write of the same keys came in between (the unique index refused ours).
            // Nothing was stored. (A failure of the reading side's lookups is not that, and goes up as it is.)
            db.ChangeTracker.Clear();
            return ChunkStore.Changed();
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
            timings.Record(overlap ? "postgresql" : "sqlite");
        }
    }

    /// <summary>
    /// The outlier hints of the stored rows (<see cref="OutlierRule"/>, the review's rule): beside each row, with the reason,
    /// in the uploader's language, as "Row 14, column N 'Total': «900» — 900 is more than 3 times …".
    /// </summary>
    private async Task<ImportResult> WithHintsAsync(ImportResult result, List<(int Line, OutlierFigure Figure)> figures, Dictionary<string, (string Letter, string Text)> headers,
        CancellationToken ct)
    {
        if (figures.Count == 0)
        {
            return result;
        }
        var rule = await OutlierRule.LoadAsync(db, figures.Select(f => f.Figure).ToList(), ct);
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        var warnings = new List<FieldError>();
        var count = 0;
        foreach (var (line, figure) in figures)
        {
            foreach (var hint in rule.Check(figure))
            {
                if (++count > MaxListedErrors)
                {
                    continue;
                }
                var reason = string.Format(culture, t[hint.Message].Value, hint.Figure.ToString("N0", culture), hint.Limit.ToString("N0", culture));
                var value = figure.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
                warnings.Add(new FieldError(line, ReportColumns.Total.Key, headers.TryGetValue(ReportColumns.Total.Key, out var column)
                    ? t["Row {0}, column {1} '{2}': «{3}» — {4}", line, column.Letter, column.Text, value, reason]
                    : t["Row {0}: {1}", line, reason]));
            }
        }
        return result with { Warnings = warnings, WarningCount = count };
    }

    /// <summary>The partner cell of the template's example row (localized); a row carrying it in any language is never imported.</summary>
    public const string ExampleMarker = "Example: delete this row";

    /// <summary>How many rows from the top a header row is looked for in (title rows, notes above the table).</summary>
    public const int HeaderSearchRows = 12;

    /// <summary>A row that names enough of the template's columns to be its header.</summary>
    internal static bool IsHeaderRow(IReadOnlyList<string?> cells) => HeaderMatcher.Known(cells, ReportColumns.Export) >= HeaderMatcher.HeaderMinimum;

    /// <summary>The sheet of an XLSX that holds the header row (a notes sheet may come first); null for a CSV.</summary>
    internal static string? DataSheet(CheckedUpload upload) =>
        upload.Kind == SheetKind.Xlsx ? SheetReader.FindSheet(upload.Content, HeaderSearchRows, IsHeaderRow) : null;

    /// <summary>
    /// The header's problems: a required column missing; a column that names nothing known or repeats one (never
    /// dropped silently: the user says which to ignore, by header text or column letter).
    /// </summary>
    private List<FieldError> HeaderErrors(SheetRow header, HeaderMap map, IReadOnlyCollection<string> ignore)
    {
        var errors = new List<FieldError>();
        foreach (var c in map.Missing)
        {
            errors.Add(new FieldError(header.Line, c.Key, t["The column '{0}' is missing.", c.Header(Languages.Current)]));
        }
        bool Ignored(UnmatchedHeader h) => ignore.Any(i => HeaderMatcher.Position(i) == h.Position
            || (HeaderMatcher.Normalize(i) is { Length: > 0 } n && n == HeaderMatcher.Normalize(h.Text)));
        foreach (var h in map.Unknown.Where(h => !Ignored(h)))
        {
            var closest = HeaderMatcher.Closest(h.Text, ReportColumns.Import);
            errors.Add(new FieldError(header.Line, h.Text, closest is null
                ? t["Column {0} '{1}' is not a column of the 5W template. Rename it, remove it or choose to ignore it.", HeaderMatcher.Letter(h.Position), h.Text]
                : t["Column {0} '{1}' is not a column of the 5W template; did you mean '{2}'? Rename it, remove it or choose to ignore it.",
                    HeaderMatcher.Letter(h.Position), h.Text, closest.Header(Languages.Current)]));
        }
        foreach (var h in map.Duplicates.Where(h => !Ignored(h)))
        {
            var first = map.Positions.Values.Where(p => p < h.Position).Select(p => (int?)p)
                .FirstOrDefault(p => ReferenceEquals(HeaderMatcher.Match(Cell(header.Cells, p!.Value), ReportColumns.Export), HeaderMatcher.Match(h.Text, ReportColumns.Export)));
            errors.Add(new FieldError(header.Line, h.Text, t["Column {0} '{1}' repeats column {2}. Remove one of them or choose to ignore it.",
                HeaderMatcher.Letter(h.Position), h.Text, first is { } f ? HeaderMatcher.Letter(f) : "?"]));
        }
        return errors;
    }

    private static string? Cell(IReadOnlyList<string?> cells, int i) => i < cells.Count ? cells[i] : null;

    /// <summary>For each column key: its letter and the text the user gave it (the header, or the HXL tag when there is none).</summary>
    private static Dictionary<string, (string Letter, string Text)> ColumnNames(IReadOnlyList<string?> header, IReadOnlyList<string?>? hxl,
        Dictionary<string, int> index) =>
        index.ToDictionary(p => p.Key, p => (HeaderMatcher.Letter(p.Value),
            (Cell(header, p.Value) is { Length: > 0 } h && !string.IsNullOrWhiteSpace(h) ? h : hxl is null ? p.Key : Cell(hxl, p.Value) ?? p.Key).Trim()),
            StringComparer.Ordinal);

    /// <summary>Rows per chunk handed from the reading thread to the writer.</summary>
    public const int DefaultChunkRows = 8192;

}
