using Closer.Web.Infrastructure.Caching;
using StackExchange.Redis;

namespace Closer.Web.Infrastructure.Data;

/// <summary>Something kept in a node's memory that must follow committed changes of some datasets (see <see cref="DataChangeBus"/>).</summary>
public interface IDataChangeListener
{
    /// <summary>The datasets (data stamp names) it follows: it hears of no other, and commits of no other are announced.</summary>
    IReadOnlySet<string> Datasets { get; }

    /// <summary>Called on every node after a change of some of its <see cref="Datasets"/> was committed (on any node), or with
    /// <see cref="DataChangeBus.Everything"/> when some may have been missed. Must not block.</summary>
    void Changed(IReadOnlySet<string> datasets);
}

/// <summary>
/// Tells every node which datasets a commit touched, so state a node keeps in memory is dropped on commit rather than
/// polled for. The node that committed tells its own listeners at once (the data stamp interceptor publishes after
/// the commit); with Redis configured, the message also goes out on a Redis channel every node listens to. A node
/// that lost Redis may have missed messages, so when its connection comes back its listeners hear "everything changed".
/// </summary>
public sealed class DataChangeBus(RedisConnection redis, IServiceProvider services, ILogger<DataChangeBus> logger) : IHostedService
{
    /// <summary>The dataset name that means "anything may have changed" (after a lost connection).</summary>
    public const string Everything = "*";

    private static readonly RedisChannel Channel = RedisChannel.Literal(RedisConnection.Prefix + "data-changed");

    // Messages carry the sender's id, so a node does not hear its own commits twice.
    private readonly string _node = Guid.NewGuid().ToString("N");

    private IReadOnlyList<IDataChangeListener>? _listeners;
    private HashSet<string>? _followed;

    // Resolved on first use: the listeners are singletons that may themselves need services built after this one.
    private IReadOnlyList<IDataChangeListener> Listeners => _listeners ??= [.. services.GetServices<IDataChangeListener>()];

    private HashSet<string> Followed => _followed ??= Listeners.SelectMany(l => l.Datasets).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// After a commit: tells this node's listeners, then the other nodes, of the datasets some listener follows; a commit
    /// of nothing followed (a pledge, a report) costs nothing here. Never throws; a lost message is logged.
    /// </summary>
    public async Task PublishAsync(IReadOnlyCollection<string> datasets)
    {
        var followed = datasets.Where(Followed.Contains).ToHashSet(StringComparer.Ordinal);
        if (followed.Count == 0)
        {
            return;
        }
        Notify(followed);
        if (redis.Database is not { } db)
        {
            return;
        }
        try
        {
            await db.PublishAsync(Channel, _node + "|" + string.Join(',', followed));
        }
        catch (Exception ex) when (RedisConnection.IsRedisFailure(ex))
        {
            redis.MarkDown(ex);
        }
    }

    /// <summary>A message from the channel: another node's commit (this node's own are skipped).</summary>
    public void Receive(string message)
    {
        var bar = message.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0 || message[..bar] == _node)
        {
            return;
        }
        Notify(message[(bar + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));
    }

    private void Notify(HashSet<string> datasets)
    {
        foreach (var listener in Listeners)
        {
            if (!datasets.Contains(Everything) && !listener.Datasets.Overlaps(datasets))
            {
                continue;
            }
            try
            {
                listener.Changed(datasets);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A data change listener failed.");
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (redis.Multiplexer is not { } mux)
        {
            return;
        }
        // The multiplexer subscribes again by itself after a reconnection; what was published meanwhile is lost.
        mux.ConnectionRestored += (_, _) =>
        {
            Notify(new HashSet<string>(StringComparer.Ordinal) { Everything });
            _ = SubscribeAsync(mux);
        };
        await SubscribeAsync(mux);
    }

    private int _subscribed;

    private async Task SubscribeAsync(ConnectionMultiplexer mux)
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 1)
        {
            return;
        }
        try
        {
            await mux.GetSubscriber().SubscribeAsync(Channel, (_, value) => Receive(value.ToString()));
        }
        catch (Exception ex) when (RedisConnection.IsRedisFailure(ex))
        {
            Interlocked.Exchange(ref _subscribed, 0);
            logger.LogWarning("Redis unavailable ({Error}); other nodes' changes are heard once it is back.", ex.GetType().Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
