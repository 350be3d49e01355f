using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Campaign.Media;

/// <summary>An uploaded image. Only re-encoded renditions are kept: the original (and its EXIF/GPS data) never is.</summary>
public sealed class MediaAsset
{
    public int Id { get; set; }
    public required string FileName { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public List<MediaRendition> Renditions { get; set; } = [];
}

/// <summary>One responsive width of an image, as JPEG or WebP without metadata. Stored in the database so every node serves it.</summary>
public sealed class MediaRendition
{
    public const string Jpeg = "jpeg";
    public const string Webp = "webp";

    public int Id { get; set; }
    public int AssetId { get; set; }
    public int Width { get; set; }
    /// <summary><see cref="Jpeg"/> (the fallback every browser reads) or <see cref="Webp"/> (lighter, offered first).</summary>
    public string Format { get; set; } = Jpeg;
    public int Height { get; set; }
    public required byte[] Bytes { get; set; }
}

internal sealed class MediaAssetConfiguration : IEntityTypeConfiguration<MediaAsset>
{
    public void Configure(EntityTypeBuilder<MediaAsset> b)
    {
        b.ToTable("CampaignMedia");
        b.Property(m => m.FileName).HasMaxLength(200);
        b.Property(m => m.CreatedBy).HasMaxLength(256);
        b.HasMany(m => m.Renditions).WithOne().HasForeignKey(r => r.AssetId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MediaRenditionConfiguration : IEntityTypeConfiguration<MediaRendition>
{
    public void Configure(EntityTypeBuilder<MediaRendition> b)
    {
        b.ToTable("CampaignMediaRenditions");
        b.Property(r => r.Format).HasMaxLength(8).HasDefaultValue(MediaRendition.Jpeg);
        b.HasIndex(r => new { r.AssetId, r.Width, r.Format }).IsUnique();
    }
}
