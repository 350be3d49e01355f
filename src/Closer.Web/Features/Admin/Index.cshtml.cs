using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Closer.Web.Features.Admin;

/// <summary>The back-office home (Staff policy through <see cref="Infrastructure.Security.AdminPagesConvention"/>).</summary>
public sealed class IndexModel : PageModel
{
    public string Email { get; private set; } = "";
    public IReadOnlyList<string> Roles { get; private set; } = [];

    public void OnGet()
    {
        Email = User.FindFirstValue(ClaimTypes.Email) ?? User.Identity?.Name ?? "";
        Roles = User.FindAll(ClaimTypes.Role).Select(r => r.Value).ToList();
    }
}
