using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Features.Coordination.Countries;
using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Features.Coordination.Imports.Kobo;
using Closer.Web.Features.Coordination.Plan;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;

namespace Closer.Web.Features.Coordination;

/// <summary>
/// Registration only: each room (Reports, Imports, Plan, Countries, Audit) maps its own endpoints and keeps its own
/// rules. See README.md for what each room owns.
/// </summary>
public static class CoordinationFeature
{
    public static IServiceCollection AddCoordination(this IServiceCollection services)
    {
        services.AddScoped<ReportImporter>();
        // The API's country and sector parameters are checked against the directory (ApiContract).
        services.AddScoped<Infrastructure.Api.ICodeDirectory, CodeDirectory>();
        services.AddScoped<Imports.Kobo.KoboImport>();
        services.AddKoboPull();
        services.AddSingleton<ReportMail>();
        services.AddImportJobs();
        services.AddImportRateLimit();
        services.AddScoped<IDemoSeeder, CoordinationReferenceSeeder>();
        services.AddScoped<IDemoSeeder, DemoCoordination>();
        return services;
    }

    public static IEndpointRouteBuilder MapCoordinationApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/v1/reports").WithTags("Reports").RequireAuthorization(Policies.ApiUser);
        ReportsApi.Map(reports);
        ImportsApi.Map(reports);
        Imports.Kobo.KoboApi.Map(reports);
        ReportsApi.MapPeriods(app);
        ImportJobs.MapImportJobsApi(app);
        AuditApi.Map(app);
        CountriesApi.Map(app);
        PlanApi.Map(app);
        return app;
    }
}
