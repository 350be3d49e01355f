using Closer.Web.Features.Notifications;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Markdown;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Closer.Web.Features.Subscriptions;

public static class SubscriptionsFeature
{
    public static IServiceCollection AddSubscriptions(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("Subscriptions");
        services.Configure<SubscriptionOptions>(section);
        // One site address for all e-mail: Site:PublicBaseUrl (or the forum's older setting) serves when this one is not given.
        if (section[nameof(SubscriptionOptions.PublicBaseUrl)] is null && PublicSite.Configured(configuration) is { } siteBase)
        {
            services.PostConfigure<SubscriptionOptions>(o => o.PublicBaseUrl = siteBase);
        }
        services.TryAddSingleton<MarkdownRenderer>(); // shared with the forum and the campaign
        services.AddSingleton<SubscriptionTokens>();
        services.AddScoped<SubscriptionMail>();
        services.AddScoped<SubscriptionNotifier>();
        services.AddScoped<IChangeNotifications>(sp => sp.GetRequiredService<SubscriptionNotifier>());
        services.AddScoped<SubscriptionJobs>();
        services.AddScoped<IDemoSeeder, DemoSubscriptions>();
        services.AddHostedService<SubscriptionScheduler>();
        return services;
    }
}
