using Closer.Web.Features.Geography;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Countries;

/// <summary>
/// Adds an admin1 area, or renames one in each language and retires or restores it — the country's coordinators or an
/// admin, through <see cref="SetAdmin1Command"/> (audited). Nothing is deleted: reports keep the P-codes they carry.
/// </summary>
public sealed class Admin1EditModel(CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    public Country Country { get; private set; } = null!;
    /// <summary>The area being edited; null when adding one.</summary>
    public Admin1Area? Area { get; private set; }
    [BindProperty] public string? PCode { get; set; }
    [BindProperty] public Admin1Input Input { get; set; } = new(null);
    public List<string> Errors { get; private set; } = [];
    public List<AuditEntry> History { get; private set; } = [];

    // The area comes from the route only: the add form's PCode field must not be read as the area to edit.
    private string? RoutePCode => RouteData.Values["pcode"] as string;

    public async Task<IActionResult> OnGetAsync(string iso3, CancellationToken ct)
    {
        if (await LoadAsync(iso3, RoutePCode, ct) is { } refused)
        {
            return refused;
        }
        if (Area is { } a)
        {
            Input = new Admin1Input(a.Name, a.NameEn, a.NameEs, a.NamePt, a.NamePap, a.RetiredAt.HasValue);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string iso3, CancellationToken ct)
    {
        if (await LoadAsync(iso3, RoutePCode, ct) is { } refused)
        {
            return refused;
        }
        var code = (Area?.PCode ?? PCode ?? "").Trim().ToUpperInvariant();
        // A new area must not take over an existing P-code: adding never renames.
        if (Area is null && await db.Admin1Areas.AnyAsync(a => a.PCode == code, ct))
        {
            Errors.Add(t["This P-code is already on record."]);
            return Page();
        }
        var input = Input with { Retired = Area is null ? null : Input.Retired ?? false };
        var error = await SetAdmin1Command.RunAsync(iso3, code, input, Actor.From(User), db, time, ct);
        switch (error)
        {
            case null:
                return Redirect($"/admin/countries/{Country.Iso3}?saved=1");
            case ForbiddenError:
                return Forbid();
            case ValidationError v:
                Errors = v.Errors.Select(e => t[e.Message].Value).ToList();
                break;
            default:
                Errors = [t[error.Message]];
                break;
        }
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(string iso3, string? pcode, CancellationToken ct)
    {
        iso3 = iso3.ToUpperInvariant();
        if (await db.Countries.AsNoTracking().FirstOrDefaultAsync(c => c.Iso3 == iso3, ct) is not { } country)
        {
            return NotFound();
        }
        Country = country;
        if (!ReportRules.ManagesCountry(Actor.From(User).Scope, iso3))
        {
            return Forbid();
        }
        if (pcode is not null)
        {
            var code = pcode.ToUpperInvariant();
            Area = await db.Admin1Areas.AsNoTracking().FirstOrDefaultAsync(a => a.PCode == code && a.CountryIso3 == iso3, ct);
            if (Area is null)
            {
                return NotFound();
            }
            History = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "admin1" && a.EntityKey == code).OrderByDescending(a => a.Id).Take(20).ToListAsync(ct);
        }
        return null;
    }
}
