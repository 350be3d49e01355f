using System.Globalization;
using System.Text.Json;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Jobs;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Closer.Web.Infrastructure.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Coordination.Imports;

public enum ImportJobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// A big spreadsheet upload waiting for, or going through, the import. The file is kept in the database (any node may
/// process it) until the job ends; the job ends Succeeded in the same transaction that stores the rows, so a crash
/// leaves either everything or nothing, and a job whose lease ran out is taken up again from the start.
/// </summary>
public sealed class ImportJob : ILeased
{
    public long Id { get; set; }
    public ImportJobStatus Status { get; set; }
    public required string FileName { get; set; }
    public SheetKind Kind { get; set; }
    /// <summary>The uploaded file; removed when the job ends.</summary>
    public byte[]? Content { get; set; }
    public long SizeBytes { get; set; }
    public string? UserId { get; set; }
    public string? UserEmail { get; set; }
    /// <summary>The uploader's scope when the file was accepted (roles and countries comma-separated).</summary>
    public required string Roles { get; set; }
    public int? OrganisationId { get; set; }
    public required string Countries { get; set; }
    /// <summary>The uploader's language: row errors are written in it.</summary>
    public required string Language { get; set; }
    /// <summary>Columns the uploader chose to ignore (header texts or letters, one per line); null for none.</summary>
    public string? Ignore { get; set; }
    /// <summary>Rows in the file, when it can be told before reading (CSV lines); null for XLSX.</summary>
    public int? TotalRows { get; set; }
    public int ProcessedRows { get; set; }
    public int Imported { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public string? ErrorCode { get; set; }
    /// <summary>The failure in English (a UI-string key), shown in the reader's language.</summary>
    public string? ErrorMessage { get; set; }
    /// <summary>JSON list of {row, column, message} (the first <see cref="ImportJobs.MaxStoredErrors"/>), messages in <see cref="Language"/>.</summary>
    public string? Errors { get; set; }
    public int ErrorCount { get; set; }
    /// <summary>
    /// JSON list of the stored rows' outlier hints {row, column, message} (the first <see cref="ReportImporter.MaxListedErrors"/>, as the
    /// synchronous import gives them), messages in <see cref="Language"/>; null for none. Warnings only: the rows were stored.
    /// </summary>
    public string? Warnings { get; set; }
    public int WarningCount { get; set; }
    public int Attempts { get; set; }
    public Guid? ClaimToken { get; set; }
    public DateTimeOffset? ClaimedUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    public Actor Actor() => new(UserId, UserEmail, new ScopeUser(
        Split(Roles), OrganisationId, Split(Countries)));

    private static HashSet<string> Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    public IReadOnlyList<FieldError> RowErrors() =>
        Errors is null ? [] : JsonSerializer.Deserialize<List<FieldError>>(Errors, ImportJobs.Json) ?? [];

    public IReadOnlyList<FieldError> RowWarnings() =>
        Warnings is null ? [] : JsonSerializer.Deserialize<List<FieldError>>(Warnings, ImportJobs.Json) ?? [];

    /// <summary>Running, but its lease ran out: the node working on it stopped. Nothing was stored; it will start again.</summary>
    public bool Interrupted(DateTimeOffset now) => Status == ImportJobStatus.Running && ClaimedUntil < now;
}

internal sealed class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> b)
    {
        b.Property(j => j.Status).HasConversion<string>().HasMaxLength(12);
        b.Property(j => j.Kind).HasConversion<string>().HasMaxLength(8);
        b.Property(j => j.FileName).HasMaxLength(260);
        b.Property(j => j.UserId).HasMaxLength(64);
        b.Property(j => j.UserEmail).HasMaxLength(256);
        b.Property(j => j.Roles).HasMaxLength(300);
        b.Property(j => j.Countries).HasMaxLength(300);
        b.Property(j => j.Language).HasMaxLength(8);
        b.Property(j => j.ErrorCode).HasMaxLength(60);
        b.Property(j => j.ErrorMessage).HasMaxLength(500);
        b.HasIndex(j => new { j.Status, j.ClaimedUntil });
        b.HasIndex(j => j.UserId);
    }
}

