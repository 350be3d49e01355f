using System.Globalization;
using Closer.Web.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Campaign.Video;

public enum VideoStatus
{
    Queued,
    Transcoding,
    Ready,
    Failed,
}

/// <summary>One stored rendition: its height, width and size in bytes (the page shows the megabytes).</summary>
public readonly record struct VideoRendition(int Height, int Width, long Bytes)
{
    public string FileName => Height.ToString(CultureInfo.InvariantCulture) + "p.mp4";
}

/// <summary>
/// A self-hosted video. An upload is kept on disk as its source until the transcoding job has written the MP4
/// renditions and the poster (then the source is deleted: like images, the original is not kept). Content items point
/// to a video by its <see cref="Key"/> (the item's "video file"). A job interrupted mid-way (its lease ran out) is
/// taken up again from the start, up to <see cref="VideoOptions.MaxAttempts"/> tries.
/// </summary>
public sealed class CampaignVideo : ILeased
{
    public long Id { get; set; }
    /// <summary>The name in URLs (/video/{key}/240p.mp4) and in a content item's video file field.</summary>
    public required string Key { get; set; }
    public required string FileName { get; set; }
    public VideoStatus Status { get; set; }
    /// <summary>0–100 while transcoding.</summary>
    public int Progress { get; set; }
    /// <summary>The failure in English (a UI-string key), shown in the reader's language.</summary>
    public string? Error { get; set; }
    public int Attempts { get; set; }
    public double DurationSeconds { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public long SourceBytes { get; set; }
    /// <summary>Stored renditions as "height:width:bytes" separated by ';', lightest first.</summary>
    public string Renditions { get; set; } = "";
    /// <summary>A demo video shipped with the app (files under Features/Campaign/Video/Demo/{key}/).</summary>
    public bool IsDemo { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public Guid? ClaimToken { get; set; }
    public DateTimeOffset? ClaimedUntil { get; set; }

    public IReadOnlyList<VideoRendition> RenditionList() =>
        Renditions.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split(':')).Where(p => p.Length == 3)
            .Select(p => new VideoRendition(int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture), long.Parse(p[2], CultureInfo.InvariantCulture)))
            .OrderBy(r => r.Height).ToList();

    public static string Format(IEnumerable<VideoRendition> renditions) =>
        string.Join(';', renditions.OrderBy(r => r.Height).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Height}:{r.Width}:{r.Bytes}")));

    /// <summary>Transcoding, but its lease ran out: the node working on it stopped. It will start again.</summary>
    public bool Interrupted(DateTimeOffset now) => Status == VideoStatus.Transcoding && ClaimedUntil < now;
}

internal sealed class CampaignVideoConfiguration : IEntityTypeConfiguration<CampaignVideo>
{
    public void Configure(EntityTypeBuilder<CampaignVideo> b)
    {
        b.ToTable("CampaignVideos");
        b.Property(v => v.Key).HasMaxLength(80);
        b.HasIndex(v => v.Key).IsUnique();
        b.Property(v => v.FileName).HasMaxLength(200);
        b.Property(v => v.Status).HasConversion<string>().HasMaxLength(12);
        b.Property(v => v.Error).HasMaxLength(300);
        b.Property(v => v.Renditions).HasMaxLength(200);
        b.Property(v => v.CreatedBy).HasMaxLength(256);
        b.HasIndex(v => new { v.Status, v.ClaimedUntil });
    }
}

public sealed class VideoOptions
{
    /// <summary>Where uploads and renditions are stored (relative to the content root); share it between nodes.</summary>
    public string Directory { get; set; } = "data/video";
    /// <summary>The request limit the upload page declares (attributes need a constant); <see cref="MaxUploadBytes"/> may only lower it.</summary>
    public const long DefaultMaxUploadBytes = 500L * 1024 * 1024;

    public long MaxUploadBytes { get; set; } = DefaultMaxUploadBytes;
    /// <summary>The longest one FFmpeg run may take before it is stopped and the job fails.</summary>
    public TimeSpan MaxRunTime { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>How long a claim holds without progress from its worker (progress renews it).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    public int MaxAttempts { get; set; } = 3;
    public bool Worker { get; set; } = true;
}
