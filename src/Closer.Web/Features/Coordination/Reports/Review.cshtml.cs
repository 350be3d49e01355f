using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>The coordinators' review queue: submitted reports of their countries, validated or returned in bulk (all or nothing).</summary>
public sealed class ReviewModel(CloserDbContext db, ReportMail mail, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Country { get; set; }
    [BindProperty(SupportsGet = true)] public string? Month { get; set; }
    public List<ReportDto> Queue { get; private set; } = [];
    public List<string> Errors { get; private set; } = [];
    public string? Message { get; private set; }

    private static bool Allowed(Actor a) => a.IsAdmin || a.Scope.Roles.Contains(Roles.CountryCoordinator);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!Allowed(Actor.From(User)))
        {
            return Forbid();
        }
        Message = Request.Query["done"].ToString() switch
        {
            "validate" => t["The selected reports are validated."].Value,
            "return" => t["The selected reports are returned to their organisations."].Value,
            _ => null,
        };
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(List<int>? ids, string? action, string? reason, CancellationToken ct)
    {
        var actor = Actor.From(User);
        if (!Allowed(actor))
        {
            return Forbid();
        }
        ids ??= [];
        if (ids.Count == 0)
        {
            Errors.Add(t["Select at least one report."]);
        }
        else if (action is not ("validate" or "return"))
        {
            Errors.Add(t["Choose validate or return."]);
        }
        else if (action == "return" && string.IsNullOrWhiteSpace(reason))
        {
            Errors.Add(t["Say why the reports are returned."]);
        }
        else
        {
            var (_, refusals) = await BulkTransitionCommand.RunAsync(ids, action, reason, missingRefuses: false, actor, db, mail, time, ct);
            if (refusals.Count == 0)
            {
                return RedirectToPage(new { country = Country, month = Month, done = action });
            }
            Errors.AddRange(refusals.Select(x => $"{x.Report?.Organisation?.Acronym} {x.Report?.CountryIso3} {x.Report?.Admin1PCode} {x.Report?.IndicatorCode}: {t[x.Error.Message]}"));
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var actor = Actor.From(User);
        var q = ReportQueries.Visible(db.ActivityReports.AsNoTracking(), actor.Scope).Where(r => r.Status == ReportStatus.Submitted);
        if (!actor.IsAdmin)
        {
            var countries = actor.Scope.Countries.ToList();
            q = q.Where(r => countries.Contains(r.CountryIso3));
        }
        q = ReportQueries.Filter(db, q, new ReportQueries.Filters(Country, null, Month, null, null));
        Queue = await ReportQueries.Project(db, q).Take(500).ToListAsync(ct);
    }
}
