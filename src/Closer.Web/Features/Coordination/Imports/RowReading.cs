using System.Diagnostics;
using System.Threading.Channels;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Imports;

/// <summary>
/// The reading side: every row parsed and checked (codes, numbers, scope, duplicates within the file); each chunk
/// of valid rows matched with the existing reports of its organisations and months (read once per pair, through
/// its own context), then, while the file is still valid, prepared for writing.
/// </summary>
internal sealed class RowReading(Dictionary<string, int> index, Dictionary<string, (string Letter, string Text)> headers, ReportReference reference, CloserDbContext lookup, Actor actor,
    IStringLocalizer<SharedResource> t, ImportHooks? hooks, ImportPhases phases, DateTimeOffset now, bool prepareHere, ChannelWriter<ChunkPlan> output)
{
    private readonly Dictionary<string, ActivityReport> _existing = new(StringComparer.Ordinal);
    private readonly HashSet<(int OrganisationId, string Month)> _loaded = [];
    private int _errorCount;
    private int _creates;
    private int _updates;
    private int _unchanged;

    public List<FieldError> Errors { get; } = [];
    /// <summary>Every valid row's figure, by line, for the outlier hints given with a stored file.</summary>
    public List<(int Line, OutlierFigure Figure)> Figures { get; } = [];
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
            var full = Math.Max(1, hooks?.ChunkRows ?? ReportImporter.DefaultChunkRows);
            var size = Math.Max(1, full / 4);
            var chunk = new List<(int Line, ReportValues Values)>(size);
            using var json = new SnapshotJson();
            while (pending is not null || next())
            {
                var row = pending ?? current();
                pending = null;
                Count++;
                if (hooks?.OnProgress is { } progress && Count % ReportImporter.ProgressEvery == 0)
                {
                    await progress(Count, ct);
                }
                cells.Row = row.Cells;
                var before = Errors.Count;
                var values = IsExample(cells, row.Line) ? null : ReportRows.Parse(cells, row.Line, reference, actor, t, Errors);
                if (values is not null)
                {
                    if (seen.TryGetValue(values.Key, out var first))
                    {
                        Errors.Add(new FieldError(row.Line, ReportColumns.Indicator.Key,
                            t["Duplicate of row {0}: same organisation, country, admin1, indicator, month, population group and implementing partner.", first]));
                    }
                    else
                    {
                        seen[values.Key] = row.Line;
                        chunk.Add((row.Line, values));
                        Figures.Add((row.Line, new OutlierFigure(values.OrganisationId, values.CountryIso3, values.Admin1PCode, values.IndicatorCode,
                            values.PopulationGroup, values.Month, values.Total, values.ImplementingPartner)));
                    }
                }
                if (Errors.Count != before)
                {
                    Locate(row, before);
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
            phases.ReadCheck = clock.Elapsed - outside;
            output.TryComplete();
        }
    }

    private HashSet<string>? _examples;

    /// <summary>
    /// The template's example row (its partner cell says so, in any language) is an error, never a report: a template
    /// uploaded unchanged stores nothing and says why.
    /// </summary>
    private bool IsExample(RowCells cells, int line)
    {
        if (!cells.TryGetValue(ReportColumns.Partner.Key, out var partner) || string.IsNullOrWhiteSpace(partner))
        {
            return false;
        }
        _examples ??= Languages.All.Select(l => HeaderMatcher.Normalize(Languages.InCulture(l, () => t[ReportImporter.ExampleMarker].Value)))
            .ToHashSet(StringComparer.Ordinal);
        if (!_examples.Contains(HeaderMatcher.Normalize(partner)))
        {
            return false;
        }
        Errors.Add(new FieldError(line, ReportColumns.Partner.Key,
            t["This is the template's example row: delete it, then add your own reports. Nothing was imported from it."]));
        return true;
    }

    /// <summary>
    /// Rewrites the row's new errors so a partner can act on them: the row as the spreadsheet shows it, the column's
    /// letter and the user's own header, the value found, then what is expected.
    /// </summary>
    private void Locate(SheetRow row, int from)
    {
        for (var i = from; i < Errors.Count; i++)
        {
            var e = Errors[i];
            if (!headers.TryGetValue(e.Column, out var column))
            {
                continue;
            }
            var value = index.TryGetValue(e.Column, out var at) && at < row.Cells.Count ? row.Cells[at]?.Trim() ?? "" : "";
            if (value.Length > 60)
            {
                value = value[..57] + "...";
            }
            Errors[i] = e with
            {
                Message = value.Length == 0
                    ? t["Row {0}, column {1} '{2}' (empty): {3}", row.Line, column.Letter, column.Text, e.Message]
                    : t["Row {0}, column {1} '{2}': «{3}» — {4}", row.Line, column.Letter, column.Text, value, e.Message],
            };
        }
    }

    /// <summary>Matches a chunk with the existing reports, prepares it (where this side does) and hands it over; returns the time spent here.</summary>
    private async Task<TimeSpan> HandOverAsync(List<(int Line, ReportValues Values)> chunk, SnapshotJson json, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        // The chunk's new (organisation, month) pairs in one query (one per organisation was 50 queries for a 50-row
        // export of as many partners); the cross product it may read is dropped here.
        var wanted = chunk.Select(p => (p.Values.OrganisationId, p.Values.Month)).Where(_loaded.Add).ToHashSet();
        if (wanted.Count > 0)
        {
            var orgs = wanted.Select(k => k.OrganisationId).Distinct().ToList();
            var months = wanted.Select(k => k.Month).Distinct().ToList();
            foreach (var r in await lookup.ActivityReports.AsNoTracking().Where(r => orgs.Contains(r.OrganisationId) && months.Contains(r.Month)).ToListAsync(ct))
            {
                if (wanted.Contains((r.OrganisationId, r.Month)))
                {
                    _existing[ReportRows.KeyOf(r)] = r;
                }
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
        phases.Existing += existing;
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
            phases.Prepare += clock.Elapsed - existing;
        }
        var handedOver = clock.Elapsed;
        await output.WriteAsync(plan, ct);
        phases.ReaderWaiting += clock.Elapsed - handedOver;
        return clock.Elapsed;
    }
}

/// <summary>A row's cells keyed by column key, over the row's array (no dictionary per row).</summary>
internal sealed class RowCells(Dictionary<string, int> index) : IReadOnlyDictionary<string, string?>
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
