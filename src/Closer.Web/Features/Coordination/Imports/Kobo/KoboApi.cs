using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Closer.Web.Features.Coordination.Imports.Kobo;

/// <summary><c>POST /api/v1/reports/import/kobo</c>: a KoboToolbox or ODK export of the 5W XLSForm (XLSX or CSV).</summary>
public static class KoboApi
{
    public static void Map(RouteGroupBuilder reports) =>
        reports.MapPost("/import/kobo", ImportAsync).DisableAntiforgery().RequireRateLimiting(ImportRateLimit.ImportLimiter)
            .WithMetadata(new RequestSizeLimitAttribute(SheetReader.MaxUploadBytes + 1024 * 1024));

    /// <summary>
    /// Imports the multipart <c>file</c>: 422 with located errors and nothing stored, or the counts. The same export
    /// imported again updates its reports (the submission id is the key).
    /// </summary>
    private static async Task<Results<Ok<KoboImportCounts>, ProblemHttpResult>> ImportAsync(HttpContext http, KoboImport import, CancellationToken ct)
    {
        var (file, missing) = await SheetReader.FormFileAsync(http.Request, ct);
        if (file is null)
        {
            return missing!.ToProblem(http);
        }
        await using var stream = file.OpenReadStream();
        var (counts, error) = await import.ImportFileAsync(stream, file.Length, Actor.From(http.User), ImportsApi.Ignored(http.Request), ct);
        return error is not null ? error.ToProblem(http) : TypedResults.Ok(counts!);
    }
}
