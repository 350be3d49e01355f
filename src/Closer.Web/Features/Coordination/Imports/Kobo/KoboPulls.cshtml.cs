using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Imports.Kobo;

/// <summary>
/// <c>/admin/kobo/pulls</c>: the log of the KoboToolbox pulls, read only. Coordinators see the connections of the
/// organisations operating in their countries (they review what the pulls store), focal points their own
/// organisation's, administrators all. The token is never shown; the log holds counts and the reasons a pull failed.
/// </summary>
public sealed class KoboPullsModel(CloserDbContext db) : PageModel
{
    public const int LogRows = 20;

    public sealed record Entry(string Org, KoboConnection Connection, List<KoboPullLog> Pulls);

    public List<Entry> Entries { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var scope = Actor.From(User).Scope;
        var connections = db.KoboConnections.AsNoTracking();
        if (!scope.Roles.Contains(Roles.PlatformAdmin))
        {
            var coordinator = scope.Roles.Contains(Roles.CountryCoordinator) && scope.Countries.Count > 0;
            var own = scope.Roles.Contains(Roles.OrgFocalPoint) ? scope.OrganisationId : null;
            if (!coordinator && own is null)
            {
                return Forbid();
            }
            var countries = coordinator ? scope.Countries.ToList() : [];
            var visible = db.Organisations.Where(o => o.Id == own || o.Countries.Any(c => countries.Contains(c.CountryIso3))).Select(o => o.Id);
            connections = connections.Where(c => visible.Contains(c.OrganisationId));
        }
        var found = await connections.Join(db.Organisations, c => c.OrganisationId, o => o.Id, (c, o) => new { Connection = c, o.Acronym })
            .OrderBy(x => x.Acronym).ToListAsync(ct);
        foreach (var x in found)
        {
            // One query per connection (one per organisation at most), each bounded: the newest LogRows pulls.
            var pulls = await db.KoboPullLogs.AsNoTracking().Where(l => l.ConnectionId == x.Connection.Id)
                .OrderByDescending(l => l.StartedAt).Take(LogRows).ToListAsync(ct);
            Entries.Add(new Entry(x.Acronym, x.Connection, pulls));
        }
        return Page();
    }
}
