using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>A report in the review queue with its outlier hints (warnings: the figure may well be right).</summary>
public sealed record ReviewRow(ReportDto Report, IReadOnlyList<OutlierHint> Hints);

/// <summary>
/// The coordinators' review queue: reports of their countries filtered by organisation, sector, admin1, month and status,
/// sorted by any column, each with its outlier hints; validated or returned with one comment, for the reports ticked,
/// every report of the page or every report matching the filter (all or nothing). No JavaScript needed.
/// </summary>
public sealed class ReviewModel(CloserDbContext db, ReportMail mail, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    public const int PageSize = 100;
    /// <summary>"All matching the filter" acts on at most this many reports at once (one transaction).</summary>
    public const int MaxBulk = 5000;

    [BindProperty(SupportsGet = true)] public string? Country { get; set; }
    [BindProperty(SupportsGet = true)] public string? Month { get; set; }
    [BindProperty(SupportsGet = true)] public string? Org { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sector { get; set; }
    [BindProperty(SupportsGet = true)] public string? Admin1 { get; set; }
    /// <summary>submitted (the default), returned, validated, draft or any.</summary>
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true)] public string? Dir { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public List<ReviewRow> Queue { get; private set; } = [];
    public int Matching { get; private set; }
    public List<string> Errors { get; private set; } = [];
    public string? Message { get; private set; }
    public List<string> Organisations { get; private set; } = [];
    public List<(string Code, string Name)> Sectors { get; private set; } = [];
    public List<string> Countries { get; private set; } = [];
    public List<(string PCode, string Name, string Country)> Admin1Areas { get; private set; } = [];
    public int Pages => Math.Max(1, (Matching + PageSize - 1) / PageSize);
    public bool Descending => Dir == "desc";

    /// <summary>The current filters as route values, for links and the action form (a sort or page on top).</summary>
    public Dictionary<string, string?> RouteValues(string? sort = null, string? dir = null, int? page = null) => new(StringComparer.Ordinal)
    {
        ["country"] = Country, ["month"] = Month, ["org"] = Org, ["sector"] = Sector, ["admin1"] = Admin1, ["status"] = Status,
        ["sort"] = sort ?? Sort, ["dir"] = dir ?? Dir, ["p"] = page is { } p ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
    };

    /// <summary>The same, without the empty ones (for asp-all-route-data).</summary>
    public Dictionary<string, string> Query(string? sort = null, string? dir = null, int? page = null) =>
        RouteValues(sort, dir, page).Where(kv => !string.IsNullOrEmpty(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.Ordinal);

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

    /// <param name="scope">selected (the ticked ids), page (every id of the page shown, <paramref name="pageIds"/>) or filter (every report matching).</param>
    public async Task<IActionResult> OnPostAsync(List<int>? ids, List<int>? pageIds, string? scope, string? action, string? reason, CancellationToken ct)
    {
        var actor = Actor.From(User);
        if (!Allowed(actor))
        {
            return Forbid();
        }
        var chosen = scope switch
        {
            "page" => pageIds ?? [],
            "filter" => await Matches().Select(r => r.Id).Take(MaxBulk + 1).ToListAsync(ct),
            _ => ids ?? [],
        };
        if (chosen.Count == 0)
        {
            Errors.Add(t["Select at least one report."]);
        }
        else if (chosen.Count > MaxBulk)
        {
            Errors.Add(t.Plural(MaxBulk, "Too many reports match: narrow the filter (at most {0} at once).", "Too many reports match: narrow the filter (at most {0} at once)."));
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
            var (_, refusals) = await BulkTransitionCommand.RunAsync(chosen, action, reason, missingRefuses: false, actor, db, mail, time, ct);
            if (refusals.Count == 0)
            {
                var back = RouteValues();
                back["done"] = action;
                return RedirectToPage(back);
            }
            Errors.AddRange(refusals.Take(100).Select(x => $"{x.Report?.Organisation?.Acronym} {x.Report?.CountryIso3} {x.Report?.Admin1PCode} {x.Report?.IndicatorCode} {x.Report?.Month}: {t[x.Error.Message]}"));
        }
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The reports matching the filters that the caller reviews (their countries; administrators all).</summary>
    private IQueryable<ActivityReport> Matches()
    {
        var actor = Actor.From(User);
        var q = ReportQueries.Visible(db.ActivityReports.AsNoTracking(), actor.Scope);
        if (!actor.IsAdmin)
        {
            var countries = actor.Scope.Countries.ToList();
            q = q.Where(r => countries.Contains(r.CountryIso3));
        }
        var status = string.IsNullOrWhiteSpace(Status) ? "submitted" : Status;
        return ReportQueries.Filter(db, q, new ReportQueries.Filters(Country, Sector, Month, status == "any" ? null : status, Org, Admin1));
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var actor = Actor.From(User);
        Status = string.IsNullOrWhiteSpace(Status) ? "submitted" : Status;
        Sort = ReportQueries.SortKeys.Contains(Sort ?? "") ? Sort : null;
        var q = Matches();
        Matching = await q.CountAsync(ct);
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        var reports = await ReportQueries.Select(db, ReportQueries.Sort(db, q, Sort, Descending)).Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync(ct);

        var orgIds = await db.Organisations.AsNoTracking().Select(o => new { o.Id, o.Acronym }).ToListAsync(ct);
        var idOf = orgIds.ToDictionary(o => o.Acronym, o => o.Id, StringComparer.Ordinal);
        Organisations = orgIds.Select(o => o.Acronym).Order(StringComparer.Ordinal).ToList();
        var figures = reports.Select(r => new OutlierFigure(idOf[r.Org], r.Country, r.Admin1, r.Indicator, r.PopulationGroup, r.Month, r.Total, r.ImplementingPartner ?? "")).ToList();
        var rule = await OutlierRule.LoadAsync(db, figures, ct);
        Queue = reports.Zip(figures, (r, f) => new ReviewRow(r, rule.Check(f))).ToList();

        var language = HttpContext.Language();
        Sectors = (await db.Sectors.AsNoTracking().OrderBy(s => s.SortOrder).ToListAsync(ct)).Select(s => (s.Code, s.Name(language))).ToList();
        Countries = actor.IsAdmin
            ? await db.Countries.AsNoTracking().OrderBy(c => c.Iso3).Select(c => c.Iso3.Trim()).ToListAsync(ct)
            : actor.Scope.Countries.Order(StringComparer.Ordinal).ToList();
        var areaCountries = string.IsNullOrWhiteSpace(Country) ? Countries : [Country.Trim().ToUpperInvariant()];
        Admin1Areas = (await db.Admin1Areas.AsNoTracking().Where(a => areaCountries.Contains(a.CountryIso3)).ToListAsync(ct))
            .Select(a => (a.PCode, a.Name, a.CountryIso3.Trim())).OrderBy(a => a.Item3, StringComparer.Ordinal).ThenBy(a => a.Name, StringComparer.CurrentCulture).ToList();
    }
}
