using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Jobs;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Campaign.Video;

/// <summary>
/// Transcodes queued uploads, one at a time per node: claims a video with a lease (any node may take it), writes the
/// renditions and the poster, reporting progress (which renews the lease), and ends Ready or Failed in one update.
/// A node that stops mid-way leaves a claim that expires: the video is taken up again from the start (renditions are
/// written to a temporary name first, so a half-written file is never served), until <see cref="VideoOptions.MaxAttempts"/>.
/// </summary>
public sealed class VideoJob(IServiceProvider services, TimeProvider time, IOptions<VideoOptions> options, ILogger<VideoJob> logger)
    : HostedJob(services, time, logger)
{
    public override string Name => "video-transcode";
    protected override bool Enabled => options.Value.Worker;
    protected override TimeSpan Interval => options.Value.PollInterval;
    protected override bool RepeatWhileBusy => true;

    protected override async Task<int> RunAsync(IServiceProvider scope, CancellationToken ct)
    {
        var db = scope.GetRequiredService<CloserDbContext>();
        var now = Time.GetUtcNow();
        var o = options.Value;
        // Interrupted too often: a file that crashes FFmpeg must not be retried for ever.
        await db.CampaignVideos.Where(v => v.Status == VideoStatus.Transcoding && v.Attempts >= o.MaxAttempts && v.ClaimedUntil < now)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, VideoStatus.Failed)
                .SetProperty(v => v.Error, "The video was interrupted too many times while transcoding.").SetProperty(v => v.FinishedAt, now).Release(), ct);
        var lease = await db.CampaignVideos.Where(v => v.Status == VideoStatus.Queued || (v.Status == VideoStatus.Transcoding && v.Attempts < o.MaxAttempts))
            .ClaimAsync(now, o.Lease, 1, s => s.SetProperty(v => v.Status, VideoStatus.Transcoding).SetProperty(v => v.Attempts, v => v.Attempts + 1)
                .SetProperty(v => v.Progress, 0), ct);
        if (lease is not { } held)
        {
            return 0;
        }
        var video = await db.CampaignVideos.AsNoTracking().HeldBy(held.Token).SingleAsync(ct);
        var store = scope.GetRequiredService<VideoStore>();
        var transcoder = scope.GetRequiredService<VideoTranscoder>();
        string? error;
        try
        {
            error = await TranscodeAsync(db, store, transcoder, video, held.Token, ct);
        }
        catch (FileNotFoundException) when (!VideoTranscoder.Available)
        {
            error = VideoTranscoder.MissingFfmpeg;
        }
        var end = Time.GetUtcNow();
        if (error is not null)
        {
            Logger.LogWarning("Video {Key} failed: {Error}", video.Key, error);
            await db.CampaignVideos.HeldBy(held.Token).ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, VideoStatus.Failed)
                .SetProperty(v => v.Error, error).SetProperty(v => v.FinishedAt, end).Release(), ct);
        }
        else
        {
            await scope.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(ContentService.CacheTag, ct);
        }
        return 1;
    }

    private async Task<string?> TranscodeAsync(CloserDbContext db, VideoStore store, VideoTranscoder transcoder, CampaignVideo video, Guid token, CancellationToken ct)
    {
        var source = store.SourceOf(video);
        if (!File.Exists(source))
        {
            return "The uploaded file is missing.";
        }
        var (probe, probeError) = await transcoder.ProbeAsync(source, ct);
        if (probe is null)
        {
            return probeError!.Message;
        }
        var folder = store.FolderOf(video);
        var steps = VideoTranscoder.HeightsFor(probe.Height);
        var done = new List<VideoRendition>();
        var lastReport = 0;
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var index = i;
            var (bytes, failure) = await transcoder.RenditionAsync(source, Path.Combine(folder, $"{step.Height}p.mp4"), step, async seconds =>
            {
                var share = probe.DurationSeconds > 0 ? Math.Clamp(seconds / probe.DurationSeconds, 0, 1) : 0;
                var percent = (int)((index + share) * 95 / steps.Count);
                if (percent > lastReport)
                {
                    lastReport = percent;
                    var until = Time.GetUtcNow() + options.Value.Lease;
                    await db.CampaignVideos.HeldBy(token).ExecuteUpdateAsync(s => s.SetProperty(v => v.Progress, percent).Renew(until), ct);
                }
            }, ct);
            if (failure is not null)
            {
                return failure.Message;
            }
            var width = probe.Height > 0 ? (int)Math.Round(probe.Width * (double)step.Height / probe.Height / 2) * 2 : 0;
            done.Add(new VideoRendition(step.Height, width, bytes));
        }
        var (_, posterError) = await transcoder.PosterAsync(source, Path.Combine(folder, VideoStore.Poster), probe.DurationSeconds, probe.Height, ct);
        if (posterError is not null)
        {
            return posterError.Message;
        }
        var now = Time.GetUtcNow();
        var renditions = CampaignVideo.Format(done);
        var updated = await db.CampaignVideos.HeldBy(token).ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, VideoStatus.Ready)
            .SetProperty(v => v.Progress, 100).SetProperty(v => v.Error, (string?)null).SetProperty(v => v.Renditions, renditions)
            .SetProperty(v => v.Width, probe.Width).SetProperty(v => v.Height, probe.Height).SetProperty(v => v.DurationSeconds, probe.DurationSeconds)
            .SetProperty(v => v.FinishedAt, now).Release(), ct);
        if (updated == 1)
        {
            // The original is not kept (as with images): only the renditions the page serves.
            File.Delete(source);
        }
        return null;
    }
}
