using System.Globalization;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination;

/// <summary>One editable grid row (bound from the form).</summary>
public sealed class GridRow
{
    public int Id { get; set; }
    public string? Partner { get; set; }
    public long? Girls { get; set; }
    public long? Boys { get; set; }
    public long? Women { get; set; }
    public long? Men { get; set; }
    public long? Other { get; set; }
    public long? ToDate { get; set; }
    public bool Cash { get; set; }
    public long? CashUsd { get; set; }
}

/// <summary>A new row typed in below the grid.</summary>
public sealed class NewRow
{
    public string? Country { get; set; }
    public string? Admin1 { get; set; }
    public string? Indicator { get; set; }
    public string? Group { get; set; }
    public string? Partner { get; set; }
    public long? Girls { get; set; }
    public long? Boys { get; set; }
    public long? Women { get; set; }
    public long? Men { get; set; }
    public long? Other { get; set; }
    public bool Cash { get; set; }
    public long? CashUsd { get; set; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Indicator) && string.IsNullOrWhiteSpace(Admin1) && Girls is null && Boys is null && Women is null && Men is null;
}

/// <summary>
/// The monthly reporting page of an organisation: its reports of a month as a grid that saves drafts and submits,
/// a row to add, and the spreadsheet upload. Works without JavaScript.
/// </summary>
[RequestSizeLimit(Spreadsheets.MaxUploadBytes + 1024 * 1024)]
public sealed class ReportingModel(CloserDbContext db, TimeProvider time, ReportImporter importer, IStringLocalizer<SharedResource> t,
    Microsoft.Extensions.Options.IOptions<ImportJobOptions> jobOptions) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Month { get; set; }
    [BindProperty(SupportsGet = true)] public string? Org { get; set; }
    [BindProperty] public List<GridRow> Rows { get; set; } = [];
    [BindProperty] public NewRow New { get; set; } = new();

    public List<ReportDto> Reports { get; private set; } = [];
    public List<string> Months { get; private set; } = [];
    public List<(string Acronym, string Name)> Organisations { get; private set; } = [];
    public List<string> Countries { get; private set; } = [];
    public List<(string PCode, string Name, string Country)> Admin1 { get; private set; } = [];
    public List<(string Code, string Name)> Indicators { get; private set; } = [];
    public HashSet<string> LockedCountries { get; private set; } = [];
    public List<FieldError> Errors { get; private set; } = [];
    public string? Message { get; private set; }
    public bool CanWrite { get; private set; }

    private Actor Actor => Actor.From(User);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await ResolveAsync(ct))
        {
            return Forbid();
        }
        await LoadAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync(CancellationToken ct) => SaveAsync(submit: false, ct);
    public Task<IActionResult> OnPostSubmitAsync(CancellationToken ct) => SaveAsync(submit: true, ct);

    private async Task<IActionResult> SaveAsync(bool submit, CancellationToken ct)
    {
        if (!await ResolveAsync(ct) || !CanWrite)
        {
            return Forbid();
        }
        var actor = Actor;
        var reference = await ReportReference.LoadAsync(db, ct);
        var writer = new ReportWriter(db, time);
        var orgId = reference.OrgIds[Org!];
        var ids = Rows.Select(r => r.Id).ToList();
        var existing = await db.ActivityReports.Include(r => r.Organisation)
            .Where(r => ids.Contains(r.Id) && r.OrganisationId == orgId && r.Month == Month && r.DeletedAt == null).ToListAsync(ct);
        var line = 0;
        foreach (var row in Rows)
        {
            line++;
            var r = existing.FirstOrDefault(x => x.Id == row.Id);
            if (r is null || r.Status is ReportStatus.Submitted or ReportStatus.Validated)
            {
                continue;
            }
            var values = ReportRows.Parse(RowCells(r.CountryIso3, r.Admin1PCode, r.IndicatorCode, r.PopulationGroup, row.Partner, row.Girls, row.Boys,
                row.Women, row.Men, row.Other, row.ToDate, row.Cash, row.CashUsd), line, reference, actor, t, Errors);
            if (values is not null)
            {
                writer.Upsert(r, values, actor);
            }
        }
        if (!New.IsEmpty)
        {
            var values = ReportRows.Parse(RowCells(New.Country, New.Admin1, New.Indicator, New.Group, New.Partner, New.Girls, New.Boys, New.Women,
                New.Men, New.Other, null, New.Cash, New.CashUsd), Rows.Count + 1, reference, actor, t, Errors);
            if (values is not null)
            {
                var dupe = await db.ActivityReports.AnyAsync(x => x.OrganisationId == values.OrganisationId && x.CountryIso3 == values.CountryIso3
                    && x.Admin1PCode == values.Admin1PCode && x.IndicatorCode == values.IndicatorCode && x.Month == values.Month
                    && x.PopulationGroup == values.PopulationGroup && x.DeletedAt == null, ct);
                if (dupe)
                {
                    Errors.Add(new FieldError(Rows.Count + 1, "indicator", t["This row exists already: change it in the grid."]));
                }
                else
                {
                    writer.Upsert(null, values, actor);
                }
            }
        }
        if (Errors.Count == 0 && submit)
        {
            foreach (var r in existing.Where(r => r.Status is ReportStatus.Draft or ReportStatus.Returned))
            {
                if (await CoordinationFeature.ApplyTransitionAsync(r, "submit", null, actor, db, writer, ct) is { } error)
                {
                    Errors.Add(new FieldError(null, "status", error.Message));
                }
            }
        }
        if (Errors.Count == 0)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await Closer.Web.Features.Dashboards.ResponseAggregates.SaveChangesAsync(db, ct);
            if (submit)
            {
                // Rows added in this post are submitted too.
                foreach (var r in db.ActivityReports.Local.Where(r => r.OrganisationId == orgId && r.Month == Month && r.Status == ReportStatus.Draft).ToList())
                {
                    r.Organisation ??= await db.Organisations.FindAsync([orgId], ct);
                    await CoordinationFeature.ApplyTransitionAsync(r, "submit", null, actor, db, writer, ct);
                }
                await Closer.Web.Features.Dashboards.ResponseAggregates.SaveChangesAsync(db, ct);
            }
            await tx.CommitAsync(ct);
            return RedirectToPage(new { month = Month, org = Org, done = submit ? "submitted" : "saved" });
        }
        db.ChangeTracker.Clear();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        if (!await ResolveAsync(ct) || !CanWrite)
        {
            return Forbid();
        }
        if (file is null)
        {
            Errors.Add(new FieldError(null, "file", t["Choose a CSV or XLSX file."]));
        }
        else
        {
            await using var stream = file.OpenReadStream();
            var (upload, refusal) = await Spreadsheets.CheckUploadAsync(stream, file.Length, ct);
            using var content = upload?.Content;
            if (refusal is null && !upload!.IsEmpty && upload.Content.Length > jobOptions.Value.BackgroundAboveBytes)
            {
                // A big file is checked and stored in the background; its page shows the progress.
                var job = await ImportJobs.CreateAsync(db, upload, file.FileName, Actor, HttpContext.Language(), time, ct);
                return Redirect($"/admin/imports/{job.Id}");
            }
            var (result, error) = refusal is not null ? (null, refusal) : await importer.ImportCheckedAsync(upload!, Actor, null, ct);
            if (error is not null)
            {
                Errors.AddRange(error.FieldErrors(t));
            }
            else
            {
                Message = t["Imported {0} new and {1} changed rows.", result!.Imported, result.Updated];
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private static Dictionary<string, string?> Cells(string? country, string? admin1, string? indicator, string? group, string? partner,
        long? girls, long? boys, long? women, long? men, long? other, long? toDate, bool cash, long? cashUsd) => new(StringComparer.Ordinal)
        {
            ["country"] = country, ["admin1"] = admin1, ["indicator"] = indicator, ["group"] = group, ["partner"] = partner,
            ["girls"] = S(girls), ["boys"] = S(boys), ["women"] = S(women), ["men"] = S(men), ["other"] = S(other), ["todate"] = S(toDate),
            ["cash"] = cash ? "yes" : "no", ["cashusd"] = S(cashUsd),
        };

    private Dictionary<string, string?> RowCells(string? country, string? admin1, string? indicator, string? group, string? partner,
        long? girls, long? boys, long? women, long? men, long? other, long? toDate, bool cash, long? cashUsd)
    {
        var d = Cells(country, admin1, indicator, group, partner, girls, boys, women, men, other, toDate, cash, cashUsd);
        d["org"] = Org;
        d["month"] = Month;
        return d;
    }

    private static string? S(long? n) => n?.ToString(CultureInfo.InvariantCulture);

    /// <summary>Picks the organisation (own, or any for an admin) and the month; false when the user has none.</summary>
    private async Task<bool> ResolveAsync(CancellationToken ct)
    {
        var actor = Actor;
        var all = await db.Organisations.AsNoTracking().OrderBy(o => o.Acronym).Select(o => new { o.Id, o.Acronym, o.Name }).ToListAsync(ct);
        if (actor.IsAdmin)
        {
            Organisations = all.Select(o => (o.Acronym, o.Name)).ToList();
            Org = all.FirstOrDefault(o => string.Equals(o.Acronym, Org, StringComparison.OrdinalIgnoreCase))?.Acronym ?? all.First().Acronym;
        }
        else
        {
            var own = all.FirstOrDefault(o => o.Id == actor.Scope.OrganisationId);
            if (own is null)
            {
                return false;
            }
            Org = own.Acronym;
            Organisations = [(own.Acronym, own.Name)];
        }
        var orgId = all.First(o => o.Acronym == Org).Id;
        CanWrite = actor.IsAdmin || (actor.Scope.Roles.Contains(Roles.OrgFocalPoint) && actor.Scope.OrganisationId == orgId);
        Months = (await db.ReportingPeriods.AsNoTracking().Select(p => p.Month).ToListAsync(ct)).Order(StringComparer.Ordinal).ToList();
        var current = time.GetUtcNow().ToString("yyyy-MM", CultureInfo.InvariantCulture);
        if (Month is null || !Months.Contains(Month))
        {
            Month = Months.LastOrDefault(m => string.CompareOrdinal(m, current) <= 0) ?? Months.LastOrDefault() ?? current;
        }
        return true;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var actor = Actor;
        var lang = HttpContext.Language();
        var q = CoordinationFeature.Visible(db.ActivityReports.AsNoTracking(), actor.Scope).Where(r => r.Organisation!.Acronym == Org && r.Month == Month);
        Reports = await CoordinationFeature.Project(db, q).ToListAsync(ct);
        var orgCountries = await db.OrganisationCountries.AsNoTracking().Where(c => db.Organisations.Any(o => o.Id == c.OrganisationId && o.Acronym == Org))
            .Select(c => c.CountryIso3).ToListAsync(ct);
        Countries = orgCountries.Where(c => actor.IsAdmin || actor.Scope.Countries.Count == 0 || actor.Scope.Countries.Contains(c)).Order(StringComparer.Ordinal).ToList();
        Admin1 = (await db.Admin1Areas.AsNoTracking().Where(a => Countries.Contains(a.CountryIso3)).OrderBy(a => a.CountryIso3).ThenBy(a => a.Name).ToListAsync(ct))
            .Select(a => (a.PCode, a.Name, a.CountryIso3)).ToList();
        Indicators = (await db.Indicators.AsNoTracking().OrderBy(i => i.Code).ToListAsync(ct)).Select(i => (i.Code, i.Name(lang))).ToList();
        LockedCountries = (await db.PeriodLocks.AsNoTracking().Where(l => l.Month == Month).Select(l => l.CountryIso3).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        if (Request.Query["done"] == "saved")
        {
            Message ??= t["Saved."];
        }
        else if (Request.Query["done"] == "submitted")
        {
            Message ??= t["Saved and submitted for review."];
        }
    }

    public bool Editable(ReportDto r) => CanWrite && r.Status is "Draft" or "Returned" && !LockedCountries.Contains(r.Country);
}
