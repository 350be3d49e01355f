using System.Globalization;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Plan;

public sealed class TargetRow
{
    public string Indicator { get; set; } = "";
    public string Group { get; set; } = "";
    public long? Target { get; set; }
    public long? PeopleInNeed { get; set; }
    public long? RequirementUsd { get; set; }
    public string? Source { get; set; }
    public DateTimeOffset? SetAt { get; set; }
}

/// <summary>The plan of a year (sectors, requirements) and a country's targets, which its coordinators edit.</summary>
public sealed class PlanModel(CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty(SupportsGet = true)] public string? Country { get; set; }
    [BindProperty] public List<TargetRow> Targets { get; set; } = [];
    /// <summary>Where the changed figures come from: recorded with each target the post changes.</summary>
    [BindProperty] public string? Source { get; set; }

    public ResponsePlan? Plan { get; private set; }
    public List<(Sector Sector, SectorPlan? Plan)> Sectors { get; private set; } = [];
    public List<int> Years { get; private set; } = [];
    public List<string> Countries { get; private set; } = [];
    public Dictionary<string, string> IndicatorNames { get; private set; } = [];
    public bool CanEdit { get; private set; }
    public List<string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Plan is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var actor = Actor.From(User);
        var country = Country?.ToUpperInvariant() ?? "";
        if (Year is null || !ReportRules.ManagesCountry(actor.Scope, country))
        {
            return Forbid();
        }
        var now = time.GetUtcNow();
        if (string.IsNullOrWhiteSpace(Source))
        {
            Errors.Add(t["Give the source of the targets (a plan document, or how a demo figure was derived)."]);
        }
        foreach (var row in Targets.Where(_ => Errors.Count == 0))
        {
            var error = await SetTargetCommand.RunAsync(Year.Value, new TargetInput(country, row.Indicator, row.Group, row.Target, row.PeopleInNeed, row.RequirementUsd, Source), actor, db, now, ct);
            if (error is ValidationError v)
            {
                Errors.AddRange(v.Errors.Select(e => $"{row.Indicator} {row.Group}: {t[e.Message]}"));
            }
            else if (error is not null)
            {
                Errors.Add(t[error.Message]);
            }
        }
        if (Errors.Count == 0)
        {
            await db.SaveChangesAsync(ct);
            return RedirectToPage(new { year = Year, country, saved = 1 });
        }
        db.ChangeTracker.Clear();
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var lang = HttpContext.Language();
        Years = await db.ResponsePlans.AsNoTracking().OrderBy(p => p.Year).Select(p => p.Year).ToListAsync(ct);
        Year ??= Years.Contains(time.GetUtcNow().Year) ? time.GetUtcNow().Year : Years.LastOrDefault();
        Plan = await db.ResponsePlans.AsNoTracking().FirstOrDefaultAsync(p => p.Year == Year, ct);
        var sectorPlans = await db.SectorPlans.AsNoTracking().Where(s => s.Year == Year).ToListAsync(ct);
        Sectors = (await db.Sectors.AsNoTracking().OrderBy(s => s.SortOrder).ToListAsync(ct))
            .Select(s => (s, sectorPlans.FirstOrDefault(p => p.SectorCode == s.Code))).ToList();
        IndicatorNames = (await db.Indicators.AsNoTracking().ToListAsync(ct)).ToDictionary(i => i.Code, i => i.Name(lang), StringComparer.Ordinal);
        Countries = await db.PlanTargets.AsNoTracking().Where(x => x.Year == Year).Select(x => x.CountryIso3).Distinct().OrderBy(c => c).ToListAsync(ct);
        Country = Country?.ToUpperInvariant() ?? Countries.FirstOrDefault();
        CanEdit = Country is not null && ReportRules.ManagesCountry(Actor.From(User).Scope, Country);
        if (Errors.Count == 0)
        {
            Targets = await db.PlanTargets.AsNoTracking().Where(x => x.Year == Year && x.CountryIso3 == Country)
                .OrderBy(x => x.IndicatorCode).ThenBy(x => x.PopulationGroup)
                .Select(x => new TargetRow { Indicator = x.IndicatorCode, Group = x.PopulationGroup, Target = x.Target, PeopleInNeed = x.PeopleInNeed, RequirementUsd = x.RequirementUsd, Source = x.Source, SetAt = x.SetAt })
                .ToListAsync(ct);
        }
    }

    public static string N(long? n) => n?.ToString("N0", CultureInfo.CurrentCulture) ?? "";
}
