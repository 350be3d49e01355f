using System.Globalization;
using Closer.Web.Features.Coordination;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Funding;

/// <summary>The fields of the contribution form.</summary>
public sealed class ContributionForm
{
    public int? Year { get; set; }
    public string? Donor { get; set; }
    public string? DonorType { get; set; }
    public string? Recipient { get; set; }
    public string? Country { get; set; }
    public string? Sector { get; set; }
    public string? Amount { get; set; }
    public string? Status { get; set; }
    public string? Date { get; set; }
    public string? Reference { get; set; }
}

/// <summary>Adds, edits, deletes (soft) and restores one contribution; shows its revisions. Read-only for those who may only read it.</summary>
public sealed class EditModel(CloserDbContext db, TimeProvider time, FundingCoverage coverage, IStringLocalizer<SharedResource> t, IOutputCacheStore cache) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Id { get; set; }
    [BindProperty] public ContributionForm Form { get; set; } = new();

    public ContributionDto? Current { get; private set; }
    public bool CanWrite { get; private set; }
    public List<ContributionRevisionDto> Revisions { get; private set; } = [];
    public List<FieldError> Errors { get; private set; } = [];
    public string? Message { get; private set; }
    public List<string> Organisations { get; private set; } = [];
    public List<(string Code, string Name)> Countries { get; private set; } = [];
    public List<(string Code, string Name)> Sectors { get; private set; } = [];
    public List<int> Years { get; private set; } = [];

    private Actor Actor => Actor.From(User);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Id is null)
        {
            if (!FundingRules.WritesAny(Actor.Scope))
            {
                return Forbid();
            }
            Form = new ContributionForm
            {
                Year = await coverage.DefaultYearAsync(ct), Status = "committed",
                Date = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Country = Actor.IsAdmin ? null : Actor.Scope.Countries.Order(StringComparer.Ordinal).FirstOrDefault(),
            };
            CanWrite = true;
            await LoadListsAsync(ct);
            return Page();
        }
        var (c, error) = await FundingFeature.FindAsync(Id.Value, db, Actor, FundingAction.Read, ct);
        if (error is not null)
        {
            return NotFound();
        }
        Form = FormOf(c!);
        await LoadAsync(c!, ct);
        return Page();
    }

    private static ContributionForm FormOf(Contribution c) => new()
    {
        Year = c.Year, Donor = c.Donor, DonorType = c.DonorType, Recipient = c.RecipientOrganisation!.Acronym, Country = c.CountryIso3, Sector = c.SectorCode,
        Amount = FundingRows.Usd(c.AmountCents), Status = c.Status.ToString().ToLowerInvariant(), Date = c.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Reference = c.Reference,
    };

    private async Task LoadAsync(Contribution c, CancellationToken ct)
    {
        Current = FundingFeature.ToDto(c, c.RecipientOrganisation!.Acronym);
        CanWrite = FundingRules.Allows(Actor.Scope, new FundingResource(c.RecipientOrganisationId, c.CountryIso3), FundingAction.Write);
        Revisions = await FundingFeature.RevisionListAsync(db, c.Id, ct);
        await LoadListsAsync(ct);
    }

    private async Task LoadListsAsync(CancellationToken ct)
    {
        var language = HttpContext.Language();
        Organisations = await db.Organisations.AsNoTracking().OrderBy(o => o.Acronym).Select(o => o.Acronym).ToListAsync(ct);
        Countries = (await db.Countries.AsNoTracking().ToListAsync(ct)).Select(c => (c.Iso3, c.Name(language)))
            .Where(c => Actor.IsAdmin || Actor.Scope.InCountry(c.Iso3) || c.Iso3 == Form.Country)
            .OrderBy(c => c.Item2, StringComparer.Create(CultureInfo.CurrentCulture, true)).ToList();
        Sectors = (await db.Sectors.AsNoTracking().OrderBy(s => s.SortOrder).ToListAsync(ct)).Select(s => (s.Code, s.Name(language))).ToList();
        Years = await db.ResponsePlans.AsNoTracking().OrderByDescending(p => p.Year).Select(p => p.Year).ToListAsync(ct);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        Contribution? existing = null;
        if (Id is { } id)
        {
            var (c, error) = await FundingFeature.FindAsync(id, db, Actor, FundingAction.Write, ct);
            if (error is NotFoundError)
            {
                return NotFound();
            }
            if (error is not null || c!.DeletedAt is not null)
            {
                return Forbid();
            }
            existing = c;
        }
        var cells = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["year"] = Form.Year?.ToString(CultureInfo.InvariantCulture), ["donor"] = Form.Donor, ["donortype"] = Form.DonorType, ["recipient"] = Form.Recipient,
            ["country"] = Form.Country, ["sector"] = Form.Sector, ["amount"] = Form.Amount, ["status"] = Form.Status, ["date"] = Form.Date, ["reference"] = Form.Reference,
        };
        var (saved, saveError) = await FundingFeature.SaveAsync(existing, cells, Actor, db, time, t, cache, ct);
        if (saveError is ValidationError v)
        {
            Errors.AddRange(v.Errors);
        }
        else if (saveError is ForbiddenError)
        {
            return Forbid();
        }
        else if (saveError is not null)
        {
            Errors.Add(new FieldError(null, "donor", t[saveError.Message]));
        }
        if (Errors.Count > 0)
        {
            CanWrite = true;
            if (existing is not null)
            {
                Current = FundingFeature.ToDto(existing, existing.RecipientOrganisation?.Acronym ?? "");
                Revisions = await FundingFeature.RevisionListAsync(db, existing.Id, ct);
            }
            await LoadListsAsync(ct);
            return Page();
        }
        return Redirect($"/admin/funding/edit/{saved!.Id.ToString(CultureInfo.InvariantCulture)}?saved=1");
    }

    public Task<IActionResult> OnPostDeleteAsync(CancellationToken ct) => SetDeletedAsync(true, ct);

    public Task<IActionResult> OnPostRestoreAsync(CancellationToken ct) => SetDeletedAsync(false, ct);

    private async Task<IActionResult> SetDeletedAsync(bool delete, CancellationToken ct)
    {
        if (Id is not { } id)
        {
            return NotFound();
        }
        var error = await FundingFeature.SetDeletedAsync(id, delete, Actor, db, time, cache, ct);
        switch (error)
        {
            case NotFoundError:
                return NotFound();
            case ForbiddenError:
                return Forbid();
            case null:
                return Redirect($"/admin/funding/edit/{id.ToString(CultureInfo.InvariantCulture)}");
            default:
                var (c, _) = await FundingFeature.FindAsync(id, db, Actor, FundingAction.Read, ct);
                Form = FormOf(c!);
                await LoadAsync(c!, ct);
                Errors.Add(new FieldError(null, "donor", t[error.Message]));
                return Page();
        }
    }
}
