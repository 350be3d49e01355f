using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Features.Dashboards.Gaps;
using Closer.Web.Features.Dashboards.Situation;
using Closer.Web.Features.Dashboards.Views;
using Closer.Web.Features.OpenData;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Jobs;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Dashboards;

/// <summary>Public and partner dashboards over pre-aggregated 5W data, and their downloads (issue 5).</summary>
public static class DashboardsFeature
{
    /// <summary>
    /// Output-cache policy of the public data page (anonymous only). It is tagged with the open-data datasets it shows
    /// and with funding (the page embeds the funding coverage): the data-stamp interceptor evicts those tags when a
    /// change of reports, figures, targets or organisations commits, on every node.
    /// </summary>
    public const string CachePolicy = "dashboards";
    public const string CacheTag = "dashboards";

    public static IServiceCollection AddDashboards(this IServiceCollection services)
    {
        services.AddOutputCache(o => o.AddPolicy(CachePolicy, b => b
            .Tag([CacheTag, Closer.Web.Features.Funding.FundingFeature.CacheTag,
                .. new[] { DataStamps.Reports, DataStamps.Plan, DataStamps.Figures, DataStamps.Organisations, DataStamps.Countries }.Select(DataStamps.Tag)])
            .Expire(TimeSpan.FromMinutes(10))
            .SetVaryByHeader("Accept-Language")));
        // The aggregates follow every write of reports, in its transaction (see AggregatesInterceptor).
        services.AddSingleton<AggregatesInterceptor>();
        services.ConfigureDbContext<SqliteCloserDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<AggregatesInterceptor>()));
        services.ConfigureDbContext<PostgresCloserDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<AggregatesInterceptor>()));
        services.AddScoped<IDemoSeeder, DemoAggregates>();
        services.AddHostedService<AggregatesBackfill>();
        services.AddSituationReports();
        return services;
    }

    public static IEndpointRouteBuilder MapDashboardsApi(this IEndpointRouteBuilder app)
    {
        // Cached like every public dataset endpoint, by the open-data base policy (tags by path, evicted on commit).
        var g = app.MapGroup("/api/v1/dashboards").WithTags("Dashboards").AllowAnonymous();
        g.MapGet("/response", ResponseAsync).OneOf("by", ["sector", "country", "cells"]).CountryCodes().SectorCodes(withSubSectors: true);
        g.MapGet("/refugees", RefugeesAsync).Paged();
        g.MapGet("/refugees/series", SeriesAsync).Paged().CountryCodes();
        g.MapGet("/partners", PartnersAsync);
        g.MapGapsApi();
        app.MapChartFiles();
        app.MapSituationReports();
        return app;
    }

    private static string Lang(HttpContext http) => http.Language();

    private static Results<Ok<T>, FileContentHttpResult, ProblemHttpResult> Send<T>(HttpContext http, string? format, T json, Func<ExportTable> table, string file)
    {
        switch ((format ?? "json").ToLowerInvariant())
        {
            case "json":
                return TypedResults.Ok(json);
            case "csv" or "xlsx":
                var (content, type, extension) = table().File(format!, Lang(http));
                return TypedResults.File(content, type, file + extension);
            default:
                return new BadRequestError("unknown-format", "The format must be json, csv or xlsx.").ToProblem(http);
        }
    }

    /// <summary>People reached vs target of a plan year (validated reports only), per sector, per country and per country × sector.</summary>
    private static async Task<Results<Ok<ResponseFigures>, FileContentHttpResult, ProblemHttpResult>> ResponseAsync(HttpContext http, CloserDbContext db, TimeProvider time,
        DisclosureControl disclosure, int? year, string? country, string? sector, string? format, string? by, CancellationToken ct)
    {
        if (by is { Length: > 0 } && by is not ("sector" or "country" or "cells"))
        {
            return new BadRequestError("unknown-shape", "The table is by sector, country or cells.").ToProblem(http);
        }
        var names = await Names.LoadAsync(db, Lang(http), ct);
        var y = year ?? await DashboardData.CurrentYearAsync(db, time, ct);
        var audience = DisclosureAudience.For(http.User);
        var figures = await DashboardData.ResponseAsync(db, names, y, country, sector, disclosure, audience, ct);
        DisclosureResponse.Mark(http, figures.DisclosureApplied, audience, disclosure);
        CountingRule.Mark(http.Response);
        var shape = by is "country" or "cells" ? by : "sector";
        return Send(http, format, figures, () => Exports.ResponseTable(figures, shape), $"reached-{shape}-{y}");
    }

    /// <summary>The latest figure of refugees and migrants per country, with date and source.</summary>
    private static async Task<Results<Ok<List<FigurePoint>>, FileContentHttpResult, ProblemHttpResult>> RefugeesAsync(HttpContext http, CloserDbContext db, string? format, CancellationToken ct)
    {
        var names = await Names.LoadAsync(db, Lang(http), ct);
        var latest = Paging.Page(http, await DashboardData.LatestFiguresAsync(db, names, ct)).ToList();
        return Send(http, format, latest, () => Exports.FiguresTable(latest, "refugees-latest"), "refugees-and-migrants-latest");
    }

    /// <summary>Figures over time (all countries, or those given as <c>country=</c>, repeatable).</summary>
    private static async Task<Results<Ok<List<FigureSeries>>, FileContentHttpResult, ProblemHttpResult>> SeriesAsync(HttpContext http, CloserDbContext db, string[]? country, string? format, CancellationToken ct)
    {
        var names = await Names.LoadAsync(db, Lang(http), ct);
        var countries = (country ?? []).Select(c => c.Trim().ToUpperInvariant()).ToList();
        if (countries.Any(c => c.Length != 3 || !c.All(char.IsAsciiLetterUpper)))
        {
            return new BadRequestError("bad-country", "Countries are ISO 3166-1 alpha-3 codes, such as COL.").ToProblem(http);
        }
        var series = Paging.Page(http, await DashboardData.FigureSeriesAsync(db, names, countries, ct)).ToList();
        return Send(http, format, series, () => Exports.FiguresTable(series.SelectMany(s => s.Points), "refugees-over-time"), "refugees-and-migrants-over-time");
    }

    /// <summary>Partner organisations with validated reports of a plan year, per country × sector.</summary>
    private static async Task<Results<Ok<PartnerFigures>, FileContentHttpResult, ProblemHttpResult>> PartnersAsync(HttpContext http, CloserDbContext db, TimeProvider time, int? year, string? format, CancellationToken ct)
    {
        var names = await Names.LoadAsync(db, Lang(http), ct);
        var y = year ?? await DashboardData.CurrentYearAsync(db, time, ct);
        var partners = await DashboardData.PartnersAsync(db, names, y, ct);
        return Send(http, format, partners, () => Exports.PartnersTable(partners), $"partners-{y}");
    }
}

