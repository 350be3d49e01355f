using System.Diagnostics;
using System.Net.Http.Json;
using Npgsql;

namespace Closer.BrowserTests.ScaleOut;

/// <summary>The README's PostgreSQL backup recipe (pg_dump -Fc, pg_restore into a new database), followed for real.</summary>
public sealed class PostgresBackupTests
{
    private static string? Postgres => Requirements.PostgresConnectionString;

    [Fact]
    public async Task PgDump_ThenPgRestore_GivesAWorkingCopy()
    {
        Requirements.NeedPostgres();
        var source = $"closer_bk_{Guid.NewGuid():N}";
        var copy = source + "_copy";
        var baseCs = new NpgsqlConnectionStringBuilder(Postgres);
        await ExecAsync($"CREATE DATABASE \"{source}\"");
        await ExecAsync($"CREATE DATABASE \"{copy}\"");
        var workDir = Directory.CreateTempSubdirectory("closer-pgbk").FullName;
        try
        {
            var sourceCs = new NpgsqlConnectionStringBuilder(Postgres) { Database = source }.ToString();
            var env = new Dictionary<string, string> { ["Database__Provider"] = "Postgres", ["ConnectionStrings__Closer"] = sourceCs };
            int organisations;
            await using (var node = await AppProcess.StartAsync(env, workDir))
            {
                using var http = new HttpClient { BaseAddress = node.BaseAddress };
                organisations = (await http.GetFromJsonAsync<List<object>>("/api/v1/organisations", TestContext.Current.CancellationToken))!.Count;
            }
            Assert.True(organisations >= 30);

            var dump = Path.Combine(Directory.CreateTempSubdirectory("closer-pgdump").FullName, "closer.dump");
            await RunAsync("pg_dump", baseCs, "-Fc", "-f", dump, "-d", source);
            await RunAsync("pg_restore", baseCs, "--no-owner", "-d", copy, dump);

            var copyEnv = new Dictionary<string, string>
            {
                ["Database__Provider"] = "Postgres",
                ["ConnectionStrings__Closer"] = new NpgsqlConnectionStringBuilder(Postgres) { Database = copy }.ToString(),
                ["DemoData__Enabled"] = "false",
            };
            await using (var node = await AppProcess.StartAsync(copyEnv, Directory.CreateTempSubdirectory("closer-pgbk2").FullName))
            {
                using var http = new HttpClient { BaseAddress = node.BaseAddress };
                var restored = await http.GetFromJsonAsync<List<object>>("/api/v1/organisations", TestContext.Current.CancellationToken);
                Assert.Equal(organisations, restored!.Count);
            }
        }
        finally
        {
            await TestDatabases.DropAsync(Postgres!, source);
            await TestDatabases.DropAsync(Postgres!, copy);
        }
    }

    private static async Task RunAsync(string tool, NpgsqlConnectionStringBuilder cs, params string[] args)
    {
        var psi = new ProcessStartInfo(tool, ["-h", cs.Host!, "-p", cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", cs.Username!, .. args])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        psi.Environment["PGPASSWORD"] = cs.Password ?? "";
        using var process = Process.Start(psi)!;
        var err = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {err}");
    }

    private static async Task ExecAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(Postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
