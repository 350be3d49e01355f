using System.Globalization;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Imports;

/// <summary>What an import stored: new reports, changed ones, and rows identical to what was stored.</summary>
/// <summary>What an import stored, with its outlier hints (warnings beside rows, stored anyway: <c>warningCount</c> in all, the first 200 listed).</summary>
public sealed record ReportImportCounts(int Imported, int Updated, int Unchanged, IReadOnlyList<FieldError> Warnings, int WarningCount);

/// <summary><c>/api/v1/reports/template</c> and <c>/api/v1/reports/import</c> (the background imports are in <see cref="ImportJobs"/>).</summary>
public static class ImportsApi
{
    public static void Map(RouteGroupBuilder reports)
    {
        reports.MapGet("/template", TemplateAsync).WithMetadata(new ApiFormats("csv", "xlsx", "xlsform"));
        reports.MapPost("/import", ImportAsync).DisableAntiforgery().RequireRateLimiting(ImportRateLimit.ImportLimiter)
            .WithMetadata(new RequestSizeLimitAttribute(SheetReader.MaxUploadBytes + 1024 * 1024));
        reports.MapPost("/import/errors", ErrorsFileAsync).DisableAntiforgery().RequireRateLimiting(ImportRateLimit.ImportLimiter)
            .WithMetadata(new RequestSizeLimitAttribute(SheetReader.MaxUploadBytes + 1024 * 1024));
    }

