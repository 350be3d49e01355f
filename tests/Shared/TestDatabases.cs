using System.Diagnostics;
using Npgsql;

namespace Closer.Testing;

/// <summary>Creates and drops the throw-away PostgreSQL databases of the tests.</summary>
public static class TestDatabases
{
    /// <summary>
    /// Drops <paramref name="database"/> on the server of <paramref name="connectionString"/>, ending its sessions.
    /// <c>DROP DATABASE … WITH (FORCE)</c> refuses with 42501 when one of those sessions is not the test role's —
    /// an autovacuum worker that has just started on the tables a test filled (it failed a CI run that way) — and
    /// with 55006 while one is still closing; both pass within seconds, so the drop is tried again for up to 60 s.
    /// </summary>
    public static async Task DropAsync(string connectionString, string database)
    {
        NpgsqlConnection.ClearAllPools();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var conn = new NpgsqlConnection(connectionString);
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE)", conn) { CommandTimeout = 120 };
                await cmd.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(500);
            }
        }
    }
}
