using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Npgsql;

namespace Closer.BrowserTests.ScaleOut;

/// <summary>
/// PostgreSQL restarted under load: while it is down, requests fail fast with the friendly, localized 503 page
/// (problem details for the API) and Retry-After; when it is back the app serves again by itself, no restart.
/// Runs on a private cluster so the suites sharing the CI server are not disturbed.
/// </summary>
public sealed class PostgresRestartTests
{
    private sealed record Outcome(TimeSpan At, string Path, int Status, TimeSpan Took, string Body, string? RetryAfter);

    [Fact]
    public async Task PostgresRestartedUnderLoad_Friendly503FailFast_ThenRecoversByItself()
    {
        PostgresServer.Need();
        var ct = TestContext.Current.CancellationToken;
        await using var postgres = new PostgresServer();
        await postgres.InitAndStartAsync();
        await using (var conn = new NpgsqlConnection(postgres.ConnectionString()))
        {
            await conn.OpenAsync(ct);
            await using var create = new NpgsqlCommand("CREATE DATABASE closer", conn);
            await create.ExecuteNonQueryAsync(ct);
        }
        NpgsqlConnection.ClearAllPools();

        var workDir = Directory.CreateTempSubdirectory("closer-pg-restart").FullName;
        var env = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Closer"] = postgres.ConnectionString("closer"),
        };
        await using var app = await AppProcess.StartAsync(env, workDir);

        var outcomes = new ConcurrentQueue<Outcome>();
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        string[] paths = ["/en/search?q=water", "/es/search?q=migracion", "/api/v1/organisations", "/pap/search?q=salud"];

        async Task LoadAsync(int worker)
        {
            using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                // A new query string each time: every request reaches the database, none is answered by the output cache. The
                // API refuses parameters it does not document (issue 21), so there the page size is what changes.
                var basePath = paths[(worker + i) % paths.Length];
                var path = basePath.StartsWith("/api/", StringComparison.Ordinal)
                    ? $"{basePath}?pageSize={1 + ((worker * 997) + i) % 4999}"
                    : basePath + (basePath.Contains('?') ? $"&n={worker}-{i}" : $"?n={worker}-{i}");
                var started = clock.Elapsed;
                try
                {
                    using var response = await http.GetAsync(path, CancellationToken.None);
                    var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                    outcomes.Enqueue(new Outcome(started, path, (int)response.StatusCode, clock.Elapsed - started, body,
                        response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
                catch (HttpRequestException ex)
                {
                    outcomes.Enqueue(new Outcome(started, path, 0, clock.Elapsed - started, ex.Message, null));
                }
                await Task.Delay(20, CancellationToken.None);
            }
        }

        var load = Enumerable.Range(0, 4).Select(w => Task.Run(() => LoadAsync(w), CancellationToken.None)).ToArray();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            var stoppedAt = clock.Elapsed;
            await postgres.StopAsync();
            var downFrom = clock.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(4), ct);
            var downUntil = clock.Elapsed;
            await postgres.StartAsync();
            var startedAt = clock.Elapsed;

            // Recovery by itself: within 30 s of the restart, ten answers in a row are 200.
            var recovered = false;
            while (clock.Elapsed - startedAt < TimeSpan.FromSeconds(30) && !recovered)
            {
                await Task.Delay(250, ct);
                recovered = outcomes.Where(o => o.At > startedAt).TakeLast(10) is var last && last.Count() == 10 && last.All(o => o.Status == 200);
            }
            await stop.CancelAsync();
            await Task.WhenAll(load);

            var all = outcomes.ToArray();
            // A failure here (once in CI, 2026-12-08: the first, cold request to the API answered 500 with no body, which
            // did not happen again in five runs alone or under CPU load) says what the app logged.
            Assert.All(all.Where(o => o.At < stoppedAt - TimeSpan.FromMilliseconds(200)), o =>
                Assert.True(o.Status == 200, $"{o.Path} answered {o.Status} before PostgreSQL stopped. The app's log:\n{app.LogTail()}"));

            var whileDown = all.Where(o => o.At > downFrom && o.At + o.Took < downUntil).ToArray();
            Assert.NotEmpty(whileDown);
            Assert.All(whileDown, o =>
            {
                Assert.True(o.Status == 503, $"{o.Path} answered {o.Status} while PostgreSQL was down: {o.Body[..Math.Min(300, o.Body.Length)]}");
                Assert.True(o.Took < TimeSpan.FromSeconds(6), $"{o.Path} took {o.Took.TotalSeconds:F1} s to fail; it must fail fast.");
                Assert.Equal("10", o.RetryAfter);
                Assert.DoesNotContain("Npgsql", o.Body, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("Exception", o.Body, StringComparison.Ordinal);
                if (o.Path.StartsWith("/api/", StringComparison.Ordinal))
                {
                    Assert.Contains("\"status\":503", o.Body, StringComparison.Ordinal);
                }
                else if (o.Path.StartsWith("/es/", StringComparison.Ordinal))
                {
                    Assert.Contains("<html lang=\"es\"", o.Body, StringComparison.Ordinal);
                    Assert.Contains("No disponible por el momento", o.Body, StringComparison.Ordinal);
                }
            });
            // No request failed at the connection level: the app kept answering.
            Assert.DoesNotContain(all, o => o.Status == 0);
            Assert.True(recovered, "The app did not recover within 30 s after PostgreSQL came back: "
                + string.Join(", ", all.Where(o => o.At > startedAt).TakeLast(10).Select(o => $"{o.Status} {o.Path}")));

            using var check = new HttpClient { BaseAddress = app.BaseAddress };
            Assert.Equal(HttpStatusCode.OK, (await check.GetAsync("/readyz", ct)).StatusCode);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(load);
            NpgsqlConnection.ClearAllPools();
        }
    }
}
