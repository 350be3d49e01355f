using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Closer.Tests.Infrastructure.Jobs;

/// <summary>One measurement as an instrument published it.</summary>
public sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public bool Has(string tag, string value) => Tags.TryGetValue(tag, out var v) && Equals(v, value);
}

/// <summary>
/// Listens (with a <see cref="MeterListener"/>) to one meter of one app: only instruments created by that app's
/// <see cref="IMeterFactory"/>, so suites running side by side in this process do not mix their measurements.
/// </summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measured> _measured = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public MetricRecorder(IServiceProvider services, string meterName)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Add(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(i, value, tags));
        _listener.Start();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in tags)
        {
            copy[k] = v;
        }
        _measured.Enqueue(new Measured(instrument.Name, value, copy));
        _arrived.Release();
    }

    public IReadOnlyList<Measured> Of(string instrument, string? job = null) =>
        _measured.Where(m => m.Instrument == instrument && (job is null || m.Has("job", job))).ToList();

    public double Sum(string instrument, string? job = null) => Of(instrument, job).Sum(m => m.Value);

    /// <summary>Waits (up to 15 s) until what was measured satisfies <paramref name="done"/>.</summary>
    public async Task WaitForAsync(Func<MetricRecorder, bool> done)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!done(this))
        {
            try
            {
                await _arrived.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("The expected measurements did not arrive.");
            }
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _arrived.Dispose();
    }
}
