using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Funding;

/// <summary>
/// The contributions of the plan years: a filtered list (what the user may read), the spreadsheet upload and the
/// template, and the year's coverage. Works without JavaScript.
/// </summary>
[RequestSizeLimit(SheetReader.MaxUploadBytes + 1024 * 1024)]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(FundingFeature.PageImportLimiter)]
public sealed class AdminModel(CloserDbContext db, FundingCoverage coverage, FundingImporter importer, IStringLocalizer<SharedResource> t) : PageModel
{
    public const int PageSize = 200;

    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty(SupportsGet = true)] public string? Country { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sector { get; set; }
    [BindProperty(SupportsGet = true)] public string? Donor { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public bool Deleted { get; set; }

    public List<ContributionDto> Items { get; private set; } = [];
    public int Total { get; private set; }
    public List<int> Years { get; private set; } = [];
    public List<(string Code, string Name)> Countries { get; private set; } = [];
    public List<(string Code, string Name)> Sectors { get; private set; } = [];
    public CoverageReport? Coverage { get; private set; }
    public bool CanWrite { get; private set; }
    public List<FieldError> Errors { get; private set; } = [];
    public string? Message { get; private set; }

    private Actor Actor => Actor.From(User);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!FundingRules.ReadsAny(Actor.Scope))
        {
            return Forbid();
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        if (!FundingRules.WritesAny(Actor.Scope))
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
            var (result, error) = await importer.ImportAsync(stream, file.Length, Actor, ct);
            if (error is not null)
            {
                Errors.AddRange(error.FieldErrors(t));
            }
            else
            {
                Message = t["Imported {0} and {1}.", t.Plural(result!.Imported, "{0} new row", "{0} new rows").Value, t.Plural(result.Updated, "{0} changed row", "{0} changed rows").Value];
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var language = HttpContext.Language();
        CanWrite = FundingRules.WritesAny(Actor.Scope);
        Years = await db.ResponsePlans.AsNoTracking().OrderByDescending(p => p.Year).Select(p => p.Year).ToListAsync(ct);
        Year ??= await coverage.DefaultYearAsync(ct);
        Countries = (await db.Countries.AsNoTracking().ToListAsync(ct)).Select(c => (c.Iso3, c.Name(language)))
            .OrderBy(c => c.Item2, StringComparer.Create(System.Globalization.CultureInfo.CurrentCulture, true)).ToList();
        Sectors = (await db.Sectors.AsNoTracking().Where(s => s.ParentCode == null).OrderBy(s => s.SortOrder).ToListAsync(ct)).Select(s => (s.Code, s.Name(language))).ToList();
        var q = FundingFeature.Filter(FundingFeature.Visible(db.Contributions.AsNoTracking(), Actor.Scope),
            new FundingFeature.Filters(Year, Country, Sector, Donor, Status, null, Deleted));
        Total = await q.CountAsync(ct);
        Items = await FundingFeature.Page(q, 1, PageSize, ct);
        if (Year is { } y)
        {
            Coverage = await coverage.BuildAsync(y, language, ct);
        }
    }
}
