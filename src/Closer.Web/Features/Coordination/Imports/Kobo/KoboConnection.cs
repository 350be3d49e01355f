using Closer.Web.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Coordination.Imports.Kobo;

/// <summary>
/// An organisation's KoboToolbox project that Closer pulls 5W submissions from (one per organisation): the server, the
/// asset (form) uid and the partner's API token, kept encrypted with the data-protection keys and never shown back.
/// Pulls run as the person who set it up, with their scope at the time of the pull.
/// </summary>
public sealed class KoboConnection : ILeased
{
    public long Id { get; set; }
    public int OrganisationId { get; set; }
    public required string ServerUrl { get; set; }
    public required string AssetUid { get; set; }
    /// <summary>The API token, protected (<c>IDataProtector</c> purpose <see cref="KoboPuller.TokenPurpose"/>).</summary>
    public required string TokenProtected { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>Whose scope the pulls import with (the focal point or administrator who saved it last).</summary>
    public required string UserId { get; set; }
    public string? UserEmail { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? NextPullAt { get; set; }
    public DateTimeOffset? LastPullAt { get; set; }
    public Guid? ClaimToken { get; set; }
    public DateTimeOffset? ClaimedUntil { get; set; }
}

/// <summary>One pull and what it did; a failed pull changed nothing and says why.</summary>
public sealed class KoboPullLog
{
    public long Id { get; set; }
    public long ConnectionId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    public bool Succeeded { get; set; }
    public int Pages { get; set; }
    public int Fetched { get; set; }
    public int Imported { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Edited { get; set; }
    public int Withdrawn { get; set; }
    public string? Message { get; set; }
}

/// <summary>A submission the last successful pull saw, with its last change: one missing from a later full pull was deleted on the server.</summary>
public sealed class KoboSubmission
{
    public long ConnectionId { get; set; }
    public required string Uuid { get; set; }
    public string? LastChange { get; set; }
}

internal sealed class KoboConnectionConfiguration : IEntityTypeConfiguration<KoboConnection>
{
    public void Configure(EntityTypeBuilder<KoboConnection> b)
    {
        b.HasIndex(c => c.OrganisationId).IsUnique();
        b.HasOne<Organisations.Organisation>().WithMany().HasForeignKey(c => c.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.Property(c => c.ServerUrl).HasMaxLength(300);
        b.Property(c => c.AssetUid).HasMaxLength(64);
        b.Property(c => c.TokenProtected).HasMaxLength(2000);
        b.Property(c => c.UserId).HasMaxLength(450);
        b.Property(c => c.UserEmail).HasMaxLength(256);
        b.HasIndex(c => c.NextPullAt);
    }
}

internal sealed class KoboPullLogConfiguration : IEntityTypeConfiguration<KoboPullLog>
{
    public void Configure(EntityTypeBuilder<KoboPullLog> b)
    {
        b.HasOne<KoboConnection>().WithMany().HasForeignKey(l => l.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(l => new { l.ConnectionId, l.StartedAt });
        b.Property(l => l.Message).HasMaxLength(KoboPuller.MessageLength);
    }
}

internal sealed class KoboSubmissionConfiguration : IEntityTypeConfiguration<KoboSubmission>
{
    public void Configure(EntityTypeBuilder<KoboSubmission> b)
    {
        b.HasKey(s => new { s.ConnectionId, s.Uuid });
        b.HasOne<KoboConnection>().WithMany().HasForeignKey(s => s.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        b.Property(s => s.Uuid).HasMaxLength(64);
        b.Property(s => s.LastChange).HasMaxLength(40);
    }
}
