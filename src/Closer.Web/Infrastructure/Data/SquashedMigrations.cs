using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Data;

/// <summary>
/// Migrations that reached main as several and were later squashed into one. A database migrated while the several
/// were on main has their ids in <c>__EFMigrationsHistory</c> and the schema of the one; without this, EF Core
/// would run the one again and stop at its first ALTER ("duplicate column name: FormTokenId"). Before migrating,
/// the history rows of a complete set are replaced by the squashed id in one transaction; a partial set cannot be
/// told apart from a broken database and stops the start with a message saying what to do.
/// Rule for whoever squashes again: squash only migrations that never left a working branch; if some did, add
/// the set here (and a test) in the same commit.
/// </summary>
public static class SquashedMigrations
{
    public sealed record Squash(string Into, IReadOnlyList<string> From);

    // Session 7's four migrations, on main for one landing, squashed in commit ff2dd73 (same operations, checked by
    // comparing the Up methods line by line).
    public static readonly IReadOnlyList<Squash> Sqlite =
    [
        new("20261206201053_OfflineKoboSearchPledgeToken",
            ["20261206172416_S7Offline", "20261206172758_PledgeFormToken", "20261206174936_S7Search", "20261206181739_S7Kobo"]),
    ];

    public static readonly IReadOnlyList<Squash> Postgres =
    [
        new("20261206201057_OfflineKoboSearchPledgeToken",
            ["20261206172814_PledgeFormToken", "20261206172856_S7Offline", "20261206174952_S7Search", "20261206181754_S7Kobo"]),
    ];

    /// <summary>Rewrites the history of squashed sets; returns how many sets were rewritten.</summary>
    public static async Task<int> RecordAsync(CloserDbContext db, CancellationToken cancellationToken = default)
    {
        var squashes = db.Database.IsNpgsql() ? Postgres : Sqlite;
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }
        try
        {
            var applied = await AppliedAsync(connection, db.Database.IsNpgsql(), cancellationToken);
            if (applied is null)
            {
                return 0; // a fresh database: nothing to rewrite
            }
            var rewritten = 0;
            foreach (var squash in squashes)
            {
                var present = squash.From.Where(applied.ContainsKey).ToList();
                if (present.Count == 0 || applied.ContainsKey(squash.Into))
                {
                    continue;
                }
                if (present.Count != squash.From.Count)
                {
                    throw new InvalidOperationException(
                        $"The database has {present.Count} of the {squash.From.Count} migrations that {squash.Into} replaced "
                        + $"({string.Join(", ", present)}). Restore the last backup, or bring it to a commit that has all of them, "
                        + "before starting this version.");
                }
                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                foreach (var id in squash.From)
                {
                    await ExecuteAsync(connection, tx, """DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" = @id""", cancellationToken,
                        ("id", id));
                }
                await ExecuteAsync(connection, tx,
                    """INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES (@id, @version)""", cancellationToken,
                    ("id", squash.Into), ("version", applied[squash.From[^1]]));
                await tx.CommitAsync(cancellationToken);
                rewritten++;
            }
            return rewritten;
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    private static async Task<Dictionary<string, string>?> AppliedAsync(DbConnection connection, bool postgres, CancellationToken ct)
    {
        await using (var exists = connection.CreateCommand())
        {
            exists.CommandText = postgres
                ? "SELECT to_regclass('\"__EFMigrationsHistory\"') IS NOT NULL"
                : "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'";
            if (await exists.ExecuteScalarAsync(ct) is not (true or 1L))
            {
                return null;
            }
        }
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var read = connection.CreateCommand();
        read.CommandText = """SELECT "MigrationId", "ProductVersion" FROM "__EFMigrationsHistory" """;
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            applied[reader.GetString(0)] = reader.GetString(1);
        }
        return applied;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction tx, string sql, CancellationToken ct,
        params (string Name, string Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        await command.ExecuteNonQueryAsync(ct);
    }
}
