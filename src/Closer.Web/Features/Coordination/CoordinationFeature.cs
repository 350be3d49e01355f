using System.Globalization;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination;

public sealed record ReportDto(
    int Id, string Org, string Status, string? ReturnReason, string? ImplementingPartner, string Country, string Admin1, string Sector,
    string Indicator, string Month, string PopulationGroup, long Girls, long Boys, long Women, long Men, long Other, long Total,
    long? ReachedToDate, bool Cash, long? CashUsd, int Version);

public sealed record ReportPage(IReadOnlyList<ReportDto> Items, int Page, int PageSize, int Total);

public sealed record ReportInput(
    string? Org, string? ImplementingPartner, string? Country, string? Admin1, string? Sector, string? Indicator, string? Month,
    string? PopulationGroup, long? Girls, long? Boys, long? Women, long? Men, long? Other, long? Total, long? ReachedToDate,
    bool? Cash, long? CashUsd);

public sealed record ReturnInput(string? Reason);
public sealed record BulkInput(IReadOnlyList<int>? Ids, string? Action, string? Reason);
public sealed record RevisionDto(int Version, DateTimeOffset ChangedAt, string? ChangedBy, string Snapshot);
public sealed record AuditDto(long Id, DateTimeOffset At, string? User, string Action, string EntityType, string EntityKey, string? Country, string? Changes);
public sealed record PeriodLockDto(string Country, string Month, bool Locked);

