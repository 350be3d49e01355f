using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Campaign.Pledges;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Geography;
using Closer.Web.Features.Organisations;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Jobs;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Caching.Hybrid;

namespace Closer.Web.Features.OpenData;

/// <summary>
/// One change of a published dataset, written in the same transaction as the change itself. Rows are only ever
/// inserted (never updated), so concurrent writers (an import, a coordinator's edit, another node) never wait on a
/// shared row; the latest change of a dataset is the maximum over its rows (indexed).
/// </summary>
public sealed class DataStamp
{
    public long Id { get; set; }
    public required string Dataset { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

internal sealed class DataStampConfiguration : IEntityTypeConfiguration<DataStamp>
{
    public void Configure(EntityTypeBuilder<DataStamp> b)
    {
        b.Property(s => s.Dataset).HasMaxLength(40);
        b.HasIndex(s => new { s.Dataset, s.ChangedAt });
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
    /// <summary>The campaign's name and mark (not a published dataset: stamped so every node drops its copy on commit).</summary>
    public const string CampaignIdentity = "campaign-identity";

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
        [typeof(Campaign.Identity.IdentityRevision)] = [CampaignIdentity],
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
    public static async Task<DateTimeOffset> LatestAsync(CloserDbContext db, IReadOnlyCollection<string> datasets, CancellationToken ct)
    {
        var at = DataStamps.Epoch;
        foreach (var dataset in datasets)
        {
            // One indexed MAX per dataset (a handful at most).
            var latest = await db.DataStamps.AsNoTracking().Where(s => s.Dataset == dataset)
                .OrderByDescending(s => s.ChangedAt).Select(s => (DateTimeOffset?)s.ChangedAt).FirstOrDefaultAsync(ct);
            if (latest > at)
            {
                at = latest.Value;
            }
        }
        return new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    /// <summary>The latest change of every dataset that has one (one grouped query).</summary>
    public static async Task<Dictionary<string, DateTimeOffset>> AllLatestAsync(CloserDbContext db, CancellationToken ct)
    {
        var latest = await db.DataStamps.AsNoTracking().GroupBy(s => s.Dataset)
            .Select(g => new { Dataset = g.Key, At = g.Max(s => s.ChangedAt) }).ToListAsync(ct);
        return latest.Where(l => l.At > Epoch && Known.Contains(l.Dataset, StringComparer.Ordinal)).ToDictionary(
            l => l.Dataset, l => new DateTimeOffset(l.At.UtcTicks - l.At.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero), StringComparer.Ordinal);
    }

    /// <summary>
    /// A cache key part that changes with every committed change of <paramref name="datasets"/> (one grouped query).
    /// Not the latest time: two commits in one clock tick, or a PostgreSQL sequence committing out of order, would keep
    /// it. The count and sum of the stamp ids change whenever a stamp row is committed or pruned, so an answer cached
    /// under it is the answer of exactly that data (pruning only costs a recomputation).
    /// </summary>
    public static async Task<string> VersionAsync(CloserDbContext db, IReadOnlyCollection<string> datasets, CancellationToken ct)
    {
        var sets = datasets.ToList();
        var rows = await db.DataStamps.AsNoTracking().Where(s => sets.Contains(s.Dataset)).GroupBy(s => s.Dataset)
            .Select(g => new { Dataset = g.Key, Count = g.Count(), Sum = g.Sum(s => s.Id) }).ToListAsync(ct);
        return string.Join('|', rows.OrderBy(r => r.Dataset, StringComparer.Ordinal)
            .Select(r => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r.Dataset}:{r.Count}:{r.Sum}")));
    }

    /// <summary>
    /// Deletes the stamps that are no longer any dataset's latest. Only the latest change of a dataset is ever read,
    /// and a stamp is written with every change (every pledge, every saved report), so without this the table grows
    /// with the writes. Rows are deleted, never updated, and a concurrent writer only inserts newer ones, so nobody waits.
    /// </summary>
    public static Task<int> PruneAsync(CloserDbContext db, CancellationToken ct) =>
        db.DataStamps.Where(s => s.ChangedAt < db.DataStamps.Where(x => x.Dataset == s.Dataset).Max(x => x.ChangedAt)).ExecuteDeleteAsync(ct);

    /// <summary>
    /// Records that <paramref name="dataset"/> changed, for writers that bypass EF's change tracking (bulk import,
    /// aggregate rebuilds): the stamp is saved in the caller's transaction, and its cached answers are evicted when
    /// that transaction commits (see <see cref="DataStampInterceptor"/>).
    /// </summary>
    public static async Task MarkChangedAsync(CloserDbContext db, string dataset, DateTimeOffset at, CancellationToken ct)
    {
        var stamp = db.DataStamps.Add(new DataStamp { Dataset = dataset, ChangedAt = at });
        await db.SaveChangesAsync(ct);
        stamp.State = EntityState.Detached;
    }
}

/// <summary>
/// Stamps the datasets a SaveChanges touches, in the same transaction, and after the commit evicts
/// the cached public responses and live figures of those datasets (and the campaign pages quoting them).
/// Inside an explicit transaction the eviction waits for the commit (and is dropped on rollback), so no
/// reader can cache the old answer between the save and the commit. A writer that bypasses the change
/// tracker (the bulk import) adds a <see cref="DataStamp"/> itself; that counts as touching its dataset.
/// </summary>
public sealed class DataStampInterceptor(TimeProvider time, IServiceProvider services) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    // Per context, between SavingChanges and SavedChanges (the interceptor is shared by every context).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, HashSet<string>> _pending = new();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is CloserDbContext db)
        {
            Stamp(db);
        }
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is CloserDbContext db)
        {
            Stamp(db);
        }
        return result;
    }

    private void Stamp(CloserDbContext db)
    {
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var explicitStamps = new HashSet<string>(StringComparer.Ordinal);
        // SaveChanges detects changes only after this hook; a writer that turned detection off has done it itself. Once:
        // each Entries() call would detect them again.
        foreach (var e in db.ChangeTracker.AfterDetectingOnce(() => db.ChangeTracker.Entries().ToList()))
        {
            if (e.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            if (e.Entity is DataStamp stamp)
            {
                if (e.State == EntityState.Added)
                {
                    explicitStamps.Add(stamp.Dataset);
                }
                continue;
            }
            touched.UnionWith(DataStamps.Of(e.Entity.GetType()));
        }
        if (explicitStamps.Count > 0)
        {
            _pending.GetOrCreateValue(db).UnionWith(explicitStamps);
        }
        if (touched.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        foreach (var dataset in touched.Where(d => !explicitStamps.Contains(d)))
        {
            db.DataStamps.Add(new DataStamp { Dataset = dataset, ChangedAt = now });
        }
        _pending.GetOrCreateValue(db).UnionWith(touched);
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            await EvictAsync(eventData.Context, cancellationToken);
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
#pragma warning disable RS0030 // EF's synchronous SaveChanges calls this hook, and the output cache can only evict asynchronously.
            EvictAsync(eventData.Context, CancellationToken.None).AsTask().GetAwaiter().GetResult();
#pragma warning restore RS0030
        }
        return result;
    }

    public async Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        await EvictAsync(eventData.Context, cancellationToken);

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData)
    {
#pragma warning disable RS0030 // EF's synchronous Commit calls this hook, and the output cache can only evict asynchronously.
        EvictAsync(eventData.Context, CancellationToken.None).AsTask().GetAwaiter().GetResult();
#pragma warning restore RS0030
    }

    public Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

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
        // Campaign pages quote live figures and carry the campaign's name: they are cached under the campaign tag.
        if (output is not null && (pending.Contains(DataStamps.Figures) || pending.Contains(DataStamps.Reports) || pending.Contains(DataStamps.CampaignIdentity)))
        {
            await output.EvictByTagAsync(ContentService.CacheTag, ct);
        }
        // State nodes keep in memory (the campaign's identity) is dropped here and on the other nodes.
        if (services.GetService<DataChangeBus>() is { } bus)
        {
            await bus.PublishAsync(pending);
        }
    }
}

/// <summary>Prunes superseded data stamps once an hour (see <see cref="DataStamps.PruneAsync"/>), on every node: deleting twice deletes nothing.</summary>
internal sealed class DataStampPruner(IServiceProvider services, TimeProvider time, ILogger<DataStampPruner> logger) : HostedJob(services, time, logger)
{
    public override string Name => "data-stamps-pruning";
    protected override TimeSpan Interval => TimeSpan.FromHours(1);
    protected override JobStart Start => JobStart.AfterInterval;

    protected override Task<int> RunAsync(IServiceProvider scope, CancellationToken ct) =>
        DataStamps.PruneAsync(scope.GetRequiredService<CloserDbContext>(), ct);
}
