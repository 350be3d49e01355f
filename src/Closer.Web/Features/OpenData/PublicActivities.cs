using Closer.Web.Features.Coordination;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Closer.Web.Features.OpenData;

/// <summary>
/// The anonymous activities table, disclosure control included, computed once per version of the data it is made of
/// (<see cref="DataStamps.VersionAsync"/> of reports, organisations, plan and countries) and kept in this node's memory.
/// A page is then a slice of it: no query of the reports, no disclosure pass and no sort per request. Only the public
/// answer is kept here; signed-in scopes go through <see cref="ActivitiesDataset.RowsAsync"/>, so nothing unsuppressed
/// is ever cached.
/// <para>
/// Stale while revalidating: a change of the data starts one rebuild in the background. A reader waits for it up to
/// <see cref="FreshWait"/>; when it takes longer and the table it replaces is large (<see cref="StaleRows"/> rows or
/// more, a build of seconds), the reader gets the last table built instead, with that table's own as-of time
/// (<see cref="PublicActivityAnswer.StaleAsOf"/>: the endpoint sends it as Last-Modified and keeps the answer out of
/// the shared cache). Stale answers are only ever the table of the version just before the one being rebuilt: when the
/// data changes again while a rebuild runs, readers wait for the newest build. A small table is always rebuilt before
/// it is read (a build of milliseconds), so whoever saved a report reads it back at once.
/// </para>
/// </summary>
public sealed class PublicActivities(IMemoryCache cache, IServiceScopeFactory scopes, DisclosureControl disclosure)
{
    private const string Key = "opendata:activities:public";

    /// <summary>The datasets the published rows and their names are made of.</summary>
    public static readonly IReadOnlyList<string> Datasets = [DataStamps.Reports, DataStamps.Organisations, DataStamps.Plan, DataStamps.Countries];

    /// <summary>A table of this many rows or more may be served while its successor is built.</summary>
    public int StaleRows { get; init; } = 50_000;

    /// <summary>How long a reader waits for a rebuild before it is served the previous (large) table.</summary>
    public TimeSpan FreshWait { get; init; } = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private long _sequence;
    private Pending? _pending;

    /// <summary>A built table: the data version it is made of, when that data last changed, and the build's order.</summary>
    private sealed record Built(string Version, DateTimeOffset AsOf, long Sequence, PublicActivityTable Table);

    /// <summary>A build in flight, and the table it replaces (the only one a reader may get instead of it).</summary>
    private sealed record Pending(string Version, long Sequence, Built? Replaces, Task<Built> Task);

    /// <summary>The table of the data's current version, or (see the class) the one just before it while that one is built.</summary>
    public async Task<PublicActivityAnswer> TableAsync(CloserDbContext db, CancellationToken ct)
    {
        var version = await DataStamps.VersionAsync(db, Datasets, ct);
        Pending pending;
        lock (_gate)
        {
            var current = cache.Get<Built>(Key);
            if (current is not null && current.Version == version)
            {
                return new PublicActivityAnswer(current.Table, null);
            }
            if (_pending is null || _pending.Version != version || _pending.Task.IsFaulted || _pending.Task.IsCanceled)
            {
                // A stale answer must be the version just before this one: a rebuild started while another ran (the data
                // changed twice) replaces no table a reader may get instead of it.
                var replaces = _pending is { Task.IsCompleted: false } ? null : current;
                var sequence = ++_sequence;
                // Built on its own scope and without the caller's token: a cancelled first reader must not fail the others.
                _pending = new Pending(version, sequence, replaces, Task.Run(() => BuildAsync(version, sequence), CancellationToken.None));
            }
            pending = _pending;
        }
        if (pending.Replaces is { } previous && previous.Table.Rows.Count >= StaleRows)
        {
            var finished = await Task.WhenAny(pending.Task, Task.Delay(FreshWait, ct));
            ct.ThrowIfCancellationRequested();
            if (finished != pending.Task)
            {
                return new PublicActivityAnswer(previous.Table, previous.AsOf);
            }
        }
        return new PublicActivityAnswer((await pending.Task.WaitAsync(ct)).Table, null);
    }