public static class CoordinationFeature
{
    public static IServiceCollection AddCoordination(this IServiceCollection services)
    {
        services.AddScoped<ReportImporter>();
        services.AddImportJobs();
        // Imports are heavy: a few per user and minute (RateLimits:ImportsPerMinute).
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>().Configure<IConfiguration>((o, configuration) =>
            o.AddPolicy(ImportLimiter, ctx => System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
                "import:" + CallerKey(ctx),
                _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions
                {
                    PermitLimit = configuration.GetValue("RateLimits:ImportsPerMinute", 20),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })));
        services.AddScoped<IDemoSeeder, CoordinationReferenceSeeder>();
        services.AddScoped<IDemoSeeder, DemoCoordination>();
        return services;
    }

    public const string ImportLimiter = "imports";

    /// <summary>
    /// Rate limiting runs before authentication, so the caller is told apart by its credential (API token or
    /// sign-in cookie, hashed) and otherwise by address.
    /// </summary>
    private static string CallerKey(HttpContext ctx)
    {
        var credential = ctx.Request.Headers.Authorization.ToString();
        if (credential.Length == 0)
        {
            credential = ctx.Request.Cookies.Where(c => c.Key.StartsWith(".AspNetCore.Identity", StringComparison.Ordinal)).Select(c => c.Value).FirstOrDefault() ?? "";
        }
        return credential.Length == 0
            ? SecuritySetup.ClientKey(ctx)
            : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(credential)))[..32];
    }

    public static IEndpointRouteBuilder MapCoordinationApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/v1/reports").WithTags("Reports").RequireAuthorization(Policies.ApiUser);
        reports.MapGet("/", ListAsync);
        reports.MapGet("/template", TemplateAsync);
        reports.MapPost("/import", ImportAsync).DisableAntiforgery().RequireRateLimiting(ImportLimiter)
            .WithMetadata(new RequestSizeLimitAttribute(Spreadsheets.MaxUploadBytes + 1024 * 1024));
        reports.MapPost("/", CreateAsync);
        reports.MapPost("/bulk", BulkAsync);
        reports.MapGet("/{id:int}", GetAsync);
        reports.MapPut("/{id:int}", UpdateAsync);
        reports.MapDelete("/{id:int}", (int id, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct) => TransitionAsync(id, "delete", null, http, db, time, ct));
        reports.MapPost("/{id:int}/submit", (int id, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct) => TransitionAsync(id, "submit", null, http, db, time, ct));
        reports.MapPost("/{id:int}/validate", (int id, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct) => TransitionAsync(id, "validate", null, http, db, time, ct));
        reports.MapPost("/{id:int}/return", (int id, ReturnInput input, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct) => TransitionAsync(id, "return", input.Reason, http, db, time, ct));
        reports.MapGet("/{id:int}/revisions", RevisionsAsync);

        var periods = app.MapGroup("/api/v1/periods").WithTags("Reporting periods").RequireAuthorization(Policies.ApiUser);
        periods.MapPost("/{country}/{month}/lock", (string country, string month, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct) => LockAsync(country, month, true, http, db, time, ct));
        periods.MapPost("/{country}/{month}/unlock", (string country, string month, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct) => LockAsync(country, month, false, http, db, time, ct));

        app.MapGet("/api/v1/audit", AuditAsync).WithTags("Audit").RequireAuthorization(Policies.ApiUser);
        app.MapImportJobsApi();
        CoordinationReferenceApi.Map(app);
        PlanEditing.Map(app);
        return app;
    }

    private static Actor ActorOf(HttpContext http) => Actor.From(http.User);

    internal static IQueryable<ActivityReport> Visible(IQueryable<ActivityReport> q, ScopeUser u) =>
        VisibleTo(q.Where(r => r.DeletedAt == null), u);

    /// <summary>
    /// The one rule of who sees which reports (and aggregates of them): administrators all; everyone who may read
    /// validated data the validated ones; coordinators everything in their countries; focal points their own
    /// organisation's in their countries (all of them when they have no country list). See ReportRules.
    /// </summary>
    public static IQueryable<T> VisibleTo<T>(IQueryable<T> q, ScopeUser u) where T : class, IReportScoped
    {
        if (u.Roles.Contains(Roles.PlatformAdmin))
        {
            return q;
        }
        var seesValidated = ReportRules.SeesValidated(u);
        var coordinatorCountries = u.Roles.Contains(Roles.CountryCoordinator) ? u.Countries.ToList() : [];
        var focal = u.Roles.Contains(Roles.OrgFocalPoint) && u.OrganisationId is not null;
        var org = u.OrganisationId ?? -1;
        var focalAllCountries = u.Countries.Count == 0;
        var focalCountries = u.Countries.ToList();
        return q.Where(r => (seesValidated && r.Status == ReportStatus.Validated)
            || coordinatorCountries.Contains(r.CountryIso3)
            || (focal && r.OrganisationId == org && (focalAllCountries || focalCountries.Contains(r.CountryIso3))));
    }

    internal sealed record Filters(string? Country, string? Sector, string? Month, string? Status, string? Org);

    internal static IQueryable<ActivityReport> Filter(CloserDbContext db, IQueryable<ActivityReport> q, Filters f)
    {
        if (!string.IsNullOrWhiteSpace(f.Country))
        {
            var c = f.Country.Trim().ToUpperInvariant();
            q = q.Where(r => r.CountryIso3 == c);
        }
        if (!string.IsNullOrWhiteSpace(f.Month))
        {
            var m = f.Month.Trim();
            q = q.Where(r => r.Month == m);
        }
        if (!string.IsNullOrWhiteSpace(f.Status) && Enum.TryParse<ReportStatus>(f.Status, ignoreCase: true, out var s))
        {
            q = q.Where(r => r.Status == s);
        }
        if (!string.IsNullOrWhiteSpace(f.Org))
        {
            var o = f.Org.Trim();
            q = q.Where(r => r.Organisation!.Acronym == o);
        }
        if (!string.IsNullOrWhiteSpace(f.Sector))
        {
            var sector = f.Sector.Trim().ToUpperInvariant();
            q = q.Where(r => db.Indicators.Any(i => i.Code == r.IndicatorCode && (i.SectorCode == sector || db.Sectors.Any(x => x.Code == i.SectorCode && x.ParentCode == sector))));
        }
        return q;
    }

    internal static IQueryable<ReportDto> Project(CloserDbContext db, IQueryable<ActivityReport> q) =>
        q.OrderBy(r => r.Month).ThenBy(r => r.CountryIso3).ThenBy(r => r.OrganisationId).ThenBy(r => r.Id)
            .Select(r => new ReportDto(r.Id, r.Organisation!.Acronym, r.Status.ToString(), r.ReturnReason, r.ImplementingPartner, r.CountryIso3,
                r.Admin1PCode, db.Indicators.Where(i => i.Code == r.IndicatorCode).Select(i => i.SectorCode).First(), r.IndicatorCode, r.Month,
                r.PopulationGroup, r.Girls, r.Boys, r.Women, r.Men, r.Other, r.Total, r.ReachedToDate, r.IsCash, r.CashUsd, r.Version));

    internal static IReadOnlyList<string?> Cells(ReportDto r) =>
    [
        r.Id.ToString(CultureInfo.InvariantCulture), r.Status, r.Org, r.ImplementingPartner, r.Country, r.Admin1, r.Sector, r.Indicator, r.Month,
        r.PopulationGroup, N(r.Girls), N(r.Boys), N(r.Women), N(r.Men), N(r.Other), N(r.Total), r.ReachedToDate is { } d ? N(d) : null,
        r.Cash ? "yes" : "no", r.CashUsd is { } u ? N(u) : null,
    ];

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static async Task<IResult> ListAsync(HttpContext http, CloserDbContext db,
        string? format, string? country, string? sector, string? month, string? status, string? org, int? page, int? pageSize, CancellationToken ct)
    {
        var actor = ActorOf(http);
        var q = Filter(db, Visible(db.ActivityReports.AsNoTracking(), actor.Scope), new Filters(country, sector, month, status, org));
        var language = http.Language();
        switch ((format ?? "json").ToLowerInvariant())
        {
            case "csv":
                var rows = await Project(db, q).ToListAsync(ct);
                return TypedResults.File(Spreadsheets.WriteCsv(ReportColumns.Export, language, rows.Select(Cells)), "text/csv; charset=utf-8", "reports.csv");
            case "xlsx":
                var xrows = await Project(db, q).ToListAsync(ct);
                return TypedResults.File(Spreadsheets.WriteXlsx(ReportColumns.Export, language, xrows.Select(Cells)), XlsxType, "reports.xlsx");
            case "json":
                var size = Math.Clamp(pageSize ?? 100, 1, 1000);
                var p = Math.Max(page ?? 1, 1);
                var total = await q.CountAsync(ct);
                var items = await Project(db, q).Skip((p - 1) * size).Take(size).ToListAsync(ct);
                return TypedResults.Ok(new ReportPage(items, p, size, total));
            default:
                return new BadRequestError("unknown-format", "The format must be json, csv or xlsx.").ToProblem(http);
        }
    }

    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static async Task<IResult> TemplateAsync(HttpContext http, CloserDbContext db, TimeProvider time, string? format, CancellationToken ct)
    {
        var actor = ActorOf(http);
        var org = actor.Scope.OrganisationId is { } id ? await db.Organisations.AsNoTracking().Where(o => o.Id == id).Select(o => o.Acronym).FirstOrDefaultAsync(ct) : null;
        org ??= await db.Organisations.AsNoTracking().OrderBy(o => o.Acronym).Select(o => o.Acronym).FirstAsync(ct);
        var country = actor.Scope.Countries.Order(StringComparer.Ordinal).FirstOrDefault() ?? "COL";
        var admin1 = await db.Admin1Areas.AsNoTracking().Where(a => a.CountryIso3 == country).OrderBy(a => a.PCode).Select(a => a.PCode).FirstOrDefaultAsync(ct) ?? "";
        var indicator = await db.Indicators.AsNoTracking().OrderBy(i => i.Code).FirstAsync(ct);
        var current = time.GetUtcNow().ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var month = (await db.ReportingPeriods.AsNoTracking().Select(p => p.Month).ToListAsync(ct))
            .Where(m => string.CompareOrdinal(m, current) <= 0).Order(StringComparer.Ordinal).LastOrDefault() ?? current;
        IReadOnlyList<string?> example = [org, "", country, admin1, indicator.SectorCode, indicator.Code, month, PopulationGroups.InDestination, "12", "10", "25", "18", "0", "65", "", "no", ""];
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
            return TypedResults.File(Spreadsheets.WriteXlsx(ReportColumns.Import, language, [example], codes), XlsxType, "5w-template.xlsx");
        }
        return TypedResults.File(Spreadsheets.WriteCsv(ReportColumns.Import, language, [example]), "text/csv; charset=utf-8", "5w-template.csv");
    }

    private static async Task<IResult> ImportAsync(HttpContext http, ReportImporter importer, CancellationToken ct)
    {
        var (file, missing) = await Spreadsheets.FormFileAsync(http.Request, ct);
        if (file is null)
        {
            return missing!.ToProblem(http);
        }
        await using var stream = file.OpenReadStream();
        var (result, error) = await importer.ImportAsync(stream, file.Length, ActorOf(http), ct);
        return error is not null ? error.ToProblem(http) : TypedResults.Ok(new { imported = result!.Imported, updated = result.Updated });
    }

    private static async Task<(ActivityReport? Report, Error? Error)> FindAsync(int id, CloserDbContext db, Actor actor, ReportAction action, CancellationToken ct)
    {
        var r = await db.ActivityReports.Include(x => x.Organisation).FirstOrDefaultAsync(x => x.Id == id && x.DeletedAt == null, ct);
        if (r is null || !ReportRules.Allows(actor.Scope, new ReportResource(r.OrganisationId, r.CountryIso3, r.Status == ReportStatus.Validated), ReportAction.Read))
        {
            return (null, new NotFoundError("report-not-found", "No such report."));
        }
        if (!ReportRules.Allows(actor.Scope, new ReportResource(r.OrganisationId, r.CountryIso3, r.Status == ReportStatus.Validated), action))
        {
            return (null, new ForbiddenError("out-of-scope", "This report is outside your scope."));
        }
        return (r, null);
    }

    private static async Task<IResult> GetAsync(int id, HttpContext http, CloserDbContext db, CancellationToken ct)
    {
        var (r, error) = await FindAsync(id, db, ActorOf(http), ReportAction.Read, ct);
        if (error is not null)
        {
            return error.ToProblem(http);
        }
        return TypedResults.Ok(await Project(db, db.ActivityReports.AsNoTracking().Where(x => x.Id == r!.Id)).FirstAsync(ct));
    }

    private static Dictionary<string, string?> CellsOf(ReportInput i, string? defaultOrg) => new(StringComparer.Ordinal)
    {
        ["org"] = i.Org ?? defaultOrg, ["partner"] = i.ImplementingPartner, ["country"] = i.Country, ["admin1"] = i.Admin1,
        ["sector"] = i.Sector, ["indicator"] = i.Indicator, ["month"] = i.Month, ["group"] = i.PopulationGroup,
        ["girls"] = S(i.Girls), ["boys"] = S(i.Boys), ["women"] = S(i.Women), ["men"] = S(i.Men), ["other"] = S(i.Other),
        ["total"] = S(i.Total), ["todate"] = S(i.ReachedToDate), ["cash"] = i.Cash is { } c ? (c ? "yes" : "no") : null, ["cashusd"] = S(i.CashUsd),
    };

    private static string? S(long? n) => n?.ToString(CultureInfo.InvariantCulture);

    private static async Task<IResult> CreateAsync(ReportInput input, HttpContext http, CloserDbContext db, TimeProvider time,
        IStringLocalizer<SharedResource> t, CancellationToken ct)
    {
        var actor = ActorOf(http);
        if (!CanWriteAny(actor))
        {
            return new ForbiddenError("out-of-scope", "Only an organisation's focal point or an administrator writes reports.").ToProblem(http);
        }
        var reference = await ReportReference.LoadAsync(db, ct);
        var defaultOrg = actor.Scope.OrganisationId is { } o && reference.OrgAcronyms.TryGetValue(o, out var a) ? a : null;
        var errors = new List<FieldError>();
        var values = ReportRows.Parse(CellsOf(input, defaultOrg), null, reference, actor, t, errors);
        if (values is null)
        {
            return Invalid(errors, http);
        }
        var existing = await db.ActivityReports.FirstOrDefaultAsync(r => r.OrganisationId == values.OrganisationId && r.CountryIso3 == values.CountryIso3
            && r.Admin1PCode == values.Admin1PCode && r.IndicatorCode == values.IndicatorCode && r.Month == values.Month && r.PopulationGroup == values.PopulationGroup, ct);
        if (existing is not null && existing.DeletedAt is null)
        {
            return new ConflictError("report-exists", "A report with this organisation, country, admin1, indicator, month and population group exists.").ToProblem(http);
        }
        new ReportWriter(db, time).Upsert(existing, values, actor);
        await Closer.Web.Features.Dashboards.ResponseAggregates.SaveChangesAsync(db, ct);
        var id = existing?.Id ?? db.ActivityReports.Local.First(r => ReportRows.KeyOf(r) == values.Key).Id;
        return TypedResults.Created($"/api/v1/reports/{id}", await Project(db, db.ActivityReports.AsNoTracking().Where(x => x.Id == id)).FirstAsync(ct));
    }

    private static bool CanWriteAny(Actor actor) =>
        actor.IsAdmin || (actor.Scope.Roles.Contains(Roles.OrgFocalPoint) && actor.Scope.OrganisationId is not null);

    private static ProblemHttpResult Invalid(List<FieldError> errors, HttpContext http) =>
        new ValidationError("invalid-report", "The report could not be saved.", errors).ToProblem(http);

    private static async Task<IResult> UpdateAsync(int id, ReportInput input, HttpContext http, CloserDbContext db, TimeProvider time,
        IStringLocalizer<SharedResource> t, CancellationToken ct)
    {
        var actor = ActorOf(http);
        var (r, error) = await FindAsync(id, db, actor, ReportAction.Write, ct);
        if (error is not null)
        {
            return error.ToProblem(http);
        }
        if (r!.Status is ReportStatus.Submitted or ReportStatus.Validated)
        {
            return new ConflictError("report-not-editable", "A submitted or validated report cannot change; ask your coordinator to return it.").ToProblem(http);
        }
        var reference = await ReportReference.LoadAsync(db, ct);
        // The key of a report does not change: an edit changes its figures.
        var cells = CellsOf(input with
        {
            Org = r.Organisation!.Acronym,
            Country = r.CountryIso3,
            Admin1 = r.Admin1PCode,
            Indicator = r.IndicatorCode,
            Month = r.Month,
            PopulationGroup = r.PopulationGroup,
            Sector = null,
        }, null);
        var errors = new List<FieldError>();
        var values = ReportRows.Parse(cells, null, reference, actor, t, errors);
        if (values is null)
        {
            return Invalid(errors, http);
        }
        new ReportWriter(db, time).Upsert(r, values, actor);
        await Closer.Web.Features.Dashboards.ResponseAggregates.SaveChangesAsync(db, ct);
        return TypedResults.Ok(await Project(db, db.ActivityReports.AsNoTracking().Where(x => x.Id == id)).FirstAsync(ct));
    }

    internal static async Task<Error?> ApplyTransitionAsync(ActivityReport r, string action, string? reason, Actor actor, CloserDbContext db,
        ReportWriter writer, CancellationToken ct)
    {
        var needed = action is "validate" or "return" ? ReportAction.Review : ReportAction.Write;
        var resource = new ReportResource(r.OrganisationId, r.CountryIso3, r.Status == ReportStatus.Validated);
        if (!ReportRules.Allows(actor.Scope, resource, ReportAction.Read))
        {
            return new NotFoundError("report-not-found", "No such report.");
        }
        if (!ReportRules.Allows(actor.Scope, resource, needed))
        {
            return new ForbiddenError("out-of-scope", "This report is outside your scope.");
        }
        if (await db.PeriodLocks.AnyAsync(l => l.CountryIso3 == r.CountryIso3 && l.Month == r.Month, ct))
        {
            return new ConflictError("period-locked", "This month is locked for this country.");
        }
        var allowed = action switch
        {
            "submit" => r.Status is ReportStatus.Draft or ReportStatus.Returned,
            "delete" => r.Status is ReportStatus.Draft or ReportStatus.Returned,
            "validate" => r.Status is ReportStatus.Submitted,
            "return" => r.Status is ReportStatus.Submitted or ReportStatus.Validated,
            _ => false,
        };
        if (!allowed)
        {
            return new ConflictError("wrong-status", "The report's status does not allow this.");
        }
        if (action == "return" && string.IsNullOrWhiteSpace(reason))
        {
            return new ValidationError("reason-required", "Say why the report is returned.", [new FieldError(null, "reason", "A reason is required.")]);
        }
        writer.Transition(r, action, actor, r.Organisation?.Acronym ?? "", reason?.Trim());
        return null;
    }

    private static async Task<IResult> TransitionAsync(int id, string action, string? reason, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        var actor = ActorOf(http);
        var r = await db.ActivityReports.Include(x => x.Organisation).FirstOrDefaultAsync(x => x.Id == id && x.DeletedAt == null, ct);
        if (r is null)
        {
            return new NotFoundError("report-not-found", "No such report.").ToProblem(http);
        }
        var error = await ApplyTransitionAsync(r, action, reason, actor, db, new ReportWriter(db, time), ct);
        if (error is not null)
        {
            return error.ToProblem(http);
        }
        await Closer.Web.Features.Dashboards.ResponseAggregates.SaveChangesAsync(db, ct);
        return action == "delete" ? TypedResults.NoContent() : TypedResults.Ok(await Project(db, db.ActivityReports.AsNoTracking().Where(x => x.Id == id)).FirstAsync(ct));
    }

    /// <summary>Validates, returns or submits many reports at once: all or nothing.</summary>
    private static async Task<IResult> BulkAsync(BulkInput input, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        var actor = ActorOf(http);
        var ids = input.Ids ?? [];
        if (ids.Count == 0 || input.Action is not ("validate" or "return" or "submit"))
        {
            return new BadRequestError("bad-bulk", "Give report ids and an action: validate, return or submit.").ToProblem(http);
        }
        var reports = await db.ActivityReports.Include(x => x.Organisation).Where(x => ids.Contains(x.Id) && x.DeletedAt == null).ToListAsync(ct);
        var writer = new ReportWriter(db, time);
        var errors = new List<FieldError>();
        foreach (var id in ids.Distinct())
        {
            var r = reports.FirstOrDefault(x => x.Id == id);
            var error = r is null ? new NotFoundError("report-not-found", "No such report.") : await ApplyTransitionAsync(r, input.Action, input.Reason, actor, db, writer, ct);
            if (error is not null)
            {
                errors.Add(new FieldError(id, "id", error.Message));
            }
        }
        if (errors.Count > 0)
        {
            return new ValidationError("bulk-refused", "Nothing was changed.", errors).ToProblem(http);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await Closer.Web.Features.Dashboards.ResponseAggregates.SaveChangesAsync(db, ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new { changed = reports.Count });
    }

    private static async Task<IResult> RevisionsAsync(int id, HttpContext http, CloserDbContext db, CancellationToken ct)
    {
        var (r, error) = await FindAsync(id, db, ActorOf(http), ReportAction.Read, ct);
        if (error is not null)
        {
            return error.ToProblem(http);
        }
        var revisions = await db.ReportRevisions.AsNoTracking().Where(x => x.ReportId == r!.Id).OrderBy(x => x.Version)
            .Select(x => new RevisionDto(x.Version, x.ChangedAt, x.ChangedBy, x.Snapshot)).ToListAsync(ct);
        return TypedResults.Ok(revisions);
    }

    internal static async Task<Error?> SetLockAsync(string country, string month, bool locked, Actor actor, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        country = country.ToUpperInvariant();
        if (!await db.Countries.AnyAsync(c => c.Iso3 == country, ct) || !await db.ReportingPeriods.AnyAsync(p => p.Month == month, ct))
        {
            return new NotFoundError("period-not-found", "No such country or reporting period.");
        }
        if (!ReportRules.ManagesCountry(actor.Scope, country))
        {
            return new ForbiddenError("out-of-scope", "Only a coordinator of this country locks its months.");
        }
        var existing = await db.PeriodLocks.FirstOrDefaultAsync(l => l.CountryIso3 == country && l.Month == month, ct);
        if (locked == (existing is not null))
        {
            return null;
        }
        var now = time.GetUtcNow();
        if (locked)
        {
            db.PeriodLocks.Add(new PeriodLock { CountryIso3 = country, Month = month, LockedAt = now, LockedBy = actor.Email });
        }
        else
        {
            db.PeriodLocks.Remove(existing!);
        }
        AuditLog.Add(db, now, actor, locked ? "lock" : "unlock", "period", $"{country}|{month}", country, null,
            new Dictionary<string, string?[]>(StringComparer.Ordinal) { ["locked"] = [locked ? "no" : "yes", locked ? "yes" : "no"] });
        await db.SaveChangesAsync(ct);
        return null;
    }

    private static async Task<IResult> LockAsync(string country, string month, bool locked, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        var error = await SetLockAsync(country, month, locked, ActorOf(http), db, time, ct);
        return error is not null ? error.ToProblem(http) : TypedResults.Ok(new PeriodLockDto(country.ToUpperInvariant(), month, locked));
    }

    internal static IQueryable<AuditEntry> VisibleAudit(IQueryable<AuditEntry> q, ScopeUser u)
    {
        if (u.Roles.Contains(Roles.PlatformAdmin))
        {
            return q;
        }
        var countries = u.Roles.Contains(Roles.CountryCoordinator) ? u.Countries.ToList() : [];
        var org = u.Roles.Contains(Roles.OrgFocalPoint) ? u.OrganisationId ?? -1 : -1;
        return q.Where(a => (a.CountryIso3 != null && countries.Contains(a.CountryIso3)) || a.OrganisationId == org);
    }

    private static async Task<IResult> AuditAsync(HttpContext http, CloserDbContext db,
        string? entityType, string? entityKey, string? action, string? country, string? user, int? page, int? pageSize, CancellationToken ct)
    {
        var actor = ActorOf(http);
        if (!actor.IsAdmin && !actor.Scope.Roles.Contains(Roles.CountryCoordinator) && !actor.Scope.Roles.Contains(Roles.OrgFocalPoint))
        {
            return new ForbiddenError("out-of-scope", "The audit log is for coordinators, focal points and administrators.").ToProblem(http);
        }
        var q = AuditQuery(VisibleAudit(db.AuditEntries.AsNoTracking(), actor.Scope), entityType, entityKey, action, country, user);
        var size = Math.Clamp(pageSize ?? 100, 1, 1000);
        var p = Math.Max(page ?? 1, 1);
        var items = await q.OrderByDescending(a => a.Id).Skip((p - 1) * size).Take(size)
            .Select(a => new AuditDto(a.Id, a.At, a.UserEmail, a.Action, a.EntityType, a.EntityKey, a.CountryIso3, a.Changes)).ToListAsync(ct);
        return TypedResults.Ok(items);
    }

    internal static IQueryable<AuditEntry> AuditQuery(IQueryable<AuditEntry> q, string? entityType, string? entityKey, string? action, string? country, string? user)
    {
        if (!string.IsNullOrWhiteSpace(entityType))
        {
            q = q.Where(a => a.EntityType == entityType);
        }
        if (!string.IsNullOrWhiteSpace(entityKey))
        {
            q = q.Where(a => EF.Functions.Like(a.EntityKey, entityKey + "%"));
        }
        if (!string.IsNullOrWhiteSpace(action))
        {
            q = q.Where(a => a.Action == action);
        }
        if (!string.IsNullOrWhiteSpace(country))
        {
            var c = country.ToUpperInvariant();
            q = q.Where(a => a.CountryIso3 == c);
        }
        if (!string.IsNullOrWhiteSpace(user))
        {
            q = q.Where(a => a.UserEmail != null && EF.Functions.Like(a.UserEmail, "%" + user + "%"));
        }
        return q;
    }
}
