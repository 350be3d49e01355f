using System.Diagnostics;
using Closer.Web.Infrastructure.Data;

namespace Closer.Web.Infrastructure.Jobs;

/// <summary>When a job first runs.</summary>
public enum JobStart
{
    /// <summary>As soon as the host has started, then every interval.</summary>
    Immediately,
    /// <summary>One interval after the host has started (pruning, flushing: nothing to do yet).</summary>
    AfterInterval,
    /// <summary>
    /// Inside the host's start, before the app serves requests (a backfill the pages rely on); a failure is logged and
    /// retried in the background instead of stopping the host.
    /// </summary>
    BeforeServing,
}

/// <summary>What one run did: how many items it processed, or the failure that stopped it.</summary>
public readonly record struct JobRun(int Items, Exception? Failure)
{
    public bool Succeeded => Failure is null;
}

/// <summary>
/// The loop every background job of Closer shares: a subclass says what one run does and how often; this class waits
/// on the injected <see cref="TimeProvider"/> (so a FakeTimeProvider drives it in tests), gives each run its own DI scope,
/// catches and logs failures (a job never stops the host), backs off while the database is away, honours an
/// enabled switch from configuration, and reports every run to <see cref="JobMetrics"/>.
/// </summary>
public abstract class HostedJob : BackgroundService
{
    /// <summary>The longest wait between tries while the database is away, for jobs that poll more often than this.</summary>
    public static readonly TimeSpan MaxOutageBackoff = TimeSpan.FromMinutes(1);

    private readonly JobMetrics _metrics;
    private int _outages;
    private bool _lastFailed;

    /// <param name="services">The root provider: each run gets a scope of it.</param>
    /// <param name="time">The clock the waits run on (the app's, or a test's fake).</param>
    protected HostedJob(IServiceProvider services, TimeProvider time, ILogger logger)
    {
        Scopes = services.GetRequiredService<IServiceScopeFactory>();
        _metrics = services.GetRequiredService<JobMetrics>();
        Time = time;
        Logger = logger;
    }

    protected IServiceScopeFactory Scopes { get; }
    protected TimeProvider Time { get; }
    protected ILogger Logger { get; }

    /// <summary>The job's name in logs and in the metrics' <c>job</c> tag (e.g. "outbox").</summary>
    public abstract string Name { get; }

    /// <summary>The configuration switch of this node (read once, when the host starts).</summary>
    protected virtual bool Enabled => true;

    /// <summary>The wait between runs (read before every wait, so it follows the options).</summary>
    protected abstract TimeSpan Interval { get; }

    protected virtual JobStart Start => JobStart.Immediately;

    /// <summary>Whether a run that processed something is followed by another at once (draining a queue in batches).</summary>
    protected virtual bool RepeatWhileBusy => false;

    /// <summary>One run, in its own scope; returns how many items it processed (messages sent, jobs run, rows pruned).</summary>
    protected abstract Task<int> RunAsync(IServiceProvider scope, CancellationToken ct);

    /// <summary>
    /// Runs the job once, now: scope, metrics and failure handling as in the loop. Never throws but for cancellation;
    /// a failure is logged and returned.
    /// </summary>
    public async Task<JobRun> RunOnceAsync(CancellationToken ct)
    {
        var started = Time.GetTimestamp();
        try
        {
            int items;
            await using (var scope = Scopes.CreateAsyncScope())
            {
                items = await RunAsync(scope.ServiceProvider, ct);
            }
            _outages = 0;
            _lastFailed = false;
            _metrics.Ran(Name, items, Time.GetElapsedTime(started));
            return new JobRun(items, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var outage = DatabaseOutage.IsOutage(ex);
            _outages = outage ? _outages + 1 : 0;
            _lastFailed = true;
            _metrics.Failed(Name, outage, Time.GetElapsedTime(started));
            if (outage)
            {
                // The database may be restarting: expected, and the next try comes after a longer wait.
                Logger.LogWarning("Job {Job}: the database is unavailable ({Error}); next try in {Delay}", Name, ex.GetType().Name, NextWait());
            }
            else
            {
                Logger.LogError(ex, "Job {Job} failed; next try in {Delay}", Name, NextWait());
            }
            return new JobRun(0, ex);
        }
    }

    /// <summary>The wait before the next run: the interval, doubled with each consecutive database outage up to a cap.</summary>
    internal TimeSpan NextWait()
    {
        var interval = Interval;
        if (_outages == 0)
        {
            return interval;
        }
        var cap = interval > MaxOutageBackoff ? interval : MaxOutageBackoff;
        var backedOff = interval.Ticks * (1L << Math.Min(_outages, 16));
        return backedOff >= cap.Ticks || backedOff <= 0 ? cap : TimeSpan.FromTicks(backedOff);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled && Start == JobStart.BeforeServing)
        {
            await RunOnceAsync(cancellationToken);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            Logger.LogInformation("Job {Job} is switched off on this node", Name);
            return;
        }
        try
        {
            var wait = Start switch
            {
                JobStart.Immediately => false,
                JobStart.AfterInterval => true,
                // The host's start ran it; run again, after a wait, only if that failed.
                _ => true,
            };
            if (Start == JobStart.BeforeServing && !_lastFailed)
            {
                return;
            }
            while (!stoppingToken.IsCancellationRequested)
            {
                if (wait)
                {
                    await Task.Delay(NextWait(), Time, stoppingToken);
                }
                var run = await RunOnceAsync(stoppingToken);
                wait = !(RepeatWhileBusy && run.Succeeded && run.Items > 0);
                if (Start == JobStart.BeforeServing && run.Succeeded)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }
}
