using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Dashboards.Situation;

/// <summary>
/// A month's situation report of a country or the region, from validated data, with the coordinator's highlights. Public
/// once published (output-cached for anonymous readers); before that a draft preview for the scope's coordinators and
/// administrators, and a 404 page for everyone else, as for an unknown country or month.
/// </summary>
[AllowAnonymous]
[OutputCache(PolicyName = SituationFeature.CachePolicy)]
public sealed class SituationModel(CloserDbContext db, Funding.FundingCoverage coverage, DisclosureControl disclosure, IMemoryCache cache, TimeProvider time,
    IStringLocalizer<SharedResource> t) : Shared.PublicPageModel
{
    public SituationReportView? Report { get; private set; }
    public string Title { get; private set; } = "";
    public int Threshold => disclosure.Threshold;

    public async Task<IActionResult> OnGetAsync(string scope, string month, CancellationToken ct)
    {
        var result = await SituationReportView.LoadAsync(db, coverage, disclosure, cache, time, scope, month, Lang, User, ct);
        if (result is not { } view)
        {
            Title = t["No situation report here"];
            Describe(Title, t["There is no published situation report for this country and month."]);
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Report = view;
        Title = view.Title(t);
        if (view.IsDraft)
        {
            // A draft is for its coordinators only: never cached or indexed.
            Response.Headers.CacheControl = "private, no-store";
        }
        Describe(Title, t["Key figures, people reached against targets by sector, partners, funding and the coordinator's highlights, from validated reports."]);
        return Page();
    }
}

/// <summary>What a situation report page or PDF shows: the figures, the highlights in the reader's language and the publication state.</summary>
public sealed record SituationReportView(SituationFigures Figures, string Highlights, string HighlightsLanguage, bool IsDraft, DateTimeOffset? PublishedAt,
    DateTimeOffset GeneratedAt)
{
    public SituationScope Scope => Figures.Scope;

    public string MonthLabel => Months.Label(Scope.Month);

    public string Title(IStringLocalizer t) => Scope.IsRegion
        ? t["Regional situation report, {0}", MonthLabel]
        : t["Situation report: {0}, {1}", Figures.Name, MonthLabel];

    /// <summary>The highlights as paragraphs (a blank line separates them; single line breaks stay inside one).</summary>
    public IReadOnlyList<string[]> Paragraphs => SituationText.Paragraphs(Highlights);

    /// <summary>
    /// The report a reader may see, or null (unknown scope or month, or a draft the reader may not preview). A month is known
    /// when its year has a plan and it has begun.
    /// </summary>
    public static async Task<SituationReportView?> LoadAsync(CloserDbContext db, Funding.FundingCoverage coverage, DisclosureControl disclosure, IMemoryCache cache, TimeProvider time,
        string? scope, string? month, string language, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        var key = SituationScope.Parse(scope, month);
        if (key is null || !SituationFeature.HasBegun(key, time))
        {
            return null;
        }
        var row = await db.SituationReports.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == key.Code && r.Month == key.Month, ct);
        var draft = row?.PublishedAt is null;
        if (draft && !(user.Identity?.IsAuthenticated == true && key.MayCoordinate(ScopeUser.From(user))))
        {
            return null;
        }
        return await BuildAsync(db, coverage, disclosure, cache, time, key, row, language, ct);
    }

    /// <summary>The report of a scope and month in a language, whoever asks (the PDF made at publication).</summary>
    public static async Task<SituationReportView?> BuildAsync(CloserDbContext db, Funding.FundingCoverage coverage, DisclosureControl disclosure, IMemoryCache cache, TimeProvider time,
        SituationScope key, SituationReport? row, string language, CancellationToken ct)
    {
        var names = await Names.LoadAsync(db, language, ct);
        var figures = await SituationData.BuildAsync(db, coverage, disclosure, cache, names, key, language, ct);
        if (figures is null || !figures.HasPlan)
        {
            return null;
        }
        var (text, textLanguage) = SituationText.Pick(row, language);
        return new SituationReportView(figures, text, textLanguage, row?.PublishedAt is null, row?.PublishedAt, time.GetUtcNow());
    }
}