public sealed class ImportJobOptions
{
    /// <summary>Uploads from the reporting page larger than this become a background job (about 4,000 CSV rows).</summary>
    public long BackgroundAboveBytes { get; set; } = 256 * 1024;
    /// <summary>How long a claim holds without news from its worker (progress renews it).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>A job interrupted this many times is marked failed instead of being started again.</summary>
    public int MaxAttempts { get; set; } = 3;
    public bool Worker { get; set; } = true;
}

public sealed record ImportJobDto(
    long Id, string Status, string FileName, int? TotalRows, int ProcessedRows, int Imported, int Updated, int Unchanged,
    string? Code, string? Message, int ErrorCount, IReadOnlyList<FieldError> Errors, bool Interrupted, DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt, string StatusPage, int WarningCount, IReadOnlyList<FieldError> Warnings);

public static class ImportJobs
{
    public const int MaxStoredErrors = 1000;
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Accepts a checked upload as a job (nothing is imported yet).</summary>
    public static async Task<ImportJob> CreateAsync(CloserDbContext db, CheckedUpload upload, string? fileName, Actor actor, string language,
        TimeProvider time, CancellationToken ct, IReadOnlyCollection<string>? ignore = null)
    {
        var content = upload.Content.ToArray();
        var job = new ImportJob
        {
            Status = ImportJobStatus.Queued, FileName = Path.GetFileName(fileName ?? "upload").Trim() is { Length: > 0 } n ? TextLimits.Truncate(n, 260) : "upload",
            Kind = upload.Kind, Content = content, SizeBytes = content.Length, UserId = actor.UserId, UserEmail = actor.Email,
            Roles = string.Join(',', actor.Scope.Roles), OrganisationId = actor.Scope.OrganisationId, Countries = string.Join(',', actor.Scope.Countries),
            Language = language, Ignore = ignore is { Count: > 0 } ? string.Join('\n', ignore) : null, TotalRows = upload.Kind == SheetKind.Csv ? CountLines(content) : null, CreatedAt = time.GetUtcNow(),
        };
        db.ImportJobs.Add(job);
        await db.SaveChangesAsync(ct);
        return job;
    }

    /// <summary>Data rows of a CSV, roughly (lines after the header and HXL row); only for the progress bar.</summary>
    private static int CountLines(byte[] content)
    {
        var lines = content.AsSpan().Count((byte)'\n') + (content.Length > 0 && content[^1] != '\n' ? 1 : 0);
        return Math.Max(lines - 1, 0);
    }

    /// <summary>Whether the caller may see the job: its uploader, or a platform administrator.</summary>
    public static bool MaySee(ImportJob job, Actor actor) =>
        actor.IsAdmin || (job.UserId is not null && string.Equals(job.UserId, actor.UserId, StringComparison.Ordinal));

    public static ImportJobDto ToDto(ImportJob j, DateTimeOffset now) => new(
        j.Id, j.Status.ToString().ToLowerInvariant(), j.FileName, j.TotalRows, j.ProcessedRows, j.Imported, j.Updated, j.Unchanged, j.ErrorCode,
        j.ErrorMessage, j.ErrorCount, j.RowErrors(), j.Interrupted(now), j.CreatedAt, j.FinishedAt, $"/admin/imports/{j.Id}", j.WarningCount, j.RowWarnings());

    public static IServiceCollection AddImportJobs(this IServiceCollection services)
    {
        services.AddOptions<ImportJobOptions>().BindConfiguration("Imports");
        services.AddJobs();
        services.AddSingleton<ImportJobRunner>();
        services.AddHostedService<ImportJobWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapImportJobsApi(this IEndpointRouteBuilder app)
    {
        var imports = app.MapGroup("/api/v1/imports").WithTags("Imports").RequireAuthorization(Policies.ApiUser);
        imports.MapPost("/", AcceptAsync).DisableAntiforgery().RequireRateLimiting(ImportRateLimit.ImportLimiter)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(SheetReader.MaxUploadBytes + 1024 * 1024));
        imports.MapGet("/{id:long}", GetAsync);
        return app;
    }

