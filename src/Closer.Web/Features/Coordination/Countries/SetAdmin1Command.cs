using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Features.Geography;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Countries;

/// <summary>
/// An admin1 area's official name, its names in the UI languages (null: unchanged; empty: the official name) and whether
/// it is retired (null: unchanged). A retired area stays on record, so reports that name it keep their P-code.
/// </summary>
public sealed record Admin1Input(string? Name, string? NameEn = null, string? NameEs = null, string? NamePt = null, string? NamePap = null, bool? Retired = null);

/// <summary>Adds, renames (in each language), retires or restores an admin1 area (P-code) of a country: its coordinators or an admin, audited.</summary>
public static class SetAdmin1Command
{
    /// <summary>Null when saved; otherwise why not.</summary>
    public static async Task<Error?> RunAsync(string iso3, string pcode, Admin1Input input, Actor actor, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        iso3 = iso3.ToUpperInvariant();
        pcode = pcode.Trim().ToUpperInvariant();
        if (!await db.Countries.AnyAsync(c => c.Iso3 == iso3, ct))
        {
            return new NotFoundError("country-not-found", "No such country.");
        }
        if (!ReportRules.ManagesCountry(actor.Scope, iso3))
        {
            return new ForbiddenError("out-of-scope", "Only a coordinator of this country manages its admin1 areas.");
        }
        var area = await db.Admin1Areas.FirstOrDefaultAsync(a => a.PCode == pcode, ct);
        var name = input.Name?.Trim() ?? area?.Name ?? "";
        var errors = new List<FieldError>();
        if (name.Length is 0 or > 120)
        {
            errors.Add(new FieldError(null, "name", "Give a name of at most 120 characters."));
        }
        if (new[] { input.NameEn, input.NameEs, input.NamePt, input.NamePap }.Any(n => n?.Trim().Length > 120))
        {
            errors.Add(new FieldError(null, "name", "Give a name of at most 120 characters."));
        }
        if (pcode.Length is < 3 or > 12 || !pcode.All(char.IsAsciiLetterOrDigit))
        {
            errors.Add(new FieldError(null, "pcode", "A P-code has 3 to 12 letters and digits."));
        }
        if (area is not null && area.CountryIso3 != iso3)
        {
            errors.Add(new FieldError(null, "pcode", "This admin1 area is not in the country."));
        }
        if (errors.Count > 0)
        {
            return new ValidationError("invalid-admin1", "The admin1 area could not be saved.", errors);
        }
        var old = area is null ? null : Snapshot(area);
        if (area is null)
        {
            area = new Admin1Area { PCode = pcode, CountryIso3 = iso3, Name = name };
            db.Admin1Areas.Add(area);
        }
        area.Name = name;
        area.NameEn = Local(input.NameEn, area.NameEn);
        area.NameEs = Local(input.NameEs, area.NameEs);
        area.NamePt = Local(input.NamePt, area.NamePt);
        area.NamePap = Local(input.NamePap, area.NamePap);
        if (input.Retired is { } retired && retired != area.RetiredAt.HasValue)
        {
            area.RetiredAt = retired ? time.GetUtcNow() : null;
        }
        var changes = AuditLog.Diff(old, Snapshot(area));
        if (changes.Count > 0)
        {
            var action = old is null ? "create" : changes.ContainsKey("retired") ? (area.RetiredAt.HasValue ? "retire" : "restore") : "update";
            AuditLog.Add(db, time.GetUtcNow(), actor, action, "admin1", pcode, iso3, null, changes);
        }
        await db.SaveChangesAsync(ct);
        return null;
    }

    private static string? Local(string? given, string? current) =>
        given is null ? current : given.Trim() is { Length: > 0 } n ? n : null;

    private static Dictionary<string, string?> Snapshot(Admin1Area a) => new(StringComparer.Ordinal)
    {
        ["name"] = a.Name, ["nameEn"] = a.NameEn, ["nameEs"] = a.NameEs, ["namePt"] = a.NamePt, ["namePap"] = a.NamePap,
        ["retired"] = a.RetiredAt.HasValue ? "yes" : "no",
    };
}
