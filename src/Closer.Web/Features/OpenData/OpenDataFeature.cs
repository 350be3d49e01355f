using Closer.Web.Features.OpenData.OData;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.OpenData;

/// <summary>Open data: the public API with HXL, OpenAPI and its reference page, conditional requests, dataset list, live figures.</summary>
public static class OpenDataFeature
{
    /// <summary>Output-cache policy of the open-data pages, evicted with any dataset.</summary>
    public const string PagePolicy = "opendata";

    public static IServiceCollection AddOpenData(this IServiceCollection services)
    {
        services.AddSingleton<DataStampInterceptor>();
        // Every context of the app stamps the datasets its changes touch (whatever feature writes).
        services.ConfigureDbContext<SqliteCloserDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<DataStampInterceptor>()));
        services.ConfigureDbContext<PostgresCloserDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<DataStampInterceptor>()));
        services.AddOutputCache(o =>
        {
            o.AddBasePolicy(new PublicApiCachePolicy());
            o.AddPolicy(PagePolicy, b => b.Tag([.. DataStamps.Known.Select(DataStamps.Tag)]).Expire(TimeSpan.FromMinutes(10)));
        });
        services.AddTransient<IStartupFilter, ConditionalRequestsStartupFilter>();
        services.AddHostedService<DataStampPruner>();
        services.AddScoped<DatasetCatalog>();
        services.AddScoped<DatasetTables>();
        services.AddScoped<LiveFigures>();
        services.AddSingleton<PublicActivities>();
        services.AddOptions<Disclosure.DisclosureOptions>().BindConfiguration(Disclosure.DisclosureOptions.Section);
        services.AddSingleton<Disclosure.DisclosureControl>();
        services.AddScoped<OData.IReportCellDisclosure, Disclosure.FeedCellDisclosure>();
        services.AddCloserOpenApi();
        services.AddODataFeed();
        return services;
    }

    public static IEndpointRouteBuilder MapOpenDataApi(this IEndpointRouteBuilder app)
    {
        OpenDataApi.Map(app);
        app.MapODataFeed();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
