using System.Data.Common;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>
/// Writes many reports, revisions and audit entries at once, inside the caller's open EF transaction, without the change
/// tracker: one prepared statement stepped per row on SQLite (bound by index through SQLitePCL, in-process), binary COPY
/// on PostgreSQL. Column names are EF's defaults (the property names) on both providers.
/// </summary>
internal abstract class ReportBulkWriter(CloserDbContext db)
{
    protected CloserDbContext Db { get; } = db;

    public static ReportBulkWriter For(CloserDbContext db) =>
        db.Database.IsNpgsql() ? new PostgresReportBulkWriter(db) : new SqliteReportBulkWriter(db);

    /// <summary>Readies the connection for a large write (and <see cref="EndAsync"/> puts it back as it was).</summary>
    public virtual Task BeginAsync(CancellationToken ct) => Task.CompletedTask;

    public virtual Task EndAsync() => Task.CompletedTask;

    /// <summary>Reserves <paramref name="count"/> report ids (so revisions can point at them without reading them back).</summary>
    public abstract Task<int[]> ReserveReportIdsAsync(int count, CancellationToken ct);

    /// <summary>
    /// Inserts reports whose <see cref="ActivityReport.Id"/> is already set, and records them in
    /// <see cref="CloserDbContext.ReportsWritten"/> (what derives from reports follows at the commit).
    /// </summary>
    public Task InsertReportsAsync(IReadOnlyList<ActivityReport> reports, CancellationToken ct)
    {
        Record(reports);
        return InsertReportRowsAsync(reports, ct);
    }

    protected abstract Task InsertReportRowsAsync(IReadOnlyList<ActivityReport> reports, CancellationToken ct);

    private void Record(IEnumerable<ActivityReport> reports)
    {
        foreach (var r in reports)
        {
            Db.ReportsWritten.Add(r.OrganisationId, r.CountryIso3, r.Month);
        }
    }

    public abstract Task InsertRevisionsAsync(IReadOnlyList<ReportRevision> revisions, CancellationToken ct);

    public abstract Task InsertAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct);

    /// <summary>
    /// Writes the figures, status, version and time of changed reports, each only if it still has the version it was
    /// read with, and records them like <see cref="InsertReportsAsync"/>. Returns how many rows were written (fewer
    /// means another change came in between).
    /// </summary>
    public async Task<int> UpdateReportsAsync(IReadOnlyList<(ActivityReport Report, int ReadVersion)> updates, CancellationToken ct)
    {
        if (updates.Count == 0)
        {
            return 0;
        }
        Record(updates.Select(u => u.Report));
        var conn = Db.Database.GetDbConnection();
        var tx = Db.Database.CurrentTransaction!.GetDbTransaction();
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            UPDATE "ActivityReports" SET "ImplementingPartner" = @partner, "Girls" = @girls, "Boys" = @boys, "Women" = @women, "Men" = @men,
              "Other" = @other, "Total" = @total, "ReachedToDate" = @todate, "IsCash" = @cash, "CashUsd" = @cashusd, "Status" = @status,
              "DeletedAt" = NULL, "UpdatedAt" = @at, "Version" = @version
            WHERE "Id" = @id AND "Version" = @readversion
            """;
        var p = new Dictionary<string, DbParameter>(StringComparer.Ordinal);
        foreach (var (name, type) in new[]
        {
            ("partner", System.Data.DbType.String), ("girls", System.Data.DbType.Int64), ("boys", System.Data.DbType.Int64), ("women", System.Data.DbType.Int64),
            ("men", System.Data.DbType.Int64), ("other", System.Data.DbType.Int64), ("total", System.Data.DbType.Int64), ("todate", System.Data.DbType.Int64),
            ("cash", System.Data.DbType.Boolean), ("cashusd", System.Data.DbType.Int64), ("status", System.Data.DbType.String), ("at", TimeType),
            ("version", System.Data.DbType.Int32), ("id", System.Data.DbType.Int32), ("readversion", System.Data.DbType.Int32),
        })
        {
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.DbType = type;
            cmd.Parameters.Add(parameter);
            p[name] = parameter;
        }
        var written = 0;
        foreach (var (r, readVersion) in updates)
        {
            p["partner"].Value = r.ImplementingPartner;
            p["girls"].Value = r.Girls;
            p["boys"].Value = r.Boys;
            p["women"].Value = r.Women;
            p["men"].Value = r.Men;
            p["other"].Value = r.Other;
            p["total"].Value = r.Total;
            p["todate"].Value = (object?)r.ReachedToDate ?? DBNull.Value;
            p["cash"].Value = r.IsCash;
            p["cashusd"].Value = (object?)r.CashUsd ?? DBNull.Value;
            p["status"].Value = r.Status.ToString();
            p["at"].Value = Time(r.UpdatedAt);
            p["version"].Value = r.Version;
            p["id"].Value = r.Id;
            p["readversion"].Value = readVersion;
            written += await cmd.ExecuteNonQueryAsync(ct);
        }
        return written;
    }

    /// <summary>A time as this provider stores it (UTC ticks on SQLite).</summary>
    protected abstract object Time(DateTimeOffset value);

    protected abstract System.Data.DbType TimeType { get; }
}
