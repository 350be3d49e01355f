using System.Data.Common;
using Closer.Web.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

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

    /// <summary>Inserts reports whose <see cref="ActivityReport.Id"/> is already set.</summary>
    public abstract Task InsertReportsAsync(IReadOnlyList<ActivityReport> reports, CancellationToken ct);

    public abstract Task InsertRevisionsAsync(IReadOnlyList<ReportRevision> revisions, CancellationToken ct);

    public abstract Task InsertAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct);

    /// <summary>
    /// Writes the figures, status, version and time of changed reports, each only if it still has the version it was
    /// read with. Returns how many rows were written (fewer means another change came in between).
    /// </summary>
    public async Task<int> UpdateReportsAsync(IReadOnlyList<(ActivityReport Report, int ReadVersion)> updates, CancellationToken ct)
    {
        if (updates.Count == 0)
        {
            return 0;
        }
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
            p["partner"].Value = (object?)r.ImplementingPartner ?? DBNull.Value;
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

internal sealed class SqliteReportBulkWriter(CloserDbContext db) : ReportBulkWriter(db)
{
    private sqlite3 Handle => ((SqliteConnection)Db.Database.GetDbConnection()).Handle!;

    protected override object Time(DateTimeOffset value) => value.UtcTicks;

    protected override System.Data.DbType TimeType => System.Data.DbType.Int64;

    // The default page cache (2 MB) is far smaller than the indexes a big import touches: pages would spill to the
    // WAL in the middle of the transaction. A larger cache for this one write, then back to the default.
    public override Task BeginAsync(CancellationToken ct) => PragmaAsync("PRAGMA cache_size = -131072", ct);

    public override Task EndAsync() => PragmaAsync("PRAGMA cache_size = -2000", CancellationToken.None);

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

    public override Task InsertReportsAsync(IReadOnlyList<ActivityReport> reports, CancellationToken ct) =>
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

internal sealed class PostgresReportBulkWriter(CloserDbContext db) : ReportBulkWriter(db)
{
    private NpgsqlConnection Connection => (NpgsqlConnection)Db.Database.GetDbConnection();

    protected override object Time(DateTimeOffset value) => value;

    protected override System.Data.DbType TimeType => System.Data.DbType.DateTimeOffset;

    public override async Task<int[]> ReserveReportIdsAsync(int count, CancellationToken ct)
    {
        await using var cmd = Connection.CreateCommand();
        cmd.CommandText = """SELECT nextval(pg_get_serial_sequence('"ActivityReports"', 'Id'))::integer FROM generate_series(1, @n)""";
        cmd.Parameters.AddWithValue("n", count);
        var ids = new int[count];
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var i = 0;
        while (await reader.ReadAsync(ct))
        {
            ids[i++] = reader.GetInt32(0);
        }
        return ids;
    }

    public override async Task InsertReportsAsync(IReadOnlyList<ActivityReport> reports, CancellationToken ct)
    {
        if (reports.Count == 0)
        {
            return;
        }
        await using var copy = await Connection.BeginBinaryImportAsync("""
            COPY "ActivityReports" ("Id", "OrganisationId", "CountryIso3", "Admin1PCode", "IndicatorCode", "Month", "PopulationGroup",
              "ImplementingPartner", "Girls", "Boys", "Women", "Men", "Other", "Total", "ReachedToDate", "IsCash", "CashUsd", "Status",
              "ReturnReason", "Version", "CreatedAt", "UpdatedAt", "DeletedAt", "IsDemo") FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var r in reports)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(r.Id, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(r.OrganisationId, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(r.CountryIso3, NpgsqlDbType.Char, ct);
            await copy.WriteAsync(r.Admin1PCode, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(r.IndicatorCode, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(r.Month, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(r.PopulationGroup, NpgsqlDbType.Varchar, ct);
            await WriteAsync(copy, r.ImplementingPartner, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(r.Girls, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(r.Boys, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(r.Women, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(r.Men, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(r.Other, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(r.Total, NpgsqlDbType.Bigint, ct);
            await WriteAsync(copy, r.ReachedToDate, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(r.IsCash, NpgsqlDbType.Boolean, ct);
            await WriteAsync(copy, r.CashUsd, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(r.Status.ToString(), NpgsqlDbType.Varchar, ct);
            await copy.WriteNullAsync(ct);
            await copy.WriteAsync(r.Version, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(r.UpdatedAt, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteNullAsync(ct);
            await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);
        }
        await copy.CompleteAsync(ct);
    }

    public override async Task InsertRevisionsAsync(IReadOnlyList<ReportRevision> revisions, CancellationToken ct)
    {
        if (revisions.Count == 0)
        {
            return;
        }
        await using var copy = await Connection.BeginBinaryImportAsync(
            """COPY "ReportRevisions" ("ReportId", "Version", "Snapshot", "ChangedAt", "ChangedBy") FROM STDIN (FORMAT BINARY)""", ct);
        foreach (var r in revisions)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(r.ReportId, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(r.Version, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(r.Snapshot, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(r.ChangedAt, NpgsqlDbType.TimestampTz, ct);
            await WriteAsync(copy, r.ChangedBy, NpgsqlDbType.Varchar, ct);
        }
        await copy.CompleteAsync(ct);
    }

    public override async Task InsertAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return;
        }
        await using var copy = await Connection.BeginBinaryImportAsync("""
            COPY "AuditEntries" ("At", "UserId", "UserEmail", "Action", "EntityType", "EntityKey", "CountryIso3", "OrganisationId", "Changes")
            FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var a in entries)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(a.At, NpgsqlDbType.TimestampTz, ct);
            await WriteAsync(copy, a.UserId, NpgsqlDbType.Varchar, ct);
            await WriteAsync(copy, a.UserEmail, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(a.Action, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(a.EntityType, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(a.EntityKey, NpgsqlDbType.Varchar, ct);
            await WriteAsync(copy, a.CountryIso3, NpgsqlDbType.Varchar, ct);
            if (a.OrganisationId is { } org)
            {
                await copy.WriteAsync(org, NpgsqlDbType.Integer, ct);
            }
            else
            {
                await copy.WriteNullAsync(ct);
            }
            await WriteAsync(copy, a.Changes, NpgsqlDbType.Text, ct);
        }
        await copy.CompleteAsync(ct);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, type, ct);

    private static Task WriteAsync(NpgsqlBinaryImporter copy, long? value, NpgsqlDbType type, CancellationToken ct) =>
        value is { } v ? copy.WriteAsync(v, type, ct) : copy.WriteNullAsync(ct);
}
