using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Video;

/// <summary>
/// The two demo videos shipped with the app (made by tools/make-demo-videos.sh: generated images, a synthetic voice,
/// 12 s each), registered as ready videos so a fresh <c>dotnet run</c> plays them. The demo content items point to them.
/// </summary>
public sealed class DemoVideos(VideoStore store, TimeProvider time) : IDemoSeeder
{
    public static readonly string[] Keys = ["demo-spot", "demo-cucuta"];

    public int Order => 31;

    public async Task SeedAsync(CloserDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var key in Keys)
        {
            if (await db.CampaignVideos.AnyAsync(v => v.Key == key, cancellationToken))
            {
                continue;
            }
            var folder = Path.Combine(store.DemoRoot, key);
            var renditions = new[] { (240, 426), (360, 640) }
                .Select(r => (r, file: new FileInfo(Path.Combine(folder, $"{r.Item1}p.mp4")))).Where(x => x.file.Exists)
                .Select(x => new VideoRendition(x.r.Item1, x.r.Item2, x.file.Length)).ToList();
            db.CampaignVideos.Add(new CampaignVideo
            {
                Key = key, FileName = key + ".mp4", IsDemo = true, CreatedAt = now.AddDays(-40), FinishedAt = now.AddDays(-40), CreatedBy = "demo",
                // A deployment without the demo files still seeds; the page then shows no player for them.
                Status = renditions.Count > 0 ? VideoStatus.Ready : VideoStatus.Failed, Error = renditions.Count > 0 ? null : "The uploaded file is missing.",
                Progress = 100, Width = 640, Height = 360, DurationSeconds = 12, Renditions = CampaignVideo.Format(renditions),
            });
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
