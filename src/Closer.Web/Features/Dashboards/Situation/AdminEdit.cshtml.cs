using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Dashboards.Situation;

/// <summary>
/// One month's report of a country or the region: the highlights in four languages (each save a revision), the preview and
/// publication. Its coordinators and administrators only; anyone else signed in is sent to the access-denied page (403),
/// as on every back-office page, and an unknown country or month gets 404.
/// </summary>
[Authorize(Roles = Roles.PlatformAdmin + "," + Roles.CountryCoordinator)]
public sealed class AdminEditModel(CloserDbContext db, SituationPublisher publisher, IStringLocalizer<SharedResource> t) : PageModel
{
    public SituationScope Scope { get; private set; } = null!;
    public string Name { get; private set; } = "";
    public SituationReport? Report { get; private set; }
    public List<SituationReportRevision> Revisions { get; private set; } = [];
    public Dictionary<string, string> Texts { get; private set; } = new(StringComparer.Ordinal);
    public List<FieldError> Errors { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(string scope, string month, CancellationToken ct) => await LoadAsync(scope, month, ct) ?? Page();

    public async Task<IActionResult> OnPostSaveAsync(string scope, string month, string? en, string? es, string? pt, string? pap, CancellationToken ct)
    {
        if (await LoadAsync(scope, month, ct) is { } refused)
        {
            return refused;
        }
        var texts = new Dictionary<string, string?>(StringComparer.Ordinal) { ["en"] = en, ["es"] = es, ["pt"] = pt, ["pap"] = pap };
        var (_, error) = await publisher.SaveHighlightsAsync(Scope, texts, Actor.From(User), ct);
        if (error is ValidationError v)
        {
            Errors = v.Errors.ToList();
            Texts = texts.ToDictionary(x => x.Key, x => x.Value ?? "", StringComparer.Ordinal);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        if (error is not null)
        {
            return Refuse(error);
        }
        Message = t["The highlights were saved."];
        return await LoadAsync(scope, month, ct) ?? Page();
    }

    public async Task<IActionResult> OnPostPublishAsync(string scope, string month, CancellationToken ct)
    {
        if (await LoadAsync(scope, month, ct) is { } refused)
        {
            return refused;
        }
        var (publication, error) = await publisher.PublishAsync(Scope, Actor.From(User), announce: true, ct);
        if (error is not null)
        {
            return Refuse(error);
        }
        Message = publication!.First
            ? t["The report is published: its PDFs are in the document library and its followers are being told."]
            : t["The report was published before: its PDFs in the library were replaced by new versions; followers were told the first time only."];
        return await LoadAsync(scope, month, ct) ?? Page();
    }

    private IActionResult Refuse(Error error) => error switch
    {
        ForbiddenError => Forbid(),
        NotFoundError => NotFound(),
        _ => BadRequest(),
    };

    /// <summary>Loads the report; a result to return instead of the page when the scope is unknown (404) or not the user's (403).</summary>
    private async Task<IActionResult?> LoadAsync(string scope, string month, CancellationToken ct)
    {
        var key = SituationScope.Parse(scope, month);
        if (key is null || await publisher.CheckAsync(key, ct) is not null)
        {
            return NotFound();
        }
        if (!key.MayCoordinate(ScopeUser.From(User)))
        {
            return Forbid();
        }
        Scope = key;
        var lang = HttpContext.Language();
        Name = key.IsRegion ? t["The whole region"] : (await db.Countries.AsNoTracking().FirstAsync(c => c.Iso3 == key.Code, ct)).Name(lang);
        Report = await db.SituationReports.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == key.Code && r.Month == key.Month, ct);
        Revisions = Report is null ? [] : await db.SituationReportRevisions.AsNoTracking().Where(r => r.ReportId == Report.Id)
            .OrderByDescending(r => r.Number).Take(50).ToListAsync(ct);
        Texts = Languages.All.ToDictionary(l => l, l => Report?.Highlights(l) ?? "", StringComparer.Ordinal);
        return null;
    }
}
