using System.Diagnostics.Metrics;

namespace Closer.Web.Features.Search;

/// <summary>
/// Where a search's time goes, as a <see cref="System.Diagnostics.Metrics"/> histogram on the meter <see cref="MeterName"/>
/// (any OpenTelemetry exporter or <c>dotnet-counters</c> reads it; the search benchmark listens with a
/// <see cref="MeterListener"/>): one measurement per phase per query, tagged <c>phase</c>.
/// </summary>
public static class SearchMetrics
{
    public const string MeterName = "Closer.Search";

    /// <summary>The ranking query in the database: match, candidates, score, order.</summary>
    public const string Rank = "rank";
    /// <summary>The texts of the results shown, read from the index.</summary>
    public const string Texts = "texts";
    /// <summary>The passages of the results shown, found in their texts.</summary>
    public const string Passages = "passages";
    /// <summary>"Did you mean", for a query without results.</summary>
    public const string Suggest = "suggest";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Milliseconds one query spent in one phase.</summary>
    public static Histogram<double> PhaseDuration { get; } =
        Meter.CreateHistogram<double>("closer.search.phase.duration", "ms", "Milliseconds one search spent in one phase (tag phase).");

    internal static void Record(string phase, long startedAt) =>
        PhaseDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds, new KeyValuePair<string, object?>("phase", phase));
}
