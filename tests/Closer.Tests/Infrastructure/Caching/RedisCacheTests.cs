using Closer.Web.Infrastructure.Caching;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Closer.Tests.Infrastructure.Caching;

/// <summary>The shared output cache on a real Redis: shared between nodes, and tolerant of Redis going away and coming back.</summary>
public sealed class RedisCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IOutputCacheStore LocalStore() => CachingSetup.CreateLocalStore();

    private static RedisConnection Connection(string configuration, TimeProvider time) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Redis:Configuration"] = configuration }).Build(),
            time, NullLogger<RedisConnection>.Instance);

    private static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 150; i++)
        {
            if (condition())
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }

    [Fact]
    public async Task TwoNodes_ShareEntries_AndAnEvictionOnOneClearsBoth()
    {
        RedisServer.Need();
        await using var server = new RedisServer();
        await server.StartAsync();
        using var c1 = Connection(server.Configuration, TimeProvider.System);
        using var c2 = Connection(server.Configuration, TimeProvider.System);
        Assert.True(await WaitForAsync(() => c1.Database is not null && c2.Database is not null));
        var node1 = new ResilientOutputCacheStore(c1, LocalStore());
        var node2 = new ResilientOutputCacheStore(c2, LocalStore());

        await node1.SetAsync("/es/stories/x", [1, 2, 3], ["story:x"], TimeSpan.FromMinutes(5), Ct);
        Assert.Equal([1, 2, 3], await node2.GetAsync("/es/stories/x", Ct));
        await node2.EvictByTagAsync("story:x", Ct);
        Assert.Null(await node1.GetAsync("/es/stories/x", Ct));
    }

    [Fact]
    public async Task RedisDown_ServesFromTheLocalCache_AndRedisIsUsedAgainWhenItReturns()
    {
        RedisServer.Need();
        await using var server = new RedisServer();
        await server.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        using var connection = Connection(server.Configuration, time);
        Assert.True(await WaitForAsync(() => connection.Database is not null));
        var store = new ResilientOutputCacheStore(connection, LocalStore());
        using var probe = await ConnectionMultiplexer.ConnectAsync(server.Configuration);

        await store.SetAsync("a", [1], ["t"], TimeSpan.FromMinutes(5), Ct);
        Assert.True(await probe.GetDatabase().KeyExistsAsync(RedisConnection.Prefix + "oc:e:a"));

        await server.StopAsync();
        // No exception reaches the caller; the local store serves.
        await store.SetAsync("b", [2], ["t"], TimeSpan.FromMinutes(5), Ct);
        Assert.Equal([2], await store.GetAsync("b", Ct));
        await store.EvictByTagAsync("t", Ct);
        Assert.Null(await store.GetAsync("b", Ct));

        await server.StartAsync();
        time.Advance(TimeSpan.FromSeconds(10)); // past the back-off
        Assert.True(await WaitForAsync(() => connection.Database is not null), "the connection did not come back");
        await store.SetAsync("c", [3], ["t"], TimeSpan.FromMinutes(5), Ct);
        using var probe2 = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        Assert.True(await probe2.GetDatabase().KeyExistsAsync(RedisConnection.Prefix + "oc:e:c"));
        Assert.Equal([3], await store.GetAsync("c", Ct));
    }

    [Fact]
    public async Task NoRedisConfigured_UsesTheLocalStoreOnly()
    {
        using var connection = new RedisConnection(new ConfigurationBuilder().Build(), TimeProvider.System, NullLogger<RedisConnection>.Instance);
        var store = new ResilientOutputCacheStore(connection, LocalStore());
        await store.SetAsync("k", [9], ["t"], TimeSpan.FromMinutes(1), Ct);
        Assert.Equal([9], await store.GetAsync("k", Ct));
        await store.EvictByTagAsync("t", Ct);
        Assert.Null(await store.GetAsync("k", Ct));
    }
}
