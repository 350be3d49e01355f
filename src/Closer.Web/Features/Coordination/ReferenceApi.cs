using System.Globalization;
using System.Text.RegularExpressions;
using Closer.Web.Features.Geography;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination;

public sealed record FigureDto(string Country, string AsOf, long RefugeesAndMigrants, long? AsylumSeekers, long? RecognisedRefugees,
    long? RegularStayPermits, string Source, string Precision);
public sealed record Admin1Dto(string PCode, string Name);
public sealed record CountryDto(string Iso3, string Name, string Platform, FigureDto? LatestFigure);
public sealed record CountryDetailDto(string Iso3, string Name, string Platform, IReadOnlyList<Admin1Dto> Admin1, IReadOnlyList<FigureDto> Figures);
public sealed record FigureInput(string? AsOf, long? RefugeesAndMigrants, long? AsylumSeekers, long? RecognisedRefugees, long? RegularStayPermits,
    string? Source, string? Precision);
public sealed record SectorDto(string Code, string Name, string? Parent, long PeopleInNeed, long PeopleTargeted, long RequirementUsd, int Partners);
public sealed record IndicatorDto(string Code, string Sector, string Unit, string Name);
public sealed record TargetDto(string Country, string Indicator, string PopulationGroup, long Target, long PeopleInNeed, long RequirementUsd);
public sealed record PlanDto(int Year, long RequirementUsd, int Partners, string? Source, IReadOnlyList<SectorDto> Sectors,
    IReadOnlyList<IndicatorDto> Indicators, IReadOnlyList<TargetDto> Targets);

