using System.Net;
using System.Text.RegularExpressions;
using Npgsql;

namespace Closer.BrowserTests.ScaleOut;

/// <summary>
/// Two app processes on different ports sharing one PostgreSQL (and one Redis): they migrate once, share sign-in and
/// antiforgery, and share the output cache so content published on one node shows at once on the other.
/// </summary>
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
            (node1, node2) = await StartBothAsync(env, workDir);

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
            var signIn = await SignInAsync(http, node1, email, password);
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
            await CleanUpAsync(database, node1, node2);
        }
    }

    [Fact]
    public async Task PublishOnNode1_ChangesTheCachedPageOnNode2_ThroughSharedRedis()
    {
        Requirements.NeedPostgres();
        RedisServer.Need();
        var ct = TestContext.Current.CancellationToken;
        await using var redis = new RedisServer();
        await redis.StartAsync();
        var database = $"closer_2n_{Guid.NewGuid():N}";
        await ExecAsync(Postgres!, $"CREATE DATABASE \"{database}\"");
        var workDir = Directory.CreateTempSubdirectory("closer-2n-cache").FullName;
        var env = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Closer"] = new NpgsqlConnectionStringBuilder(Postgres) { Database = database }.ToString(),
            ["Redis__Configuration"] = redis.Configuration,
        };
        AppProcess? node1 = null, node2 = null;
        try
        {
            (node1, node2) = await StartBothAsync(env, workDir);
            const string email = "two-nodes-editor@test.invalid", password = "two nodes share one cache";
            await AppProcess.CreateAdminAsync(workDir, env, email, password);

            // A reader on node 2 fills the shared cache; the same bytes come back from node 1. Behind the proxy both
            // nodes see the same public host name, which is part of the cache key.
            using var reader = new HttpClient();
            reader.DefaultRequestHeaders.Host = "closer.example";
            var before = await reader.GetStringAsync(new Uri(node2.BaseAddress, "/en/stories"), ct);
            Assert.Equal(before, await reader.GetStringAsync(new Uri(node1.BaseAddress, "/en/stories"), ct));

            using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
            using var editor = new HttpClient(handler);
            Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(editor, node1, email, password)).StatusCode);
            var title = "Published across nodes " + Guid.NewGuid().ToString("N")[..8];
            var created = await PostFormAsync(editor, node1, "/admin/content", null,
                new() { ["Kind"] = "Story", ["Language"] = "en", ["Title"] = title });
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            var itemPage = created.Headers.Location!.IsAbsoluteUri ? created.Headers.Location.AbsolutePath : created.Headers.Location.OriginalString;
            var slug = "across-nodes-" + Guid.NewGuid().ToString("N")[..8];
            Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(editor, node1, itemPage, "Save", new()
            {
                ["Title"] = title, ["Slug"] = slug, ["Summary"] = "A story published on node 1.", ["Body"] = "Read on node 2.",
            })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(editor, node1, itemPage, "Move", new() { ["To"] = "InReview" })).StatusCode);
            Assert.DoesNotContain(title, await reader.GetStringAsync(new Uri(node2.BaseAddress, "/en/stories"), ct));
            Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(editor, node1, itemPage, "Move", new() { ["To"] = "Published" })).StatusCode);

            // Node 2 never saw the change happen, yet its cached page shows the new story at once.
            var after = await reader.GetStringAsync(new Uri(node2.BaseAddress, "/en/stories"), ct);
            Assert.Contains(title, after);
            Assert.Contains(title, await reader.GetStringAsync(new Uri(node1.BaseAddress, "/en/stories"), ct));
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(new Uri(node2.BaseAddress, $"/en/stories/{slug}"), ct)).StatusCode);
        }
        finally
        {
            await CleanUpAsync(database, node1, node2);
        }
    }

    /// <summary>Stops the nodes that started and drops the test's database.</summary>
    private static async Task CleanUpAsync(string database, params AppProcess?[] nodes)
    {
        foreach (var node in nodes.OfType<AppProcess>())
        {
            await node.DisposeAsync();
        }
        await TestDatabases.DropAsync(Postgres!, database);
    }

    /// <summary>Starts two nodes at the same moment (so they race to migrate); if one fails, the other is stopped.</summary>
    private static async Task<(AppProcess, AppProcess)> StartBothAsync(Dictionary<string, string> env, string workDir)
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
        return (await starting[0], await starting[1]);
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient http, AppProcess node, string email, string password)
    {
        var loginForm = await http.GetStringAsync(new Uri(node.BaseAddress, "/account/login"), TestContext.Current.CancellationToken);
        return await http.PostAsync(new Uri(node.BaseAddress, "/account/login"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = Token(loginForm),
        }), TestContext.Current.CancellationToken);
    }

    /// <summary>Posts a back-office form on a node with the antiforgery token of the page it belongs to.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient http, AppProcess node, string page, string? handler, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = Token(await http.GetStringAsync(new Uri(node.BaseAddress, page), TestContext.Current.CancellationToken));
        var target = handler is null ? page : $"{page}?handler={handler}";
        return await http.PostAsync(new Uri(node.BaseAddress, target), new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
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
