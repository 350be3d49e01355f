using System.Security.Claims;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.ApiTokens;

/// <summary>One's own tokens; a platform administrator sees and revokes everyone's.</summary>
public sealed class TokensModel(CloserDbContext db, ApiTokenService tokens, IStringLocalizer<SharedResource> t) : PageModel
{
    public sealed record Row(int Id, string Name, string Owner, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

    public List<Row> Tokens { get; private set; } = [];
    public string? NewToken { get; private set; }
    public string? Message { get; private set; }

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;
    private bool IsAdmin => User.IsInRole(Roles.PlatformAdmin);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(string? name, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            Message = t["Give the token a name of at most 100 characters."];
        }
        else
        {
            (_, NewToken) = await tokens.CreateAsync(UserId, name, ct);
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken ct)
    {
        var owner = await db.ApiTokens.Where(x => x.Id == id).Select(x => x.UserId).FirstOrDefaultAsync(ct);
        if (owner is null)
        {
            return NotFound();
        }
        if (owner != UserId && !IsAdmin)
        {
            return Forbid();
        }
        if (await tokens.RevokeAsync(id, UserId, ct))
        {
            Message = t["The token has been revoked."];
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var query = db.ApiTokens.AsNoTracking();
        if (!IsAdmin)
        {
            query = query.Where(x => x.UserId == UserId);
        }
        Tokens = await query.OrderByDescending(x => x.Id)
            .Select(x => new Row(x.Id, x.Name, x.User!.Email ?? "", x.Prefix, x.CreatedAt, x.LastUsedAt, x.RevokedAt))
            .ToListAsync(ct);
    }
}
