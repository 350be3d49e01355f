using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>One report with every revision: how it was after each change.</summary>
public sealed class ReportModel(CloserDbContext db) : PageModel
{
    public ReportDto Report { get; private set; } = null!;
    public List<ReportRevision> Revisions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var actor = Actor.From(User);
        var r = await db.ActivityReports.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.DeletedAt == null, ct);
        if (r is null || !ReportRules.Allows(actor.Scope, new ReportResource(r.OrganisationId, r.CountryIso3, r.Status == ReportStatus.Validated), ReportAction.Read))
        {
            return NotFound();
        }
        Report = await ReportQueries.Project(db, db.ActivityReports.AsNoTracking().Where(x => x.Id == id)).FirstAsync(ct);
        Revisions = await db.ReportRevisions.AsNoTracking().Where(x => x.ReportId == id).OrderByDescending(x => x.Version).ToListAsync(ct);
        return Page();
    }
}
