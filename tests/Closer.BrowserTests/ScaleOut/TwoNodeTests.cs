using System.Net;
using System.Text.RegularExpressions;
using Npgsql;

namespace Closer.BrowserTests.ScaleOut;

/// <summary>Two app processes on different ports sharing one PostgreSQL: they migrate once and share sign-in and antiforgery.</summary>
public sealed partial class TwoNodeTests
{
    private static string? Postgres => Requirements.PostgresConnectionString;

    [Fact]
    public async Task TwoNodesStartingTogether_MigrateOnce_AndShareSignInAndAntiforgery()
    {
        Requirements.NeedPostgres();
        var database = $"closer_2n_{Guid.NewGuid():N}";
        await ExecAsync(Postgres!, $"CREATE DATABASE \"{database}\"");
        var workDir = Directory.CreateTempSubdirectory("closer-2n").FullName;
        var cs = new NpgsqlConnectionStringBuilder(Postgres) { Database = database }.ToString();
        var env = new Dictionary<string, string> { ["Database__Provider"] = "Postgres", ["ConnectionStrings__Closer"] = cs };
        AppProcess? node1 = null, node2 = null;
        try
        {
            var starting = new[] { AppProcess.StartAsync(env, workDir), AppProcess.StartAsync(env, workDir) };
            try
            {
                await Task.WhenAll(starting);
            }
            catch
            {
                // One node failed: stop the other, so no process outlives the test.
                foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
                {
                    await (await started).DisposeAsync();
                }
                throw;
            }
            (node1, node2) = (await starting[0], await starting[1]);

            await using (var conn = new NpgsqlConnection(cs))
            {
                await conn.OpenAsync(TestContext.Current.CancellationToken);
                await using var cmd = new NpgsqlCommand("SELECT count(*), count(DISTINCT \"MigrationId\") FROM \"__EFMigrationsHistory\"", conn);
                await using var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
                await reader.ReadAsync(TestContext.Current.CancellationToken);
                Assert.True(reader.GetInt64(0) > 0);
                Assert.Equal(reader.GetInt64(1), reader.GetInt64(0));
                await reader.CloseAsync();
                await using var countries = new NpgsqlCommand("SELECT count(*) FROM \"Countries\"", conn);
                Assert.Equal(17L, (long)(await countries.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
            }

            const string email = "two-nodes@test.invalid", password = "two nodes one database";
            await AppProcess.CreateAdminAsync(workDir, env, email, password);

            using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
            using var http = new HttpClient(handler);
            var loginForm = await http.GetStringAsync(new Uri(node1.BaseAddress, "/account/login"), TestContext.Current.CancellationToken);
            var signIn = await http.PostAsync(new Uri(node1.BaseAddress, "/account/login"), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["Input.Password"] = password,
                ["__RequestVerificationToken"] = Token(loginForm),
            }), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

            // The cookie issued by node 1 opens the back office on node 2.
            var admin = await http.GetAsync(new Uri(node2.BaseAddress, "/admin/"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
            Assert.Contains(email, await admin.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

            // A form rendered by node 1 is accepted by node 2 (shared data-protection keys).
            var tokensPage = await http.GetStringAsync(new Uri(node1.BaseAddress, "/admin/tokens"), TestContext.Current.CancellationToken);
            var created = await http.PostAsync(new Uri(node2.BaseAddress, "/admin/tokens?handler=Create"), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["name"] = "made across nodes",
                ["__RequestVerificationToken"] = Token(tokensPage),
            }), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            Assert.Contains("clo_", await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            if (node1 is not null)
            {
                await node1.DisposeAsync();
            }
            if (node2 is not null)
            {
                await node2.DisposeAsync();
            }
            NpgsqlConnection.ClearAllPools();
            await ExecAsync(Postgres!, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    private static string Token(string html) =>
        WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value);

    private static async Task ExecAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
