using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Accounts.Users;

/// <summary>One person: their roles and scope (changed as a whole), deactivation and reactivation, a new invitation.</summary>
public sealed class DetailModel(CloserDbContext db, UserAdmin admin, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty] public string? Organisation { get; set; }
    [BindProperty] public List<string> Roles { get; set; } = [];
    [BindProperty] public List<string> Countries { get; set; } = [];
    [BindProperty(SupportsGet = true)] public bool Invited { get; set; }

    public UserDto? Person { get; private set; }
    public bool Manages { get; private set; }
    public bool IsSelf { get; private set; }
    public UserFormOptions Options { get; private set; } = new([], [], []);
    public List<string> Errors { get; } = [];
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refusal)
        {
            return refusal;
        }
        if (Invited)
        {
            Message = t["The invitation has been sent."];
        }
        return Page();
    }

    public Task<IActionResult> OnPostRolesAsync(string id, CancellationToken ct) =>
        RunAsync(id, a => admin.UpdateRolesAsync(a, id, new UserRolesUpdate(Roles, Organisation, Countries), ct), "The roles have been saved.", ct);

    public Task<IActionResult> OnPostDeactivateAsync(string id, CancellationToken ct) =>
        RunAsync(id, a => admin.DeactivateAsync(a, id, ct), "The account is deactivated: its sessions have ended and its API tokens are revoked.", ct);

    public Task<IActionResult> OnPostReactivateAsync(string id, CancellationToken ct) =>
        RunAsync(id, a => admin.ReactivateAsync(a, id, ct), "The account is active again.", ct);

    public Task<IActionResult> OnPostResendAsync(string id, CancellationToken ct) =>
        RunAsync(id, a => admin.ResendInviteAsync(a, id, ct), "A new invitation has been sent; the previous link no longer works.", ct);

    private async Task<IActionResult> RunAsync(string id, Func<Actor, Task<Result<UserDto>>> operation, string done, CancellationToken ct)
    {
        var actor = Actor.From(User);
        if (!UserAdminRules.Administers(actor.Scope))
        {
            return Forbid();
        }
        var (_, error) = await operation(actor);
        if (error is NotFoundError)
        {
            return NotFound();
        }
        var keepForm = error is not null;
        if (error is not null)
        {
            Errors.AddRange(error.FieldErrors(t).Select(e => e.Message));
        }
        else
        {
            Message = t[done];
        }
        var (roles, org, countries) = (Roles, Organisation, Countries);
        if (await LoadAsync(id, ct) is { } refusal)
        {
            return refusal;
        }
        if (keepForm)
        {
            // Show what was asked for, not what is stored, so a refused change can be corrected.
            (Roles, Organisation, Countries) = (roles, org, countries);
        }
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(string id, CancellationToken ct)
    {
        var actor = Actor.From(User);
        if (!UserAdminRules.Administers(actor.Scope))
        {
            return Forbid();
        }
        Person = await UserQueries.GetAsync(db, actor.Scope, id, ct);
        if (Person is null)
        {
            return NotFound();
        }
        IsSelf = Person.Id == actor.UserId;
        // Roles and countries are in Person already; only the organisation's id is not.
        var organisationId = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.OrganisationId).FirstAsync(ct);
        Manages = !IsSelf && UserAdminRules.MayManage(actor.Scope, await UserQueries.StateAsync(db, Person.Roles, organisationId, Person.Countries, ct));
        Options = await UserFormOptions.LoadAsync(db, actor.Scope, ct);
        (Roles, Organisation, Countries) = ([.. Person.Roles], Person.Organisation, [.. Person.Countries]);
        return null;
    }
}
