using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Campaign.Public;

public sealed record SubtitleTrack(int Id, string Language);
public sealed record VideoView(ContentView View, IReadOnlyList<SubtitleTrack> Tracks);

[AllowAnonymous]
[OutputCache(PolicyName = CampaignFeature.CachePolicy)]
public sealed class VideosModel(ContentService content, CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t) : CampaignPageModel
{
    public List<VideoView> Videos { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var views = await content.ListAsync(Lang, ContentKind.Video, ct);
        var ids = views.Select(v => v.Item.Id).ToList();
        var now = time.GetUtcNow();
        var tracks = await db.CampaignTranslations.AsNoTracking()
            .Where(x => ids.Contains(x.ItemId) && x.SubtitleVtt != null && x.Status == TranslationStatus.Published && (x.PublishAt == null || x.PublishAt <= now))
            .Select(x => new { x.ItemId, x.Id, x.Language }).ToListAsync(ct);
        Videos = views.Select(v => new VideoView(v, tracks.Where(x => x.ItemId == v.Item.Id)
            .OrderBy(x => Languages.All.ToList().IndexOf(x.Language))
            .Select(x => new SubtitleTrack(x.Id, x.Language)).ToList())).ToList();
        Describe(t["Videos"], t["Every video has subtitles in English, Spanish, Portuguese and Papiamentu."], "videos");
    }
}
