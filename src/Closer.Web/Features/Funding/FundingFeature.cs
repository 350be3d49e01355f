using System.Globalization;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Funding;

/// <summary>Funding against the plan's requirements (issue 7): contributions, their import, coverage and its open data.</summary>
public static partial class FundingFeature
{
    /// <summary>Output-cache policy and tag of the public funding page and open data; evicted on every funding change.</summary>
    public const string CachePolicy = "funding";
    public const string CacheTag = "funding";

    /// <summary>Rate limit of the upload on /admin/funding (posts only).</summary>
    public const string PageImportLimiter = "funding-page-import";

    public const string Definition = "Received = committed + paid. Pledged is shown apart and not counted. Coverage = received ÷ requirement.";

    public static IServiceCollection AddFunding(this IServiceCollection services)
    {
        services.AddScoped<FundingImporter>();
        services.AddScoped<FundingCoverage>();
        services.AddOutputCache(o => o.AddPolicy(CachePolicy, b => b.Tag(CacheTag).SetVaryByQuery("year", "format", "lang", "page", "pageSize").SetVaryByHeader("Accept-Language").Expire(TimeSpan.FromMinutes(10))));
        services.AddScoped<IDemoSeeder, DemoFunding>();
        // The back-office upload (a page post) gets the same budget as the API import: RateLimits:ImportsPerMinute per address.
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>().Configure<IConfiguration>((o, configuration) =>
            o.AddPolicy(PageImportLimiter, ctx => HttpMethods.IsPost(ctx.Request.Method)
                ? System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(PageImportLimiter + ":" + SecuritySetup.ClientKey(ctx),
                    _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions
                    {
                        PermitLimit = configuration.GetValue("RateLimits:ImportsPerMinute", 20),
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                : System.Threading.RateLimiting.RateLimitPartition.GetNoLimiter("")));
        return services;
    }

    public static IEndpointRouteBuilder MapFundingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/funding", CoverageAsync).AllowAnonymous().WithTags("Funding").CacheOutput(CachePolicy);
        app.MapGet("/api/v1/funding/donors", DonorsAsync).AllowAnonymous().WithTags("Funding").CacheOutput(CachePolicy).Paged();

        var g = app.MapGroup("/api/v1/funding").WithTags("Funding").RequireAuthorization(Policies.ApiUser);
        g.MapGet("/template", TemplateAsync).WithMetadata(new ApiFormats("csv", "xlsx"));
        // Shares the coordination import limiter (RateLimits:ImportsPerMinute per caller).
        g.MapPost("/import", ImportAsync).DisableAntiforgery().RequireRateLimiting(ImportRateLimit.ImportLimiter)
            .WithMetadata(new RequestSizeLimitAttribute(SheetReader.MaxUploadBytes + 1024 * 1024));
        g.MapGet("/contributions", ListAsync).Paged(defaultPageSize: 100)
            .OneOf("status", Enum.GetNames<ContributionStatus>().Select(s => s.ToLowerInvariant()))
            .CountryCodes("country", "REGIONAL").SectorCodes(withSubSectors: true);
        g.MapPost("/contributions", CreateAsync);
        g.MapGet("/contributions/{id:int}", GetAsync);
        g.MapPut("/contributions/{id:int}", UpdateAsync);
        g.MapDelete("/contributions/{id:int}", DeleteAsync);
        g.MapPost("/contributions/{id:int}/restore", RestoreAsync);
        g.MapGet("/contributions/{id:int}/revisions", RevisionsAsync).Paged();
        return app;
    }


    private static CoverageLineDto Dto(CoverageLine l) => new(l.Country, l.Sector, l.Label, FundingOpenData.Usd(l.RequirementCents),
        FundingOpenData.Usd(l.ReceivedCents), FundingOpenData.Usd(l.PaidCents), FundingOpenData.Usd(l.CommittedCents), FundingOpenData.Usd(l.PledgedCents), l.CoveragePct);

    private static async Task<Results<Ok<CoverageDto>, FileContentHttpResult, ProblemHttpResult>> CoverageAsync(HttpContext http, FundingCoverage coverage, int? year, string? format, CancellationToken ct)
    {
        var y = year ?? await coverage.DefaultYearAsync(ct);
        var report = y is null ? null : await coverage.BuildAsync(y.Value, http.Language(), ct);
        if (report is null)
        {
            return new NotFoundError("plan-not-found", "No response plan for this year.").ToProblem(http);
        }
        var language = http.Language();
        switch ((format ?? "json").ToLowerInvariant())
        {
            case "csv":
                return TypedResults.File(TabularCsv.Write(FundingOpenData.CoverageColumns, language, FundingOpenData.CoverageRows(report)),
                    TabularContentTypes.Csv, $"funding-{report.Year}.csv");
            case "xlsx":
                return TypedResults.File(TabularXlsx.Write(FundingOpenData.CoverageColumns, language, FundingOpenData.CoverageRows(report), "coverage"),
                    TabularContentTypes.Xlsx, $"funding-{report.Year}.xlsx");
            case "json":
                return TypedResults.Ok(new CoverageDto(report.Year, "USD", Definition, Dto(report.Total), report.Countries.Select(Dto).ToList(),
                    report.Sectors.Select(Dto).ToList(), report.Cells.Select(Dto).ToList(), report.HasDemoData));
            default:
                return new BadRequestError("unknown-format", "The format must be json, csv or xlsx.").ToProblem(http);
        }
    }

    internal static async Task<List<FundingOpenData.DonorLine>> DonorLinesAsync(CloserDbContext db, int year, CancellationToken ct)
    {
        var groups = await db.Contributions.AsNoTracking().Where(c => c.Year == year && c.DeletedAt == null)
            .GroupBy(c => new { c.Donor, c.DonorType, c.Status })
            .Select(g => new { g.Key.Donor, g.Key.DonorType, g.Key.Status, Cents = g.Sum(c => c.AmountCents), Count = g.Count() })
            .ToListAsync(ct);
        return groups.GroupBy(g => (g.Donor, g.DonorType))
            .Select(g => new FundingOpenData.DonorLine(g.Key.Donor, g.Key.DonorType,
                g.Where(x => x.Status == ContributionStatus.Paid).Sum(x => x.Cents),
                g.Where(x => x.Status == ContributionStatus.Committed).Sum(x => x.Cents),
                g.Where(x => x.Status == ContributionStatus.Pledged).Sum(x => x.Cents), g.Sum(x => x.Count)))
            .OrderByDescending(d => d.ReceivedCents).ThenByDescending(d => d.PledgedCents).ThenBy(d => d.Donor, StringComparer.Ordinal).ToList();
    }

    private static async Task<Results<Ok<List<DonorDto>>, FileContentHttpResult, ProblemHttpResult>> DonorsAsync(HttpContext http, CloserDbContext db, FundingCoverage coverage, int? year, string? format, CancellationToken ct)
    {
        var y = year ?? await coverage.DefaultYearAsync(ct);
        if (y is null || !await db.ResponsePlans.AnyAsync(p => p.Year == y, ct))
        {
            return new NotFoundError("plan-not-found", "No response plan for this year.").ToProblem(http);
        }
        var donors = Paging.Page(http, await DonorLinesAsync(db, y.Value, ct));
        var language = http.Language();
        return (format ?? "json").ToLowerInvariant() switch
        {
            "csv" => (Results<Ok<List<DonorDto>>, FileContentHttpResult, ProblemHttpResult>)TypedResults.File(TabularCsv.Write(FundingOpenData.DonorColumns, language, FundingOpenData.DonorRows(y.Value, donors)),
                TabularContentTypes.Csv, $"funding-donors-{y}.csv"),
            "xlsx" => TypedResults.File(TabularXlsx.Write(FundingOpenData.DonorColumns, language, FundingOpenData.DonorRows(y.Value, donors), "donors"),
                TabularContentTypes.Xlsx, $"funding-donors-{y}.xlsx"),
            "json" => TypedResults.Ok(donors.Select(d => new DonorDto(d.Donor, d.DonorType, FundingOpenData.Usd(d.ReceivedCents), FundingOpenData.Usd(d.PaidCents),
                FundingOpenData.Usd(d.CommittedCents), FundingOpenData.Usd(d.PledgedCents), d.Count)).ToList()),
            _ => new BadRequestError("unknown-format", "The format must be json, csv or xlsx.").ToProblem(http),
        };
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> TemplateAsync(HttpContext http, CloserDbContext db, FundingCoverage coverage, string? format, CancellationToken ct)
    {
        if (format is { Length: > 0 } && format.ToLowerInvariant() is not ("csv" or "xlsx"))
        {
            return new BadRequestError("bad-format", "The format is csv or xlsx.").ToProblem(http);
        }
        var actor = Actor.From(http.User);
        var year = await coverage.DefaultYearAsync(ct) ?? 0;
        var org = actor.Scope.OrganisationId is { } id ? await db.Organisations.AsNoTracking().Where(o => o.Id == id).Select(o => o.Acronym).FirstOrDefaultAsync(ct) : null;
        org ??= await db.Organisations.AsNoTracking().OrderBy(o => o.Acronym).Select(o => o.Acronym).FirstOrDefaultAsync(ct) ?? "";
        var country = actor.Scope.Countries.Order(StringComparer.Ordinal).FirstOrDefault() ?? "COL";
        IReadOnlyList<object?> example =
        [
            year.ToString(CultureInfo.InvariantCulture), "Example donor", "government", org, country, "HEA", "250000", "committed",
            $"{year}-03-15", "Grant 2024-001",
        ];
        var language = http.Language();
        if (string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.File(TabularXlsx.Write(FundingColumns.Import, language, [example], "contributions"), TabularContentTypes.Xlsx, "funding-template.xlsx");
        }
        return TypedResults.File(TabularCsv.Write(FundingColumns.Import, language, [example]), TabularContentTypes.Csv, "funding-template.csv");
    }

    private static async Task<Results<Ok<ImportCounts>, ProblemHttpResult>> ImportAsync(HttpContext http, FundingImporter importer, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        if (!FundingRules.WritesAny(actor.Scope))
        {
            return new ForbiddenError("out-of-scope", "Only administrators and country coordinators enter funding.").ToProblem(http);
        }
        var (file, missing) = await SheetReader.FormFileAsync(http.Request, ct);
        if (file is null)
        {
            return missing!.ToProblem(http);
        }
        await using var stream = file.OpenReadStream();
        var (result, error) = await importer.ImportAsync(stream, file.Length, actor, ct);
        return error is not null ? error.ToProblem(http) : TypedResults.Ok(new ImportCounts(result!.Imported, result.Updated));
    }

    /// <summary>A contribution the user may act on: 404 when they may not read it (its existence is not disclosed), 403 when they may not change it.</summary>
    internal static async Task<Result<Contribution>> FindAsync(int id, CloserDbContext db, Actor actor, FundingAction action, CancellationToken ct)
    {
        var c = await db.Contributions.Include(x => x.RecipientOrganisation).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null || !FundingRules.Allows(actor.Scope, new FundingResource(c.RecipientOrganisationId, c.CountryIso3), FundingAction.Read))
        {
            return new NotFoundError("contribution-not-found", "No such contribution.");
        }
        if (!FundingRules.Allows(actor.Scope, new FundingResource(c.RecipientOrganisationId, c.CountryIso3), action))
        {
            return new ForbiddenError("out-of-scope", "This contribution is outside your scope.");
        }
        return c;
    }

    private static async Task<Results<Ok<ContributionDto>, ProblemHttpResult>> GetAsync(int id, HttpContext http, CloserDbContext db, CancellationToken ct)
    {
        var (c, error) = await FindAsync(id, db, Actor.From(http.User), FundingAction.Read, ct);
        return error is not null ? error.ToProblem(http) : TypedResults.Ok(ToDto(c!, c!.RecipientOrganisation!.Acronym));
    }

    public static Dictionary<string, string?> CellsOf(ContributionInput i) => new(StringComparer.Ordinal)
    {
        ["year"] = i.Year?.ToString(CultureInfo.InvariantCulture), ["donor"] = i.Donor, ["donortype"] = i.DonorType, ["recipient"] = i.Recipient,
        ["country"] = i.Country, ["sector"] = i.Sector, ["amount"] = i.AmountUsd?.ToString(CultureInfo.InvariantCulture),
        ["status"] = i.Status, ["date"] = i.Date, ["reference"] = i.Reference,
    };

    /// <summary>
    /// Creates (<paramref name="existing"/> null) or changes a contribution from form or API input. Returns the saved
    /// contribution or the error; on success the public figures are evicted from the cache.
    /// </summary>
    internal static async Task<Result<Contribution>> SaveAsync(Contribution? existing, IReadOnlyDictionary<string, string?> cells,
        Actor actor, CloserDbContext db, TimeProvider time, IStringLocalizer t, IOutputCacheStore cache, CancellationToken ct)
    {
        if (!FundingRules.WritesAny(actor.Scope))
        {
            return new ForbiddenError("out-of-scope", "Only administrators and country coordinators enter funding.");
        }
        var errors = new List<FieldError>();
        var values = FundingRows.Parse(cells, null, await FundingReference.LoadAsync(db, ct), actor, t, errors);
        if (values is null)
        {
            return new ValidationError("invalid-contribution", "The contribution could not be saved.", errors);
        }
        var sameKey = await db.Contributions.Where(c => c.Year == values.Year && c.RecipientOrganisationId == values.RecipientOrganisationId
            && c.CountryIso3 == values.CountryIso3 && c.SectorCode == values.SectorCode && c.DeletedAt == null).ToListAsync(ct);
        if (sameKey.Any(c => c.Id != existing?.Id && FundingRows.KeyOf(c) == values.Key))
        {
            return new ConflictError("contribution-exists", "A contribution with this year, donor, recipient, country, sector and reference exists.");
        }
        var writer = new FundingWriter(db, time);
        if (writer.Upsert(existing, values, actor) != "unchanged")
        {
            await db.SaveChangesAsync(ct);
            await cache.EvictByTagAsync(CacheTag, ct);
        }
        return existing ?? db.Contributions.Local.First(c => FundingRows.KeyOf(c) == values.Key && c.DeletedAt is null);
    }

    private static async Task<Results<Created<ContributionDto>, ProblemHttpResult>> CreateAsync(ContributionInput input, HttpContext http, CloserDbContext db, TimeProvider time,
        IStringLocalizer<SharedResource> t, IOutputCacheStore cache, CancellationToken ct)
    {
        var (c, error) = await SaveAsync(null, CellsOf(input), Actor.From(http.User), db, time, t, cache, ct);
        if (error is not null)
        {
            return error.ToProblem(http);
        }
        var recipient = await db.Organisations.Where(o => o.Id == c!.RecipientOrganisationId).Select(o => o.Acronym).FirstAsync(ct);
        return TypedResults.Created($"/api/v1/funding/contributions/{c!.Id}", ToDto(c, recipient));
    }

    private static async Task<Results<Ok<ContributionDto>, ProblemHttpResult>> UpdateAsync(int id, ContributionInput input, HttpContext http, CloserDbContext db, TimeProvider time,
        IStringLocalizer<SharedResource> t, IOutputCacheStore cache, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        var (existing, error) = await FindAsync(id, db, actor, FundingAction.Write, ct);
        if (error is not null)
        {
            return error.ToProblem(http);
        }
        if (existing!.DeletedAt is not null)
        {
            return new ConflictError("contribution-deleted", "Restore the contribution before changing it.").ToProblem(http);
        }
        var (c, saveError) = await SaveAsync(existing, CellsOf(input), actor, db, time, t, cache, ct);
        if (saveError is not null)
        {
            return saveError.ToProblem(http);
        }
        var recipient = await db.Organisations.Where(o => o.Id == c!.RecipientOrganisationId).Select(o => o.Acronym).FirstAsync(ct);
        return TypedResults.Ok(ToDto(c!, recipient));
    }

    /// <summary>Soft-deletes (<paramref name="delete"/>) or restores a contribution, with revision and audit entry.</summary>
    internal static async Task<Error?> SetDeletedAsync(int id, bool delete, Actor actor, CloserDbContext db, TimeProvider time, IOutputCacheStore cache, CancellationToken ct)
    {
        var (c, error) = await FindAsync(id, db, actor, FundingAction.Write, ct);
        if (error is not null)
        {
            return error;
        }
        if ((c!.DeletedAt is not null) == delete)
        {
            return null;
        }
        var writer = new FundingWriter(db, time);
        if (delete)
        {
            writer.Delete(c, actor, c.RecipientOrganisation!.Acronym);
        }
        else
        {
            var key = FundingRows.KeyOf(c);
            var twins = await db.Contributions.Where(x => x.Id != c.Id && x.Year == c.Year && x.RecipientOrganisationId == c.RecipientOrganisationId
                && x.DeletedAt == null).ToListAsync(ct);
            if (twins.Any(x => FundingRows.KeyOf(x) == key))
            {
                return new ConflictError("contribution-exists", "A contribution with this year, donor, recipient, country, sector and reference exists.");
            }
            writer.Restore(c, actor, c.RecipientOrganisation!.Acronym);
        }
        await db.SaveChangesAsync(ct);
        await cache.EvictByTagAsync(CacheTag, ct);
        return null;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(int id, HttpContext http, CloserDbContext db, TimeProvider time, IOutputCacheStore cache, CancellationToken ct)
    {
        var error = await SetDeletedAsync(id, true, Actor.From(http.User), db, time, cache, ct);
        return error is not null ? error.ToProblem(http) : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ContributionDto>, ProblemHttpResult>> RestoreAsync(int id, HttpContext http, CloserDbContext db, TimeProvider time, IOutputCacheStore cache, CancellationToken ct)
    {
        var error = await SetDeletedAsync(id, false, Actor.From(http.User), db, time, cache, ct);
        if (error is not null)
        {
            return error.ToProblem(http);
        }
        var c = await db.Contributions.AsNoTracking().Include(x => x.RecipientOrganisation).FirstAsync(x => x.Id == id, ct);
        return TypedResults.Ok(ToDto(c, c.RecipientOrganisation!.Acronym));
    }

    private static async Task<Results<Ok<List<ContributionRevisionDto>>, ProblemHttpResult>> RevisionsAsync(int id, HttpContext http, CloserDbContext db, CancellationToken ct)
    {
        var (c, error) = await FindAsync(id, db, Actor.From(http.User), FundingAction.Read, ct);
        if (error is not null)
        {
            return error.ToProblem(http);
        }
        return TypedResults.Ok(await RevisionListAsync(db, c!.Id, ct));
    }

    internal static Task<List<ContributionRevisionDto>> RevisionListAsync(CloserDbContext db, int id, CancellationToken ct) =>
        db.ContributionRevisions.AsNoTracking().Where(x => x.ContributionId == id).OrderBy(x => x.Version)
            .Select(x => new ContributionRevisionDto(x.Version, x.ChangedAt, x.ChangedBy, x.Snapshot)).ToListAsync(ct);
}
