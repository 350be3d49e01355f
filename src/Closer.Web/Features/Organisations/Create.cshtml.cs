using Closer.Web.Features.Geography;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Organisations;

/// <summary>Adds an organisation: a platform admin anywhere, a country coordinator in their countries (<see cref="OrganisationCommands"/>).</summary>
public sealed class CreateModel(CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty] public string? Acronym { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public OrganisationType? Type { get; set; }
    [BindProperty] public string? Website { get; set; }
    [BindProperty] public List<string> Countries { get; set; } = [];
    public List<Country> AllCountries { get; private set; } = [];
    public List<string> Errors { get; private set; } = [];

    private bool MayCreate => User.IsInRole(Roles.PlatformAdmin) || User.IsInRole(Roles.CountryCoordinator);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!MayCreate)
        {
            return Forbid();
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!MayCreate)
        {
            return Forbid();
        }
        var (org, error) = await OrganisationCommands.CreateAsync(new NewOrganisation(Acronym, Name, Type, Website, Countries), Actor.From(User), db, time, ct);
        if (error is null)
        {
            return Redirect($"/admin/organisations/{org!.Acronym}");
        }
        Errors = error is ValidationError v ? v.Errors.Select(e => t[e.Message].Value).ToList() : [t[error.Message]];
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var scope = ScopeUser.From(User);
        // A coordinator sees only the countries they may add an organisation in.
        AllCountries = (await db.Countries.AsNoTracking().OrderBy(c => c.Iso3).ToListAsync(ct))
            .Where(c => scope.Roles.Contains(Roles.PlatformAdmin) || scope.InCountry(c.Iso3)).ToList();
    }
}
