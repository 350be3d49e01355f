using System.Text.RegularExpressions;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Organisations;

public sealed record NewOrganisation(string? Acronym, string? Name, OrganisationType? Type, string? Website, IReadOnlyList<string>? Countries);

/// <summary>
/// Creating and (de)activating organisations in the back office: a platform admin for any organisation, a country
/// coordinator for organisations that work only in their countries. Audited; nothing is deleted.
/// </summary>
public static partial class OrganisationCommands
{
    /// <summary>May this person create or (de)activate an organisation working in these countries?</summary>
    public static bool Manages(ScopeUser user, IReadOnlyCollection<string> countries) =>
        user.Roles.Contains(Roles.PlatformAdmin)
        || (user.Roles.Contains(Roles.CountryCoordinator) && countries.Count > 0 && countries.All(user.InCountry));

    public static async Task<Result<Organisation>> CreateAsync(NewOrganisation input, Actor actor, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        var acronym = input.Acronym?.Trim().ToUpperInvariant() ?? "";
        var countries = (input.Countries ?? []).Select(c => c.Trim().ToUpperInvariant()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (!Manages(actor.Scope, countries))
        {
            return new ForbiddenError("out-of-scope", "Only an administrator, or a coordinator of all its countries, adds an organisation.");
        }
        var errors = OrganisationsFeature.Validate(new OrganisationUpdate(input.Name, input.Website));
        // "NEW" is the address of the form itself.
        if (!Acronym().IsMatch(acronym) || acronym == "NEW")
        {
            errors.Add(new FieldError(null, "acronym", "An acronym has 2 to 30 letters, digits or hyphens."));
        }
        else if (await db.Organisations.AnyAsync(o => o.Acronym == acronym, ct))
        {
            errors.Add(new FieldError(null, "acronym", "Another organisation has this acronym."));
        }
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors.Add(new FieldError(null, "name", "Give the organisation's name."));
        }
        if (input.Type is null || !Enum.IsDefined(input.Type.Value))
        {
            errors.Add(new FieldError(null, "type", "Choose the type of organisation."));
        }
        var known = await db.Countries.Where(c => countries.Contains(c.Iso3)).CountAsync(ct);
        if (known != countries.Count)
        {
            errors.Add(new FieldError(null, "countries", "Unknown country code (ISO3 expected)."));
        }
        if (errors.Count > 0)
        {
            return new ValidationError("invalid-organisation", "The organisation could not be saved.", errors);
        }
        var now = time.GetUtcNow();
        var org = new Organisation
        {
            Acronym = acronym, Name = input.Name!.Trim(), Type = input.Type!.Value, CreatedAt = now,
            Website = string.IsNullOrWhiteSpace(input.Website) ? null : input.Website.Trim(),
            Countries = countries.Select(c => new OrganisationCountry { CountryIso3 = c }).ToList(),
        };
        db.Organisations.Add(org);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, now, actor, "create", "organisation", acronym, null, org.Id, new Dictionary<string, string?[]>(StringComparer.Ordinal)
        {
            ["name"] = [null, org.Name], ["type"] = [null, org.Type.ToString()], ["website"] = [null, org.Website], ["countries"] = [null, string.Join(",", countries.Order(StringComparer.Ordinal))],
        });
        await db.SaveChangesAsync(ct);
        return org;
    }

    /// <summary>Deactivates or reactivates; null when done (or nothing to change), otherwise why not.</summary>
    public static async Task<Error?> SetActiveAsync(string acronym, bool active, Actor actor, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        var org = await db.Organisations.Include(o => o.Countries).FirstOrDefaultAsync(o => o.Acronym == acronym, ct);
        if (org is null)
        {
            return new NotFoundError("organisation-not-found", "No such organisation.");
        }
        if (!Manages(actor.Scope, org.Countries.Select(c => c.CountryIso3).ToList()))
        {
            return new ForbiddenError("out-of-scope", "Only an administrator, or a coordinator of all its countries, deactivates an organisation.");
        }
        if (active == (org.DeactivatedAt is null))
        {
            return null;
        }
        var now = time.GetUtcNow();
        org.DeactivatedAt = active ? null : now;
        AuditLog.Add(db, now, actor, active ? "reactivate" : "deactivate", "organisation", org.Acronym, null, org.Id,
            new Dictionary<string, string?[]>(StringComparer.Ordinal) { ["active"] = [active ? "no" : "yes", active ? "yes" : "no"] });
        await db.SaveChangesAsync(ct);
        return null;
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{1,29}$")]
    private static partial Regex Acronym();
}
