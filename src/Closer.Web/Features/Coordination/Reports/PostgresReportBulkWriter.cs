using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>PostgreSQL: binary COPY per table.</summary>
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

    protected override async Task InsertReportRowsAsync(IReadOnlyList<ActivityReport> reports, CancellationToken ct)
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
