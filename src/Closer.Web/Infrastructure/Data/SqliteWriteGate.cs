using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Closer.Web.Infrastructure.Data;

/// <summary>
/// One writer at a time per SQLite file, waited for asynchronously. SQLite has a single write lock, and Microsoft.Data.Sqlite
/// waits for it by sleeping the calling thread and retrying (<c>BEGIN IMMEDIATE</c> in <c>BeginTransaction</c>, or the first
/// write of an implicit transaction); under concurrent writes those sleeping threads made the thread pool grow without bound
/// (60+ threads on 2 cores after a minute of mixed load, each with its stack and allocation buffers) and the busy retries
/// stretched p99. Here a writer awaits a <see cref="SemaphoreSlim"/> before EF Core begins a transaction or saves changes,
/// and releases it when that transaction or save ends (or, as a safety net, when its connection closes).
/// <para>
/// The gate only orders writers inside this process; SQLite's own locking still guarantees correctness (other processes,
/// raw SQL outside a transaction). A wait longer than <see cref="FallbackAfter"/> (a writer that never released, or a
/// nested write on a second context while the first holds the gate) goes on without the gate, as before it existed.
/// </para>
/// </summary>
public sealed class SqliteWriteGate(ILogger<SqliteWriteGate> logger) : IDbTransactionInterceptor, ISaveChangesInterceptor, IDbConnectionInterceptor
{
    public static readonly TimeSpan FallbackAfter = TimeSpan.FromSeconds(30);

    private enum Owner
    {
        None,
        Transaction,
        Save,
    }

    private sealed class Holder
    {
        public Owner Owner;
        public SemaphoreSlim? Gate;
    }

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<DbConnection, Holder> _holders = new();

    /// <summary>Whether a writer of this process holds the gate of the database file (for tests and diagnostics).</summary>
    public bool IsHeld(string dataSource) => _gates.TryGetValue(dataSource, out var gate) && gate.CurrentCount == 0;

    private SemaphoreSlim? GateOf(DbConnection? connection) =>
        connection is SqliteConnection sqlite && sqlite.DataSource is { Length: > 0 } file && !string.Equals(file, ":memory:", StringComparison.Ordinal)
            ? _gates.GetOrAdd(file, _ => new SemaphoreSlim(1, 1))
            : null;

    /// <summary>The gate a writer on <paramref name="connection"/> must wait for, or null (not a file, or held by this connection already).</summary>
    private (SemaphoreSlim Gate, Holder Holder)? ToWaitFor(DbConnection? connection)
    {
        if (GateOf(connection) is not { } gate)
        {
            return null;
        }
        var holder = _holders.GetValue(connection!, _ => new Holder());
        // Held by this connection already: a save inside an explicit transaction.
        return holder.Owner == Owner.None ? (gate, holder) : null;
    }

    private void Entered(bool entered, (SemaphoreSlim Gate, Holder Holder) wait, Owner owner, DbConnection connection)
    {
        if (entered)
        {
            (wait.Holder.Owner, wait.Holder.Gate) = (owner, wait.Gate);
        }
        else
        {
            logger.LogWarning("A SQLite writer waited {Seconds} s for the write gate of {File}; going on without it", FallbackAfter.TotalSeconds,
                ((SqliteConnection)connection).DataSource);
        }
    }

    private async ValueTask EnterAsync(DbConnection? connection, Owner owner, CancellationToken ct)
    {
        if (ToWaitFor(connection) is { } wait)
        {
            Entered(await wait.Gate.WaitAsync(FallbackAfter, ct), wait, owner, connection!);
        }
    }

    private void Enter(DbConnection? connection, Owner owner)
    {
        if (ToWaitFor(connection) is { } wait)
        {
            Entered(wait.Gate.Wait(FallbackAfter), wait, owner, connection!);
        }
    }

    /// <summary>Releases the gate if <paramref name="connection"/> holds it for <paramref name="owner"/> (any owner when null).</summary>
    private void Exit(DbConnection? connection, Owner? owner)
    {
        if (connection is null || !_holders.TryGetValue(connection, out var holder))
        {
            return;
        }
        SemaphoreSlim? release = null;
        lock (holder)
        {
            if (holder.Owner != Owner.None && (owner is null || holder.Owner == owner))
            {
                release = holder.Gate;
                (holder.Owner, holder.Gate) = (Owner.None, null);
            }
        }
        release?.Release();
    }

    private static DbConnection? ConnectionOf(DbContext? context) => context?.Database.GetDbConnection();

    // Transactions: EF Core's own (SaveChanges with several commands) and the app's explicit ones.
    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result)
    {
        Enter(connection, Owner.Transaction);
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(connection, Owner.Transaction, cancellationToken);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Exit(ConnectionOf(eventData.Context) ?? transaction.Connection, Owner.Transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Exit(ConnectionOf(eventData.Context) ?? transaction.Connection, Owner.Transaction);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Exit(ConnectionOf(eventData.Context) ?? transaction.Connection, Owner.Transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Exit(ConnectionOf(eventData.Context) ?? transaction.Connection, Owner.Transaction);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData)
    {
        if (eventData.Action is "Commit" or "Rollback")
        {
            Exit(ConnectionOf(eventData.Context) ?? transaction.Connection, Owner.Transaction);
        }
    }

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionFailed(transaction, eventData);
        return Task.CompletedTask;
    }

    // SaveChanges that EF Core runs without a transaction (one command) takes the write lock all the same.
    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Enter(ConnectionOf(eventData.Context), Owner.Save);
        return result;
    }

    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        await EnterAsync(ConnectionOf(eventData.Context), Owner.Save, cancellationToken);
        return result;
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Exit(ConnectionOf(eventData.Context), Owner.Save);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Exit(ConnectionOf(eventData.Context), Owner.Save);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Exit(ConnectionOf(eventData.Context), Owner.Save);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Exit(ConnectionOf(eventData.Context), Owner.Save);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => Exit(ConnectionOf(eventData.Context), Owner.Save);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Exit(ConnectionOf(eventData.Context), Owner.Save);
        return Task.CompletedTask;
    }

    public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => CacheSize(connection);

    public Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        CacheSize(connection);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Page cache of each connection, in KiB. SQLite's is per connection (2 MB by default) and a pooled connection keeps
    /// it, so with the twenty-odd connections a loaded node holds it grew by ~50 MB of native memory over the 5-minute
    /// mixed load as the file grew; the OS already caches the file. The bulk import raises its own for its run and comes
    /// back to this.
    /// </summary>
    public const int PageCacheKib = 256;

    /// <summary>The pragma persists on the native connection: set once per native connection, not on every open of a pooled one.</summary>
    private static void CacheSize(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite)
        {
            SqliteNative.Once(sqlite, "closer_page_cache", _ =>
            {
                using var command = sqlite.CreateCommand();
                command.CommandText = PageCachePragma;
                command.ExecuteNonQuery();
            });
        }
    }

    /// <summary>The pragma that sets <see cref="PageCacheKib"/>.</summary>
    public static readonly string PageCachePragma = $"PRAGMA cache_size = -{PageCacheKib}";

    // Safety net: a transaction disposed without commit or rollback (an exception in an `await using`) ends with its
    // connection being closed (EF Core closes what it opened for the transaction) or disposed with the context.
    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Exit(connection, null);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Exit(connection, null);
        return Task.CompletedTask;
    }

    public void ConnectionDisposed(DbConnection connection, ConnectionEndEventData eventData) => Exit(connection, null);

    public Task ConnectionDisposedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Exit(connection, null);
        return Task.CompletedTask;
    }
}