    private async Task<Built> BuildAsync(string version, long sequence)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        // Read before the rows: the table is at least as new as this time says.
        var asOf = await DataStamps.LatestAsync(db, Datasets, CancellationToken.None);
        var table = await BuildTableAsync(db, disclosure, CancellationToken.None);
        var built = new Built(version, asOf, sequence, table);
        lock (_gate)
        {
            // Builds can finish out of order (the data changed during one): the newest started wins.
            if (cache.Get<Built>(Key) is not { } current || current.Sequence < sequence)
            {
                // Dropped when nobody has read the open data for a while (it holds every published row).
                cache.Set(Key, built, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(30) });
            }
            // The cache holds the table from now on: a finished build kept here would keep it alive after the cache drops
            // it. Readers already waiting hold their own reference to the build.
            if (_pending?.Sequence == sequence)
            {
                _pending = null;
            }
        }
        return built;
    }

    /// <summary>
    /// Every validated report through disclosure control for the public, in the published order: the rows of
    /// <see cref="ActivitiesDataset.RowsAsync"/> without filters, for a table kept in memory.
    /// </summary>
    public static async Task<PublicActivityTable> BuildTableAsync(CloserDbContext db, DisclosureControl disclosure, CancellationToken ct)
    {
        var references = await ActivityReferences.LoadAsync(db, ct);
        var counts = await ActivitiesDataset.CountsAsync(db,
            db.ActivityReports.AsNoTracking().Where(r => r.Status == ReportStatus.Validated && r.DeletedAt == null), references, ct);
        var hidden = await HiddenCells.LoadAsync(db, disclosure, DisclosureAudience.Public, ct);
        var rows = ActivitiesDataset.Ordered(ActivityDisclosure.Apply(counts, disclosure, DisclosureAudience.Public, hidden)).ToList();
        return new PublicActivityTable(rows, references);
    }
}

/// <summary>The public table to answer from; <see cref="StaleAsOf"/> is set when it is the previous version's (its data's time).</summary>
public sealed record PublicActivityAnswer(PublicActivityTable Table, DateTimeOffset? StaleAsOf);

/// <summary>Every published activity row (after disclosure control, in the published order) and the names of their codes.</summary>
public sealed class PublicActivityTable(IReadOnlyList<DisclosedActivity> rows, ActivityReferences references)
{
    private readonly bool _applied = rows.Any(r => r.Disclosure is not null);

    public IReadOnlyList<DisclosedActivity> Rows { get; } = rows;

    public ActivityReferences References { get; } = references;

    /// <summary>
    /// The rows the filters select. Every filter keeps whole what disclosure control works on (a country and an indicator
    /// are part of a series; a year and a month's quarter are whole quarters), so filtering the published rows gives the
    /// same rows as filtering the reports first, which <see cref="ActivitiesDataset.RowsAsync"/> does.
    /// </summary>
    public (IReadOnlyList<DisclosedActivity> Rows, bool DisclosureApplied) Filter(ActivityFilters filters)
    {
        var country = string.IsNullOrWhiteSpace(filters.Country) ? null : filters.Country.Trim().ToUpperInvariant();
        var sector = string.IsNullOrWhiteSpace(filters.Sector) ? null : filters.Sector.Trim();
        var year = string.IsNullOrWhiteSpace(filters.Year) ? null : filters.Year.Trim() + "-";
        var month = string.IsNullOrWhiteSpace(filters.Month) ? null : filters.Month.Trim();
        if (country is null && sector is null && year is null && month is null)
        {
            return (Rows, _applied);
        }
        var matched = Rows.Where(d => (country is null || string.Equals(d.Source.Country, country, StringComparison.Ordinal))
            && (sector is null || ActivityFilters.InSector(d.Source.Sector, sector))
            && (year is null || d.Period.StartsWith(year, StringComparison.Ordinal) || string.Equals(d.Period + "-", year, StringComparison.Ordinal))
            && (month is null || ActivityDisclosure.Covers(d.Period, month))).ToList();
        return (matched, matched.Any(r => r.Disclosure is not null));
    }
}
