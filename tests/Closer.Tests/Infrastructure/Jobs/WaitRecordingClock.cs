using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Closer.Tests.Infrastructure.Jobs;

/// <summary>
/// A fake clock that tells the test each wait a job starts: the test reads the wait, checks it, and advances the clock
/// by it, so no test sleeps and none races the job to its timer.
/// </summary>
public sealed class WaitRecordingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _waits = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _waits.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The next wait a job started (up to 15 s of real time for it to get there).</summary>
    public async Task<TimeSpan> NextWaitAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await _waits.Reader.ReadAsync(limit.Token);
    }

    /// <summary>Reads the next wait, checks it is <paramref name="expected"/>, and lets it pass.</summary>
    public async Task PassWaitAsync(TimeSpan expected)
    {
        Assert.Equal(expected, await NextWaitAsync());
        Advance(expected);
    }
}
