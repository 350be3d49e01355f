using System.Diagnostics.Metrics;

namespace Closer.Web.Features.Coordination.Imports;

/// <summary>
/// Where an import's time goes, as <see cref="System.Diagnostics.Metrics"/> histograms on the meter
/// <see cref="MeterName"/> (any OpenTelemetry exporter or <c>dotnet-counters</c> reads them; the benchmark listens with a
/// <see cref="MeterListener"/>). One measurement per phase per import, tagged <c>phase</c> and <c>store</c>.
/// </summary>
public static class ImportMetrics
{
    public const string MeterName = "Closer.Imports";

    /// <summary>Read and check: the streamed parse and every row's rules, on the reading thread.</summary>
    public const string ReadCheck = "read-check";
    /// <summary>Existing reports looked up per chunk (one query per organisation for the months not yet seen).</summary>
    public const string Existing = "existing";
    /// <summary>New rows, revision snapshots and audit diffs built as JSON.</summary>
    public const string Prepare = "prepare";
    public const string WriteReports = "write-reports";
    public const string WriteRevisions = "write-revisions";
    public const string WriteAudit = "write-audit";
    /// <summary>The commit, which first refreshes the dashboards' aggregates of the reports written (inside the transaction).</summary>
    public const string CommitAggregates = "commit-aggregates";
    /// <summary>The reading side waiting for the writer to take a chunk (PostgreSQL, where the two overlap).</summary>
    public const string ReaderWaiting = "reader-waiting";
    /// <summary>The writer waiting for the reading side to hand over the next chunk.</summary>
    public const string WriterWaiting = "writer-waiting";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Seconds spent in one phase of one import.</summary>
    public static Histogram<double> PhaseDuration { get; } =
        Meter.CreateHistogram<double>("closer.imports.phase.duration", "s", "Seconds one import spent in one phase (tag phase).");

    /// <summary>Rows read by one import.</summary>
    public static Histogram<long> Rows { get; } = Meter.CreateHistogram<long>("closer.imports.rows", "{row}", "Rows read by one import.");
}

/// <summary>One import's phases, summed while it runs (from both threads, each phase from one) and recorded when it ends.</summary>
internal sealed class ImportPhases
{
    public TimeSpan ReadCheck { get; set; }
    public TimeSpan Existing { get; set; }
    public TimeSpan Prepare { get; set; }
    public TimeSpan WriteReports { get; set; }
    public TimeSpan WriteRevisions { get; set; }
    public TimeSpan WriteAudit { get; set; }
    public TimeSpan Commit { get; set; }
    public TimeSpan WriterWaiting { get; set; }
    public TimeSpan ReaderWaiting { get; set; }
    public int Rows { get; set; }

    public void Record(string store)
    {
        var storeTag = new KeyValuePair<string, object?>("store", store);
        void One(string phase, TimeSpan spent) =>
            ImportMetrics.PhaseDuration.Record(spent.TotalSeconds, new KeyValuePair<string, object?>("phase", phase), storeTag);
        One(ImportMetrics.ReadCheck, ReadCheck);
        One(ImportMetrics.Existing, Existing);
        One(ImportMetrics.Prepare, Prepare);
        One(ImportMetrics.WriteReports, WriteReports);
        One(ImportMetrics.WriteRevisions, WriteRevisions);
        One(ImportMetrics.WriteAudit, WriteAudit);
        One(ImportMetrics.CommitAggregates, Commit);
        One(ImportMetrics.ReaderWaiting, ReaderWaiting);
        One(ImportMetrics.WriterWaiting, WriterWaiting);
        ImportMetrics.Rows.Record(Rows, storeTag);
    }
}
