namespace Closer.Web.Infrastructure.Data;

/// <summary>
/// The reports (organisation, country, month) a writer wrote through this context without the change tracker (the
/// bulk import's prepared statements and binary COPY), not yet committed. It is the seam between report writers and
/// what derives from reports: the dashboards' aggregates interceptor adds the tracked report changes of every
/// SaveChanges here too, and refreshes the aggregates of all of them when the transaction commits, inside it. A
/// writer records what it wrote; it never calls the dashboards.
/// </summary>
public sealed class ReportsWritten
{
    private readonly HashSet<(int OrganisationId, string CountryIso3, string Month)> _reports = [];

    public bool IsEmpty => _reports.Count == 0;

    public void Add(int organisationId, string countryIso3, string month) => _reports.Add((organisationId, countryIso3, month));

    /// <summary>What was recorded, forgotten here (the caller refreshes it).</summary>
    public List<(int OrganisationId, string CountryIso3, string Month)> Take()
    {
        var taken = _reports.ToList();
        _reports.Clear();
        return taken;
    }

    /// <summary>Forgets what was recorded (its transaction rolled back).</summary>
    public void Clear() => _reports.Clear();
}

public abstract partial class CloserDbContext
{
    /// <summary>Reports written in the open transaction outside the change tracker (see <see cref="Data.ReportsWritten"/>).</summary>
    public ReportsWritten ReportsWritten { get; } = new();
}
