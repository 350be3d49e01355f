using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary><c>/api/v1/reports</c> and <c>/api/v1/periods</c>: thin handlers over the room's queries and commands.</summary>
public static class ReportsApi
{
    public static void Map(RouteGroupBuilder reports)
    {
        reports.MapGet("/", ListAsync).Paged(defaultPageSize: 100)
            .OneOf("status", Enum.GetNames<ReportStatus>().Select(s => s.ToLowerInvariant())).Shaped("month", QueryRules.MonthPattern, "YYYY-MM")
            .CountryCodes().SectorCodes(withSubSectors: true);
        reports.MapPost("/", CreateAsync);
        reports.MapPost("/bulk", BulkAsync);
        reports.MapPost("/sync", SyncAsync);
        // The offline page's fresh antiforgery token before a sync: the one in a page cached days ago may be stale.
        reports.MapGet("/sync/token", (HttpContext http, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Ok(new SyncToken(antiforgery.GetAndStoreTokens(http).RequestToken ?? ""));
        });
        reports.MapGet("/{id:int}", GetAsync);
        reports.MapPut("/{id:int}", UpdateAsync);
        reports.MapDelete("/{id:int}", (int id, HttpContext http, CloserDbContext db, ReportMail mail, TimeProvider time, CancellationToken ct) => TransitionAsync(id, "delete", null, http, db, mail, time, ct));
        reports.MapPost("/{id:int}/submit", (int id, HttpContext http, CloserDbContext db, ReportMail mail, TimeProvider time, CancellationToken ct) => TransitionAsync(id, "submit", null, http, db, mail, time, ct));
        reports.MapPost("/{id:int}/validate", (int id, HttpContext http, CloserDbContext db, ReportMail mail, TimeProvider time, CancellationToken ct) => TransitionAsync(id, "validate", null, http, db, mail, time, ct));
        reports.MapPost("/{id:int}/return", (int id, ReturnInput input, HttpContext http, CloserDbContext db, ReportMail mail, TimeProvider time, CancellationToken ct) => TransitionAsync(id, "return", input.Reason, http, db, mail, time, ct));
        reports.MapGet("/{id:int}/revisions", RevisionsAsync).Paged();
    }

    public static void MapPeriods(IEndpointRouteBuilder app)
    {
        var periods = app.MapGroup("/api/v1/periods").WithTags("Reporting periods").RequireAuthorization(Policies.ApiUser);
        periods.MapPost("/{country}/{month}/lock", (string country, string month, LockInput? input, HttpContext http, CloserDbContext db, ReportMail mail, TimeProvider time, CancellationToken ct) =>
            LockAsync(new SetPeriodLockCommand.Request(country, month, true, input?.Reason, input?.Override == true), http, db, mail, time, ct));
        periods.MapPost("/{country}/{month}/unlock", (string country, string month, LockInput? input, HttpContext http, CloserDbContext db, ReportMail mail, TimeProvider time, CancellationToken ct) =>
            LockAsync(new SetPeriodLockCommand.Request(country, month, false, input?.Reason), http, db, mail, time, ct));
    }

