using System.Threading.RateLimiting;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.OData;
using Microsoft.AspNetCore.OData.Routing.Controllers;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OData.Edm;
using Microsoft.OData.ModelBuilder;

namespace Closer.Web.Features.OpenData.OData;

/// <summary>
/// The read-only OData v4 feed at <c>/odata</c> (Microsoft.AspNetCore.OData), for Excel's and Power BI's "OData feed"
/// connectors. OData's server runs on MVC controllers; the app has none otherwise, so MVC is added for OData's
/// controllers only (<see cref="ODataControllersOnly"/>) and no other controller can appear by accident.
/// </summary>
public static class ODataFeed
{
    public const string RoutePrefix = "odata";

    /// <summary>Rows per page of server-driven paging (and the largest $top) unless <c>OData:PageSize</c> says otherwise.</summary>
    public const int DefaultPageSize = 5000;

    public const string RateLimitPolicy = "odata";

    public static IEdmModel Model { get; } = BuildModel();

    private static IEdmModel BuildModel()
    {
        // The feed's own assembly is the only place its entity types (sealed) and any derived type could be: by default
        // the builder looks for derived types in every type of every loaded assembly, which loads tens of thousands of
        // types (ASP.NET Core, EF Core, Npgsql, Redis, ...) into the runtime's type heaps for good.
        var b = new ODataConventionModelBuilder(new FeedAssemblies()) { Namespace = "Closer.OpenData", ContainerName = "Closer" };
        // Composite keys come from [Key, Column(Order)] on the entities: HasKey would order them by name.
        b.EntitySet<ReportCell>("ReportCells");
        b.EntitySet<PlanTargetEntry>("PlanTargets");
        b.EntitySet<PopulationFigureEntry>("PopulationFigures");
        b.EntitySet<FundingEntry>("Funding").EntityType.HasKey(f => f.Id);
        return b.GetEdmModel();
    }

    public static IServiceCollection AddODataFeed(this IServiceCollection services)
    {
        services.AddScoped<PublicFeedQueries>();
        services.AddOptions<ODataFeedOptions>().BindConfiguration(ODataFeedOptions.Section)
            .Validate(o => o.PageSize is >= 1 and <= 100_000, "OData:PageSize must be 1 to 100000.").ValidateOnStart();
        services.AddControllers()
            .ConfigureApplicationPartManager(m =>
            {
                foreach (var provider in m.FeatureProviders.OfType<ControllerFeatureProvider>().ToList())
                {
                    m.FeatureProviders.Remove(provider);
                }
                m.FeatureProviders.Add(new ODataControllersOnly());
            })
            .AddOData((o, sp) => o.Select().Filter().OrderBy().Count()
                .SetMaxTop(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ODataFeedOptions>>().Value.PageSize)
                .AddRouteComponents(RoutePrefix, Model, routeServices => routeServices
                    // Whole rows are written straight to JSON (FeedPageSerializer); the rest stays OData's own serializer.
                    .AddSingleton<Microsoft.AspNetCore.OData.Formatter.Serialization.ODataResourceSetSerializer, FeedPageSerializer>()
                    // Errors carry a code and a fixed message only: no inner error, stack trace or exception text.
                    .AddSingleton<Microsoft.AspNetCore.OData.Formatter.Serialization.ODataErrorSerializer, SafeErrorSerializer>()))
            // OData's assembly is a part for its $metadata controller only: as a whole assembly, MVC would look at every one
            // of its types (for controllers, tag helpers, view components), loading thousands of them for good.
            .ConfigureApplicationPartManager(m =>
            {
                var odata = typeof(MetadataController).Assembly;
                if (m.ApplicationParts.OfType<AssemblyPart>().FirstOrDefault(p => p.Assembly == odata) is { } part)
                {
                    m.ApplicationParts[m.ApplicationParts.IndexOf(part)] = new ControllerTypes(part.Name, typeof(MetadataController));
                }
            });
        // Anonymous readers share the machine with everyone: a generous per-client budget, like the other public limits.
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((o, configuration) =>
            o.AddPolicy(RateLimitPolicy, ctx => RateLimitPartition.GetFixedWindowLimiter(
                RateLimitPolicy + ":" + SecuritySetup.ClientKey(ctx),
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = configuration.GetValue("RateLimits:ODataPerMinute", 600),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })));
        return services;
    }

    /// <summary>Maps the feed: anonymous, read-only, rate-limited per client.</summary>
    public static IEndpointRouteBuilder MapODataFeed(this IEndpointRouteBuilder app)
    {
        app.MapControllers().AllowAnonymous().RequireRateLimiting(RateLimitPolicy);
        return app;
    }

    private sealed class ControllerTypes(string name, params Type[] types) : ApplicationPart, IApplicationPartTypeProvider
    {
        public override string Name => name;

        public IEnumerable<System.Reflection.TypeInfo> Types => types.Select(System.Reflection.IntrospectionExtensions.GetTypeInfo);
    }

    private sealed class FeedAssemblies : IAssemblyResolver
    {
        public IEnumerable<System.Reflection.Assembly> Assemblies { get; } = [typeof(ReportCell).Assembly];
    }

    /// <summary>Only OData's controllers (the feed's entity sets and OData's own $metadata controller) are controllers.</summary>
    private sealed class ODataControllersOnly : ControllerFeatureProvider
    {
        protected override bool IsController(System.Reflection.TypeInfo typeInfo) =>
            base.IsController(typeInfo)
            && ((typeInfo.Namespace == typeof(ODataFeed).Namespace && typeof(ODataController).IsAssignableFrom(typeInfo))
                || typeInfo.Assembly == typeof(MetadataController).Assembly);
    }
}
