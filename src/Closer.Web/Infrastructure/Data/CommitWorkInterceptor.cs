using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Closer.Web.Infrastructure.Data;

/// <summary>
/// The plumbing of an interceptor that keeps derived rows (the dashboards' aggregates, the search index) in step with
/// writes by construction: each SaveChanges notes what it writes that the subclass follows (<see cref="Record"/>); a
/// save that noted something without a transaction of the caller is given one of its own (EF Core would skip it for a
/// single command), so there is always a commit; just before that commit the subclass does its work on the transaction
/// (raw commands: the context may be in the middle of its SaveChanges). A rollback, or a failed save outside a caller's
/// transaction, forgets what was noted (<see cref="Forget"/>).
/// </summary>
public abstract class CommitWorkInterceptor : SaveChangesInterceptor, IDbTransactionInterceptor
{
    // The caller's AutoTransactionBehavior while a save is forced into a transaction (the interceptor is shared by every context).
    private readonly ConditionalWeakTable<DbContext, Previous> _forced = new();

    private sealed class Previous(AutoTransactionBehavior value)
    {
        public AutoTransactionBehavior Value { get; } = value;
    }

    /// <summary>Notes what this save writes that the subclass follows (changes are detected); true when there is any.</summary>
    protected abstract bool Record(CloserDbContext db);

    /// <summary>Forgets what was noted: none of it was stored.</summary>
    protected abstract void Forget(CloserDbContext db);

    /// <summary>The work for what was noted, on the committing transaction (synchronous commits).</summary>
    protected abstract void Committing(CloserDbContext db, DbTransaction transaction);

    /// <summary>The work for what was noted, on the committing transaction.</summary>
    protected abstract Task CommittingAsync(CloserDbContext db, DbTransaction transaction, CancellationToken ct);

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Saving(DbContext? context)
    {
        if (context is not CloserDbContext db)
        {
            return;
        }
        // SaveChanges detects changes only after this hook; Record reads the entries without detecting them again.
        if (db.ChangeTracker.AfterDetectingOnce(() => Record(db)) && db.Database.CurrentTransaction is null && db.Database.AutoTransactionBehavior != AutoTransactionBehavior.Always)
        {
            _forced.AddOrUpdate(db, new Previous(db.Database.AutoTransactionBehavior));
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
        // Without a transaction of the caller, nothing of this save was stored; within one, a retry saves the same entries.
        if (context is CloserDbContext { Database.CurrentTransaction: null } db)
        {
            Forget(db);
        }
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (eventData.Context is CloserDbContext db)
        {
            Committing(db, transaction);
        }
        return result;
    }

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is CloserDbContext db)
        {
            await CommittingAsync(db, transaction, cancellationToken);
        }
        return result;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is CloserDbContext db)
        {
            Forget(db);
        }
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }
}

/// <summary>Change-tracker reads for the save hooks, which run before SaveChanges detects changes itself.</summary>
public static class ChangeTrackerReads
{
    /// <summary>
    /// Detects changes once (when detection is on) and runs <paramref name="read"/> with detection off: each
    /// <c>Entries()</c> call detects them again, and the data stamps and the commit-work interceptors called it five
    /// times per save between them.
    /// </summary>
    public static T AfterDetectingOnce<T>(this Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker tracker, Func<T> read)
    {
        var auto = tracker.AutoDetectChangesEnabled;
        if (auto)
        {
            tracker.DetectChanges();
            tracker.AutoDetectChangesEnabled = false;
        }
        try
        {
            return read();
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = auto;
        }
    }
}
