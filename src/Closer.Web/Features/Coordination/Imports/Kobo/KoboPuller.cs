using Closer.Web.Features.Accounts;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Jobs;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Coordination.Imports.Kobo;

/// <summary>
/// One pull of a connection: every submission read from KPI (all pages, or nothing), imported through
/// <see cref="KoboImport"/> as the person who set the connection up, submissions missing from the full pull withdrawn
/// (their reports soft-deleted, restorable: the submission coming back restores them), all in the import's one
/// transaction; then a log row with the counts. A failed pull changes nothing and is logged with its reason.
/// </summary>
public sealed class KoboPuller(CloserDbContext db, KoboImport import, KoboClient client, IDataProtectionProvider protection, TimeProvider time,
    UserManager<AppUser> users, IUserClaimsPrincipalFactory<AppUser> principals, IStringLocalizer<SharedResource> t, ILogger<KoboPuller> logger)
{
    public const string TokenPurpose = "Closer.Kobo.Token";

    public IDataProtector Protector => protection.CreateProtector(TokenPurpose);

    public async Task<KoboPullLog> PullAsync(KoboConnection connection, CancellationToken ct)
    {
        var log = new KoboPullLog { ConnectionId = connection.Id, StartedAt = time.GetUtcNow() };
        var user = await users.FindByIdAsync(connection.UserId);
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        try
        {
            if (user is null)
            {
                throw new KoboPullException("The person who set this connection up no longer has an account: save it again.");
            }
            // Errors are written in the language of the person who set the connection up.
            System.Globalization.CultureInfo.CurrentUICulture = Languages.Culture(Languages.IsSupported(user.PreferredLanguage) ? user.PreferredLanguage : Languages.Default);
            var actor = Actor.From(await principals.CreateAsync(user));
            if (!actor.IsAdmin && actor.Scope.OrganisationId != connection.OrganisationId)
            {
                throw new KoboPullException("The person who set this connection up no longer reports for this organisation: save it again.");
            }
            string token;
            try
            {
                token = Protector.Unprotect(connection.TokenProtected);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                throw new KoboPullException("The stored token cannot be read any more: enter it again.");
            }
            var (submissions, pages) = await client.AllAsync(connection.ServerUrl, connection.AssetUid, token, ct);
            log.Pages = pages;
            log.Fetched = submissions.Count;
            var seen = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var s in submissions)
            {
                if (KoboExport.UuidOf(k => s.GetValueOrDefault(k)) is { } uuid)
                {
                    seen[uuid] = s.GetValueOrDefault("_last_edited") ?? s.GetValueOrDefault("_submission_time");
                }
            }
            async Task<int> WithdrawAndRecordAsync(CloserDbContext d, CancellationToken c) => await ReconcileAsync(d, connection, seen, actor, log, c);
            if (submissions.Count == 0)
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                log.Withdrawn = await WithdrawAndRecordAsync(db, ct);
                await tx.CommitAsync(ct);
            }
            else
            {
                var (header, rows) = KoboClient.Table(submissions);
                var (counts, error) = await import.ImportTableAsync(header, rows, actor, [], WithdrawAndRecordAsync, ct);
                if (error is not null)
                {
                    log.Message = error is ValidationError v ? Refusal(v, submissions) : t[error.Message];
                    logger.LogWarning("Kobo pull of connection {Connection} refused: {Count} problems in the submissions, nothing stored", connection.Id,
                        error is ValidationError w ? w.Total ?? w.Errors.Count : 1);
                    return await FinishAsync(log, ct);
                }
                (log.Imported, log.Updated, log.Unchanged, log.Withdrawn) = (counts!.Imported, counts.Updated, counts.Unchanged, counts.Withdrawn);
            }
            log.Succeeded = true;
        }
        catch (KoboPullException ex)
        {
            log.Message = t[ex.Message];
            logger.LogWarning("Kobo pull of connection {Connection} failed: {Reason}", connection.Id, ex.Message);
        }
