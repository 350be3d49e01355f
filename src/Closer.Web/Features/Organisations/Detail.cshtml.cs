using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Organisations;

/// <summary>An organisation's profile: anyone on staff reads it; its people are listed to those in scope; its own focal point or an admin edits it.</summary>
public sealed class DetailModel(CloserDbContext db, IAuthorizationService authorization) : PageModel
{
    public Organisation Organisation { get; private set; } = null!;
    public List<MemberDto>? Members { get; private set; }
    public bool CanEdit { get; private set; }
    public bool Saved { get; private set; }
    public List<FieldError> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string acronym, CancellationToken ct)
    {
        var org = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Acronym == acronym, ct);
        if (org is null)
        {
            return NotFound();
        }
        await LoadAsync(org, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string acronym, string? name, string? website, CancellationToken ct)
    {
        var org = await db.Organisations.FirstOrDefaultAsync(o => o.Acronym == acronym, ct);
        if (org is null)
        {
            return NotFound();
        }
        if (!(await authorization.AuthorizeScopeAsync(User, new ScopedResource(org.Id, null), ScopeAction.Edit)).Succeeded)
        {
            return Forbid();
        }
        var update = new OrganisationUpdate(name, website);
        Errors = OrganisationsFeature.Validate(update);
        if (Errors.Count == 0)
        {
            org.Name = string.IsNullOrWhiteSpace(name) ? org.Name : name.Trim();
            org.Website = string.IsNullOrWhiteSpace(website) ? null : website.Trim();
            await db.SaveChangesAsync(ct);
            Saved = true;
        }
        await LoadAsync(org, ct);
        return Page();
    }

    private async Task LoadAsync(Organisation org, CancellationToken ct)
    {
        Organisation = org;
        var resource = new ScopedResource(org.Id, null);
        CanEdit = (await authorization.AuthorizeScopeAsync(User, resource, ScopeAction.Edit)).Succeeded;
        if ((await authorization.AuthorizeScopeAsync(User, resource, ScopeAction.Read)).Succeeded)
        {
            Members = await OrganisationsFeature.Members(db, org.Id, ct);
        }
    }
}
