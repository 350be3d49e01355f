using Closer.Web.Features.Campaign.Pledges;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Closer.Web.Features.Campaign.Admin;

/// <summary>
/// Campaign staff's view of the supporters: how many addresses wait for confirmation, are confirmed or unsubscribed,
/// where pledges came from, and the CSV of confirmed addresses. Personal data: editors and platform admins only (not
/// translators), and every export is written to the audit log.
/// </summary>
[Authorize(Roles = CampaignRoles.Supporters)]
public sealed class SupportersModel(CloserDbContext db, TimeProvider time) : PageModel
{
    public SupporterCounts Counts { get; private set; } = new(0, 0, 0);
    public List<SourceCount> Sources { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Counts = await Supporters.CountsAsync(db, ct);
        Sources = await Supporters.SourcesAsync(db, ct);
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var rows = await Supporters.ConfirmedAsync(db, ct);
        var now = time.GetUtcNow();
        AuditLog.Add(db, now, Actor.From(User), "export", "supporters", "csv", null, null,
            new Dictionary<string, string?[]>(StringComparer.Ordinal) { ["rows"] = [null, rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)] });
        await db.SaveChangesAsync(ct);
        Response.Headers.CacheControl = "no-store";
        return File(Supporters.Csv(rows), "text/csv; charset=utf-8", $"supporters-{now:yyyy-MM-dd}.csv");
    }
}