    private static async Task<Results<Ok<ReportPage>, FileContentHttpResult, ProblemHttpResult>> ListAsync(HttpContext http, CloserDbContext db,
        string? format, string? country, string? sector, string? month, string? status, string? org, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        var q = ReportQueries.Filter(db, ReportQueries.Visible(db.ActivityReports.AsNoTracking(), actor.Scope), new ReportQueries.Filters(country, sector, month, status, org));
        var language = http.Language();
        var f = (format ?? "json").ToLowerInvariant();
        if (f is not ("json" or "csv" or "xlsx"))
        {
            return new BadRequestError("unknown-format", "The format must be json, csv or xlsx.").ToProblem(http);
        }
        var paging = Paging.Current(http);
        var total = await q.CountAsync(ct);
        Paging.WriteHeaders(http, paging, total);
        var found = await ReportQueries.Project(db, q).Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct);
        var names = await ReportNames.LoadAsync(db, found, language, ct);
        var items = found.ConvertAll(names.Name);
        switch (f)
        {
            case "csv":
                return TypedResults.File(TabularCsv.Write(ReportColumns.Export, language, items.Select(ReportQueries.Cells)), TabularContentTypes.Csv, "reports.csv");
            case "xlsx":
                return TypedResults.File(TabularXlsx.Write(ReportColumns.Export, language, items.Select(ReportQueries.Cells), "reports"), TabularContentTypes.Xlsx, "reports.xlsx");
            case "json":
                return TypedResults.Ok(new ReportPage(items, paging.Page, paging.PageSize, total));
            default:
                return new BadRequestError("unknown-format", "The format must be json, csv or xlsx.").ToProblem(http);
        }
    }

    private static async Task<ReportDto> OneAsync(CloserDbContext db, int id, string language, CancellationToken ct)
    {
        var report = await ReportQueries.Project(db, db.ActivityReports.AsNoTracking().Where(x => x.Id == id)).FirstAsync(ct);
        return (await ReportNames.LoadAsync(db, [report], language, ct)).Name(report);
    }

    private static async Task<Results<Ok<SyncResult>, ProblemHttpResult>> SyncAsync(SyncInput input, HttpContext http, CloserDbContext db, IMemoryCache cache, TimeProvider time,
        IStringLocalizer<SharedResource> t, CancellationToken ct)
    {
        var (result, error) = await SyncReportsCommand.RunAsync(input.Rows ?? [], Actor.From(http.User), db, cache, time, t, ct);
        return error is not null ? error.ToProblem(http) : TypedResults.Ok(result!);
    }

    private static async Task<Results<Ok<ReportDto>, ProblemHttpResult>> GetAsync(int id, HttpContext http, CloserDbContext db, CancellationToken ct)
    {
        var found = await ReportQueries.FindAsync(id, db, Actor.From(http.User), ReportAction.Read, ct);
        return found.Error is { } error ? error.ToProblem(http) : TypedResults.Ok(await OneAsync(db, found.Value!.Id, http.Language(), ct));
    }

    private static async Task<Results<Created<ReportDto>, ProblemHttpResult>> CreateAsync(ReportInput input, HttpContext http, CloserDbContext db, IMemoryCache cache, TimeProvider time,
        IStringLocalizer<SharedResource> t, CancellationToken ct)
    {
        var (id, error) = await CreateReportCommand.RunAsync(input, Actor.From(http.User), db, cache, time, t, ct);
        return error is not null ? error.ToProblem(http) : TypedResults.Created($"/api/v1/reports/{id}", await OneAsync(db, id, http.Language(), ct));
    }

    private static async Task<Results<Ok<ReportDto>, ProblemHttpResult>> UpdateAsync(int id, ReportInput input, HttpContext http, CloserDbContext db, IMemoryCache cache, TimeProvider time,
        IStringLocalizer<SharedResource> t, CancellationToken ct)
    {
        var error = await UpdateReportCommand.RunAsync(id, input, Actor.From(http.User), db, cache, time, t, ct);
        return error is not null ? error.ToProblem(http) : TypedResults.Ok(await OneAsync(db, id, http.Language(), ct));
    }

    private static async Task<Results<Ok<ReportDto>, NoContent, ProblemHttpResult>> TransitionAsync(int id, string action, string? reason, HttpContext http,
        CloserDbContext db, ReportMail mail, TimeProvider time, CancellationToken ct)
    {
        var error = await TransitionReportCommand.RunAsync(id, action, reason, Actor.From(http.User), db, mail, time, ct);
        if (error is not null)
        {
            return error.ToProblem(http);
        }
        return action == "delete" ? TypedResults.NoContent() : TypedResults.Ok(await OneAsync(db, id, http.Language(), ct));
    }

    private static async Task<Results<Ok<BulkResult>, ProblemHttpResult>> BulkAsync(BulkInput input, HttpContext http, CloserDbContext db, ReportMail mail,
        TimeProvider time, CancellationToken ct)
    {
        var ids = input.Ids ?? [];
        if (ids.Count == 0 || input.Action is not ("validate" or "return" or "submit"))
        {
            return new BadRequestError("bad-bulk", "Give report ids and an action: validate, return or submit.").ToProblem(http);
        }
        var (found, refusals) = await BulkTransitionCommand.RunAsync([.. ids], input.Action, input.Reason, missingRefuses: true, Actor.From(http.User), db, mail, time, ct);
        if (refusals.Count > 0)
        {
            return new ValidationError("bulk-refused", "Nothing was changed.", refusals.Select(r => new FieldError(r.Id, "id", r.Error.Message)).ToList()).ToProblem(http);
        }
        return TypedResults.Ok(new BulkResult(found));
    }

    private static async Task<Results<Ok<List<RevisionDto>>, ProblemHttpResult>> RevisionsAsync(int id, HttpContext http, CloserDbContext db, CancellationToken ct)
    {
        var found = await ReportQueries.FindAsync(id, db, Actor.From(http.User), ReportAction.Read, ct);
        if (found.Error is { } error)
        {
            return error.ToProblem(http);
        }
        var revisions = await db.ReportRevisions.AsNoTracking().Where(x => x.ReportId == found.Value!.Id).OrderBy(x => x.Version)
            .Select(x => new RevisionDto(x.Version, x.ChangedAt, x.ChangedBy, x.Snapshot)).ToListAsync(ct);
        return TypedResults.Ok(revisions);
    }

    private static async Task<Results<Ok<PeriodLockDto>, ProblemHttpResult>> LockAsync(SetPeriodLockCommand.Request request, HttpContext http, CloserDbContext db,
        ReportMail mail, TimeProvider time, CancellationToken ct)
    {
        var error = await SetPeriodLockCommand.RunAsync(request, Actor.From(http.User), db, mail, time, ct);
        return error is not null ? error.ToProblem(http) : TypedResults.Ok(new PeriodLockDto(request.Country.ToUpperInvariant(), request.Month, request.Locked));
    }
}
