using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Home;

[AllowAnonymous]
public sealed class IndexModel(CloserDbContext db) : PageModel
{
    public int Countries { get; private set; }
    public int Organisations { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Countries = await db.Countries.CountAsync(ct);
        Organisations = await db.Organisations.CountAsync(ct);
    }
}
