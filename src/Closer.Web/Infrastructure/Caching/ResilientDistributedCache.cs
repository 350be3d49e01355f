using Microsoft.Extensions.Caching.Distributed;
using StackExchange.Redis;

namespace Closer.Web.Infrastructure.Caching;

/// <summary>
/// The second level of HybridCache: Redis when reachable; when not, a miss (HybridCache keeps its local level),
/// so a Redis outage costs recomputation, never an error page. The synchronous members of
/// <see cref="IDistributedCache"/> use Redis's own synchronous calls, never a thread blocked on the async ones.
/// </summary>
public sealed class ResilientDistributedCache(RedisConnection redis, TimeProvider time) : IDistributedCache
{
    private static RedisKey Key(string key) => RedisConnection.Prefix + "dc:" + key;

    public byte[]? Get(string key) => Try(db => (byte[]?)db.StringGet(Key(key)), null);

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        TryAsync(async db => (byte[]?)await db.StringGetAsync(Key(key)), null);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) =>
        Try(db => db.StringSet(Key(key), value, TimeToLive(options)), false);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        TryAsync(db => db.StringSetAsync(Key(key), value, TimeToLive(options)), false);

    public void Refresh(string key)
    {
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => Try(db => db.KeyDelete(Key(key)), false);

    public Task RemoveAsync(string key, CancellationToken token = default) => TryAsync(db => db.KeyDeleteAsync(Key(key)), false);

    private TimeSpan TimeToLive(DistributedCacheEntryOptions options)
    {
        var ttl = options.AbsoluteExpiration is { } at ? at - time.GetUtcNow()
            : options.AbsoluteExpirationRelativeToNow ?? options.SlidingExpiration ?? TimeSpan.FromMinutes(10);
        return ttl > TimeSpan.Zero ? ttl : TimeSpan.FromSeconds(1);
    }

    private T Try<T>(Func<IDatabase, T> call, T whenDown)
    {
        if (redis.Database is not { } db)
        {
            return whenDown;
        }
        try
        {
            return call(db);
        }
        catch (Exception ex) when (RedisConnection.IsRedisFailure(ex))
        {
            redis.MarkDown(ex);
            return whenDown;
        }
    }

    private async Task<T> TryAsync<T>(Func<IDatabase, Task<T>> call, T whenDown)
    {
        if (redis.Database is not { } db)
        {
            return whenDown;
        }
        try
        {
            return await call(db);
        }
        catch (Exception ex) when (RedisConnection.IsRedisFailure(ex))
        {
            redis.MarkDown(ex);
            return whenDown;
        }
    }
}
