using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Subscriptions;

/// <summary>What a person follows besides forum spaces (those are <see cref="Forum.ForumFollow"/> rows, the forum's kind of follow).</summary>
public enum FollowKind
{
    Country,
    Sector,
    DocumentType,
}

/// <summary>How often e-mail about followed things is sent.</summary>
public enum DeliveryFrequency
{
    Immediate,
    Daily,
    Weekly,
    Off,
}

/// <summary>
/// A person's e-mail choices. A row exists once they saved /account/subscriptions: from then on this row decides
/// how forum spaces they follow reach them too (the forum's own daily digest skips them).
/// </summary>
public sealed class SubscriptionSettings
{
    public required string UserId { get; set; }
    public DeliveryFrequency Frequency { get; set; } = DeliveryFrequency.Daily;
    /// <summary>en, es, pt or pap; null: the person's preferred language.</summary>
    public string? Language { get; set; }
    /// <summary>Reporting-deadline reminders and coordinators' weekly summaries turned off.</summary>
    public bool RemindersOff { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One followed country (ISO3), sector (name as documents are tagged) or document type.</summary>
public sealed class Follow
{
    public required string UserId { get; set; }
    public FollowKind Kind { get; set; }
    public required string Key { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class SubscriptionSettingsConfiguration : IEntityTypeConfiguration<SubscriptionSettings>
{
    public void Configure(EntityTypeBuilder<SubscriptionSettings> b)
    {
        b.ToTable("SubscriptionSettings");
        b.HasKey(s => s.UserId);
        b.Property(s => s.UserId).HasMaxLength(450);
        b.Property(s => s.Frequency).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.Language).HasMaxLength(5);
        b.HasOne<Accounts.AppUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => s.Frequency);
    }
}

internal sealed class FollowConfiguration : IEntityTypeConfiguration<Follow>
{
    public void Configure(EntityTypeBuilder<Follow> b)
    {
        b.ToTable("SubscriptionFollows");
        b.HasKey(f => new { f.UserId, f.Kind, f.Key });
        b.Property(f => f.UserId).HasMaxLength(450);
        b.Property(f => f.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(f => f.Key).HasMaxLength(100);
        b.HasOne<Accounts.AppUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
