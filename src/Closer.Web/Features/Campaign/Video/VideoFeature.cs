using Closer.Web.Features.Campaign.Content;

namespace Closer.Web.Features.Campaign.Video;

/// <summary>Self-hosted campaign video: uploads, the transcoding job, serving, the demo videos.</summary>
public static class VideoFeature
{
    /// <summary>The videos page's output cache: per <c>Save-Data</c> header and picked size, evicted with the content.</summary>
    public const string CachePolicy = "campaign-video";

    public static IServiceCollection AddCampaignVideo(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<VideoOptions>(configuration.GetSection("Campaign:Video"));
        services.AddScoped<VideoStore>();
        services.AddSingleton<VideoTranscoder>();
        services.AddSingleton<VideoJob>();
        services.AddHostedService(sp => sp.GetRequiredService<VideoJob>());
        services.AddScoped<Infrastructure.Data.IDemoSeeder, DemoVideos>();
        services.AddOutputCache(o => o.AddPolicy(CachePolicy, b => b.Tag(ContentService.CacheTag).SetVaryByHeader("Save-Data")
            .SetVaryByQuery("size").Expire(TimeSpan.FromMinutes(10))));
        return services;
    }

    public static IEndpointRouteBuilder MapCampaignVideo(this IEndpointRouteBuilder app)
    {
        app.MapGet("/video/{key}/{file}", VideoStore.ServeAsync).AllowAnonymous().WithTags("Campaign");
        return app;
    }
}