    /// <summary>POST /api/v1/imports: the upload is checked and accepted as a job (202, Location = the job).</summary>
    private static async Task<Results<Accepted<ImportJobDto>, ProblemHttpResult>> AcceptAsync(HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        if (!CreateReportCommand.CanWriteAny(actor))
        {
            return new ForbiddenError("import-forbidden", "Only focal points of an organisation and administrators import reports.").ToProblem(http);
        }
        var (file, missing) = await SheetReader.FormFileAsync(http.Request, ct);
        if (file is null)
        {
            return missing!.ToProblem(http);
        }
        await using var stream = file.OpenReadStream();
        var (upload, refusal) = await SheetReader.CheckUploadAsync(stream, file.Length, ct);
        if (refusal is not null)
        {
            return refusal.ToProblem(http);
        }
        using var content = upload!.Content;
        if (upload.IsEmpty)
        {
            var t = http.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>();
            return new ValidationError("empty-file", "The file holds no reports.", [new FieldError(null, "file", t["The file is empty."])]).ToProblem(http);
        }
        var job = await CreateAsync(db, upload, file.FileName, actor, http.Language(), time, ct, ImportsApi.Ignored(http.Request));
        return TypedResults.Accepted($"/api/v1/imports/{job.Id}", ToDto(job, time.GetUtcNow()));
    }

    private static async Task<Results<Ok<ImportJobDto>, ProblemHttpResult>> GetAsync(long id, HttpContext http, CloserDbContext db, TimeProvider time, CancellationToken ct)
    {
        var job = await db.ImportJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null || !MaySee(job, Actor.From(http.User)))
        {
            return new NotFoundError("import-not-found", "No such import.").ToProblem(http);
        }
        return TypedResults.Ok(ToDto(job, time.GetUtcNow()));
    }
}

