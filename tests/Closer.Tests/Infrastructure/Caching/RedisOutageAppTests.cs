using System.Net;

namespace Closer.Tests.Infrastructure.Caching;

/// <summary>The whole app configured with Redis keeps serving when Redis goes away, and after it returns.</summary>
public sealed class RedisOutageAppTests
{
    private sealed class RedisApp(string redis) : SqliteAppBase
    {
        protected override void AddSettings(Dictionary<string, string?> settings) => settings["Redis:Configuration"] = redis;
    }

    [Fact]
    public async Task SiteKeepsServing_WhileRedisIsDown_AndAfterItReturns()
    {
        RedisServer.Need();
        await using var server = new RedisServer();
        await server.StartAsync();
        await using var app = new RedisApp(server.Configuration);
        await app.InitializeAsync();
        var client = app.Client();
        foreach (var step in new[] { "up", "down", "back" })
        {
            if (step == "down")
            {
                await server.StopAsync();
            }
            if (step == "back")
            {
                await server.StartAsync();
            }
            foreach (var path in new[] { "/en/", "/pap/", "/api/v1/organisations", "/readyz" })
            {
                var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} with Redis {step}: {(int)response.StatusCode}");
            }
        }
    }
}
