using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Campaign.Media;
using Closer.Web.Features.Campaign.Pledges;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Data;

public abstract partial class CloserDbContext
{
    public DbSet<ContentItem> CampaignItems => Set<ContentItem>();
    public DbSet<ContentTranslation> CampaignTranslations => Set<ContentTranslation>();
    public DbSet<ContentRevision> CampaignRevisions => Set<ContentRevision>();
    public DbSet<Pledge> Pledges => Set<Pledge>();
    public DbSet<MediaAsset> CampaignMedia => Set<MediaAsset>();
    public DbSet<MediaRendition> CampaignMediaRenditions => Set<MediaRendition>();
    public DbSet<Closer.Web.Features.Campaign.Video.CampaignVideo> CampaignVideos => Set<Closer.Web.Features.Campaign.Video.CampaignVideo>();
    public DbSet<Closer.Web.Features.Campaign.Identity.IdentityRevision> CampaignIdentityRevisions => Set<Closer.Web.Features.Campaign.Identity.IdentityRevision>();
    public DbSet<Closer.Web.Features.Campaign.Analytics.PageViewCount> CampaignPageViews => Set<Closer.Web.Features.Campaign.Analytics.PageViewCount>();
}
