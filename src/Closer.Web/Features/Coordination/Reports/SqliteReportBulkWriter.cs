using Closer.Web.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>SQLite: one prepared statement per table, stepped per row and bound by index (SQLitePCL, in-process).</summary>
internal sealed class SqliteReportBulkWriter(CloserDbContext db) : ReportBulkWriter(db)
{
    private sqlite3 Handle => ((SqliteConnection)Db.Database.GetDbConnection()).Handle!;

    protected override object Time(DateTimeOffset value) => value.UtcTicks;

    protected override System.Data.DbType TimeType => System.Data.DbType.Int64;

    // The default page cache (2 MB) is far smaller than the indexes a big import touches: pages would spill to the
    // WAL in the middle of the transaction. A larger cache for this one write, then back to the app's (SqliteWriteGate).
    public override Task BeginAsync(CancellationToken ct) => PragmaAsync("PRAGMA cache_size = -131072", ct);

    public override Task EndAsync() => PragmaAsync(SqliteWriteGate.PageCachePragma, CancellationToken.None);

    private async Task PragmaAsync(string sql, CancellationToken ct)
    {
        var conn = Db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open)
        {
            return;
        }
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = Db.Database.CurrentTransaction?.GetDbTransaction();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public override async Task<int[]> ReserveReportIdsAsync(int count, CancellationToken ct)
    {
        // Inside the write transaction: nobody else can insert until we commit. AUTOINCREMENT keeps its own high mark.
        var conn = Db.Database.GetDbConnection();
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = Db.Database.CurrentTransaction!.GetDbTransaction();
        cmd.CommandText = """
            SELECT max(coalesce((SELECT max("Id") FROM "ActivityReports"), 0),
                       coalesce((SELECT "seq" FROM "sqlite_sequence" WHERE "name" = 'ActivityReports'), 0))
            """;
        var last = Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        return Enumerable.Range(last + 1, count).ToArray();
    }

    protected override Task InsertReportRowsAsync(IReadOnlyList<ActivityReport> reports, CancellationToken ct) =>
        StepAllAsync("""
            INSERT INTO "ActivityReports" ("Id", "OrganisationId", "CountryIso3", "Admin1PCode", "IndicatorCode", "Month", "PopulationGroup",
              "ImplementingPartner", "Girls", "Boys", "Women", "Men", "Other", "Total", "ReachedToDate", "IsCash", "CashUsd", "Status",
              "ReturnReason", "Version", "CreatedAt", "UpdatedAt", "DeletedAt", "IsDemo")
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, NULL, ?19, ?20, ?21, NULL, 0)
            """, reports, (s, r) =>
        {
            Int(s, 1, r.Id);
            Int(s, 2, r.OrganisationId);
            Text(s, 3, r.CountryIso3);
            Text(s, 4, r.Admin1PCode);
            Text(s, 5, r.IndicatorCode);
            Text(s, 6, r.Month);
            Text(s, 7, r.PopulationGroup);
            Text(s, 8, r.ImplementingPartner);
            Int(s, 9, r.Girls);
            Int(s, 10, r.Boys);
            Int(s, 11, r.Women);
            Int(s, 12, r.Men);
            Int(s, 13, r.Other);
            Int(s, 14, r.Total);
            Int(s, 15, r.ReachedToDate);
            Int(s, 16, r.IsCash ? 1 : 0);
            Int(s, 17, r.CashUsd);
            Text(s, 18, r.Status.ToString());
            Int(s, 19, r.Version);
            Int(s, 20, r.CreatedAt.UtcTicks);
            Int(s, 21, r.UpdatedAt.UtcTicks);
        }, ct);

    public override Task InsertRevisionsAsync(IReadOnlyList<ReportRevision> revisions, CancellationToken ct) =>
        StepAllAsync("""
            INSERT INTO "ReportRevisions" ("ReportId", "Version", "Snapshot", "ChangedAt", "ChangedBy") VALUES (?1, ?2, ?3, ?4, ?5)
            """, revisions, (s, r) =>
        {
            Int(s, 1, r.ReportId);
            Int(s, 2, r.Version);
            Text(s, 3, r.Snapshot);
            Int(s, 4, r.ChangedAt.UtcTicks);
            Text(s, 5, r.ChangedBy);
        }, ct);

    public override Task InsertAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct) =>
        StepAllAsync("""
            INSERT INTO "AuditEntries" ("At", "UserId", "UserEmail", "Action", "EntityType", "EntityKey", "CountryIso3", "OrganisationId", "Changes")
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """, entries, (s, a) =>
        {
            Int(s, 1, a.At.UtcTicks);
            Text(s, 2, a.UserId);
            Text(s, 3, a.UserEmail);
            Text(s, 4, a.Action);
            Text(s, 5, a.EntityType);
            Text(s, 6, a.EntityKey);
            Text(s, 7, a.CountryIso3);
            Int(s, 8, a.OrganisationId);
            Text(s, 9, a.Changes);
        }, ct);

    private Task StepAllAsync<T>(string sql, IReadOnlyList<T> rows, Action<sqlite3_stmt, T> bind, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }
        var db = Handle;
        Check(raw.sqlite3_prepare_v2(db, sql, out var stmt), db);
        using (stmt)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                if ((i & 4095) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }
                bind(stmt, rows[i]);
                var rc = raw.sqlite3_step(stmt);
                if (rc != raw.SQLITE_DONE)
                {
                    Check(rc, db);
                }
                raw.sqlite3_reset(stmt);
            }
        }
        return Task.CompletedTask;
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc is not raw.SQLITE_OK and not raw.SQLITE_DONE)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
        }
    }

    private static void Int(sqlite3_stmt s, int index, long value) => raw.sqlite3_bind_int64(s, index, value);

    private static void Int(sqlite3_stmt s, int index, long? value)
    {
        if (value is { } v)
        {
            raw.sqlite3_bind_int64(s, index, v);
        }
        else
        {
            raw.sqlite3_bind_null(s, index);
        }
    }

    private static void Text(sqlite3_stmt s, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(s, index);
        }
        else
        {
            raw.sqlite3_bind_text(s, index, value);
        }
    }
}
