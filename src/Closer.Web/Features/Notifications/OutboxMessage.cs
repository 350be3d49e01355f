using Closer.Web.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Notifications;

/// <summary>
/// An e-mail waiting to be sent. Written in the same transaction as the change that causes it, then sent by
/// <see cref="OutboxSender"/>: a crash or an SMTP outage loses nothing, and a claim (token + lease) makes sure
/// only one node sends each message.
/// </summary>
public sealed class OutboxMessage : ILeased
{
    public long Id { get; set; }
    public required string To { get; set; }
    public required string Subject { get; set; }
    public required string Text { get; set; }
    public string? Html { get; set; }
    public string? UnsubscribeUrl { get; set; }
    /// <summary>Set for messages that must exist once only (a digest for a user, space and day); unique.</summary>
    public string? DedupKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>Given up after too many attempts; kept for the administrator to see and retry.</summary>
    public DateTimeOffset? FailedAt { get; set; }
    public string? LastError { get; set; }
    public Guid? ClaimToken { get; set; }
    public DateTimeOffset? ClaimedUntil { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("EmailOutbox");
        b.Property(m => m.To).HasMaxLength(320);
        b.Property(m => m.Subject).HasMaxLength(300);
        b.Property(m => m.UnsubscribeUrl).HasMaxLength(1000);
        b.Property(m => m.DedupKey).HasMaxLength(200);
        b.Property(m => m.LastError).HasMaxLength(300);
        b.HasIndex(m => m.DedupKey).IsUnique();
        b.HasIndex(m => new { m.SentAt, m.NextAttemptAt });
    }
}
