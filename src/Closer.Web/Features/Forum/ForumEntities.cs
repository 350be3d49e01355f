using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Forum;

public enum SpaceKind
{
    Country,
    Sector,
    Consultation,
}

public enum SpaceVisibility
{
    /// <summary>Anyone reads; signed-in people post.</summary>
    Public,
    /// <summary>Only partners (see <c>Infrastructure.Security.Partners</c>) and moderators read and post.</summary>
    Partners,
}

public enum PostStatus
{
    Published,
    /// <summary>Waiting for a moderator (personal data detected, a new account's first posts).</summary>
    Held,
    /// <summary>Hidden by a moderator: kept, invisible to the public.</summary>
    Hidden,
    /// <summary>Deleted by its author (soft).</summary>
    Deleted,
}

public enum FlagReason
{
    Spam,
    Abuse,
    Xenophobia,
    PersonalData,
    Other,
}

/// <summary>A place to talk: one per country, per sector, or one consultation with open and close dates.</summary>
public sealed class ForumSpace
{
    public int Id { get; set; }
    public SpaceKind Kind { get; set; }
    public required string Title { get; set; }
    public string Description { get; set; } = "";
    /// <summary>The language the title and description are written in.</summary>
    public string Language { get; set; } = "en";
    public string? CountryIso3 { get; set; }
    /// <summary>The plan's sector name (English), for sector spaces.</summary>
    public string? Sector { get; set; }
    public SpaceVisibility Visibility { get; set; }
    public DateTimeOffset? OpensAt { get; set; }
    public DateTimeOffset? ClosesAt { get; set; }
    /// <summary>Markdown summary of a consultation, written by a moderator when it ends.</summary>
    public string? Summary { get; set; }
    public string? SummaryLanguage { get; set; }
    public string? SummaryById { get; set; }
    public DateTimeOffset? SummaryAt { get; set; }
    public bool IsDemo { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Whether new threads and replies are accepted at this moment.</summary>
    public bool IsOpenAt(DateTimeOffset now) => (OpensAt is null || now >= OpensAt) && (ClosesAt is null || now < ClosesAt);
}

public sealed class ForumThread
{
    public int Id { get; set; }
    public int SpaceId { get; set; }
    public ForumSpace? Space { get; set; }
    public required string Title { get; set; }
    public string Language { get; set; } = "en";
    public string? AuthorId { get; set; }
    public required string AuthorName { get; set; }
    public bool IsLocked { get; set; }
    public bool IsDemo { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastActivityAt { get; set; }
    public List<ForumPost> Posts { get; set; } = [];
}

public sealed class ForumPost
{
    public long Id { get; set; }
    public int ThreadId { get; set; }
    public ForumThread? Thread { get; set; }
    /// <summary>The first post of a thread: the thread is listed only while it is published.</summary>
    public bool IsOpening { get; set; }
    public string? AuthorId { get; set; }
    public required string AuthorName { get; set; }
    /// <summary>Markdown as written.</summary>
    public required string Body { get; set; }
    /// <summary>The language the post is written in (en, es, pt, pap), shown as its lang attribute.</summary>
    public string Language { get; set; } = "en";
    public long? QuotedPostId { get; set; }
    public PostStatus Status { get; set; }
    /// <summary>Why a post is held: personal-data, new-account.</summary>
    public string? HeldReason { get; set; }
    public bool IsDemo { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EditedAt { get; set; }
    public List<ForumPostRevision> Revisions { get; set; } = [];
}

/// <summary>A post's earlier text, kept on every edit (moderators see the history).</summary>
public sealed class ForumPostRevision
{
    public long Id { get; set; }
    public long PostId { get; set; }
    public required string Body { get; set; }
    public string? EditorId { get; set; }
    public DateTimeOffset ReplacedAt { get; set; }
}

public sealed class ForumFlag
{
    public long Id { get; set; }
    public long PostId { get; set; }
    public ForumPost? Post { get; set; }
    public required string UserId { get; set; }
    public FlagReason Reason { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? ResolvedById { get; set; }
}

/// <summary>One moderation action: who did what to which post, thread or user, and why.</summary>
public sealed class ModerationAction
{
    public long Id { get; set; }
    public required string ModeratorId { get; set; }
    public required string Action { get; set; }
    public long? PostId { get; set; }
    public int? ThreadId { get; set; }
    public int? SpaceId { get; set; }
    public string? TargetUserId { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset? Until { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class ForumSuspension
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public DateTimeOffset Until { get; set; }
    public required string Reason { get; set; }
    public required string ById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A person follows a space and gets its daily digest.</summary>
public sealed class ForumFollow
{
    public required string UserId { get; set; }
    public int SpaceId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Per-person notification choices (absent row: reply notifications on).</summary>
public sealed class ForumNotificationSetting
{
    public required string UserId { get; set; }
    public bool RepliesOff { get; set; }
}

/// <summary>One row per digest (user, space, day): the unique key makes sure a digest is never sent twice.</summary>
public sealed class ForumDigestLog
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public int SpaceId { get; set; }
    /// <summary>The UTC day the digest covers, yyyy-MM-dd.</summary>
    public required string Day { get; set; }
    public DateTimeOffset ClaimedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int PostCount { get; set; }
}

internal sealed class ForumSpaceConfiguration : IEntityTypeConfiguration<ForumSpace>
{
    public void Configure(EntityTypeBuilder<ForumSpace> b)
    {
        b.ToTable("ForumSpaces");
        b.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.Visibility).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.Title).HasMaxLength(200);
        b.Property(s => s.Description).HasMaxLength(2000);
        b.Property(s => s.Language).HasMaxLength(5);
        b.Property(s => s.SummaryLanguage).HasMaxLength(5);
        b.Property(s => s.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.Property(s => s.Sector).HasMaxLength(100);
        b.Property(s => s.Summary).HasMaxLength(20000);
        b.Property(s => s.SummaryById).HasMaxLength(450);
        b.HasOne<Geography.Country>().WithMany().HasForeignKey(s => s.CountryIso3).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ForumThreadConfiguration : IEntityTypeConfiguration<ForumThread>
{
    public void Configure(EntityTypeBuilder<ForumThread> b)
    {
        b.ToTable("ForumThreads");
        b.Property(t => t.Title).HasMaxLength(200);
        b.Property(t => t.Language).HasMaxLength(5);
        b.Property(t => t.AuthorId).HasMaxLength(450);
        b.Property(t => t.AuthorName).HasMaxLength(200);
        b.HasOne(t => t.Space).WithMany().HasForeignKey(t => t.SpaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(t => new { t.SpaceId, t.LastActivityAt });
        b.HasIndex(t => new { t.AuthorId, t.CreatedAt });
    }
}

internal sealed class ForumPostConfiguration : IEntityTypeConfiguration<ForumPost>
{
    public void Configure(EntityTypeBuilder<ForumPost> b)
    {
        b.ToTable("ForumPosts");
        b.Property(p => p.Body).HasMaxLength(20000);
        b.Property(p => p.Language).HasMaxLength(5);
        b.Property(p => p.AuthorId).HasMaxLength(450);
        b.Property(p => p.AuthorName).HasMaxLength(200);
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.HeldReason).HasMaxLength(40);
        b.HasOne(p => p.Thread).WithMany(t => t.Posts).HasForeignKey(p => p.ThreadId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(p => p.Revisions).WithOne().HasForeignKey(r => r.PostId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(p => new { p.ThreadId, p.CreatedAt });
        b.HasIndex(p => new { p.AuthorId, p.CreatedAt });
        b.HasIndex(p => p.Status);
    }
}

internal sealed class ForumPostRevisionConfiguration : IEntityTypeConfiguration<ForumPostRevision>
{
    public void Configure(EntityTypeBuilder<ForumPostRevision> b)
    {
        b.ToTable("ForumPostRevisions");
        b.Property(r => r.Body).HasMaxLength(20000);
        b.Property(r => r.EditorId).HasMaxLength(450);
    }
}

internal sealed class ForumFlagConfiguration : IEntityTypeConfiguration<ForumFlag>
{
    public void Configure(EntityTypeBuilder<ForumFlag> b)
    {
        b.ToTable("ForumFlags");
        b.Property(f => f.UserId).HasMaxLength(450);
        b.Property(f => f.ResolvedById).HasMaxLength(450);
        b.Property(f => f.Reason).HasConversion<string>().HasMaxLength(20);
        b.Property(f => f.Note).HasMaxLength(1000);
        b.HasOne(f => f.Post).WithMany().HasForeignKey(f => f.PostId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(f => new { f.PostId, f.UserId }).IsUnique();
        b.HasIndex(f => new { f.UserId, f.CreatedAt });
        b.HasIndex(f => f.ResolvedAt);
    }
}

internal sealed class ModerationActionConfiguration : IEntityTypeConfiguration<ModerationAction>
{
    public void Configure(EntityTypeBuilder<ModerationAction> b)
    {
        b.ToTable("ForumModerationActions");
        b.Property(a => a.ModeratorId).HasMaxLength(450);
        b.Property(a => a.TargetUserId).HasMaxLength(450);
        b.Property(a => a.Action).HasMaxLength(30);
        b.Property(a => a.Reason).HasMaxLength(1000);
        b.HasIndex(a => a.CreatedAt);
    }
}

internal sealed class ForumSuspensionConfiguration : IEntityTypeConfiguration<ForumSuspension>
{
    public void Configure(EntityTypeBuilder<ForumSuspension> b)
    {
        b.ToTable("ForumSuspensions");
        b.Property(s => s.UserId).HasMaxLength(450);
        b.Property(s => s.ById).HasMaxLength(450);
        b.Property(s => s.Reason).HasMaxLength(1000);
        b.HasIndex(s => new { s.UserId, s.Until });
    }
}

internal sealed class ForumFollowConfiguration : IEntityTypeConfiguration<ForumFollow>
{
    public void Configure(EntityTypeBuilder<ForumFollow> b)
    {
        b.ToTable("ForumFollows");
        b.HasKey(f => new { f.UserId, f.SpaceId });
        b.Property(f => f.UserId).HasMaxLength(450);
        b.HasOne<ForumSpace>().WithMany().HasForeignKey(f => f.SpaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ForumNotificationSettingConfiguration : IEntityTypeConfiguration<ForumNotificationSetting>
{
    public void Configure(EntityTypeBuilder<ForumNotificationSetting> b)
    {
        b.ToTable("ForumNotificationSettings");
        b.HasKey(s => s.UserId);
        b.Property(s => s.UserId).HasMaxLength(450);
    }
}

internal sealed class ForumDigestLogConfiguration : IEntityTypeConfiguration<ForumDigestLog>
{
    public void Configure(EntityTypeBuilder<ForumDigestLog> b)
    {
        b.ToTable("ForumDigestLog");
        b.Property(d => d.UserId).HasMaxLength(450);
        b.Property(d => d.Day).HasMaxLength(10);
        b.HasIndex(d => new { d.UserId, d.SpaceId, d.Day }).IsUnique();
    }
}
