using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Options;

namespace Closer.Web.Infrastructure.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}

public static class DatabaseSetup
{
    public const string DefaultSqliteFile = "data/closer.db";

    /// <summary>
    /// Registers <see cref="CloserDbContext"/> for the configured provider. The provider and connection
    /// string are read when a context is first resolved, not at registration, so that test hosts and
    /// environment variables that add configuration late are honoured.
    /// </summary>
    public static IServiceCollection AddCloserData(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DatabaseOptions>(configuration.GetSection("Database"));
        services.AddSingleton<SqliteWriteGate>();
        services.AddDbContext<SqliteCloserDbContext>((sp, o) =>
            o.UseSqlite(SqliteConnectionString(sp), sqlite => sqlite.CommandTimeout(60)).AddInterceptors(sp.GetRequiredService<SqliteWriteGate>()));
        services.AddDbContext<PostgresCloserDbContext>((sp, o) =>
            o.UseNpgsql(sp.GetRequiredService<IConfiguration>().GetConnectionString("Closer")
                ?? throw new InvalidOperationException("ConnectionStrings:Closer is required when Database:Provider is Postgres.")));
        services.AddScoped<CloserDbContext>(sp =>
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Postgres
                ? sp.GetRequiredService<PostgresCloserDbContext>()
                : sp.GetRequiredService<SqliteCloserDbContext>());
        return services;
    }

    private static string SqliteConnectionString(IServiceProvider sp)
    {
        var configured = sp.GetRequiredService<IConfiguration>().GetConnectionString("Closer");
        var env = sp.GetRequiredService<IWebHostEnvironment>();
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(configured) ? $"Data Source={DefaultSqliteFile}" : configured);
        if (!string.Equals(builder.DataSource, ":memory:", StringComparison.Ordinal) && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.Combine(env.ContentRootPath, builder.DataSource);
        }
        var dir = Path.GetDirectoryName(builder.DataSource);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }
        builder.ForeignKeys = true;
        builder.Pooling = true;
        return builder.ToString();
    }

    /// <summary>
    /// Applies pending migrations, once across nodes that start together: on PostgreSQL under a session advisory
    /// lock held on a connection of its own (EF Core's own migration lock was seen to let two nodes race on a fresh
    /// database); on SQLite, EF Core's lock table serialises processes sharing the file. Squashed migrations are
    /// recorded first (<see cref="SquashedMigrations"/>) so a database from before a squash upgrades.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        if (db.Database.IsNpgsql())
        {
            await using var lockConnection = new Npgsql.NpgsqlConnection(db.Database.GetConnectionString());
            await lockConnection.OpenAsync(cancellationToken);
            await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(7319000)", lockConnection))
            {
                take.CommandTimeout = 300;
                await take.ExecuteNonQueryAsync(cancellationToken);
            }
            try
            {
                await SquashedMigrations.RecordAsync(db, cancellationToken);
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await using var release = new Npgsql.NpgsqlCommand("SELECT pg_advisory_unlock(7319000)", lockConnection);
                await release.ExecuteNonQueryAsync(CancellationToken.None);
            }
            return;
        }
        await SquashedMigrations.RecordAsync(db, cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers go on while one writer writes; it is a property of the file, set once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}

/// <summary>Used by <c>dotnet ef</c> to build the SQLite context without running the app.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCloserDbContext>
{
    public SqliteCloserDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCloserDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Used by <c>dotnet ef</c> to build the PostgreSQL context without a server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCloserDbContext>
{
    public PostgresCloserDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCloserDbContext>().UseNpgsql("Host=localhost;Database=closer_design").Options);
}
