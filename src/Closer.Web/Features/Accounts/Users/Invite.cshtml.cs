using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Accounts.Users;

/// <summary>Invites a person by e-mail: they receive a link to choose their own password.</summary>
public sealed class InviteModel(CloserDbContext db, UserAdmin admin, IStringLocalizer<SharedResource> t, IConfiguration configuration) : PageModel
{
    public int Days => InvitationMail.Days(configuration);

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Language { get; set; }
    [BindProperty] public string? Organisation { get; set; }
    [BindProperty] public List<string> Roles { get; set; } = [];
    [BindProperty] public List<string> Countries { get; set; } = [];

    public UserFormOptions Options { get; private set; } = new([], [], []);
    public List<string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = ScopeUser.From(User);
        if (!UserAdminRules.Administers(actor))
        {
            return Forbid();
        }
        Options = await UserFormOptions.LoadAsync(db, actor, ct);
        Language = Languages.Current;
        Organisation = actor.Roles.Contains(Infrastructure.Security.Roles.PlatformAdmin) ? null : Options.Organisations.Count == 1 ? Options.Organisations[0].Acronym : null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var actor = Actor.From(User);
        if (!UserAdminRules.Administers(actor.Scope))
        {
            return Forbid();
        }
        var (user, error) = await admin.InviteAsync(actor, new UserInvite(Email, Name, Organisation, Roles, Countries, Language), ct);
        if (error is null)
        {
            return Redirect($"/admin/users/{user!.Id}?invited=true");
        }
        Errors.AddRange(error.FieldErrors(t).Select(e => e.Message));
        Options = await UserFormOptions.LoadAsync(db, actor.Scope, ct);
        return Page();
    }
}
