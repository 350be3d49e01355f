using System.Globalization;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Imports;

/// <summary><c>/api/v1/reports/template</c> and <c>/api/v1/reports/import</c> (the background imports are in <see cref="ImportJobs"/>).</summary>
public static class ImportsApi
{
    public static void Map(RouteGroupBuilder reports)
    {
        reports.MapGet("/template", TemplateAsync);
        reports.MapPost("/import", ImportAsync).DisableAntiforgery().RequireRateLimiting(ImportRateLimit.ImportLimiter)
            .WithMetadata(new RequestSizeLimitAttribute(SheetReader.MaxUploadBytes + 1024 * 1024));
    }

    /// <summary>The import template: header, HXL row and an example row made for the caller (its organisation, country, the current month).</summary>
    private static async Task<IResult> TemplateAsync(HttpContext http, CloserDbContext db, TimeProvider time, string? format, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        var org = actor.Scope.OrganisationId is { } id ? await db.Organisations.AsNoTracking().Where(o => o.Id == id).Select(o => o.Acronym).FirstOrDefaultAsync(ct) : null;
        org ??= await db.Organisations.AsNoTracking().OrderBy(o => o.Acronym).Select(o => o.Acronym).FirstAsync(ct);
        var country = actor.Scope.Countries.Order(StringComparer.Ordinal).FirstOrDefault() ?? "COL";
        var admin1 = await db.Admin1Areas.AsNoTracking().Where(a => a.CountryIso3 == country).OrderBy(a => a.PCode).Select(a => a.PCode).FirstOrDefaultAsync(ct) ?? "";
        var indicator = await db.Indicators.AsNoTracking().OrderBy(i => i.Code).FirstAsync(ct);
        var current = time.GetUtcNow().ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var month = (await db.ReportingPeriods.AsNoTracking().Select(p => p.Month).ToListAsync(ct))
            .Where(m => string.CompareOrdinal(m, current) <= 0).Order(StringComparer.Ordinal).LastOrDefault() ?? current;
        IReadOnlyList<object?> example = [org, "", country, admin1, indicator.SectorCode, indicator.Code, month, PopulationGroups.InDestination, 12L, 10L, 25L, 18L, 0L, 65L, "", "no", ""];
        var language = http.Language();
        if (string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase))
        {
            var codes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
            {
                ["country"] = await db.Countries.AsNoTracking().OrderBy(c => c.Iso3).Select(c => c.Iso3).ToListAsync(ct),
                ["admin1"] = await db.Admin1Areas.AsNoTracking().OrderBy(a => a.PCode).Select(a => a.PCode).ToListAsync(ct),
                ["sector"] = await db.Sectors.AsNoTracking().OrderBy(s => s.SortOrder).Select(s => s.Code).ToListAsync(ct),
                ["indicator"] = await db.Indicators.AsNoTracking().OrderBy(i => i.Code).Select(i => i.Code).ToListAsync(ct),
                ["group"] = PopulationGroups.All,
            };
            var lists = new XlsxLists(codes, new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["cash"] = ["yes", "no"] });
            return TypedResults.File(TabularXlsx.Write(ReportColumns.Import, language, [example], "reports", lists: lists), TabularContentTypes.Xlsx, "5w-template.xlsx");
        }
        return TypedResults.File(TabularCsv.Write(ReportColumns.Import, language, [example]), TabularContentTypes.Csv, "5w-template.csv");
    }

    private static async Task<IResult> ImportAsync(HttpContext http, ReportImporter importer, CancellationToken ct)
    {
        var (file, missing) = await SheetReader.FormFileAsync(http.Request, ct);
        if (file is null)
        {
            return missing!.ToProblem(http);
        }
        await using var stream = file.OpenReadStream();
        var (result, error) = await importer.ImportAsync(stream, file.Length, Actor.From(http.User), ct);
        return error is not null ? error.ToProblem(http) : TypedResults.Ok(new { imported = result!.Imported, updated = result.Updated });
    }
}
