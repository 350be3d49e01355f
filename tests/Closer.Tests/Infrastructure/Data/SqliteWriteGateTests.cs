using Closer.Web.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Closer.Tests.Infrastructure.Data;

/// <summary>
/// SQLite writers of one process wait for each other asynchronously (a pending task) instead of sleeping a thread each in
/// Microsoft.Data.Sqlite's busy retries, and every way a write ends gives the gate back.
/// </summary>
public sealed class SqliteWriteGateTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "closer-tests", $"gate-{Guid.NewGuid():N}.db");
    private readonly SqliteWriteGate _gate = new(NullLogger<SqliteWriteGate>.Instance);

    public SqliteWriteGateTests()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        using var db = NewContext();
        db.Database.EnsureCreated();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }

    public sealed class Note
    {
        public int Id { get; set; }
        public string Text { get; set; } = "";
    }

    private sealed class NotesDb(DbContextOptions<NotesDb> options) : DbContext(options)
    {
        public DbSet<Note> Notes => Set<Note>();
    }

    // A short busy timeout: without the gate the second BEGIN IMMEDIATE would block this thread, then fail, within a second.
    private NotesDb NewContext() => new(new DbContextOptionsBuilder<NotesDb>()
        .UseSqlite($"Data Source={_file};Default Timeout=1", o => o.CommandTimeout(1))
        .AddInterceptors(_gate).Options);

    private string DataSource
    {
        get
        {
            using var connection = new SqliteConnection($"Data Source={_file}");
            return connection.DataSource;
        }
    }

    [Fact]
    public async Task ASecondWriter_WaitsAsPendingTask_AndGoesOnWhenTheFirstCommits()
    {
        await using var first = NewContext();
        await using var second = NewContext();
        var tx1 = await first.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
        first.Notes.Add(new Note { Text = "first" });
        await first.SaveChangesAsync(TestContext.Current.CancellationToken);
        Assert.True(_gate.IsHeld(DataSource));

        var begin2 = second.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
        Assert.False(begin2.IsCompleted); // waiting on the gate, no thread held

        await tx1.CommitAsync(TestContext.Current.CancellationToken);
        await tx1.DisposeAsync();
        await using (var tx2 = await begin2)
        {
            Assert.True(_gate.IsHeld(DataSource));
            second.Notes.Add(new Note { Text = "second" });
            await second.SaveChangesAsync(TestContext.Current.CancellationToken);
            await tx2.CommitAsync(TestContext.Current.CancellationToken);
        }
        Assert.False(_gate.IsHeld(DataSource));
        Assert.Equal(["first", "second"], await second.Notes.OrderBy(n => n.Id).Select(n => n.Text).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ASaveWithoutTransaction_HoldsTheGateOnlyWhileItWrites()
    {
        await using var db = NewContext();
        db.Notes.Add(new Note { Text = "one command" });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        Assert.False(_gate.IsHeld(DataSource));

        db.Notes.Add(new Note { Text = "a" });
        db.Notes.Add(new Note { Text = "b" });
        db.SaveChanges(); // the synchronous path, in EF Core's own transaction
        Assert.False(_gate.IsHeld(DataSource));
        Assert.Equal(3, await db.Notes.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RollbackFailureAndDisposalWithoutCommit_AllGiveTheGateBack()
    {
        await using var db = NewContext();
        await using (var tx = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            Assert.True(_gate.IsHeld(DataSource));
            await tx.RollbackAsync(TestContext.Current.CancellationToken);
        }
        Assert.False(_gate.IsHeld(DataSource));

        await using (await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            db.Notes.Add(new Note { Text = "never committed" });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            Assert.True(_gate.IsHeld(DataSource));
        } // disposed without commit, as when an exception leaves an `await using`
        Assert.False(_gate.IsHeld(DataSource));

        db.ChangeTracker.Clear();
        await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER refuse BEFORE INSERT ON Notes BEGIN SELECT RAISE(ABORT, 'refused'); END;",
            TestContext.Current.CancellationToken);
        db.Notes.Add(new Note { Text = "refused" });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
        Assert.False(_gate.IsHeld(DataSource));
        Assert.Equal(0, await db.Notes.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void TheAppsSqliteContext_HasTheGate()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.AspNetCore.Hosting.IWebHostEnvironment>(new FakeEnvironment());
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Closer"] = $"Data Source={_file}" }).Build());
        services.AddCloserData(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();
        var options = scope.ServiceProvider.GetRequiredService<SqliteCloserDbContext>().GetService<IDbContextOptions>();
        var interceptors = options.FindExtension<CoreOptionsExtension>()!.Interceptors ?? [];
        Assert.Contains(provider.GetRequiredService<SqliteWriteGate>(), interceptors);
    }

    private sealed class FakeEnvironment : Microsoft.AspNetCore.Hosting.IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = Path.GetTempPath();
        public Microsoft.Extensions.FileProviders.IFileProvider WebRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
        public string ApplicationName { get; set; } = "Closer.Web";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
        public string ContentRootPath { get; set; } = Path.GetTempPath();
        public string EnvironmentName { get; set; } = "Testing";
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            if (File.Exists(f))
            {
                File.Delete(f);
            }
        }
    }
}
