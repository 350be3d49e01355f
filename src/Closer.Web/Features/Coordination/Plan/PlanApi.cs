using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Plan;

public sealed record SectorDto(string Code, string Name, string? Parent, long PeopleInNeed, long PeopleTargeted, long RequirementUsd, int Partners);
public sealed record IndicatorDto(string Code, string Sector, string Unit, string Name);
public sealed record TargetDto(string Country, string Indicator, string PopulationGroup, long Target, long PeopleInNeed, long RequirementUsd,
    string? Source = null, DateTimeOffset? SetAt = null);
public sealed record PlanDto(int Year, long RequirementUsd, int Partners, string? Source, IReadOnlyList<SectorDto> Sectors,
    IReadOnlyList<IndicatorDto> Indicators, IReadOnlyList<TargetDto> Targets);

/// <summary><c>GET /api/v1/plans/{year}</c> (public: sectors, indicators, targets) and <c>PUT /api/v1/plans/{year}/targets</c>.</summary>
public static class PlanApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/plans/{year:int}", PlanAsync).WithTags("Plan").AllowAnonymous();
        app.MapPut("/api/v1/plans/{year:int}/targets", PutTargetAsync).WithTags("Plan").RequireAuthorization(Policies.ApiUser);
    }

    private static async Task<Results<Ok<PlanDto>, ProblemHttpResult>> PlanAsync(int year, HttpContext http, CloserDbContext db, CancellationToken ct)
    {
        var plan = await db.ResponsePlans.AsNoTracking().FirstOrDefaultAsync(p => p.Year == year, ct);
        if (plan is null)
        {
            return new NotFoundError("plan-not-found", "No response plan for this year.").ToProblem(http);
        }
        var lang = http.Language();
        var sectorPlans = await db.SectorPlans.AsNoTracking().Where(s => s.Year == year).ToDictionaryAsync(s => s.SectorCode, StringComparer.Ordinal, ct);
        var sectors = (await db.Sectors.AsNoTracking().OrderBy(s => s.SortOrder).ToListAsync(ct)).Select(s =>
        {
            var p = sectorPlans.GetValueOrDefault(s.Code);
            return new SectorDto(s.Code, s.Name(lang), s.ParentCode, p?.PeopleInNeed ?? 0, p?.PeopleTargeted ?? 0, p?.RequirementUsd ?? 0, p?.Partners ?? 0);
        }).ToList();
        var indicators = (await db.Indicators.AsNoTracking().OrderBy(i => i.Code).ToListAsync(ct))
            .Select(i => new IndicatorDto(i.Code, i.SectorCode, i.Unit.ToString(), i.Name(lang))).ToList();
        var targets = await db.PlanTargets.AsNoTracking().Where(t => t.Year == year).OrderBy(t => t.CountryIso3).ThenBy(t => t.IndicatorCode).ThenBy(t => t.PopulationGroup)
            .Select(t => new TargetDto(t.CountryIso3, t.IndicatorCode, t.PopulationGroup, t.Target, t.PeopleInNeed, t.RequirementUsd, t.Source, t.SetAt)).ToListAsync(ct);
        return TypedResults.Ok(new PlanDto(plan.Year, plan.RequirementUsd, plan.Partners, plan.Source, sectors, indicators, targets));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> PutTargetAsync(int year, TargetInput input, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        var error = await SetTargetCommand.RunAsync(year, input, Actor.From(http.User), db, time.GetUtcNow(), ct);
        if (error is not null)
        {
            return error.ToProblem(http);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
