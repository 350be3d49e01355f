using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Campaign.Video;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Campaign.Public;

public sealed record SubtitleTrack(int Id, string Language);
public sealed record VideoView(ContentView View, IReadOnlyList<SubtitleTrack> Tracks, VideoPlayer? Player);

[AllowAnonymous]
[OutputCache(PolicyName = VideoFeature.CachePolicy)]
public sealed class VideosModel(ContentService content, CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t) : CampaignPageModel
{
    public List<VideoView> Videos { get; private set; } = [];
    public bool SaveData { get; private set; }
    public string Origin => PageLinks.Absolute(HttpContext, "");

    /// <param name="size">The rendition the reader picked (its height), from the size links: works without JavaScript.</param>
    public async Task OnGetAsync(int? size, CancellationToken ct)
    {
        var views = await content.ListAsync(Lang, ContentKind.Video, ct);
        var ids = views.Select(v => v.Item.Id).ToList();
        var now = time.GetUtcNow();
        var tracks = await db.CampaignTranslations.AsNoTracking()
            .Where(x => ids.Contains(x.ItemId) && x.SubtitleVtt != null && x.Status == TranslationStatus.Published && (x.PublishAt == null || x.PublishAt <= now))
            .Select(x => new { x.ItemId, x.Id, x.Language }).ToListAsync(ct);
        SaveData = VideoPlayer.SaveData(Request);
        Response.Headers.Vary = "Save-Data";
        var videos = await VideoPlayer.ReadyAsync(db, views.Select(v => v.Item.VideoFile), ct);
        Videos = views.Select(v => new VideoView(v, tracks.Where(x => x.ItemId == v.Item.Id)
            .OrderBy(x => Languages.All.ToList().IndexOf(x.Language))
            .Select(x => new SubtitleTrack(x.Id, x.Language)).ToList(),
            VideoPlayer.For(v.Item.VideoFile is { } key ? videos.GetValueOrDefault(key) : null, size, SaveData, v.Shown.SubtitleVtt))).ToList();
        Describe(t["Videos"], t["Every video has subtitles in English, Spanish, Portuguese and Papiamentu."], "videos");
    }
}
