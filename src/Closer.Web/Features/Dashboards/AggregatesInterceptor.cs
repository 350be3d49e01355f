using System.Data.Common;
using Closer.Web.Features.Coordination;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Dashboards;

/// <summary>
/// Makes the aggregates follow every write of reports by construction: a SaveChanges that adds, changes or deletes an
/// <see cref="ActivityReport"/> records its keys (old and new) in <see cref="CloserDbContext.ReportsWritten"/>, where the
/// bulk import records the reports it writes outside the change tracker; when the transaction commits, the aggregates
/// of everything recorded are recomputed inside it, just before the commit (raw commands on the transaction: the
/// context may be in the middle of its SaveChanges). A save of reports without a transaction of the caller gets one of
/// its own (EF Core would skip it for a single command), so there is always a commit to refresh in.
/// </summary>
public sealed class AggregatesInterceptor : CommitWorkInterceptor
{
    protected override bool Record(CloserDbContext db)
    {
        var any = false;
        foreach (var e in db.ChangeTracker.Entries<ActivityReport>())
        {
            if (e.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            any = true;
            db.ReportsWritten.Add(e.Entity.OrganisationId, e.Entity.CountryIso3, e.Entity.Month);
            if (e.State != EntityState.Added)
            {
                db.ReportsWritten.Add(e.OriginalValues.GetValue<int>(nameof(ActivityReport.OrganisationId)),
                    e.OriginalValues.GetValue<string>(nameof(ActivityReport.CountryIso3)), e.OriginalValues.GetValue<string>(nameof(ActivityReport.Month)));
            }
        }
        return any;
    }

    protected override void Forget(CloserDbContext db) => db.ReportsWritten.Clear();

    protected override void Committing(CloserDbContext db, DbTransaction transaction)
    {
        if (db.ReportsWritten.IsEmpty)
        {
            return;
        }
        foreach (var sql in ResponseAggregates.RefreshStatements(Keys(db)))
        {
            using var command = Command(db, transaction, sql);
            command.ExecuteNonQuery();
        }
    }

    protected override async Task CommittingAsync(CloserDbContext db, DbTransaction transaction, CancellationToken ct)
    {
        if (db.ReportsWritten.IsEmpty)
        {
            return;
        }
        foreach (var sql in ResponseAggregates.RefreshStatements(Keys(db)))
        {
            await using var command = Command(db, transaction, sql);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static HashSet<AggregateKey> Keys(CloserDbContext db) => ResponseAggregates.KeysOf(db.ReportsWritten.Take());

    private static DbCommand Command(CloserDbContext db, DbTransaction transaction, string sql)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (db.Database.GetCommandTimeout() is { } timeout)
        {
            command.CommandTimeout = timeout;
        }
        return command;
    }
}