/// <summary>Countries, admin1 areas, population figures and the response plan: public reads, coordinators' writes.</summary>
public static partial class CoordinationReferenceApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var countries = app.MapGroup("/api/v1/countries").WithTags("Geography");
        countries.MapGet("/", CountriesAsync).AllowAnonymous();
        countries.MapGet("/{iso3}", CountryAsync).AllowAnonymous();
        countries.MapPost("/{iso3}/figures", AddFigureAsync).RequireAuthorization(Policies.ApiUser);
        app.MapGet("/api/v1/plans/{year:int}", PlanAsync).WithTags("Plan").AllowAnonymous();
    }

    private static FigureDto Dto(PopulationFigure f) =>
        new(f.CountryIso3, f.AsOf, f.RefugeesAndMigrants, f.AsylumSeekers, f.RecognisedRefugees, f.RegularStayPermits, f.Source, f.Precision);

    private static async Task<IResult> CountriesAsync(HttpContext http, CloserDbContext db, CancellationToken ct)
    {
        var lang = http.Language();
        var figures = (await db.PopulationFigures.AsNoTracking().ToListAsync(ct))
            .GroupBy(f => f.CountryIso3).ToDictionary(g => g.Key, g => g.MaxBy(f => f.AsOf, StringComparer.Ordinal)!, StringComparer.Ordinal);
        var list = (await db.Countries.AsNoTracking().ToListAsync(ct))
            .Select(c => new CountryDto(c.Iso3, c.Name(lang), c.Platform.ToString(), figures.TryGetValue(c.Iso3, out var f) ? Dto(f) : null))
            .OrderBy(c => c.Iso3, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(list);
    }

    private static async Task<IResult> CountryAsync(string iso3, HttpContext http, CloserDbContext db, CancellationToken ct)
    {
        iso3 = iso3.ToUpperInvariant();
        var c = await db.Countries.AsNoTracking().FirstOrDefaultAsync(x => x.Iso3 == iso3, ct);
        if (c is null)
        {
            return new NotFoundError("country-not-found", "No such country.").ToProblem(http);
        }
        var admin1 = await db.Admin1Areas.AsNoTracking().Where(a => a.CountryIso3 == iso3).OrderBy(a => a.PCode).Select(a => new Admin1Dto(a.PCode, a.Name)).ToListAsync(ct);
        var figures = (await db.PopulationFigures.AsNoTracking().Where(f => f.CountryIso3 == iso3).OrderBy(f => f.AsOf).ToListAsync(ct)).Select(Dto).ToList();
        return TypedResults.Ok(new CountryDetailDto(c.Iso3, c.Name(http.Language()), c.Platform.ToString(), admin1, figures));
    }

    private static async Task<IResult> AddFigureAsync(string iso3, FigureInput input, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        iso3 = iso3.ToUpperInvariant();
        if (!await db.Countries.AnyAsync(x => x.Iso3 == iso3, ct))
        {
            return new NotFoundError("country-not-found", "No such country.").ToProblem(http);
        }
        var actor = Actor.From(http.User);
        if (!ReportRules.ManagesCountry(actor.Scope, iso3))
        {
            return new ForbiddenError("out-of-scope", "Only a coordinator of this country manages its figures.").ToProblem(http);
        }
        var errors = new List<FieldError>();
        if (input.AsOf is null || !Month().IsMatch(input.AsOf))
        {
            errors.Add(new FieldError(null, "asOf", "The month must be written YYYY-MM."));
        }
        if (input.RefugeesAndMigrants is null or < 0 || input.AsylumSeekers < 0 || input.RecognisedRefugees < 0 || input.RegularStayPermits < 0)
        {
            errors.Add(new FieldError(null, "refugeesAndMigrants", "Numbers may not be negative."));
        }
        if (string.IsNullOrWhiteSpace(input.Source) || input.Source.Length > 300)
        {
            errors.Add(new FieldError(null, "source", "Give the source of the figure."));
        }
        if (input.Precision is not ("exact" or "rounded" or "estimate"))
        {
            errors.Add(new FieldError(null, "precision", "The precision is exact, rounded or estimate."));
        }
        if (errors.Count > 0)
        {
            return new ValidationError("invalid-figure", "The figure could not be saved.", errors).ToProblem(http);
        }
        var existing = await db.PopulationFigures.FirstOrDefaultAsync(f => f.CountryIso3 == iso3 && f.AsOf == input.AsOf, ct);
        var old = existing is null ? null : Snapshot(existing);
        var figure = existing ?? new PopulationFigure { CountryIso3 = iso3, AsOf = input.AsOf!, Source = "", Precision = "" };
        (figure.RefugeesAndMigrants, figure.AsylumSeekers, figure.RecognisedRefugees, figure.RegularStayPermits, figure.Source, figure.Precision) =
            (input.RefugeesAndMigrants!.Value, input.AsylumSeekers, input.RecognisedRefugees, input.RegularStayPermits, input.Source!.Trim(), input.Precision!);
        if (existing is null)
        {
            db.PopulationFigures.Add(figure);
            // Followers of the country hear of a new figure in the same transaction (an update is not news).
            if (http.RequestServices.GetService<Notifications.IChangeNotifications>() is { } notifications)
            {
                await notifications.PopulationFigureAddedAsync(db, iso3, figure.AsOf, figure.RefugeesAndMigrants, figure.Source, ct);
            }
        }
        AuditLog.Add(db, time.GetUtcNow(), actor, existing is null ? "create" : "update", "figure", $"{iso3}|{input.AsOf}", iso3, null, AuditLog.Diff(old, Snapshot(figure)));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Dto(figure));
    }

    private static Dictionary<string, string?> Snapshot(PopulationFigure f) => new(StringComparer.Ordinal)
    {
        ["refugeesAndMigrants"] = f.RefugeesAndMigrants.ToString(CultureInfo.InvariantCulture),
        ["asylumSeekers"] = f.AsylumSeekers?.ToString(CultureInfo.InvariantCulture),
        ["recognisedRefugees"] = f.RecognisedRefugees?.ToString(CultureInfo.InvariantCulture),
        ["regularStayPermits"] = f.RegularStayPermits?.ToString(CultureInfo.InvariantCulture),
        ["source"] = f.Source,
        ["precision"] = f.Precision,
    };

    private static async Task<IResult> PlanAsync(int year, HttpContext http, CloserDbContext db, CancellationToken ct)
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
            .Select(t => new TargetDto(t.CountryIso3, t.IndicatorCode, t.PopulationGroup, t.Target, t.PeopleInNeed, t.RequirementUsd)).ToListAsync(ct);
        return TypedResults.Ok(new PlanDto(plan.Year, plan.RequirementUsd, plan.Partners, plan.Source, sectors, indicators, targets));
    }

    [GeneratedRegex(@"^\d{4}-(0[1-9]|1[0-2])$")]
    private static partial Regex Month();
}
