using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Campaign.Content;

public enum ContentKind
{
    Story,
    Fact,
    Video,
    PressRelease,
    MediaContact,
    Page,
}

/// <summary>The translation workflow of one language version.</summary>
public enum TranslationStatus
{
    Draft,
    InTranslation,
    InReview,
    Published,
}

/// <summary>How a story's teller is shown.</summary>
public enum Anonymisation
{
    None,
    FirstNameOnly,
    Pseudonym,
    BlurredPhoto,
}

/// <summary>One piece of campaign content; its text lives in one <see cref="ContentTranslation"/> per language.</summary>
public sealed class ContentItem
{
    public int Id { get; set; }
    public ContentKind Kind { get; set; }
    /// <summary>Stable key for seeded or special items (e.g. "key-messages"); null for most.</summary>
    public string? Key { get; set; }
    public string? CountryIso3 { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public string? DeletedBy { get; set; }
    public bool IsDemo { get; set; }

    // Story
    public string? PhotoPath { get; set; }
    public bool ConsentRecorded { get; set; }
    public Anonymisation Anonymisation { get; set; }

    // Fact
    public long? Figure { get; set; }
    public string? FigureSource { get; set; }
    /// <summary>The date of the figure as published (yyyy-MM).</summary>
    public string? FigureDate { get; set; }

    // Video
    public string? VideoFile { get; set; }
    public string? VideoUrl { get; set; }

    // Media contact
    public string? ContactName { get; set; }
    public string? ContactOrganisation { get; set; }
    public string? ContactPhone { get; set; }
    public string? ContactEmail { get; set; }
    /// <summary>Languages spoken, comma-separated codes (en,es,pt,pap).</summary>
    public string? ContactLanguages { get; set; }

    public List<ContentTranslation> Translations { get; set; } = [];
}

/// <summary>One language version of a content item, with its own slug, status and schedule.</summary>
public sealed class ContentTranslation
{
    public int Id { get; set; }
    public int ItemId { get; set; }
    public ContentItem Item { get; set; } = null!;
    public required string Language { get; set; }
    public required string Title { get; set; }
    public required string Slug { get; set; }
    public string Summary { get; set; } = "";
    public string Body { get; set; } = "";
    public string? PhotoAlt { get; set; }
    /// <summary>WebVTT subtitles of a video in this language.</summary>
    public string? SubtitleVtt { get; set; }
    public TranslationStatus Status { get; set; }
    /// <summary>When set and in the future, a published version stays hidden until then.</summary>
    public DateTimeOffset? PublishAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public string? Translator { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
    /// <summary>Title, summary and body lower-cased without accents, for accent-insensitive search.</summary>
    public string SearchText { get; set; } = "";
}

/// <summary>A snapshot of a translation after each edit; restoring one makes a new edit.</summary>
public sealed class ContentRevision
{
    public int Id { get; set; }
    public int TranslationId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? By { get; set; }
    public required string Note { get; set; }
    public required string Title { get; set; }
    public required string Slug { get; set; }
    public string Summary { get; set; } = "";
    public string Body { get; set; } = "";
    public string? PhotoAlt { get; set; }
    public string? SubtitleVtt { get; set; }
    public TranslationStatus Status { get; set; }
}

internal sealed class ContentItemConfiguration : IEntityTypeConfiguration<ContentItem>
{
    public void Configure(EntityTypeBuilder<ContentItem> b)
    {
        b.ToTable("CampaignItems");
        b.Property(i => i.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(i => i.Anonymisation).HasConversion<string>().HasMaxLength(20);
        b.Property(i => i.Key).HasMaxLength(80);
        b.HasIndex(i => i.Key).IsUnique();
        b.Property(i => i.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.HasOne<Geography.Country>().WithMany().HasForeignKey(i => i.CountryIso3).OnDelete(DeleteBehavior.Restrict);
        b.Property(i => i.DeletedBy).HasMaxLength(256);
        b.Property(i => i.PhotoPath).HasMaxLength(300);
        b.Property(i => i.FigureSource).HasMaxLength(300);
        b.Property(i => i.FigureDate).HasMaxLength(10);
        b.Property(i => i.VideoFile).HasMaxLength(300);
        b.Property(i => i.VideoUrl).HasMaxLength(500);
        b.Property(i => i.ContactName).HasMaxLength(200);
        b.Property(i => i.ContactOrganisation).HasMaxLength(200);
        b.Property(i => i.ContactPhone).HasMaxLength(50);
        b.Property(i => i.ContactEmail).HasMaxLength(256);
        b.Property(i => i.ContactLanguages).HasMaxLength(40);
        b.HasMany(i => i.Translations).WithOne(t => t.Item).HasForeignKey(t => t.ItemId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContentTranslationConfiguration : IEntityTypeConfiguration<ContentTranslation>
{
    public void Configure(EntityTypeBuilder<ContentTranslation> b)
    {
        b.ToTable("CampaignTranslations");
        b.Property(t => t.Language).HasMaxLength(3);
        b.Property(t => t.Title).HasMaxLength(200);
        b.Property(t => t.Slug).HasMaxLength(120);
        b.Property(t => t.Summary).HasMaxLength(1000);
        b.Property(t => t.PhotoAlt).HasMaxLength(300);
        b.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(t => t.Translator).HasMaxLength(256);
        b.Property(t => t.UpdatedBy).HasMaxLength(256);
        b.HasIndex(t => new { t.Language, t.Slug }).IsUnique();
        b.HasIndex(t => new { t.ItemId, t.Language }).IsUnique();
        b.HasIndex(t => new { t.Language, t.Status });
    }
}

internal sealed class ContentRevisionConfiguration : IEntityTypeConfiguration<ContentRevision>
{
    public void Configure(EntityTypeBuilder<ContentRevision> b)
    {
        b.ToTable("CampaignRevisions");
        b.HasOne<ContentTranslation>().WithMany().HasForeignKey(r => r.TranslationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => r.TranslationId);
        b.Property(r => r.By).HasMaxLength(256);
        b.Property(r => r.Note).HasMaxLength(100);
        b.Property(r => r.Title).HasMaxLength(200);
        b.Property(r => r.Slug).HasMaxLength(120);
        b.Property(r => r.Summary).HasMaxLength(1000);
        b.Property(r => r.PhotoAlt).HasMaxLength(300);
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
    }
}