    /// <summary>
    /// The uploaded file checked (nothing stored) and given back with an error column (<c>format=csv|xlsx</c>, CSV by
    /// default): the partner fixes the rows in their own file.
    /// </summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ErrorsFileAsync(HttpContext http, ReportImporter importer, string? format,
        CancellationToken ct)
    {
        var (file, missing) = await SheetReader.FormFileAsync(http.Request, ct);
        if (file is null)
        {
            return missing!.ToProblem(http);
        }
        await using var stream = file.OpenReadStream();
        var xlsx = string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase);
        var (annotated, error) = await importer.AnnotateAsync(stream, file.Length, Actor.From(http.User), Ignored(http.Request), xlsx, ct);
        return error is not null ? error.ToProblem(http) : TypedResults.File(annotated!, xlsx ? TabularContentTypes.Xlsx : TabularContentTypes.Csv, ErrorsFileName(file.FileName, xlsx));
    }

    /// <summary>The user's file name with "-errors" added (only safe characters kept).</summary>
    public static string ErrorsFileName(string? uploaded, bool xlsx)
    {
        var stem = new string(Path.GetFileNameWithoutExtension(uploaded ?? "").Where(c => char.IsLetterOrDigit(c) || c is '-' or '_').Take(80).ToArray());
        return (stem.Length == 0 ? "5w" : stem) + "-errors." + (xlsx ? "xlsx" : "csv");
    }

    /// <summary>The import template: header, HXL row and an example row made for the caller (its organisation, country, the current month).</summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> TemplateAsync(HttpContext http, CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t, string? format,
        CancellationToken ct)
    {
        if (format is { Length: > 0 } && format.ToLowerInvariant() is not ("csv" or "xlsx" or "xlsform"))
        {
            return new BadRequestError("unknown-format", "The format is csv, xlsx or xlsform.").ToProblem(http);
        }
        var actor = Actor.From(http.User);
        if (string.Equals(format, "xlsform", StringComparison.OrdinalIgnoreCase))
        {
            // The 5W form for KoboToolbox and ODK: its exports come back through /reports/import/kobo.
            var form = await Kobo.XlsFormBuilder.BuildAsync(db, actor, t, time, ct);
            return TypedResults.File(Kobo.XlsFormWriter.Write(form), TabularContentTypes.Xlsx, Kobo.XlsFormWriter.FileName);
        }
        var org = actor.Scope.OrganisationId is { } id ? await db.Organisations.AsNoTracking().Where(o => o.Id == id).Select(o => o.Acronym).FirstOrDefaultAsync(ct) : null;
        org ??= await db.Organisations.AsNoTracking().OrderBy(o => o.Acronym).Select(o => o.Acronym).FirstAsync(ct);
        var country = actor.Scope.Countries.Order(StringComparer.Ordinal).FirstOrDefault() ?? "COL";
        var admin1 = await db.Admin1Areas.AsNoTracking().Where(a => a.CountryIso3 == country).OrderBy(a => a.PCode).Select(a => a.PCode).FirstOrDefaultAsync(ct) ?? "";
        var indicator = await db.Indicators.AsNoTracking().OrderBy(i => i.Code).FirstAsync(ct);
        var current = time.GetUtcNow().ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var month = (await db.ReportingPeriods.AsNoTracking().Select(p => p.Month).ToListAsync(ct))
            .Where(m => string.CompareOrdinal(m, current) <= 0).Order(StringComparer.Ordinal).LastOrDefault() ?? current;
        var language = http.Language();
        // The example row says in its partner cell that it is one: the import refuses it (a template uploaded unchanged stores nothing).
        IReadOnlyList<object?> example = [org, t[ReportImporter.ExampleMarker].Value, country, admin1, indicator.SectorCode, indicator.Code, month, PopulationGroups.InDestination, 12L, 10L, 25L, 18L, 0L, 65L, "", t["no"].Value, ""];
        if (string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase))
        {
            // The drop-downs offer labels in the user's language (the import reads codes and labels in any language).
            var codes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
            {
                ["country"] = await db.Countries.AsNoTracking().OrderBy(c => c.Iso3).Select(c => c.Iso3).ToListAsync(ct),
                ["admin1"] = (await db.Admin1Areas.AsNoTracking().OrderBy(a => a.CountryIso3).ThenBy(a => a.Name).Select(a => a.Name).ToListAsync(ct))
                    .Distinct(StringComparer.Ordinal).ToList(),
                ["sector"] = (await db.Sectors.AsNoTracking().OrderBy(s => s.SortOrder).ToListAsync(ct)).Select(s => s.Name(language)).ToList(),
                ["indicator"] = (await db.Indicators.AsNoTracking().OrderBy(i => i.Code).ToListAsync(ct)).Select(i => i.Name(language)).ToList(),
                ["group"] = PopulationGroups.All.Select(g => t[PopulationGroups.Label(g)].Value).ToList(),
            };
            var lists = new XlsxLists(codes, new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["cash"] = [t["yes"].Value, t["no"].Value] });
            return TypedResults.File(TabularXlsx.Write(ReportColumns.Import, language, [example], "reports", lists: lists), TabularContentTypes.Xlsx, "5w-template.xlsx");
        }
        return TypedResults.File(TabularCsv.Write(ReportColumns.Import, language, [example]), TabularContentTypes.Csv, "5w-template.csv");
    }

    /// <summary>
    /// Imports the multipart <c>file</c>. Columns the file holds but the template does not are errors unless listed in
    /// <c>ignore</c> (form fields or query parameters, each a header text or a column letter).
    /// </summary>
    private static async Task<Results<Ok<ReportImportCounts>, ProblemHttpResult>> ImportAsync(HttpContext http, ReportImporter importer, CancellationToken ct)
    {
        var (file, missing) = await SheetReader.FormFileAsync(http.Request, ct);
        if (file is null)
        {
            return missing!.ToProblem(http);
        }
        await using var stream = file.OpenReadStream();
        var (result, error) = await importer.ImportAsync(stream, file.Length, Actor.From(http.User), ct, Ignored(http.Request));
        return error is not null ? error.ToProblem(http) : TypedResults.Ok(new ReportImportCounts(result!.Imported, result.Updated, result.Unchanged, result.Warnings, result.WarningCount));
    }

    /// <summary>The columns the caller chose to ignore: every <c>ignore</c> value of the query and the form.</summary>
    public static IReadOnlyCollection<string> Ignored(HttpRequest request) =>
        request.Query["ignore"].Concat(request.HasFormContentType ? request.Form["ignore"] : default)
            .SelectMany(v => (v ?? "").Split('\n')).Select(v => v.Trim()).Where(v => v.Length is > 0 and <= 200).Take(100).ToList();
}