/// <summary>Builds the aggregates of the demo reports (after every other seeder).</summary>
internal sealed class DemoAggregates : IDemoSeeder
{
    public int Order => 90;

    public Task SeedAsync(CloserDbContext db, CancellationToken cancellationToken) => ResponseAggregates.RebuildAllAsync(db, cancellationToken);
}

/// <summary>
/// On start, before the app serves, fills the aggregates of a database that has reports but no aggregates yet (one upgraded
/// from before the dashboards, or from before the "to date" tables); a no-op otherwise. If that fails (the database is away), it is tried again in the background.
/// </summary>
internal sealed class AggregatesBackfill(IServiceProvider services, TimeProvider time, ILogger<AggregatesBackfill> logger) : HostedJob(services, time, logger)
{
    public override string Name => "aggregates-backfill";
    protected override JobStart Start => JobStart.BeforeServing;
    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

    protected override async Task<int> RunAsync(IServiceProvider scope, CancellationToken ct)
    {
        var db = scope.GetRequiredService<CloserDbContext>();
        // Also a database upgraded from before the "to date" tables (migration ToDateAggregatesSearchPostRows): validated months but no to-date rows.
        var complete = await db.ResponseMonths.AnyAsync(ct)
            && (await db.ResponseToDates.AnyAsync(ct) || !await db.ResponseMonths.AnyAsync(m => m.Status == Coordination.ReportStatus.Validated, ct));
        if (complete || !await db.ActivityReports.AnyAsync(r => r.DeletedAt == null, ct))
        {
            return 0;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ResponseAggregates.RebuildAllAsync(db, ct);
        await DataStamps.MarkChangedAsync(db, DataStamps.Reports, Time.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return 1;
    }
}
