using System.Threading.RateLimiting;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Campaign.Pledges;
using Closer.Web.Features.Campaign.Public;
using Closer.Web.Features.Campaign.Video;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Closer.Web.Features.Campaign;

public static class CampaignFeature
{
    /// <summary>Output-cache policy of anonymous public campaign pages, evicted by tag on every content change.</summary>
    public const string CachePolicy = "campaign";
    /// <summary>
    /// Campaign pages that show pledge counts (the home page, a country's page): also tagged with the pledges dataset, which
    /// the data stamp interceptor evicts after each pledge's commit, so a pledge re-renders these pages only, not every
    /// story, fact and video of the campaign.
    /// </summary>
    public const string PledgeCountsPolicy = "campaign-pledge-counts";
    public const string PledgeLimiter = "pledge";

    public static IServiceCollection AddCampaign(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<Infrastructure.Markdown.MarkdownRenderer>(); // shared with the forum
        services.AddScoped<ContentService>();
        services.AddScoped<Public.PictureSizes>();
        services.AddScoped<ContentEditor>();
        services.AddScoped<PledgeService>();
        services.AddSingleton<PledgeFormToken>();
        services.AddSingleton<SupporterTokens>();
        services.AddScoped<SupporterMail>();
        services.AddSingleton<SupporterCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<SupporterCleanup>());
        services.AddSingleton<SocialImage>();
        services.AddSingleton<Sharing.KitImage>();
        services.AddScoped<Sharing.CampaignKit>();
        services.AddScoped<Media.MediaLibrary>();
        services.AddSingleton<Analytics.PageViewCounter>();
        services.AddHostedService(sp => sp.GetRequiredService<Analytics.PageViewCounter>());
        services.AddTransient<IStartupFilter, Analytics.PageViewStartupFilter>();
        services.AddScoped<IDemoSeeder, DemoCampaign>();
        services.AddSingleton<Identity.IdentityStore>();
        services.AddSingleton<Shared.ICampaignIdentitySource>(sp => sp.GetRequiredService<Identity.IdentityStore>());
        services.AddSingleton<Infrastructure.Data.IDataChangeListener>(sp => sp.GetRequiredService<Identity.IdentityStore>());
        services.AddTransient<IStartupFilter, Identity.IdentityStartupFilter>();
        services.AddCampaignVideo(configuration);
        services.AddOutputCache(o =>
        {
            o.AddPolicy(CachePolicy, b => b.Tag(ContentService.CacheTag).Expire(TimeSpan.FromMinutes(10)));
            o.AddPolicy(PledgeCountsPolicy, b => b.Tag(ContentService.CacheTag, OpenData.DataStamps.Tag(OpenData.DataStamps.Pledges))
                .Expire(TimeSpan.FromMinutes(10)));
        });
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(PledgeLimiter, ctx =>
            HttpMethods.IsPost(ctx.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(PledgeLimiter + ":" + SecuritySetup.ClientKey(ctx), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = configuration.GetValue("RateLimits:PledgesPerHour", 5),
                    Window = TimeSpan.FromHours(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("")));
        return services;
    }

    public static IEndpointRouteBuilder MapCampaignApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/pledges/summary", SummaryAsync).AllowAnonymous().WithTags("Campaign");
        app.MapGet("/{lang:lang}/feed.xml", Discovery.FeedAsync).AllowAnonymous().CacheOutput(CachePolicy);
        app.MapGet("/sitemap.xml", Discovery.SitemapAsync).AllowAnonymous()
            .CacheOutput(b => b.Tag(ContentService.CacheTag, Infrastructure.Sitemap.CacheTag).Expire(TimeSpan.FromMinutes(10)));
        app.MapGet("/robots.txt", Discovery.Robots).AllowAnonymous();
        app.MapGet("/campaign/subtitles/{id:int}.vtt", Discovery.SubtitlesAsync).AllowAnonymous().CacheOutput(CachePolicy);
        app.MapGet("/{lang:lang}/og/page/{page}.png", SocialImage.PageCard).AllowAnonymous().CacheOutput(CachePolicy);
        app.MapGet("/{lang:lang}/og/content/{id:int}.png", SocialImage.ContentCard).AllowAnonymous().CacheOutput(CachePolicy);
        app.MapGet("/{lang:lang}/kit/{id:int}/{file}.png", Sharing.CampaignKit.ServeAsync).AllowAnonymous().CacheOutput(CachePolicy);
        app.MapGet("/media/{id:int}/{width:int}.jpg", Media.MediaLibrary.ServeJpegAsync).AllowAnonymous();
        app.MapGet("/media/{id:int}/{width:int}.webp", Media.MediaLibrary.ServeWebpAsync).AllowAnonymous();
        app.MapGet("/campaign/mark/{id:int}.svg", Identity.IdentityStore.ServeMarkAsync).AllowAnonymous();
        app.MapCampaignVideo();
        app.MapGet("/{lang:lang}/press/briefing-kit.zip", BriefingKit.DownloadAsync).AllowAnonymous().CacheOutput(CachePolicy);
        return app;
    }

    private static async Task<Ok<PledgeSummary>> SummaryAsync(PledgeService pledges, CancellationToken ct) =>
        TypedResults.Ok(await pledges.SummaryAsync(ct));
}
