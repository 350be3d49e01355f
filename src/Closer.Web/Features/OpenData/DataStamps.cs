using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Campaign.Pledges;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Geography;
using Closer.Web.Features.Organisations;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Caching.Hybrid;

namespace Closer.Web.Features.OpenData;

/// <summary>When a published dataset last changed: bumped in the same transaction as the change itself.</summary>
public sealed class DataStamp
{
    public required string Dataset { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    /// <summary>Counts changes; with <see cref="ChangedAt"/> it tells two changes in one second apart.</summary>
    public long Version { get; set; }
}

internal sealed class DataStampConfiguration : IEntityTypeConfiguration<DataStamp>
{
    public void Configure(EntityTypeBuilder<DataStamp> b)
    {
        b.HasKey(s => s.Dataset);
        b.Property(s => s.Dataset).HasMaxLength(40);
        // One row per known dataset from the start, so a write only ever updates (no insert race between nodes).
        b.HasData(DataStamps.Known.Select(d => new DataStamp { Dataset = d, ChangedAt = DataStamps.Epoch, Version = 0 }));
    }
}

/// <summary>
/// Which entity changes touch which published dataset. Every SaveChanges of the app goes through
/// <see cref="DataStampInterceptor"/>, so a new write path (an import, a new editor) bumps the stamp and evicts
/// the cached public responses without remembering to. Features add their own entities with <see cref="Track{T}"/>.
/// </summary>
public static class DataStamps
{
    public const string Figures = "figures";
    public const string Countries = "countries";
    public const string Plan = "plan";
    public const string Reports = "reports";
    public const string Organisations = "organisations";
    public const string Pledges = "pledges";
    public const string Funding = "funding";

    public static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<string> Known { get; } = [Figures, Countries, Plan, Reports, Organisations, Pledges, Funding];

    /// <summary>The output-cache (and HybridCache) tag of a dataset.</summary>
    public static string Tag(string dataset) => "data:" + dataset;

    private static readonly Dictionary<Type, string[]> ByType = new()
    {
        [typeof(PopulationFigure)] = [Figures, Countries],
        [typeof(Country)] = [Countries, Figures],
        [typeof(Admin1Area)] = [Countries],
        [typeof(ResponsePlan)] = [Plan],
        [typeof(SectorPlan)] = [Plan],
        [typeof(PlanTarget)] = [Plan],
        [typeof(Sector)] = [Plan],
        [typeof(Indicator)] = [Plan],
        [typeof(ActivityReport)] = [Reports],
        [typeof(Organisation)] = [Organisations],
        [typeof(OrganisationCountry)] = [Organisations],
        [typeof(Pledge)] = [Pledges],
    };

    private static readonly Lock Gate = new();

    /// <summary>Declares that changes to <typeparamref name="T"/> change <paramref name="datasets"/> (call at registration).</summary>
    public static void Track<T>(params string[] datasets)
    {
        lock (Gate)
        {
            ByType[typeof(T)] = datasets;
        }
    }

    /// <summary>The datasets an entity type belongs to; entities of a Funding feature count as funding.</summary>
    public static IReadOnlyList<string> Of(Type type)
    {
        lock (Gate)
        {
            if (ByType.TryGetValue(type, out var sets))
            {
                return sets;
            }
        }
        return type.Namespace?.StartsWith("Closer.Web.Features.Funding", StringComparison.Ordinal) == true ? [Funding] : [];
    }

    /// <summary>The latest change of any of <paramref name="datasets"/>, to the second (HTTP dates have no more).</summary>
    public static async Task<(DateTimeOffset ChangedAt, long Version)> LatestAsync(CloserDbContext db, IReadOnlyCollection<string> datasets, CancellationToken ct)
    {
        var rows = await db.DataStamps.AsNoTracking().Where(s => datasets.Contains(s.Dataset)).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return (Epoch, 0);
        }
        var at = rows.Max(r => r.ChangedAt);
        return (new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero), rows.Sum(r => r.Version));
    }
}

/// <summary>
/// Bumps the stamps of the datasets a SaveChanges touches, in the same transaction, and after the commit evicts
/// the cached public responses and live figures of those datasets (and the campaign pages quoting them).
/// </summary>
public sealed class DataStampInterceptor(TimeProvider time, IServiceProvider services) : SaveChangesInterceptor
{
    // Per context, between SavingChanges and SavedChanges (the interceptor is shared by every context).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, HashSet<string>> _pending = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is CloserDbContext db)
        {
            await StampAsync(db, cancellationToken);
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is CloserDbContext db)
        {
            StampAsync(db, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        return result;
    }

    private async ValueTask StampAsync(CloserDbContext db, CancellationToken ct)
    {
        db.ChangeTracker.DetectChanges();
        var touched = db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && e.Entity is not DataStamp)
            .SelectMany(e => DataStamps.Of(e.Entity.GetType()))
            .ToHashSet(StringComparer.Ordinal);
        if (touched.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        foreach (var dataset in touched)
        {
            var stamp = await db.DataStamps.FindAsync([dataset], ct);
            if (stamp is null)
            {
                db.DataStamps.Add(new DataStamp { Dataset = dataset, ChangedAt = now, Version = 1 });
            }
            else
            {
                stamp.ChangedAt = now > stamp.ChangedAt ? now : stamp.ChangedAt;
                stamp.Version++;
            }
        }
        _pending.GetOrCreateValue(db).UnionWith(touched);
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await EvictAsync(eventData.Context, cancellationToken);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        EvictAsync(eventData.Context, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _pending.Remove(context);
        }
    }

    private async ValueTask EvictAsync(DbContext? context, CancellationToken ct)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending))
        {
            return;
        }
        _pending.Remove(context);
        if (pending.Count == 0)
        {
            return;
        }
        var output = services.GetService<IOutputCacheStore>();
        var hybrid = services.GetService<HybridCache>();
        foreach (var dataset in pending)
        {
            if (output is not null)
            {
                await output.EvictByTagAsync(DataStamps.Tag(dataset), ct);
            }
            if (hybrid is not null)
            {
                await hybrid.RemoveByTagAsync(DataStamps.Tag(dataset), ct);
            }
        }
        // Campaign pages quote live figures: they are cached under the campaign tag.
        if (output is not null && (pending.Contains(DataStamps.Figures) || pending.Contains(DataStamps.Reports)))
        {
            await output.EvictByTagAsync(ContentService.CacheTag, ct);
        }
    }
}
