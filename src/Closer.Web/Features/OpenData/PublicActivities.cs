using Closer.Web.Features.Coordination;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Closer.Web.Features.OpenData;

/// <summary>
/// The anonymous activities table, disclosure control included, computed once per version of the data it is made of
/// (<see cref="DataStamps.VersionAsync"/> of reports, organisations, plan and countries) and kept in this node's memory.
/// A page is then a slice of it: no query of the reports, no disclosure pass and no sort per request, which is what
/// made a 5,000-row page cost as much as the whole table. Only the public answer is kept here; signed-in scopes go
/// through <see cref="ActivitiesDataset.RowsAsync"/>, so nothing unsuppressed is ever cached.
/// </summary>
public sealed class PublicActivities(IMemoryCache cache, IServiceScopeFactory scopes, DisclosureControl disclosure)
{
    private const string Key = "opendata:activities:public";

    /// <summary>The datasets the published rows and their names are made of.</summary>
    public static readonly IReadOnlyList<string> Datasets = [DataStamps.Reports, DataStamps.Organisations, DataStamps.Plan, DataStamps.Countries];

    private readonly Lock _gate = new();

    private sealed record Slot(string Version, Task<PublicActivityTable> Table);

    /// <summary>The table of the data's current version (built by the first caller after a change; the others wait for it).</summary>
    public async Task<PublicActivityTable> TableAsync(CloserDbContext db, CancellationToken ct)
    {
        var version = await DataStamps.VersionAsync(db, Datasets, ct);
        Slot? slot;
        lock (_gate)
        {
            // One slot, not one entry per version: a superseded table is dropped as soon as the data changes.
            if (!cache.TryGetValue(Key, out slot) || slot is null || slot.Version != version || slot.Table.IsFaulted || slot.Table.IsCanceled)
            {
                // Built on its own scope and without the caller's token: a cancelled first reader must not fail the others.
                slot = new Slot(version, Task.Run(BuildAsync, CancellationToken.None));
                cache.Set(Key, slot, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(30) });
            }
        }
        return await slot.Table.WaitAsync(ct);
    }

    private async Task<PublicActivityTable> BuildAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var references = await ActivityReferences.LoadAsync(db, CancellationToken.None);
        var counts = await ActivitiesDataset.CountsAsync(
            db.ActivityReports.AsNoTracking().Where(r => r.Status == ReportStatus.Validated && r.DeletedAt == null), references, CancellationToken.None);
        var rows = ActivitiesDataset.Ordered(ActivityDisclosure.Apply(counts, disclosure, DisclosureAudience.Public)).ToList();
        return new PublicActivityTable(rows, references);
    }
}

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
            && (sector is null || string.Equals(d.Source.Sector, sector, StringComparison.OrdinalIgnoreCase))
            && (year is null || d.Period.StartsWith(year, StringComparison.Ordinal))
            && (month is null || ActivityDisclosure.Covers(d.Period, month))).ToList();
        return (matched, matched.Any(r => r.Disclosure is not null));
    }
}
