namespace Closer.Web.Features.Coordination.Imports;

/// <summary>How long each phase of an import took (the benchmark prints them).</summary>
public sealed class ImportTimings
{
    public TimeSpan ReadAndValidate { get; set; }
    public TimeSpan Existing { get; set; }
    public TimeSpan Prepare { get; set; }
    /// <summary>The sum of the write's parts.</summary>
    public TimeSpan Write => WriteReports + WriteRevisions + WriteAudit;
    /// <summary>The parts of <see cref="Write"/>: reports inserted and updated, revisions, audit entries.</summary>
    public TimeSpan WriteReports { get; set; }
    public TimeSpan WriteRevisions { get; set; }
    public TimeSpan WriteAudit { get; set; }
    /// <summary>The commit, which first refreshes the dashboards' aggregates of the reports written (inside the transaction).</summary>
    public TimeSpan Commit { get; set; }
    /// <summary>How long the writer waited for the reading side to hand over the next chunk.</summary>
    public TimeSpan WriterWaiting { get; set; }
    /// <summary>How long the reading side waited for the writer to take a chunk (PostgreSQL, where the two overlap).</summary>
    public TimeSpan ReaderWaiting { get; set; }
    public int Rows { get; set; }
}
