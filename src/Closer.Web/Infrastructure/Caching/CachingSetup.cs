using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Closer.Web.Infrastructure.Caching;

public static class CachingSetup
{
    /// <summary>
    /// HybridCache for data (local + Redis), and the output cache for anonymous pages with a Redis-backed,
    /// outage-tolerant store. Call after the features, so this store replaces the default one.
    /// </summary>
    public static IServiceCollection AddCloserCaching(this IServiceCollection services)
    {
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<Data.DataChangeBus>();
        services.AddHostedService(sp => sp.GetRequiredService<Data.DataChangeBus>());
        services.AddHybridCache(o =>
        {
            o.DefaultEntryOptions = new Microsoft.Extensions.Caching.Hybrid.HybridCacheEntryOptions
            {
                Expiration = TimeSpan.FromMinutes(10),
                LocalCacheExpiration = TimeSpan.FromMinutes(1),
            };
        });
        services.Replace(ServiceDescriptor.Singleton<IDistributedCache, ResilientDistributedCache>());
        services.AddOutputCache();
        services.Replace(ServiceDescriptor.Singleton<IOutputCacheStore>(sp =>
            new ResilientOutputCacheStore(sp.GetRequiredService<RedisConnection>(), CreateLocalStore())));
        return services;
    }

    /// <summary>The framework's memory store (internal to ASP.NET Core), kept as the local fallback behind Redis.</summary>
    public static IOutputCacheStore CreateLocalStore() =>
        new ServiceCollection().AddOptions().AddOutputCache().BuildServiceProvider().GetRequiredService<IOutputCacheStore>();
}
