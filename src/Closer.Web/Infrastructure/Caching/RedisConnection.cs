using StackExchange.Redis;

namespace Closer.Web.Infrastructure.Caching;

/// <summary>
/// The optional shared Redis. Connects lazily and reconnects by itself (abortConnect=false); while it is
/// unreachable, <see cref="Database"/> is null for a short back-off and callers fall back to local state.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private readonly string? _configuration;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisConnection> _logger;
    private readonly Lazy<ConnectionMultiplexer?> _multiplexer;
    private long _downUntilTicks;

    public RedisConnection(IConfiguration configuration, TimeProvider time, ILogger<RedisConnection> logger)
    {
        _configuration = configuration["Redis:Configuration"] is { Length: > 0 } c ? c : null;
        _time = time;
        _logger = logger;
        _multiplexer = new Lazy<ConnectionMultiplexer?>(Connect, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public bool Configured => _configuration is not null;

    /// <summary>Key prefix, so Closer can share a Redis with other apps.</summary>
    public const string Prefix = "closer:";

    private ConnectionMultiplexer? Connect()
    {
        if (_configuration is null)
        {
            return null;
        }
        var options = ConfigurationOptions.Parse(_configuration);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 1000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 1000);
        options.ConnectRetry = 1;
        return ConnectionMultiplexer.Connect(options);
    }

    /// <summary>The database while Redis is believed up; null when not configured or during a back-off after a failure.</summary>
    public IDatabase? Database
    {
        get
        {
            if (_configuration is null || _time.GetUtcNow().UtcTicks < Interlocked.Read(ref _downUntilTicks))
            {
                return null;
            }
            var mux = _multiplexer.Value;
            return mux is { IsConnected: true } ? mux.GetDatabase() : null;
        }
    }

    /// <summary>The connection (for subscriptions), or null when Redis is not configured; it reconnects by itself.</summary>
    public ConnectionMultiplexer? Multiplexer => _configuration is null ? null : _multiplexer.Value;

    /// <summary>Records a failure: callers use their local fallback for a few seconds before trying Redis again.</summary>
    public void MarkDown(Exception ex)
    {
        Interlocked.Exchange(ref _downUntilTicks, _time.GetUtcNow().AddSeconds(5).UtcTicks);
        _logger.LogWarning("Redis unavailable ({Error}); serving from the local cache.", ex.GetType().Name);
    }

    public static bool IsRedisFailure(Exception ex) => ex is RedisException or TimeoutException or ObjectDisposedException;

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
        {
            _multiplexer.Value?.Dispose();
        }
    }
}
