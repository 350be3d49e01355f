using Closer.Web.Infrastructure.Jobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Closer.Tests.Infrastructure.Jobs;

/// <summary>The loop every background job shares, driven by a fake clock: runs, failures, outages, switches, metrics.</summary>
public sealed class HostedJobTests : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly ServiceProvider _services = new ServiceCollection().AddJobs().BuildServiceProvider();
    private readonly WaitRecordingClock _clock = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
    private readonly MetricRecorder _metrics;

    public HostedJobTests() => _metrics = new MetricRecorder(_services, JobMetrics.MeterName);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A job whose n-th run (from 1) does what <c>run</c> says: returns items, or throws.</summary>
    private sealed class TestJob(IServiceProvider services, TimeProvider time, Func<int, int> run, JobStart start = JobStart.Immediately,
        bool enabled = true, bool repeatWhileBusy = false) : HostedJob(services, time, NullLogger.Instance)
    {
        private int _runs;
        public int Runs => _runs;
        public override string Name => "test";
        protected override bool Enabled => enabled;
        protected override TimeSpan Interval => HostedJobTests.Interval;
        protected override JobStart Start => start;
        protected override bool RepeatWhileBusy => repeatWhileBusy;

        protected override Task<int> RunAsync(IServiceProvider scope, CancellationToken ct)
        {
            return Task.FromResult(run(Interlocked.Increment(ref _runs)));
        }
    }

    private static SqliteException Busy() => new("database is locked", 5);

    [Fact]
    public async Task EveryRun_IsReportedAsARunItsItemsAndItsDuration()
    {
        using var job = new TestJob(_services, _clock, n => n == 1 ? 3 : 4);
        await job.StartAsync(Ct);
        await _clock.PassWaitAsync(Interval);
        Assert.Equal(Interval, await _clock.NextWaitAsync());
        await job.StopAsync(Ct);

        Assert.Equal(2, job.Runs);
        Assert.Equal(2, _metrics.Of("closer.job.runs", "test").Count(m => m.Has("outcome", "ok") && m.Value == 1));
        Assert.Equal(7, _metrics.Sum("closer.job.items", "test"));
        Assert.Equal(2, _metrics.Of("closer.job.duration", "test").Count);
        Assert.Empty(_metrics.Of("closer.job.failures"));
    }

    [Fact]
    public async Task AFailingRun_IsCountedAndTheJobGoesOnAtItsInterval()
    {
        using var job = new TestJob(_services, _clock, n => n == 1 ? throw new InvalidOperationException("a bug") : 1);
        await job.StartAsync(Ct);
        await _clock.PassWaitAsync(Interval); // an error is not an outage: no back-off
        Assert.Equal(Interval, await _clock.NextWaitAsync());
        await job.StopAsync(Ct);

        Assert.Equal(2, job.Runs);
        Assert.False(job.ExecuteTask!.IsFaulted);
        Assert.Single(_metrics.Of("closer.job.failures", "test"), m => m.Has("kind", "error"));
        Assert.Single(_metrics.Of("closer.job.runs", "test"), m => m.Has("outcome", "failed"));
        Assert.Single(_metrics.Of("closer.job.runs", "test"), m => m.Has("outcome", "ok"));
    }

    [Fact]
    public async Task WhileTheDatabaseIsAway_TheWaitDoublesUpToAMinute_AndIsTheIntervalAgainOnceItAnswers()
    {
        using var job = new TestJob(_services, _clock, n => n <= 4 ? throw Busy() : 0);
        await job.StartAsync(Ct);
        await _clock.PassWaitAsync(TimeSpan.FromSeconds(20));
        await _clock.PassWaitAsync(TimeSpan.FromSeconds(40));
        await _clock.PassWaitAsync(HostedJob.MaxOutageBackoff);
        await _clock.PassWaitAsync(HostedJob.MaxOutageBackoff);
        Assert.Equal(Interval, await _clock.NextWaitAsync());
        await job.StopAsync(Ct);

        Assert.Equal(5, job.Runs);
        Assert.Equal(4, _metrics.Of("closer.job.failures", "test").Count(m => m.Has("kind", "outage")));
    }

    [Fact]
    public async Task ARunThatProcessedSomething_IsFollowedAtOnceWhenTheJobDrainsAQueue()
    {
        using var job = new TestJob(_services, _clock, n => n switch { 1 => 5, 2 => 2, _ => 0 }, repeatWhileBusy: true);
        await job.StartAsync(Ct);
        Assert.Equal(Interval, await _clock.NextWaitAsync()); // the first wait comes after the run that found nothing
        Assert.Equal(3, job.Runs);
        await job.StopAsync(Ct);
        Assert.Equal(7, _metrics.Sum("closer.job.items", "test"));
    }

    [Fact]
    public async Task AJobSwitchedOff_NeverRuns()
    {
        using var job = new TestJob(_services, _clock, _ => 1, enabled: false);
        await job.StartAsync(Ct);
        await job.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        Assert.Equal(0, job.Runs);
        Assert.Empty(_metrics.Of("closer.job.runs"));
    }

    [Fact]
    public async Task AJobThatWaitsAnInterval_DoesNotRunAtStart()
    {
        using var job = new TestJob(_services, _clock, _ => 1, start: JobStart.AfterInterval);
        await job.StartAsync(Ct);
        Assert.Equal(Interval, await _clock.NextWaitAsync());
        Assert.Equal(0, job.Runs);
        await job.StopAsync(Ct);
    }

    [Fact]
    public async Task AJobBeforeServing_RunsInsideTheHostsStart_AndOnlyAgainIfThatFailed()
    {
        using var once = new TestJob(_services, _clock, _ => 1, start: JobStart.BeforeServing);
        await once.StartAsync(Ct);
        Assert.Equal(1, once.Runs);
        await once.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        Assert.Equal(1, once.Runs);

        using var retried = new TestJob(_services, _clock, n => n == 1 ? throw Busy() : 1, start: JobStart.BeforeServing);
        await retried.StartAsync(Ct); // the failure does not stop the host
        Assert.Equal(1, retried.Runs);
        await _clock.PassWaitAsync(TimeSpan.FromSeconds(20));
        await retried.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        Assert.Equal(2, retried.Runs);
    }

    public async ValueTask DisposeAsync()
    {
        _metrics.Dispose();
        await _services.DisposeAsync();
    }
}
