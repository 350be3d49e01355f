using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace Closer.Web.Features.Funding;

/// <summary>The public funding page: coverage of a plan year as charts and tables, with downloads. No cookie, output-cached.</summary>
[AllowAnonymous]
[OutputCache(PolicyName = FundingFeature.CachePolicy)]
public sealed class PublicModel(FundingCoverage coverage, Closer.Web.Infrastructure.Data.CloserDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }

    public CoverageReport? Report { get; private set; }

    /// <summary>The ten largest donors of the year by funding received, with their pledges.</summary>
    public List<FundingOpenData.DonorLine> Donors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var year = Year ?? await coverage.DefaultYearAsync(ct);
        Report = year is null ? null : await coverage.BuildAsync(year.Value, HttpContext.Language(), ct);
        if (Report is not null)
        {
            Donors = (await FundingFeature.DonorLinesAsync(db, Report.Year, ct)).Take(10).ToList();
        }
        return Report is null && Year is not null ? NotFound() : Page();
    }
}
