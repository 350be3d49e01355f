using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Email;
using Microsoft.EntityFrameworkCore;

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
}

/// <summary>
/// Sends what the outbox holds. Each pass claims a batch with one conditional UPDATE (token + lease), so two
/// nodes never hold the same message; sends; and marks each message sent only under its own claim. A failure
/// is retried with exponential back-off; a node that dies mid-batch leaves claims that expire and are taken up again.
/// </summary>
public sealed class OutboxSender(IServiceScopeFactory scopes, IEmailSender sender, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<OutboxOptions> options, ILogger<OutboxSender> logger)
{
    /// <summary>One pass: returns how many messages were sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var o = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var now = time.GetUtcNow();
        var token = Guid.NewGuid();
        var due = db.EmailOutbox
            .Where(m => m.SentAt == null && m.FailedAt == null && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .OrderBy(m => m.Id)
            .Select(m => m.Id)
            .Take(o.BatchSize);
        // The outer conditions are checked again on each row as it is locked, so a concurrent claim wins or loses cleanly.
        var claimed = await db.EmailOutbox
            .Where(m => due.Contains(m.Id) && m.SentAt == null && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimToken, token).SetProperty(m => m.ClaimedUntil, now + o.Lease), ct);
        if (claimed == 0)
        {
            return 0;
        }
        var batch = await db.EmailOutbox.AsNoTracking().Where(m => m.ClaimToken == token).OrderBy(m => m.Id).ToListAsync(ct);
        var sent = 0;
        foreach (var m in batch)
        {
            try
            {
                await sender.SendAsync(new EmailMessage(m.To, m.Subject, m.Text, m.Html, m.UnsubscribeUrl) { MessageId = $"outbox-{m.Id}" }, ct);
                await db.EmailOutbox.Where(x => x.Id == m.Id && x.ClaimToken == token)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.SentAt, time.GetUtcNow()).SetProperty(x => x.ClaimToken, (Guid?)null)
                        .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null).SetProperty(x => x.Attempts, x => x.Attempts + 1), CancellationToken.None);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var attempts = m.Attempts + 1;
                var delay = TimeSpan.FromTicks(Math.Min(o.FirstRetry.Ticks * (1L << Math.Min(attempts - 1, 20)), TimeSpan.FromHours(6).Ticks));
                var error = $"{ex.GetType().Name}: {ex.Message}";
                logger.LogWarning("E-mail {Id} attempt {Attempt} failed: {Error}", m.Id, attempts, ex.GetType().Name);
                await db.EmailOutbox.Where(x => x.Id == m.Id && x.ClaimToken == token)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(x => x.Attempts, attempts)
                        .SetProperty(x => x.LastError, error.Length > 300 ? error[..300] : error)
                        .SetProperty(x => x.NextAttemptAt, time.GetUtcNow() + delay)
                        .SetProperty(x => x.FailedAt, attempts >= o.MaxAttempts ? time.GetUtcNow() : null)
                        .SetProperty(x => x.ClaimToken, (Guid?)null)
                        .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
            }
        }
        return sent;
    }
}

/// <summary>Runs the outbox sender on every node; claims keep the nodes from sending the same message.</summary>
public sealed class OutboxWorker(OutboxSender outbox, TimeProvider time, Microsoft.Extensions.Options.IOptions<OutboxOptions> options,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await outbox.SendDueAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be restarting; try again on the next tick.
                logger.LogWarning("Outbox pass failed: {Error}", ex.GetType().Name);
            }
            try
            {
                await Task.Delay(options.Value.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

public static class NotificationsFeature
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OutboxOptions>(configuration.GetSection("Email:Outbox"));
        services.AddSingleton<OutboxSender>();
        if (configuration.GetValue("Email:Outbox:Worker", true))
        {
            services.AddHostedService<OutboxWorker>();
        }
        return services;
    }
}
