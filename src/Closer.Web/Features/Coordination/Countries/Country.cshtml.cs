using System.Globalization;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Features.Geography;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Countries;

public sealed record MonthLine(string Month, int Draft, int Submitted, int Validated, int Returned, long PeopleValidated, bool Locked);

/// <summary>A country: its population figures, admin1 areas, monthly reporting and the locks its coordinators set.</summary>
public sealed class CountryModel(CloserDbContext db, ReportMail mail, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    public Country Country { get; private set; } = null!;
    public List<PopulationFigure> Figures { get; private set; } = [];
    public List<Admin1Area> Admin1 { get; private set; } = [];
    public List<MonthLine> MonthLines { get; private set; } = [];
    public List<string> Organisations { get; private set; } = [];
    public bool CanManage { get; private set; }
    public string? Error { get; private set; }
    /// <summary>The reports that stopped a lock (submitted or returned), listed under the error.</summary>
    public IReadOnlyList<FieldError> Open { get; private set; } = [];
    /// <summary>The month and reason of a refused lock or unlock, so the form shows them again.</summary>
    public string? FailedMonth { get; private set; }
    public string? Reason { get; private set; }
    /// <summary>The last changes to the country's figures and admin1 areas (old → new), from the audit log.</summary>
    public List<AuditEntry> History { get; private set; } = [];
    [BindProperty] public FigureInput? Figure { get; set; }
    public List<string> FigureErrors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string iso3, CancellationToken ct) =>
        await LoadAsync(iso3, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostLockAsync(string iso3, string month, bool locked, string? reason, bool @override, CancellationToken ct)
    {
        var error = await SetPeriodLockCommand.RunAsync(new SetPeriodLockCommand.Request(iso3, month ?? "", locked, reason, @override), Actor.From(User), db, mail, time, ct);
        if (error is ForbiddenError)
        {
            return Forbid();
        }
        if (error is not null)
        {
            Error = t[error.Message];
            Open = error is ValidationError { Code: "period-has-open-reports" } v ? v.Errors : [];
            (FailedMonth, Reason) = (month, reason);
        }
        else
        {
            return RedirectToPage(new { iso3 });
        }
        return await LoadAsync(iso3, ct) ? Page() : NotFound();
    }

    /// <summary>Adds a figure, or corrects the one of that month (the old value stays in the audit log and the history below).</summary>
    public async Task<IActionResult> OnPostFigureAsync(string iso3, CancellationToken ct)
    {
        var (_, error) = await AddFigureCommand.RunAsync(iso3, Figure ?? new FigureInput(null, null, null, null, null, null, null), Actor.From(User), db, time,
            HttpContext.RequestServices.GetService<Notifications.IChangeNotifications>(), ct);
        switch (error)
        {
            case null:
                return RedirectToPage(new { iso3, saved = 1 });
            case ForbiddenError:
                return Forbid();
            case ValidationError v:
                FigureErrors = v.Errors.Select(e => t[e.Message].Value).ToList();
                break;
            default:
                FigureErrors = [t[error.Message]];
                break;
        }
        db.ChangeTracker.Clear();
        return await LoadAsync(iso3, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(string iso3, CancellationToken ct)
    {
        iso3 = iso3.ToUpperInvariant();
        var country = await db.Countries.AsNoTracking().FirstOrDefaultAsync(c => c.Iso3 == iso3, ct);
        if (country is null)
        {
            return false;
        }
        Country = country;
        var actor = Actor.From(User);
        CanManage = ReportRules.ManagesCountry(actor.Scope, iso3);
        Figures = await db.PopulationFigures.AsNoTracking().Where(f => f.CountryIso3 == iso3).OrderBy(f => f.AsOf).ToListAsync(ct);
        Admin1 = await db.Admin1Areas.AsNoTracking().Where(a => a.CountryIso3 == iso3).OrderBy(a => a.PCode).ToListAsync(ct);
        if (CanManage)
        {
            History = await db.AuditEntries.AsNoTracking().Where(a => a.CountryIso3 == iso3 && (a.EntityType == "figure" || a.EntityType == "admin1"))
                .OrderByDescending(a => a.Id).Take(20).ToListAsync(ct);
        }
        Organisations = await db.OrganisationCountries.AsNoTracking().Where(c => c.CountryIso3 == iso3)
            .Join(db.Organisations, c => c.OrganisationId, o => o.Id, (c, o) => o.Acronym).OrderBy(a => a).ToListAsync(ct);
        var since = time.GetUtcNow().AddMonths(-12).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var visible = ReportQueries.Visible(db.ActivityReports.AsNoTracking(), actor.Scope).Where(r => r.CountryIso3 == iso3);
        var counts = (await visible.GroupBy(r => new { r.Month, r.Status }).Select(g => new { g.Key.Month, g.Key.Status, N = g.Count(), People = g.Sum(r => r.Total) }).ToListAsync(ct))
            .Where(x => string.CompareOrdinal(x.Month, since) >= 0).ToList();
        var locks = (await db.PeriodLocks.AsNoTracking().Where(l => l.CountryIso3 == iso3).Select(l => l.Month).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        MonthLines = counts.Select(c => c.Month).Distinct().Order(StringComparer.Ordinal).Select(m => new MonthLine(m,
            counts.Where(c => c.Month == m && c.Status == ReportStatus.Draft).Sum(c => c.N),
            counts.Where(c => c.Month == m && c.Status == ReportStatus.Submitted).Sum(c => c.N),
            counts.Where(c => c.Month == m && c.Status == ReportStatus.Validated).Sum(c => c.N),
            counts.Where(c => c.Month == m && c.Status == ReportStatus.Returned).Sum(c => c.N),
            counts.Where(c => c.Month == m && c.Status == ReportStatus.Validated).Sum(c => c.People),
            locks.Contains(m))).ToList();
        return true;
    }
}
