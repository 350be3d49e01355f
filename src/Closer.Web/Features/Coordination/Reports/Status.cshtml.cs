using System.Globalization;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Reports;

public sealed record StatusLine(string Org, string Country, int Draft, int Submitted, int Validated, int Returned, bool Locked)
{
    public bool NotReported => Draft + Submitted + Validated + Returned == 0;
}

/// <summary>The submission status board: which partner has (not) reported a month, per country of operation.</summary>
public sealed class StatusModel(CloserDbContext db, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Month { get; set; }
    [BindProperty(SupportsGet = true)] public string? Country { get; set; }
    public List<StatusLine> Lines { get; private set; } = [];
    public List<string> Months { get; private set; } = [];
    public bool CanLock { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = Actor.From(User);
        if (!actor.IsAdmin && !actor.Scope.Roles.Contains(Roles.CountryCoordinator))
        {
            return Forbid();
        }
        Months = (await db.ReportingPeriods.AsNoTracking().Select(p => p.Month).ToListAsync(ct)).Order(StringComparer.Ordinal).ToList();
        var current = time.GetUtcNow().AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        if (Month is null || !Months.Contains(Month))
        {
            Month = Months.LastOrDefault(m => string.CompareOrdinal(m, current) <= 0) ?? current;
        }
        var countries = actor.IsAdmin ? null : actor.Scope.Countries.ToList();
        var pairs = await db.OrganisationCountries.AsNoTracking()
            .Where(c => countries == null || countries.Contains(c.CountryIso3))
            .Join(db.Organisations, c => c.OrganisationId, o => o.Id, (c, o) => new { o.Id, o.Acronym, c.CountryIso3 }).ToListAsync(ct);
        if (!string.IsNullOrWhiteSpace(Country))
        {
            pairs = pairs.Where(p => string.Equals(p.CountryIso3, Country, StringComparison.OrdinalIgnoreCase)).ToList();
        }
        var counts = await db.ActivityReports.AsNoTracking().Where(r => r.Month == Month && r.DeletedAt == null && (countries == null || countries.Contains(r.CountryIso3)))
            .GroupBy(r => new { r.OrganisationId, r.CountryIso3, r.Status }).Select(g => new { g.Key.OrganisationId, g.Key.CountryIso3, g.Key.Status, N = g.Count() })
            .ToListAsync(ct);
        var locks = (await db.PeriodLocks.AsNoTracking().Where(l => l.Month == Month).Select(l => l.CountryIso3).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        int N(int org, string c, ReportStatus s) => counts.Where(x => x.OrganisationId == org && x.CountryIso3 == c && x.Status == s).Sum(x => x.N);
        Lines = pairs.Select(p => new StatusLine(p.Acronym, p.CountryIso3, N(p.Id, p.CountryIso3, ReportStatus.Draft), N(p.Id, p.CountryIso3, ReportStatus.Submitted),
                N(p.Id, p.CountryIso3, ReportStatus.Validated), N(p.Id, p.CountryIso3, ReportStatus.Returned), locks.Contains(p.CountryIso3)))
            .OrderBy(l => l.Country, StringComparer.Ordinal).ThenBy(l => l.NotReported ? 0 : 1).ThenBy(l => l.Org, StringComparer.Ordinal).ToList();
        return Page();
    }
}
