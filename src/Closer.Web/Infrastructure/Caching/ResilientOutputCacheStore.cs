using System.Collections.Concurrent;
using Microsoft.AspNetCore.OutputCaching;
using StackExchange.Redis;

namespace Closer.Web.Infrastructure.Caching;

/// <summary>
/// The output cache store: Redis when configured and reachable, so every node serves and evicts the same
/// entries; a local memory store otherwise. While Redis is down, local entries live at most 30 s (another node
/// may publish meanwhile) and evictions are remembered and replayed in Redis when it returns.
/// </summary>
public sealed class ResilientOutputCacheStore(RedisConnection redis, IOutputCacheStore local) : IOutputCacheStore
{
    private static readonly TimeSpan LocalCap = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, byte> _pendingTagEvictions = new(StringComparer.Ordinal);

    private static RedisKey EntryKey(string key) => RedisConnection.Prefix + "oc:e:" + key;
    private static RedisKey TagKey(string tag) => RedisConnection.Prefix + "oc:t:" + tag;

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (redis.Database is { } db)
        {
            try
            {
                await ReplayEvictionsAsync(db);
                return (byte[]?)await db.StringGetAsync(EntryKey(key));
            }
            catch (Exception ex) when (RedisConnection.IsRedisFailure(ex))
            {
                redis.MarkDown(ex);
            }
        }
        return await local.GetAsync(key, cancellationToken);
    }

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        if (redis.Database is { } db)
        {
            try
            {
                // Evictions missed while Redis was away go first, so they never remove what is written after them.
                await ReplayEvictionsAsync(db);
                var batch = db.CreateBatch();
                var tasks = new List<Task> { batch.StringSetAsync(EntryKey(key), value, validFor) };
                foreach (var tag in tags ?? [])
                {
                    tasks.Add(batch.SetAddAsync(TagKey(tag), key));
                    tasks.Add(batch.KeyExpireAsync(TagKey(tag), validFor + TimeSpan.FromMinutes(1), ExpireWhen.GreaterThanCurrentExpiry));
                    tasks.Add(batch.KeyExpireAsync(TagKey(tag), validFor + TimeSpan.FromMinutes(1), ExpireWhen.HasNoExpiry));
                }
                batch.Execute();
                await Task.WhenAll(tasks);
                return;
            }
            catch (Exception ex) when (RedisConnection.IsRedisFailure(ex))
            {
                redis.MarkDown(ex);
            }
        }
        await local.SetAsync(key, value, tags, redis.Configured && validFor > LocalCap ? LocalCap : validFor, cancellationToken);
    }

    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        await local.EvictByTagAsync(tag, cancellationToken);
        if (!redis.Configured)
        {
            return;
        }
        if (redis.Database is { } db)
        {
            try
            {
                await ReplayEvictionsAsync(db);
                await EvictInRedisAsync(db, tag);
                return;
            }
            catch (Exception ex) when (RedisConnection.IsRedisFailure(ex))
            {
                redis.MarkDown(ex);
            }
        }
        _pendingTagEvictions.TryAdd(tag, 0);
    }

    private static async Task EvictInRedisAsync(IDatabase db, string tag)
    {
        var members = await db.SetMembersAsync(TagKey(tag));
        if (members.Length > 0)
        {
            await db.KeyDeleteAsync(members.Select(m => EntryKey(m.ToString())).ToArray());
        }
        await db.KeyDeleteAsync(TagKey(tag));
    }

    private async Task ReplayEvictionsAsync(IDatabase db)
    {
        foreach (var tag in _pendingTagEvictions.Keys)
        {
            await EvictInRedisAsync(db, tag);
            _pendingTagEvictions.TryRemove(tag, out _);
        }
    }
}
