using Closer.Web.Features.OpenData;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Dashboards.Situation;

/// <summary>Monthly situation reports (issue 20): the page, its PDF, the highlights and publication (registered by the dashboards).</summary>
public static class SituationFeature
{
    /// <summary>
    /// Output cache of the report pages and PDFs, anonymous readers only (drafts are never cached): tagged like the data page
    /// (reports, plan, figures, organisations, countries, funding) and with <see cref="CacheTag"/>, evicted by every save and
    /// publication of a report.
    /// </summary>
    public const string CachePolicy = "situation";
    public const string CacheTag = "situation";

    public static IServiceCollection AddSituationReports(this IServiceCollection services)
    {
        services.AddOutputCache(o => o.AddPolicy(CachePolicy, b => b
            .Tag([CacheTag, DashboardsFeature.CacheTag, Funding.FundingFeature.CacheTag,
                .. new[] { DataStamps.Reports, DataStamps.Plan, DataStamps.Figures, DataStamps.Organisations, DataStamps.Countries }.Select(DataStamps.Tag)])
            .Expire(TimeSpan.FromMinutes(10))));
        services.AddScoped<SituationPublisher>();
        services.AddScoped<IDemoSeeder, DemoSituationReports>();
        return services;
    }

    public static IEndpointRouteBuilder MapSituationReports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{lang:lang}/data/situation/{scope}/{month}/pdf", PdfAsync).AllowAnonymous().CacheOutput(CachePolicy).ExcludeFromDescription();
        app.MapSituationCharts();
        return app;
    }

    /// <summary>Whether a month has begun (a report of a month to come would show nothing).</summary>
    public static bool HasBegun(SituationScope scope, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return scope.Year < now.Year || (scope.Year == now.Year && scope.MonthNumber <= now.Month);
    }

    /// <summary>The report as a printable PDF, with the same access rule as its page (published, or a draft for its coordinators).</summary>
    private static async Task<Results<FileContentHttpResult, NotFound>> PdfAsync(HttpContext http, string lang, string scope, string month, CloserDbContext db,
        Funding.FundingCoverage coverage, DisclosureControl disclosure, IMemoryCache cache, TimeProvider time, IStringLocalizer<SharedResource> t, CancellationToken ct)
    {
        var view = await SituationReportView.LoadAsync(db, coverage, disclosure, cache, time, scope, month, lang, http.User, ct);
        if (view is null)
        {
            return TypedResults.NotFound();
        }
        if (view.IsDraft)
        {
            http.Response.Headers.CacheControl = "private, no-store";
        }
        var pdf = Languages.InCulture(lang, () => SituationPdf.Render(view, t, lang, disclosure.Threshold));
        return TypedResults.File(pdf, "application/pdf", SituationPdf.FileName(view.Scope, lang));
    }
}
