using Microsoft.Extensions.Caching.Distributed;
using StackExchange.Redis;

namespace Closer.Web.Infrastructure.Caching;

/// <summary>
/// The second level of HybridCache: Redis when reachable; when not, a miss (HybridCache keeps its local level),
/// so a Redis outage costs recomputation, never an error page.
/// </summary>
public sealed class ResilientDistributedCache(RedisConnection redis, TimeProvider time) : IDistributedCache
{
    private static RedisKey Key(string key) => RedisConnection.Prefix + "dc:" + key;

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        if (redis.Database is not { } db)
        {
            return null;
        }
        try
        {
            return (byte[]?)await db.StringGetAsync(Key(key));
        }
        catch (Exception ex) when (RedisConnection.IsRedisFailure(ex))
        {
            redis.MarkDown(ex);
            return null;
        }
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        if (redis.Database is not { } db)
        {
            return;
        }
        var now = time.GetUtcNow();
        var ttl = options.AbsoluteExpiration is { } at ? at - now
            : options.AbsoluteExpirationRelativeToNow ?? options.SlidingExpiration ?? TimeSpan.FromMinutes(10);
        try
        {
            await db.StringSetAsync(Key(key), value, ttl > TimeSpan.Zero ? ttl : TimeSpan.FromSeconds(1));
        }
        catch (Exception ex) when (RedisConnection.IsRedisFailure(ex))
        {
            redis.MarkDown(ex);
        }
    }

    public void Refresh(string key)
    {
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        if (redis.Database is not { } db)
        {
            return;
        }
        try
        {
            await db.KeyDeleteAsync(Key(key));
        }
        catch (Exception ex) when (RedisConnection.IsRedisFailure(ex))
        {
            redis.MarkDown(ex);
        }
    }
}
