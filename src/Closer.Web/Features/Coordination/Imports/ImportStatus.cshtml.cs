using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Imports;

/// <summary>
/// The status of a background import: a progress bar while it runs (the page reloads itself every few seconds, without
/// JavaScript), the counts and the rows' outlier hints when it succeeded, every row error when it failed.
/// </summary>
public sealed class ImportStatusModel(CloserDbContext db, TimeProvider time) : PageModel
{
    public const int RefreshSeconds = 2;

    public ImportJob Job { get; private set; } = null!;
    public IReadOnlyList<Infrastructure.FieldError> Errors { get; private set; } = [];
    /// <summary>The outlier hints of the stored rows (warnings; the rows were stored), as the synchronous import lists them.</summary>
    public IReadOnlyList<Infrastructure.FieldError> Warnings { get; private set; } = [];
    public bool Running => Job.Status is ImportJobStatus.Queued or ImportJobStatus.Running;
    public bool Interrupted { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var job = await db.ImportJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null || !ImportJobs.MaySee(job, Actor.From(User)))
        {
            return NotFound();
        }
        Job = job;
        Errors = job.RowErrors();
        Warnings = job.RowWarnings();
        Interrupted = job.Interrupted(time.GetUtcNow());
        if (Running)
        {
            Response.Headers.CacheControl = "no-store";
        }
        return Page();
    }
}
