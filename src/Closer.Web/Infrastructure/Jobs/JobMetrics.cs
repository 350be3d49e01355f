using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Closer.Web.Infrastructure.Jobs;

/// <summary>
/// The instruments every <see cref="HostedJob"/> reports to, on the "Closer.Jobs" meter, each tagged with the job's name:
/// runs (by outcome), items processed, failures (by kind: a database outage or an error) and the duration of a run.
/// Read them with <c>dotnet-counters monitor -n Closer.Web --counters Closer.Jobs</c> or a <see cref="MeterListener"/>.
/// </summary>
public sealed class JobMetrics
{
    public const string MeterName = "Closer.Jobs";

    private readonly Counter<long> _runs;
    private readonly Counter<long> _items;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _duration;

    public JobMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _runs = meter.CreateCounter<long>("closer.job.runs", "{run}", "Runs of a background job, by outcome (ok or failed).");
        _items = meter.CreateCounter<long>("closer.job.items", "{item}", "Items a background job processed (messages sent, jobs run, rows pruned...).");
        _failures = meter.CreateCounter<long>("closer.job.failures", "{failure}", "Failed runs of a background job, by kind (outage or error).");
        _duration = meter.CreateHistogram<double>("closer.job.duration", "s", "How long one run of a background job took.");
    }

    internal void Ran(string job, int items, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("job", job);
        _runs.Add(1, tag, new("outcome", "ok"));
        _items.Add(items, tag);
        _duration.Record(duration.TotalSeconds, tag, new("outcome", "ok"));
    }

    internal void Failed(string job, bool outage, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("job", job);
        _runs.Add(1, tag, new("outcome", "failed"));
        _failures.Add(1, tag, new("kind", outage ? "outage" : "error"));
        _duration.Record(duration.TotalSeconds, tag, new("outcome", "failed"));
    }
}

public static class JobsSetup
{
    /// <summary>The shared job instruments (idempotent: a feature with jobs may call it too); jobs are registered with <c>AddHostedService</c>.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<JobMetrics>();
        return services;
    }
}
