using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Closer.Web.Features.Accounts.Users;

/// <summary>The people someone manages, filtered by organisation, country, role and status, a page at a time.</summary>
public sealed class IndexModel(CloserDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Organisation { get; set; }
    [BindProperty(SupportsGet = true)] public string? Country { get; set; }
    [BindProperty(SupportsGet = true)] public string? Role { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public UserPage Result { get; private set; } = new([], 1, UserQueries.PageSize, 0);
    public UserFormOptions Options { get; private set; } = new([], [], []);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = ScopeUser.From(User);
        if (!UserAdminRules.Administers(actor))
        {
            return Forbid();
        }
        Options = await UserFormOptions.LoadAsync(db, actor, ct);
        Result = await UserQueries.ListAsync(db, actor, new UserFilter(Organisation, Country, Role, Status, PageNumber), ct);
        return Page();
    }

    /// <summary>The list with the same filters, on another page.</summary>
    public string PageLink(int page) => "/admin/users" + QueryString.Create(new Dictionary<string, string?>
    {
        ["organisation"] = Organisation, ["country"] = Country, ["role"] = Role, ["status"] = Status,
        ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(kv => !string.IsNullOrEmpty(kv.Value)));
}