/// <summary>
/// Claims and runs import jobs. A claim is one conditional UPDATE (token + lease, as the e-mail outbox does), so two
/// nodes never run the same job; progress renews the lease; the job is marked done inside the import's own transaction
/// and only under its claim.
/// </summary>
public sealed class ImportJobRunner(IServiceScopeFactory scopes, TimeProvider time, IOptions<ImportJobOptions> options, ILogger<ImportJobRunner> logger)
{
    /// <summary>Claims the oldest waiting (or abandoned) job; null when there is none or another worker took it.</summary>
    public async Task<(long Id, Guid Token)?> ClaimAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var now = time.GetUtcNow();
        // Queued jobs have no claim; running ones whose lease expired were left by a node that stopped.
        var lease = await db.ImportJobs.Where(j => j.Status == ImportJobStatus.Queued || j.Status == ImportJobStatus.Running)
            .ClaimAsync(now, options.Value.Lease, 1, s => s.SetProperty(j => j.Status, ImportJobStatus.Running).SetProperty(j => j.Attempts, j => j.Attempts + 1)
                .SetProperty(j => j.StartedAt, now).SetProperty(j => j.ProcessedRows, 0), ct);
        if (lease is not { Token: var token })
        {
            return null;
        }
        var id = await db.ImportJobs.HeldBy(token).Select(j => j.Id).FirstAsync(ct);
        return (id, token);
    }

    /// <summary>Claims and runs jobs until none is waiting; returns how many ran.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var ran = 0;
        while (await ClaimAsync(ct) is { } claim)
        {
            await RunAsync(claim.Id, claim.Token, ct);
            ran++;
        }
        return ran;
    }

    /// <summary>Runs a claimed job to its end: succeeded (with the rows stored) or failed (with why, nothing stored).</summary>
    public async Task RunAsync(long id, Guid token, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var job = await db.ImportJobs.AsNoTracking().FirstAsync(j => j.Id == id, ct);
        var o = options.Value;
        IQueryable<ImportJob> Mine() => db.ImportJobs.HeldBy(token).Where(j => j.Id == id);
        if (job.Attempts > o.MaxAttempts || job.Content is null)
        {
            await FailAsync(Mine(), "import-interrupted", "The import was interrupted several times and has stopped. Nothing was stored; please upload the file again.", [], ct);
            return;
        }
        var culture = Languages.Culture(job.Language);
        var (ui, formats) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = culture;
        CultureInfo.CurrentCulture = culture;
        try
        {
            var importer = scope.ServiceProvider.GetRequiredService<ReportImporter>();
            using var content = new MemoryStream(job.Content, writable: false);
            var completed = false;
            var hooks = new ImportHooks
            {
                Ignore = job.Ignore?.Split('\n') ?? [],
                // Progress comes from the reading thread, possibly while the import's transaction is open on the
                // importer's context: it goes through a context of its own, and is seen by the status page at once.
                OnProgress = async (rows, token2) =>
                {
                    await using var progressScope = scopes.CreateAsyncScope();
                    var progressDb = progressScope.ServiceProvider.GetRequiredService<CloserDbContext>();
                    await progressDb.ImportJobs.HeldBy(token).Where(j => j.Id == id)
                        .ExecuteUpdateAsync(s => s.SetProperty(j => j.ProcessedRows, rows).Renew(time.GetUtcNow() + o.Lease), token2);
                },
                BeforeCommit = async (tx, result, token2) =>
                {
                    // Done in the same transaction as the rows: both or neither, and only while the claim is ours.
                    completed = await Succeed(tx.ImportJobs.HeldBy(token).Where(j => j.Id == id), result, token2) == 1;
                    return completed;
                },
            };
            var (result, error) = await importer.ImportCheckedAsync(new CheckedUpload(content, job.Kind), job.Actor(), hooks, ct);
            if (error is ValidationError v)
            {
                await FailAsync(Mine(), v.Code, v.Message, v.Errors, ct, v.Total);
            }
            else if (error is not null)
            {
                await FailAsync(Mine(), error.Code, error.Message, [], ct);
            }
            else if (!completed)
            {
                // Nothing to write (every row unchanged): no transaction was needed.
                await Succeed(Mine(), result!, ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database may be restarting: give the job back; the attempt counter stops endless retries.
            logger.LogWarning("Import job {Id} attempt {Attempt} failed: {Error}", id, job.Attempts, ex.GetType().Name);
            await Mine().ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ImportJobStatus.Queued).Release(), CancellationToken.None);
        }
        finally
        {
            CultureInfo.CurrentUICulture = ui;
            CultureInfo.CurrentCulture = formats;
        }
    }

    private Task<int> Succeed(IQueryable<ImportJob> job, ImportResult result, CancellationToken ct)
    {
        // The hints are stored with the job in the update that marks it done (inside the import's transaction), so its page
        // never shows a finished import without them.
        var warnings = result.Warnings.Count == 0 ? null : JsonSerializer.Serialize(result.Warnings.ToList(), ImportJobs.Json);
        return job.ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ImportJobStatus.Succeeded)
            .SetProperty(j => j.Warnings, warnings).SetProperty(j => j.WarningCount, result.WarningCount)
            .SetProperty(j => j.Imported, result.Imported).SetProperty(j => j.Updated, result.Updated).SetProperty(j => j.Unchanged, result.Unchanged)
            .SetProperty(j => j.ProcessedRows, result.Imported + result.Updated + result.Unchanged)
            .SetProperty(j => j.FinishedAt, time.GetUtcNow()).SetProperty(j => j.Content, (byte[]?)null)
            .Release(), ct);
    }

    private async Task FailAsync(IQueryable<ImportJob> job, string code, string message, IReadOnlyList<FieldError> errors, CancellationToken ct, int? total = null)
    {
        var stored = errors.Count == 0 ? null : JsonSerializer.Serialize(errors.Take(ImportJobs.MaxStoredErrors).ToList(), ImportJobs.Json);
        await job.ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ImportJobStatus.Failed).SetProperty(j => j.ErrorCode, code)
            .SetProperty(j => j.ErrorMessage, message).SetProperty(j => j.Errors, stored).SetProperty(j => j.ErrorCount, total ?? errors.Count)
            .SetProperty(j => j.FinishedAt, time.GetUtcNow()).SetProperty(j => j.Content, (byte[]?)null)
            .Release(), ct);
    }
}

/// <summary>
/// Runs import jobs on every node (<c>Imports:Worker</c>, every <c>Imports:PollInterval</c>); leases keep the nodes apart.
/// A run claims and runs jobs until none waits, and counts the jobs it ran.
/// </summary>
public sealed class ImportJobWorker(ImportJobRunner runner, IServiceProvider services, TimeProvider time, IOptions<ImportJobOptions> options,
    ILogger<ImportJobWorker> logger) : HostedJob(services, time, logger)
{
    public override string Name => "imports";
    protected override bool Enabled => options.Value.Worker;
    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override Task<int> RunAsync(IServiceProvider scope, CancellationToken ct) => runner.RunDueAsync(ct);
}
