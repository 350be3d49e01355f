using System.Globalization;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Plan;

/// <summary>A target's figures and where they come from (null source: the target keeps the one it has).</summary>
public sealed record TargetInput(string? Country, string? Indicator, string? PopulationGroup, long? Target, long? PeopleInNeed, long? RequirementUsd,
    string? Source = null);

/// <summary>A plan target of a country × indicator × population group, set by the country's coordinators (or an admin), audited.</summary>
public static class SetTargetCommand
{
    /// <summary>Sets one target (creates it when missing). Null when done; otherwise the error.</summary>
    public static async Task<Error?> RunAsync(int year, TargetInput input, Actor actor, CloserDbContext db, DateTimeOffset now, CancellationToken ct)
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
        if (input.Source?.Trim().Length > 300)
        {
            errors.Add(new FieldError(null, "source", "Give a source of at most 300 characters."));
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
        // The source goes with the figures it explains: a form that posts every row with one source leaves untouched rows alone.
        if (!string.IsNullOrWhiteSpace(input.Source) && (old is null || AuditLog.Diff(old, Snapshot(target)).Count > 0))
        {
            target.Source = input.Source.Trim();
        }
        var changes = AuditLog.Diff(old, Snapshot(target));
        if (changes.Count > 0)
        {
            target.SetAt = now;
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
        ["source"] = t.Source,
    };
}
