using System.Globalization;
using Closer.Web.Features.Geography;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination;

public sealed record TargetInput(string? Country, string? Indicator, string? PopulationGroup, long? Target, long? PeopleInNeed, long? RequirementUsd);
public sealed record Admin1Input(string? Name);

/// <summary>Targets and admin1 areas, changed by the country's coordinators (or an admin), every change audited.</summary>
public static class PlanEditing
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPut("/api/v1/plans/{year:int}/targets", PutTargetAsync).WithTags("Plan").RequireAuthorization(Policies.ApiUser);
        app.MapPut("/api/v1/countries/{iso3}/admin1/{pcode}", PutAdmin1Async).WithTags("Geography").RequireAuthorization(Policies.ApiUser);
    }

    /// <summary>Sets one target (creates it when missing). Null when done; otherwise the error.</summary>
    internal static async Task<Error?> SetTargetAsync(int year, TargetInput input, Actor actor, CloserDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var country = input.Country?.Trim().ToUpperInvariant() ?? "";
        if (!await db.ResponsePlans.AnyAsync(p => p.Year == year, ct) || !await db.Countries.AnyAsync(c => c.Iso3 == country, ct))
        {
            return new NotFoundError("plan-not-found", "No response plan for this year.");
        }
        if (!ReportRules.ManagesCountry(actor.Scope, country))
        {
            return new ForbiddenError("out-of-scope", "Only a coordinator of this country manages its targets.");
        }
        var errors = new List<FieldError>();
        var indicator = input.Indicator?.Trim().ToUpperInvariant() ?? "";
        if (!await db.Indicators.AnyAsync(i => i.Code == indicator, ct))
        {
            errors.Add(new FieldError(null, "indicator", "Unknown indicator code."));
        }
        var group = input.PopulationGroup?.Trim().ToLowerInvariant() ?? "";
        if (!PopulationGroups.All.Contains(group, StringComparer.Ordinal))
        {
            errors.Add(new FieldError(null, "populationGroup", "Unknown population group (destination, transit, pendular, returnees, host)."));
        }
        if (input.Target is null or < 0 || input.PeopleInNeed < 0 || input.RequirementUsd < 0)
        {
            errors.Add(new FieldError(null, "target", "Numbers may not be negative."));
        }
        if (errors.Count > 0)
        {
            return new ValidationError("invalid-target", "The target could not be saved.", errors);
        }
        var target = await db.PlanTargets.FirstOrDefaultAsync(t => t.Year == year && t.CountryIso3 == country && t.IndicatorCode == indicator && t.PopulationGroup == group, ct);
        var old = target is null ? null : Snapshot(target);
        if (target is null)
        {
            target = new PlanTarget { Year = year, CountryIso3 = country, IndicatorCode = indicator, PopulationGroup = group };
            db.PlanTargets.Add(target);
        }
        target.Target = input.Target!.Value;
        target.PeopleInNeed = input.PeopleInNeed ?? target.PeopleInNeed;
        target.RequirementUsd = input.RequirementUsd ?? target.RequirementUsd;
        var changes = AuditLog.Diff(old, Snapshot(target));
        if (changes.Count > 0)
        {
            AuditLog.Add(db, now, actor, old is null ? "create" : "update", "target",
                string.Join('|', year.ToString(CultureInfo.InvariantCulture), country, indicator, group), country, null, changes);
        }
        return null;
    }

    private static Dictionary<string, string?> Snapshot(PlanTarget t) => new(StringComparer.Ordinal)
    {
        ["target"] = t.Target.ToString(CultureInfo.InvariantCulture),
        ["peopleInNeed"] = t.PeopleInNeed.ToString(CultureInfo.InvariantCulture),
        ["requirementUsd"] = t.RequirementUsd.ToString(CultureInfo.InvariantCulture),
    };

    private static async Task<IResult> PutTargetAsync(int year, TargetInput input, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        var error = await SetTargetAsync(year, input, Actor.From(http.User), db, time.GetUtcNow(), ct);
        if (error is not null)
        {
            return error.ToProblem(http);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> PutAdmin1Async(string iso3, string pcode, Admin1Input input, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        iso3 = iso3.ToUpperInvariant();
        pcode = pcode.ToUpperInvariant();
        if (!await db.Countries.AnyAsync(c => c.Iso3 == iso3, ct))
        {
            return new NotFoundError("country-not-found", "No such country.").ToProblem(http);
        }
        var actor = Actor.From(http.User);
        if (!ReportRules.ManagesCountry(actor.Scope, iso3))
        {
            return new ForbiddenError("out-of-scope", "Only a coordinator of this country manages its admin1 areas.").ToProblem(http);
        }
        var name = input.Name?.Trim() ?? "";
        var errors = new List<FieldError>();
        if (name.Length is 0 or > 120)
        {
            errors.Add(new FieldError(null, "name", "Give a name of at most 120 characters."));
        }
        if (pcode.Length is < 3 or > 12 || !pcode.All(char.IsAsciiLetterOrDigit))
        {
            errors.Add(new FieldError(null, "pcode", "A P-code has 3 to 12 letters and digits."));
        }
        var area = await db.Admin1Areas.FirstOrDefaultAsync(a => a.PCode == pcode, ct);
        if (area is not null && area.CountryIso3 != iso3)
        {
            errors.Add(new FieldError(null, "pcode", "This admin1 area is not in the country."));
        }
        if (errors.Count > 0)
        {
            return new ValidationError("invalid-admin1", "The admin1 area could not be saved.", errors).ToProblem(http);
        }
        var old = area?.Name;
        if (area is null)
        {
            db.Admin1Areas.Add(new Admin1Area { PCode = pcode, CountryIso3 = iso3, Name = name });
        }
        else
        {
            area.Name = name;
        }
        if (!string.Equals(old, name, StringComparison.Ordinal))
        {
            AuditLog.Add(db, time.GetUtcNow(), actor, area is null ? "create" : "update", "admin1", pcode, iso3, null,
                new Dictionary<string, string?[]>(StringComparer.Ordinal) { ["name"] = [old, name] });
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
