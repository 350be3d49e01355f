using Closer.Tests.Infrastructure;
using Closer.Tests.Infrastructure.Email;
using Closer.Tests.Infrastructure.Jobs;
using Closer.Web.Features.Notifications;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Email;
using Closer.Web.Infrastructure.Jobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Closer.Tests.Features.Notifications;

/// <summary>The e-mail outbox against a real SMTP conversation: nothing lost in an outage, nothing sent twice.</summary>
public abstract class OutboxSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));

    private OutboxSender Sender(TestSmtpServer smtp) => new(
        app.Services.GetRequiredService<IServiceScopeFactory>(),
        new MailKitEmailSender(Options.Create(new EmailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, StartTls = false } }),
            app.Services.GetRequiredService<IWebHostEnvironment>(), _time),
        _time,
        Options.Create(new OutboxOptions { BatchSize = 7, MaxAttempts = 3 }),
        NullLogger<OutboxSender>.Instance);

    private async Task<List<long>> EnqueueAsync(string tag, int count)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var rows = Enumerable.Range(0, count).Select(i => db.Enqueue(new EmailMessage($"{tag}-{i}@test.invalid", $"{tag} {i}", "hello"), _time)).ToList();
        await db.SaveChangesAsync(Ct);
        return rows.Select(r => r.Id).ToList();
    }

    private async Task<List<OutboxMessage>> RowsAsync(IEnumerable<long> ids)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var list = ids.ToList();
        return await scope.ServiceProvider.GetRequiredService<CloserDbContext>().EmailOutbox.AsNoTracking().Where(m => list.Contains(m.Id)).ToListAsync(Ct);
    }

    private static async Task DrainAsync(OutboxSender sender)
    {
        while (await sender.SendDueAsync(CancellationToken.None) > 0)
        {
        }
    }

    [Fact]
    public async Task MessageEnqueuedInARolledBackTransaction_DoesNotExist()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        await using (var tx = await db.Database.BeginTransactionAsync(Ct))
        {
            db.Enqueue(new EmailMessage("rollback@test.invalid", "never", "never"), _time);
            await db.SaveChangesAsync(Ct);
            await tx.RollbackAsync(Ct);
        }
        db.ChangeTracker.Clear();
        Assert.False(await db.EmailOutbox.AnyAsync(m => m.To == "rollback@test.invalid", Ct));
    }

    [Fact]
    public async Task SmtpOutage_KeepsTheMessage_RetriesWithBackOff_AndSendsItOnce()
    {
        await using var smtp = new TestSmtpServer { Refuse = true };
        var sender = Sender(smtp);
        var ids = await EnqueueAsync("outage", 3);

        await DrainAsync(sender);
        var failed = await RowsAsync(ids);
        Assert.All(failed, m => Assert.Null(m.SentAt));
        Assert.All(failed, m => Assert.Equal(1, m.Attempts));
        Assert.All(failed, m => Assert.True(m.NextAttemptAt > _time.GetUtcNow()));
        Assert.Empty(smtp.Messages);

        // Not yet due: nothing is tried again.
        await DrainAsync(sender);
        Assert.All(await RowsAsync(ids), m => Assert.Equal(1, m.Attempts));

        smtp.Refuse = false;
        _time.Advance(TimeSpan.FromMinutes(1));
        await DrainAsync(sender);
        await DrainAsync(sender);
        Assert.All(await RowsAsync(ids), m => Assert.NotNull(m.SentAt));
        Assert.Equal(3, smtp.Messages.Count(m => m.Contains("outage-", StringComparison.Ordinal)));
        Assert.All(ids, id => Assert.Single(smtp.Messages, m => m.Contains($"outbox-{id}@closer.invalid", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AfterTooManyFailures_TheMessageIsMarkedFailed_NotRetriedForever()
    {
        await using var smtp = new TestSmtpServer { Refuse = true };
        var sender = Sender(smtp);
        var ids = await EnqueueAsync("dead", 1);
        for (var i = 0; i < 5; i++)
        {
            await DrainAsync(sender);
            _time.Advance(TimeSpan.FromHours(7));
        }
        var row = Assert.Single(await RowsAsync(ids));
        Assert.Equal(3, row.Attempts);
        Assert.NotNull(row.FailedAt);
        Assert.Contains("service not available", row.LastError);
    }

    [Fact]
    public async Task TwoNodesSendingAtOnce_SendEachMessageExactlyOnce()
    {
        await using var smtp = new TestSmtpServer();
        var ids = await EnqueueAsync("race", 40);
        var nodes = Enumerable.Range(0, 4).Select(_ => Sender(smtp)).ToList();
        await Task.WhenAll(nodes.Select(n => Task.Run(() => DrainAsync(n))));
        Assert.All(await RowsAsync(ids), m => Assert.NotNull(m.SentAt));
        foreach (var id in ids)
        {
            Assert.Single(smtp.Messages, m => m.Contains($"outbox-{id}@closer.invalid", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AClaimLeftByADeadNode_ExpiresAndIsSentByAnother()
    {
        await using var smtp = new TestSmtpServer();
        var ids = await EnqueueAsync("orphan", 1);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            await db.EmailOutbox.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.ClaimToken, Guid.NewGuid()).SetProperty(m => m.ClaimedUntil, _time.GetUtcNow().AddMinutes(2)), Ct);
        }
        var sender = Sender(smtp);
        await DrainAsync(sender);
        Assert.Null(Assert.Single(await RowsAsync(ids)).SentAt);
        _time.Advance(TimeSpan.FromMinutes(3));
        await DrainAsync(sender);
        Assert.NotNull(Assert.Single(await RowsAsync(ids)).SentAt);
        Assert.Single(smtp.Messages, m => m.Contains("orphan-0@test.invalid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWorkerRun_ReportsItsRunAndTheMessagesItSentAsMetrics()
    {
        using var metrics = new MetricRecorder(app.Services, JobMetrics.MeterName);
        await using var smtp = new TestSmtpServer();
        var ids = await EnqueueAsync("metered", 3);
        using var worker = new OutboxWorker(Sender(smtp), app.Services, _time, Options.Create(new OutboxOptions()), NullLogger<OutboxWorker>.Instance);

        var run = await worker.RunOnceAsync(Ct);

        Assert.True(run.Succeeded);
        Assert.All(await RowsAsync(ids), m => Assert.NotNull(m.SentAt));
        Assert.True(run.Items >= 3);
        Assert.Single(metrics.Of("closer.job.runs", "outbox"), m => m.Has("outcome", "ok") && m.Value == 1);
        Assert.Equal(run.Items, metrics.Sum("closer.job.items", "outbox"));
        Assert.Single(metrics.Of("closer.job.duration", "outbox"));
        Assert.Empty(metrics.Of("closer.job.failures", "outbox"));
    }

    [Fact]
    public async Task TwoWorkersRacingForTheSameDigest_EnqueueItOnce()
    {
        var key = $"digest:{Guid.NewGuid():N}:2026-11-29";
        var message = new EmailMessage("digest@test.invalid", "Your daily digest", "3 new posts");
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Outbox.EnqueueOnceAsync(app.Services, message, key, Ct))));
        Assert.Equal(1, results.Count(r => r));
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<CloserDbContext>().EmailOutbox.CountAsync(m => m.DedupKey == key, Ct));
    }
}

/// <summary>The suite drives its own senders; the app's background worker stays off.</summary>
public sealed class OutboxSqliteApp : SqliteAppBase
{
    protected override void AddSettings(Dictionary<string, string?> settings) => settings["Email:Outbox:Worker"] = "false";
}

public sealed class OutboxPostgresApp : PostgresApp
{
    protected override void AddSettings(Dictionary<string, string?> settings) => settings["Email:Outbox:Worker"] = "false";
}

public sealed class OutboxSqlite(OutboxSqliteApp app) : OutboxSuite<OutboxSqliteApp>(app);
public sealed class OutboxPostgres(OutboxPostgresApp app) : OutboxSuite<OutboxPostgresApp>(app);
