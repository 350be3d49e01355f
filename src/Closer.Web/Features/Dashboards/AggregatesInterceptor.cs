using System.Data.Common;
using Closer.Web.Features.Coordination;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Closer.Web.Features.Dashboards;

/// <summary>
/// Makes the aggregates follow every write of reports by construction: a SaveChanges that adds, changes or deletes an
/// <see cref="ActivityReport"/> records its keys (old and new) in <see cref="CloserDbContext.ReportsWritten"/>, where the
/// bulk import records the reports it writes outside the change tracker; when the transaction commits, the aggregates
/// of everything recorded are recomputed inside it, just before the commit (raw commands on the transaction: the
/// context may be in the middle of its SaveChanges). A save of reports without a transaction of the caller gets one of
/// its own (EF Core would skip it for a single command), so there is always a commit to refresh in.
/// </summary>
public sealed class AggregatesInterceptor : SaveChangesInterceptor, IDbTransactionInterceptor
{
    // The caller's AutoTransactionBehavior while a save is forced into a transaction (the interceptor is shared by every context).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, StrongBox> _forced = new();

    private sealed class StrongBox(AutoTransactionBehavior value)
    {
        public AutoTransactionBehavior Value { get; } = value;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Record(DbContext? context)
    {
        if (context is not CloserDbContext db)
        {
            return;
        }
        if (db.ChangeTracker.AutoDetectChangesEnabled)
        {
            // SaveChanges detects changes only after this hook.
            db.ChangeTracker.DetectChanges();
        }
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
        if (any && db.Database.CurrentTransaction is null && db.Database.AutoTransactionBehavior != AutoTransactionBehavior.Always)
        {
            _forced.AddOrUpdate(db, new StrongBox(db.Database.AutoTransactionBehavior));
            db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
        }
    }

    private void Restore(DbContext? context)
    {
        if (context is not null && _forced.TryGetValue(context, out var previous))
        {
            _forced.Remove(context);
            context.Database.AutoTransactionBehavior = previous.Value;
        }
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Restore(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Restore(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Failed(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Failed(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(eventData.Context);
        return Task.CompletedTask;
    }

    private void Failed(DbContext? context)
    {
        Restore(context);
        // Without a transaction of the caller, nothing of this save was stored.
        if (context is CloserDbContext { Database.CurrentTransaction: null } db)
        {
            db.ReportsWritten.Clear();
        }
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (eventData.Context is CloserDbContext { ReportsWritten.IsEmpty: false } db)
        {
            foreach (var sql in ResponseAggregates.RefreshStatements(Keys(db)))
            {
                using var command = Command(db, transaction, sql);
                command.ExecuteNonQuery();
            }
        }
        return result;
    }

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is CloserDbContext { ReportsWritten.IsEmpty: false } db)
        {
            foreach (var sql in ResponseAggregates.RefreshStatements(Keys(db)))
            {
                await using var command = Command(db, transaction, sql);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        return result;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => (eventData.Context as CloserDbContext)?.ReportsWritten.Clear();

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        (eventData.Context as CloserDbContext)?.ReportsWritten.Clear();
        return Task.CompletedTask;
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
