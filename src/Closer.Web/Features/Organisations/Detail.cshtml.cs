using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Organisations;

/// <summary>An organisation's profile: anyone on staff reads it; its people are listed to those in scope; its own focal point or an admin edits it.</summary>
public sealed class DetailModel(CloserDbContext db, IAuthorizationService authorization, TimeProvider time) : PageModel
{
    public Organisation Organisation { get; private set; } = null!;
    public List<MemberDto>? Members { get; private set; }
    public bool CanEdit { get; private set; }
    /// <summary>May deactivate or reactivate it (an admin, or a coordinator of all its countries).</summary>
    public bool CanDeactivate { get; private set; }
    public bool Saved { get; private set; }
    public List<FieldError> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string acronym, CancellationToken ct)
    {
        var org = await db.Organisations.AsNoTracking().Include(o => o.Countries).FirstOrDefaultAsync(o => o.Acronym == acronym, ct);
        if (org is null)
        {
            return NotFound();
        }
        await LoadAsync(org, ct);
        return Page();
    }

    public List<Closer.Web.Features.Geography.Country> AllCountries { get; private set; } = [];

    public async Task<IActionResult> OnPostAsync(string acronym, string? name, string? website, string? logoUrl, List<string>? countries, CancellationToken ct)
    {
        var org = await db.Organisations.Include(o => o.Countries).FirstOrDefaultAsync(o => o.Acronym == acronym, ct);
        if (org is null)
        {
            return NotFound();
        }
        if (!(await authorization.AuthorizeScopeAsync(User, new ScopedResource(org.Id, null), ScopeAction.Edit)).Succeeded)
        {
            return Forbid();
        }
        // The form always sends the whole profile: no box ticked means no country.
        var update = new OrganisationUpdate(name, website, logoUrl ?? "", Request.Form.ContainsKey("countriesShown") ? countries ?? [] : null);
        Errors = OrganisationsFeature.Validate(update);
        if (Errors.Count == 0 && await OrganisationsFeature.ApplyAsync(db, org, update, User, time, ct) is { } invalid)
        {
            Errors = invalid;
        }
        if (Errors.Count == 0)
        {
            await db.SaveChangesAsync(ct);
            Saved = true;
        }
        await LoadAsync(org, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostActiveAsync(string acronym, bool active, CancellationToken ct)
    {
        var error = await OrganisationCommands.SetActiveAsync(acronym, active, Actor.From(User), db, time, ct);
        return error switch
        {
            null => Redirect($"/admin/organisations/{Uri.EscapeDataString(acronym)}"),
            ForbiddenError => Forbid(),
            _ => NotFound(),
        };
    }

    private async Task LoadAsync(Organisation org, CancellationToken ct)
    {
        Organisation = org;
        CanDeactivate = OrganisationCommands.Manages(ScopeUser.From(User), org.Countries.Select(c => c.CountryIso3).ToList());
        AllCountries = await db.Countries.AsNoTracking().OrderBy(c => c.Iso3).ToListAsync(ct);
        var resource = new ScopedResource(org.Id, null);
        CanEdit = (await authorization.AuthorizeScopeAsync(User, resource, ScopeAction.Edit)).Succeeded;
        if ((await authorization.AuthorizeScopeAsync(User, resource, ScopeAction.Read)).Succeeded)
        {
            Members = await OrganisationsFeature.Members(db, org.Id, ct);
        }
    }
}
