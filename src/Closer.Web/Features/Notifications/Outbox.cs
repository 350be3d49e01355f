using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Email;
using Closer.Web.Infrastructure.Jobs;
using Closer.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Notifications;

public static class Outbox
{
    /// <summary>
    /// Adds a message to the outbox of this context: it is stored by the caller's SaveChanges, in the caller's
    /// transaction, so the e-mail exists if and only if the change that caused it does.
    /// </summary>
    public static OutboxMessage Enqueue(this CloserDbContext db, EmailMessage message, TimeProvider time, string? dedupKey = null)
    {
        var now = time.GetUtcNow();
        var row = new OutboxMessage
        {
            To = message.To,
            Subject = message.Subject,
            Text = message.Text,
            Html = message.Html,
            UnsubscribeUrl = message.UnsubscribeUrl,
            DedupKey = dedupKey,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        db.EmailOutbox.Add(row);
        return row;
    }

    /// <summary>
    /// Enqueues a message that must exist once only (e.g. a digest): returns false, adding nothing, when a message with
    /// the same key exists — also when another node inserts it at the same moment (the unique index decides).
    /// </summary>
    public static async Task<bool> EnqueueOnceAsync(IServiceProvider services, EmailMessage message, string dedupKey, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        if (await db.EmailOutbox.AnyAsync(m => m.DedupKey == dedupKey, ct))
        {
            return false;
        }
        db.Enqueue(message, scope.ServiceProvider.GetRequiredService<TimeProvider>(), dedupKey);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // Lost the race: the other insert holds the key.
            return false;
        }
    }
}

public sealed class OutboxOptions
{
    public int BatchSize { get; set; } = 20;
    public int MaxAttempts { get; set; } = 10;
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan FirstRetry { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Whether this node runs the sender (<c>Email:Outbox:Worker</c>).</summary>
    public bool Worker { get; set; } = true;
}

/// <summary>
/// Sends what the outbox holds. Each pass claims a batch with one conditional UPDATE (token + lease), so two
/// nodes never hold the same message; sends; and marks each message sent only under its own claim. A failure
/// is retried with exponential back-off; a node that dies mid-batch leaves claims that expire and are taken up again.
/// </summary>
public sealed class OutboxSender(IServiceScopeFactory scopes, IEmailSender sender, TimeProvider time,
    IOptions<OutboxOptions> options, ILogger<OutboxSender> logger)
{
    /// <summary>One pass: returns how many messages were sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var o = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var now = time.GetUtcNow();
        var lease = await db.EmailOutbox.Where(m => m.SentAt == null && m.FailedAt == null && m.NextAttemptAt <= now)
            .ClaimAsync(now, o.Lease, o.BatchSize, null, ct);
        if (lease is not { Token: var token })
        {
            return 0;
        }
        var batch = await db.EmailOutbox.AsNoTracking().HeldBy(token).OrderBy(m => m.Id).ToListAsync(ct);
        var sent = 0;
        foreach (var m in batch)
        {
            try
            {
                await sender.SendAsync(new EmailMessage(m.To, m.Subject, m.Text, m.Html, m.UnsubscribeUrl) { MessageId = $"outbox-{m.Id}" }, ct);
                await db.EmailOutbox.HeldBy(token).Where(x => x.Id == m.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.SentAt, time.GetUtcNow()).SetProperty(x => x.Attempts, x => x.Attempts + 1).Release(),
                        CancellationToken.None);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var attempts = m.Attempts + 1;
                var delay = TimeSpan.FromTicks(Math.Min(o.FirstRetry.Ticks * (1L << Math.Min(attempts - 1, 20)), TimeSpan.FromHours(6).Ticks));
                var error = $"{ex.GetType().Name}: {ex.Message}";
                logger.LogWarning("E-mail {Id} attempt {Attempt} failed: {Error}", m.Id, attempts, ex.GetType().Name);
                await db.EmailOutbox.HeldBy(token).Where(x => x.Id == m.Id)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(x => x.Attempts, attempts)
                        .SetProperty(x => x.LastError, TextLimits.Truncate(error, 300))
                        .SetProperty(x => x.NextAttemptAt, time.GetUtcNow() + delay)
                        .SetProperty(x => x.FailedAt, attempts >= o.MaxAttempts ? time.GetUtcNow() : null)
                        .Release(), CancellationToken.None);
            }
        }
        return sent;
    }
}

/// <summary>
/// Runs the outbox sender on every node (<c>Email:Outbox:Worker</c>, every <c>Email:Outbox:PollInterval</c>); claims keep
/// the nodes from sending the same message. A pass that sent something is followed by another at once, until the outbox is drained.
/// </summary>
public sealed class OutboxWorker(OutboxSender outbox, IServiceProvider services, TimeProvider time, IOptions<OutboxOptions> options,
    ILogger<OutboxWorker> logger) : HostedJob(services, time, logger)
{
    public override string Name => "outbox";
    protected override bool Enabled => options.Value.Worker;
    protected override TimeSpan Interval => options.Value.PollInterval;
    protected override bool RepeatWhileBusy => true;

    protected override Task<int> RunAsync(IServiceProvider scope, CancellationToken ct) => outbox.SendDueAsync(ct);
}

public static class NotificationsFeature
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OutboxOptions>(configuration.GetSection("Email:Outbox"));
        services.AddSingleton<OutboxSender>();
        services.AddHostedService<OutboxWorker>();
        return services;
    }
}
