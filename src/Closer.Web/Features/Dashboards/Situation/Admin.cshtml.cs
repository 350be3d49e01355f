using System.Globalization;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Dashboards.Situation;

/// <summary>The situation reports a coordinator or administrator looks after: choose a country (or the region) and a month.</summary>
[Authorize(Roles = Roles.PlatformAdmin + "," + Roles.CountryCoordinator)]
public sealed class AdminModel(CloserDbContext db, TimeProvider time) : PageModel
{
    public sealed record Row(string Scope, string Name, string Month, int Revision, DateTimeOffset? PublishedAt);

    public List<(string Code, string Name)> Scopes { get; private set; } = [];
    public List<string> Months { get; private set; } = [];
    public List<Row> Reports { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var user = ScopeUser.From(User);
        var lang = HttpContext.Language();
        var countries = (await db.Countries.AsNoTracking().ToListAsync(ct)).Where(c => new SituationScope(c.Iso3, "2000-01").MayCoordinate(user))
            .Select(c => (c.Iso3, c.Name(lang))).OrderBy(c => c.Item2, StringComparer.CurrentCulture).ToList();
        Scopes = [.. new SituationScope(SituationScope.Region, "2000-01").MayCoordinate(user) ? [(SituationScope.Region, "")] : Array.Empty<(string, string)>(), .. countries];
        var years = await DashboardData.PlanYearsAsync(db, ct);
        var now = time.GetUtcNow();
        Months = years.SelectMany(y => Enumerable.Range(1, 12).Select(m => new DateOnly(y, m, 1)))
            .Where(d => d <= new DateOnly(now.Year, now.Month, 1)).OrderByDescending(d => d)
            .Select(d => d.ToString("yyyy-MM", CultureInfo.InvariantCulture)).ToList();
        var codes = Scopes.Select(s => s.Code).ToList();
        var names = Scopes.ToDictionary(s => s.Code, s => s.Name, StringComparer.Ordinal);
        Reports = (await db.SituationReports.AsNoTracking().Where(r => codes.Contains(r.Scope)).OrderByDescending(r => r.Month).ThenBy(r => r.Scope).Take(200)
            .Select(r => new { r.Scope, r.Month, r.Revision, r.PublishedAt }).ToListAsync(ct))
            .Select(r => new Row(r.Scope, names.GetValueOrDefault(r.Scope, r.Scope), r.Month, r.Revision, r.PublishedAt)).ToList();
    }

    /// <summary>The chosen report's page (a GET form posts nothing).</summary>
    public IActionResult OnGetOpen(string? scope, string? month) =>
        SituationScope.Parse(scope, month) is { } s ? Redirect($"/admin/situation/{s.Code}/{s.Month}") : RedirectToPage();
}
