using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Features.Geography;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Countries;

public sealed record Admin1Input(string? Name);

/// <summary>Adds or renames an admin1 area (P-code) of a country: its coordinators or an admin, audited.</summary>
public static class SetAdmin1Command
{
    /// <summary>Null when saved; otherwise why not.</summary>
    public static async Task<Error?> RunAsync(string iso3, string pcode, Admin1Input input, Actor actor, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        iso3 = iso3.ToUpperInvariant();
        pcode = pcode.ToUpperInvariant();
        if (!await db.Countries.AnyAsync(c => c.Iso3 == iso3, ct))
        {
            return new NotFoundError("country-not-found", "No such country.");
        }
        if (!ReportRules.ManagesCountry(actor.Scope, iso3))
        {
            return new ForbiddenError("out-of-scope", "Only a coordinator of this country manages its admin1 areas.");
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
            return new ValidationError("invalid-admin1", "The admin1 area could not be saved.", errors);
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
        return null;
    }
}
