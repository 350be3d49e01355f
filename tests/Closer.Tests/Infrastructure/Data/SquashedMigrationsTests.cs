using Closer.Testing;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Closer.Tests.Infrastructure.Data;

/// <summary>
/// A database migrated while session 7's four migrations were on main (their ids in the history, the schema of
/// the migration they were squashed into) starts on this version: the history is rewritten to the squashed id and
/// the later migrations run. Without the rewrite, the squashed migration runs again and fails on its first ALTER
/// (seen on a copy of a demo database from commit 3c06749: "duplicate column name: FormTokenId").
/// </summary>
public sealed class SquashedMigrationsTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "closer-squash-" + Guid.NewGuid().ToString("N"));
    private string? _pgDatabase;

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        if (_pgDatabase is not null)
        {
            await TestDatabases.DropAsync(Requirements.PostgresConnectionString!, _pgDatabase);
        }
    }

    private ServiceProvider Sqlite() => Services(s => s.AddScoped<CloserDbContext>(_ => new SqliteCloserDbContext(
        new DbContextOptionsBuilder<SqliteCloserDbContext>().UseSqlite($"Data Source={Path.Combine(_folder, "old.db")}").Options)));

    private async Task<ServiceProvider> PostgresAsync()
    {
        var server = Requirements.NeedPostgres();
        _pgDatabase = $"closer_squash_{Guid.NewGuid():N}";
        await using (var conn = new NpgsqlConnection(server))
        {
            await conn.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_pgDatabase}\"", conn);
            await create.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = _pgDatabase }.ToString();
        return Services(s => s.AddScoped<CloserDbContext>(_ => new PostgresCloserDbContext(
            new DbContextOptionsBuilder<PostgresCloserDbContext>().UseNpgsql(cs).Options)));
    }

    private static ServiceProvider Services(Action<ServiceCollection> add)
    {
        var services = new ServiceCollection();
        add(services);
        return services.BuildServiceProvider();
    }

    /// <summary>The database as session 7 left it: migrated to the squashed migration, its history naming the four.</summary>
    private static async Task AsBeforeTheSquashAsync(ServiceProvider services, SquashedMigrations.Squash squash, int keep)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        await db.GetService<IMigrator>().MigrateAsync(squash.Into, TestContext.Current.CancellationToken);
        var version = typeof(DbContext).Assembly.GetName().Version!.ToString(3);
        await db.Database.ExecuteSqlAsync($"""DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" = {squash.Into}""");
        foreach (var id in squash.From.Take(keep))
        {
            await db.Database.ExecuteSqlAsync($"""INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ({id}, {version})""");
        }
    }

    private static async Task<List<string>> HistoryAsync(ServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        return [.. await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)];
    }

    private static async Task UpgradesAsync(ServiceProvider services, SquashedMigrations.Squash squash)
    {
        await AsBeforeTheSquashAsync(services, squash, keep: squash.From.Count);
        await DatabaseSetup.MigrateAsync(services, TestContext.Current.CancellationToken);

        var history = await HistoryAsync(services);
        await using var scope = services.CreateAsyncScope();
        var all = scope.ServiceProvider.GetRequiredService<CloserDbContext>().Database.GetMigrations().ToList();
        Assert.Equal(all, history);
        Assert.DoesNotContain(history, squash.From.Contains);
        // The schema of the squashed migration and of every later one is there and usable.
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<CloserDbContext>().Pledges.CountAsync(p => p.FormTokenId != null, TestContext.Current.CancellationToken));
    }

    private static async Task PartialSetStopsAsync(ServiceProvider services, SquashedMigrations.Squash squash)
    {
        await AsBeforeTheSquashAsync(services, squash, keep: 2);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DatabaseSetup.MigrateAsync(services, TestContext.Current.CancellationToken));
        Assert.Contains("2 of the 4 migrations", error.Message);
        Assert.DoesNotContain(squash.Into, await HistoryAsync(services)); // nothing rewritten
    }

    [Fact]
    public async Task Sqlite_DatabaseFromBeforeTheSquash_Upgrades()
    {
        await using var services = Sqlite();
        await UpgradesAsync(services, SquashedMigrations.Sqlite[0]);
    }

    [Fact]
    public async Task Sqlite_PartOfASquashedSet_StopsWithAMessage()
    {
        await using var services = Sqlite();
        await PartialSetStopsAsync(services, SquashedMigrations.Sqlite[0]);
    }

    [Fact]
    public async Task Postgres_DatabaseFromBeforeTheSquash_Upgrades()
    {
        await using var services = await PostgresAsync();
        await UpgradesAsync(services, SquashedMigrations.Postgres[0]);
    }

    [Fact]
    public async Task Postgres_PartOfASquashedSet_StopsWithAMessage()
    {
        await using var services = await PostgresAsync();
        await PartialSetStopsAsync(services, SquashedMigrations.Postgres[0]);
    }

    [Fact]
    public void EverySquashedIntoIdIsAMigrationOfItsProvider()
    {
        var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]).Database.GetMigrations().ToHashSet();
        var postgres = new PostgresDesignTimeFactory().CreateDbContext([]).Database.GetMigrations().ToHashSet();
        Assert.All(SquashedMigrations.Sqlite, s => Assert.Contains(s.Into, sqlite));
        Assert.All(SquashedMigrations.Postgres, s => Assert.Contains(s.Into, postgres));
        Assert.All(SquashedMigrations.Sqlite.Concat(SquashedMigrations.Postgres).SelectMany(s => s.From),
            id => Assert.DoesNotContain(id, sqlite.Concat(postgres)));
    }
}
