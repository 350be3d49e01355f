using Closer.Web.Features.Geography;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Countries;

public sealed record FigureDto(string Country, string AsOf, long RefugeesAndMigrants, long? AsylumSeekers, long? RecognisedRefugees,
    long? RegularStayPermits, string Source, string Precision);
/// <summary>An admin1 area: its official name, its name in the caller's language, and when it was retired (null: in use).</summary>
public sealed record Admin1Dto(string PCode, string Name, string LocalName, DateTimeOffset? RetiredAt);
public sealed record CountryDto(string Iso3, string Name, string Platform, FigureDto? LatestFigure);
public sealed record CountryDetailDto(string Iso3, string Name, string Platform, IReadOnlyList<Admin1Dto> Admin1, IReadOnlyList<FigureDto> Figures);
public sealed record FigureInput(string? AsOf, long? RefugeesAndMigrants, long? AsylumSeekers, long? RecognisedRefugees, long? RegularStayPermits,
    string? Source, string? Precision);

/// <summary>Countries, admin1 areas and population figures: public reads, coordinators' writes.</summary>
public static class CountriesApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var countries = app.MapGroup("/api/v1/countries").WithTags("Geography");
        countries.MapGet("/", CountriesAsync).AllowAnonymous().Paged();
        countries.MapGet("/{iso3}", CountryAsync).AllowAnonymous();
        countries.MapPost("/{iso3}/figures", AddFigureAsync).RequireAuthorization(Policies.ApiUser);
        app.MapPut("/api/v1/countries/{iso3}/admin1/{pcode}", PutAdmin1Async).WithTags("Geography").RequireAuthorization(Policies.ApiUser);
    }

    private static async Task<Ok<List<CountryDto>>> CountriesAsync(HttpContext http, CloserDbContext db, CancellationToken ct)
    {
        var lang = http.Language();
        var figures = (await db.PopulationFigures.AsNoTracking().ToListAsync(ct))
            .GroupBy(f => f.CountryIso3).ToDictionary(g => g.Key, g => g.MaxBy(f => f.AsOf, StringComparer.Ordinal)!, StringComparer.Ordinal);
        var list = (await db.Countries.AsNoTracking().ToListAsync(ct))
            .Select(c => new CountryDto(c.Iso3, c.Name(lang), c.Platform.ToString(), figures.TryGetValue(c.Iso3, out var f) ? Dto(f) : null))
            .OrderBy(c => c.Iso3, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<CountryDetailDto>, ProblemHttpResult>> CountryAsync(string iso3, HttpContext http, CloserDbContext db, CancellationToken ct)
    {
        iso3 = iso3.ToUpperInvariant();
        var c = await db.Countries.AsNoTracking().FirstOrDefaultAsync(x => x.Iso3 == iso3, ct);
        if (c is null)
        {
            return new NotFoundError("country-not-found", "No such country.").ToProblem(http);
        }
        var admin1 = await db.Admin1Areas.AsNoTracking().Where(a => a.CountryIso3 == iso3).OrderBy(a => a.PCode).ToListAsync(ct);
        var lang = http.Language();
        var figures = (await db.PopulationFigures.AsNoTracking().Where(f => f.CountryIso3 == iso3).OrderBy(f => f.AsOf).ToListAsync(ct)).Select(Dto).ToList();
        return TypedResults.Ok(new CountryDetailDto(c.Iso3, c.Name(lang), c.Platform.ToString(),
            admin1.Select(a => new Admin1Dto(a.PCode, a.Name, a.LocalName(lang), a.RetiredAt)).ToList(), figures));
    }

    private static async Task<Results<Ok<FigureDto>, ProblemHttpResult>> AddFigureAsync(string iso3, FigureInput input, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        var (figure, error) = await AddFigureCommand.RunAsync(iso3, input, Actor.From(http.User), db, time,
            http.RequestServices.GetService<Notifications.IChangeNotifications>(), ct);
        return error is not null ? error.ToProblem(http) : TypedResults.Ok(figure!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> PutAdmin1Async(string iso3, string pcode, Admin1Input input, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        var error = await SetAdmin1Command.RunAsync(iso3, pcode, input, Actor.From(http.User), db, time, ct);
        return error is not null ? error.ToProblem(http) : TypedResults.NoContent();
    }

    internal static FigureDto Dto(PopulationFigure f) =>
        new(f.CountryIso3, f.AsOf, f.RefugeesAndMigrants, f.AsylumSeekers, f.RecognisedRefugees, f.RegularStayPermits, f.Source, f.Precision);
}