#pragma warning disable CA1031 // any failure of a pull (the database refusing a write included) rolls it back whole and is logged
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            // The import's transaction was rolled back when it was disposed: nothing of this pull is stored.
            log.Message = t["The pull failed and changed nothing; the administrators can see why in the server's log."];
            logger.LogError(ex, "Kobo pull of connection {Connection} failed; rolled back", connection.Id);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = culture;
        }
        return await FinishAsync(log, ct);
    }

    private async Task<KoboPullLog> FinishAsync(KoboPullLog log, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        log.FinishedAt = time.GetUtcNow();
        db.KoboPullLogs.Add(log);
        await db.SaveChangesAsync(ct);
        return log;
    }

    /// <summary>
    /// A pull refused because of its submissions: nothing was stored, and the log says which submissions (KoboToolbox's
    /// <c>_id</c> and <c>_uuid</c>, which a partner can find in the project's data table) and what is wrong with each,
    /// as many as the log holds.
    /// </summary>
    private string Refusal(ValidationError v, List<Dictionary<string, string?>> submissions)
    {
        var total = v.Total ?? v.Errors.Count;
        var text = new System.Text.StringBuilder(t.Plural(total, "Nothing was stored: {0} problem in the submissions.", "Nothing was stored: {0} problems in the submissions.").Value);
        var listed = 0;
        foreach (var e in v.Errors)
        {
            // KoboClient.Table puts submission i on line i + 2 (the header is line 1).
            var s = e.Row is { } row && row - 2 >= 0 && row - 2 < submissions.Count ? submissions[row - 2] : null;
            var line = s is null ? e.Message
                : t["Submission {0} ({1}): {2}", s.GetValueOrDefault("_id") ?? "?", KoboExport.UuidOf(k => s.GetValueOrDefault(k)) ?? "?", e.Message].Value;
            if (text.Length + line.Length + 80 > MessageLength)
            {
                break;
            }
            text.Append('\n').Append(line);
            listed++;
        }
        if (listed < total)
        {
            text.Append('\n').Append(t.Plural(total - listed, "… and {0} more.", "… and {0} more.").Value);
        }
        return text.ToString();
    }

    /// <summary>The log's message column holds this much (<see cref="KoboPullLogConfiguration"/>).</summary>
    public const int MessageLength = 4000;

    /// <summary>
    /// Inside the import's transaction: reports of submissions the server no longer has are withdrawn (draft or returned
    /// ones in open months; others are left and counted in the log's message), and the submissions seen are recorded.
    /// </summary>
    private async Task<int> ReconcileAsync(CloserDbContext d, KoboConnection connection, Dictionary<string, string?> seen, Actor actor, KoboPullLog log,
        CancellationToken ct)
    {
        var known = await d.KoboSubmissions.Where(s => s.ConnectionId == connection.Id).ToListAsync(ct);
        var gone = known.Where(k => !seen.ContainsKey(k.Uuid)).Select(k => k.Uuid).ToList();
        log.Edited = known.Count(k => seen.TryGetValue(k.Uuid, out var change) && change != k.LastChange);
        var withdrawn = 0;
        if (gone.Count > 0)
        {
            var locks = (await d.PeriodLocks.AsNoTracking().Select(l => new { l.CountryIso3, l.Month }).ToListAsync(ct))
                .Select(l => (l.CountryIso3, l.Month)).ToHashSet();
            var acronym = await d.Organisations.Where(o => o.Id == connection.OrganisationId).Select(o => o.Acronym).FirstAsync(ct);
            var writer = new ReportWriter(d, time);
            var kept = 0;
            foreach (var r in await d.ActivityReports.Where(r => r.OrganisationId == connection.OrganisationId && r.SourceUuid != null
                && gone.Contains(r.SourceUuid) && r.DeletedAt == null).ToListAsync(ct))
            {
                if (r.Status is ReportStatus.Submitted or ReportStatus.Validated || locks.Contains((r.CountryIso3, r.Month)))
                {
                    kept++;
                    continue;
                }
                // The report keeps its submission id: if the submission comes back, the next pull restores it.
                writer.Transition(r, "delete", actor, acronym);
                withdrawn++;
            }
            if (kept > 0)
            {
                log.Message = t.Plural(kept, "{0} report of a submission deleted on the server was kept: it is submitted, validated or in a locked month.",
                    "{0} reports of submissions deleted on the server were kept: they are submitted, validated or in a locked month.");
            }
            d.KoboSubmissions.RemoveRange(known.Where(k => gone.Contains(k.Uuid)));
        }
        var byUuid = known.ToDictionary(k => k.Uuid, StringComparer.Ordinal);
        foreach (var (uuid, change) in seen)
        {
            if (byUuid.TryGetValue(uuid, out var k))
            {
                k.LastChange = change;
            }
            else
            {
                d.KoboSubmissions.Add(new KoboSubmission { ConnectionId = connection.Id, Uuid = uuid, LastChange = change });
            }
        }
        await d.SaveChangesAsync(ct);
        return withdrawn;
    }
}

/// <summary>Pulls the connections that are due (<c>Kobo:Worker</c>, every <c>Kobo:PollInterval</c>); a lease keeps nodes apart.</summary>
public sealed class KoboPullWorker(IServiceProvider services, TimeProvider time, IOptions<KoboOptions> options, ILogger<KoboPullWorker> logger)
    : HostedJob(services, time, logger)
{
    public override string Name => "kobo-pull";
    protected override bool Enabled => options.Value.Worker;
    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override async Task<int> RunAsync(IServiceProvider scope, CancellationToken ct)
    {
        var db = scope.GetRequiredService<CloserDbContext>();
        var pulled = 0;
        while (!ct.IsCancellationRequested)
        {
            var now = Time.GetUtcNow();
            var lease = await db.KoboConnections.Where(c => c.Enabled && c.NextPullAt != null && c.NextPullAt <= now)
                .ClaimAsync(now, TimeSpan.FromMinutes(15), 1, null, ct);
            if (lease is null)
            {
                return pulled;
            }
            var connection = await db.KoboConnections.AsNoTracking().HeldBy(lease.Value.Token).FirstAsync(ct);
            await using (var pullScope = Scopes.CreateAsyncScope())
            {
                await pullScope.ServiceProvider.GetRequiredService<KoboPuller>().PullAsync(connection, ct);
            }
            var done = Time.GetUtcNow();
            await db.KoboConnections.HeldBy(lease.Value.Token).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastPullAt, done)
                .SetProperty(c => c.NextPullAt, done + options.Value.PullEvery).Release(), ct);
            pulled++;
        }
        return pulled;
    }
}

public static class KoboPullSetup
{
    public static IServiceCollection AddKoboPull(this IServiceCollection services)
    {
        services.AddOptions<KoboOptions>().BindConfiguration("Kobo");
        services.AddHttpClient<KoboClient>(KoboClient.HttpClientName);
        services.AddScoped<KoboPuller>();
        services.AddHostedService<KoboPullWorker>();
        return services;
    }
}
