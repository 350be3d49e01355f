using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.OpenData;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Closer.Tests.Features.OpenData;

/// <summary>
/// The anonymous activities table (<see cref="PublicActivities"/>): built cold, served stale while a change is rebuilt, and
/// rebuilt. Every table it serves is exactly the full build of the data it names (the reference path,
/// <see cref="ActivitiesDataset.RowsAsync"/>, disclosure control included), and a stale answer says its own as-of time.
/// </summary>
public abstract class PublicActivitiesSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ActivityFilters[] Filters =
    [
        new(null, null, null),
        new("COL", null, null),
        new(null, null, "PRO-GBV"),
        new(null, null, "HEA"),
    ];

    /// <summary>The table's rows under each filter, named in Spanish, against the full build of the same data.</summary>
    private static async Task AssertIsTheFullBuildAsync(CloserDbContext db, DisclosureControl disclosure, PublicActivityTable table)
    {
        foreach (var filters in Filters)
        {
            var expected = await ActivitiesDataset.RowsAsync(db, disclosure, DisclosureAudience.Public, "es", filters, Ct);
            var names = table.References.Names("es");
            var (rows, applied) = table.Filter(filters);
            var actual = rows.Select(names.Row).ToList();
            Assert.Equal(expected.Count, actual.Count);
            // Same rows (records compare every column, the disclosure mark included) in the published order.
            Assert.Equal(expected.Order(RowOrder.Instance), actual.Order(RowOrder.Instance));
            Assert.Equal(expected.Select(r => (r.Month, r.Country, r.Org, r.Admin1, r.Indicator, r.PopulationGroup)),
                actual.Select(r => (r.Month, r.Country, r.Org, r.Admin1, r.Indicator, r.PopulationGroup)));
            Assert.Equal(expected.Any(r => r.Disclosure is not null), applied);
        }
    }

    [Fact]
    public async Task ColdStaleAndRebuiltTables_AreEachTheFullBuildOfTheirData()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var disclosure = scope.ServiceProvider.GetRequiredService<DisclosureControl>();
        using var memory = new MemoryCache(new MemoryCacheOptions());
        // Every table may be served stale and nobody waits for a rebuild: the stale path is taken whenever it can be.
        var activities = new PublicActivities(memory, app.Services.GetRequiredService<IServiceScopeFactory>(), disclosure)
        {
            StaleRows = 0,
            FreshWait = TimeSpan.Zero,
        };

        // Cold: nothing to serve instead, so the first reader gets the build of the current data.
        var cold = await activities.TableAsync(db, Ct);
        Assert.Null(cold.StaleAsOf);
        Assert.True(cold.Table.Rows.Count > 1000, $"only {cold.Table.Rows.Count} rows");
        Assert.Contains(cold.Table.Rows, r => r.Disclosure is not null);
        await AssertIsTheFullBuildAsync(db, disclosure, cold.Table);
        Assert.Same(cold.Table, (await activities.TableAsync(db, Ct)).Table);
        var coldAsOf = await DataStamps.LatestAsync(db, PublicActivities.Datasets, Ct);

        // A committed change: the next reader is served the previous table, said to be of its own time, while it is rebuilt.
        var source = await db.ActivityReports.AsNoTracking().OrderBy(r => r.Id)
            .FirstAsync(r => r.Status == ReportStatus.Validated && r.DeletedAt == null && r.IndicatorCode.StartsWith("PRO"), Ct);
        var added = new ActivityReport
        {
            OrganisationId = source.OrganisationId, CountryIso3 = source.CountryIso3, Admin1PCode = source.Admin1PCode, IndicatorCode = source.IndicatorCode,
            Month = source.Month, PopulationGroup = source.PopulationGroup, ImplementingPartner = "Rebuild test partner", Girls = 2, Total = 2,
            Status = ReportStatus.Validated, IsDemo = true,
        };
        db.ActivityReports.Add(added);
        await db.SaveChangesAsync(Ct);
        try
        {
            var stale = await activities.TableAsync(db, Ct);
            Assert.Same(cold.Table, stale.Table);
            Assert.Equal(coldAsOf, stale.StaleAsOf);
            Assert.True(await DataStamps.LatestAsync(db, PublicActivities.Datasets, Ct) >= coldAsOf);

            // Rebuilt: the table of the new data, the small sensitive row controlled like any other.
            var fresh = await FreshAsync(activities, db);
            Assert.NotEqual(Sorted(cold.Table.Rows), Sorted(fresh.Rows));
            await AssertIsTheFullBuildAsync(db, disclosure, fresh);
        }
        finally
        {
            db.ActivityReports.Remove(added);
            await db.SaveChangesAsync(Ct);
        }
        // And back: the table of the data as it was.
        var back = await FreshAsync(activities, db);
        await AssertIsTheFullBuildAsync(db, disclosure, back);
        Assert.Equal(Sorted(cold.Table.Rows), Sorted(back.Rows));
    }

    [Fact]
    public async Task ATableTheCacheDrops_IsNotKeptAlive_TheNextReaderBuildsItAgain()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var disclosure = scope.ServiceProvider.GetRequiredService<DisclosureControl>();
        using var memory = new MemoryCache(new MemoryCacheOptions());
        var activities = new PublicActivities(memory, app.Services.GetRequiredService<IServiceScopeFactory>(), disclosure);

        var first = (await activities.TableAsync(db, Ct)).Table;
        Assert.Same(first, (await activities.TableAsync(db, Ct)).Table);
        // The cache lets the table go (its sliding expiry, or memory pressure). Had the finished build been kept outside
        // the cache, the next reader would get that same table back (and it would never be freed).
        memory.Clear();

        // The data did not change: the next reader gets a new build of the same rows.
        var again = await activities.TableAsync(db, Ct);
        Assert.Null(again.StaleAsOf);
        Assert.NotSame(first, again.Table);
        Assert.Equal(Sorted(first.Rows), Sorted(again.Table.Rows));
        await AssertIsTheFullBuildAsync(db, disclosure, again.Table);
    }

    private static List<string> Sorted(IEnumerable<DisclosedActivity> rows) => rows.Select(r => r.ToString()).Order(StringComparer.Ordinal).ToList();

    /// <summary>The table once the rebuild of the current data has finished (stale answers until then).</summary>
    private static async Task<PublicActivityTable> FreshAsync(PublicActivities activities, CloserDbContext db)
    {
        for (var i = 0; i < 600; i++)
        {
            var answer = await activities.TableAsync(db, Ct);
            if (answer.StaleAsOf is null)
            {
                return answer.Table;
            }
            await Task.Delay(50, Ct);
        }
        throw new TimeoutException("the public table was not rebuilt in 30 s");
    }

    /// <summary>A total order on every column, to compare rows that tie on the published sort keys.</summary>
    private sealed class RowOrder : IComparer<ActivityRow>
    {
        public static readonly RowOrder Instance = new();

        public int Compare(ActivityRow? x, ActivityRow? y) => string.CompareOrdinal(x?.ToString(), y?.ToString());
    }
}

public sealed class PublicActivitiesSqlite(SqliteApp app) : PublicActivitiesSuite<SqliteApp>(app);
public sealed class PublicActivitiesPostgres(PostgresApp app) : PublicActivitiesSuite<PostgresApp>(app);
