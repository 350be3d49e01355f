using System.Net;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Accounts;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Imports.Kobo;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Coordination.Imports.Kobo;

/// <summary>
/// The KoboToolbox pull against a local fake of KPI: paging, a 5xx in the middle (retried), an edited submission, a
/// deleted one (withdrawn, and restored when it comes back), a failed pull that changes nothing, every pull logged.
/// </summary>
public abstract class KoboPullSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<KoboConnection> ConnectAsync(FakeKpi kpi, string token = FakeKpi.Token)
    {
        var (email, _) = await app.CreateUserAsync(R.FocalPoint, "CAMPO", "COL");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        var org = await db.Organisations.FirstAsync(o => o.Acronym == "CAMPO", Ct);
        await db.KoboConnections.Where(c => c.OrganisationId == org.Id).ExecuteDeleteAsync(Ct);
        // Each test starts from no pulled reports (the tests of a class share one database, in any order).
        var pulled = db.ActivityReports.Where(r => r.OrganisationId == org.Id && (r.SourceUuid != null || r.ImplementingPartner == "Fundación Red Local"));
        await db.ReportRevisions.Where(v => pulled.Any(r => r.Id == v.ReportId)).ExecuteDeleteAsync(Ct);
        await pulled.ExecuteDeleteAsync(Ct);
        var protector = scope.ServiceProvider.GetRequiredService<KoboPuller>().Protector;
        var connection = new KoboConnection
        {
            OrganisationId = org.Id, ServerUrl = kpi.BaseUrl, AssetUid = FakeKpi.AssetUid, TokenProtected = protector.Protect(token),
            UserId = user!.Id, UserEmail = email,
        };
        db.KoboConnections.Add(connection);
        await db.SaveChangesAsync(Ct);
        return connection;
    }

    private async Task<KoboPullLog> PullAsync(KoboConnection connection)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KoboPuller>().PullAsync(connection, Ct);
    }

    private async Task<List<ActivityReport>> ReportsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        string[] uuids = [KpiPages.Uuid1, KpiPages.Uuid2, KpiPages.Uuid3, KpiPages.Uuid4, KpiPages.BadNegative, KpiPages.BadTotal, "0d9e7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c60"];
        return await scope.ServiceProvider.GetRequiredService<CloserDbContext>().ActivityReports.AsNoTracking()
            .Where(r => uuids.Contains(r.SourceUuid!) || r.ImplementingPartner == "Fundación Red Local").OrderBy(r => r.Id).ToListAsync(Ct);
    }

    private static string State(IEnumerable<ActivityReport> reports) =>
        string.Join(";", reports.Select(r => $"{r.Id}:{r.SourceUuid}:{r.Admin1PCode}:{r.Women}:{r.Total}:{r.Version}:{r.DeletedAt is null}"));

    [Fact]
    public async Task Pull_PagesThroughAFlakyServer_PicksUpEditsAndDeletions_AndLogsEveryPull()
    {
        await using var kpi = await FakeKpi.StartAsync();
        var connection = await ConnectAsync(kpi);

        // Three submissions on two pages; the second page fails once with a 503 and is asked again.
        kpi.Pages = KpiPages.ThreeSubmissions;
        kpi.Failures[1] = new Queue<int>([503]);
        var first = await PullAsync(connection);
        Assert.True(first.Succeeded, first.Message);
        Assert.Equal((2, 3, 3, 0, 0), (first.Pages, first.Fetched, first.Imported, first.Updated, first.Withdrawn));
        Assert.Equal(2, kpi.Requests.Count(r => r.Path.Contains("start=2", StringComparison.Ordinal)));
        Assert.All(kpi.Requests, r => Assert.Equal("Token " + FakeKpi.Token, r.Authorization));
        var reports = await ReportsAsync();
        Assert.Equal(3, reports.Count);
        Assert.Equal(30, reports.Single(r => r.SourceUuid == KpiPages.Uuid1).Total);
        Assert.Equal(56, reports.Single(r => r.SourceUuid == KpiPages.Uuid2).Total);

        // The same pages again: nothing changes.
        var again = await PullAsync(connection);
        Assert.Equal((0, 0, 3, 0), (again.Imported, again.Updated, again.Unchanged, again.Withdrawn));

        // Edited on the server (new instance id, same root uuid) and one deleted: updated and withdrawn, never doubled.
        kpi.Pages = KpiPages.EditedAndDeleted;
        var edited = await PullAsync(connection);
        Assert.True(edited.Succeeded, edited.Message);
        Assert.Equal((2, 0, 1, 1, 1, 1), (edited.Fetched, edited.Imported, edited.Updated, edited.Unchanged, edited.Edited, edited.Withdrawn));
        reports = await ReportsAsync();
        Assert.Equal(3, reports.Count);
        Assert.Equal(14, reports.Single(r => r.SourceUuid == KpiPages.Uuid1).Women);
        var deleted = reports.Single(r => r.SourceUuid == KpiPages.Uuid3);
        Assert.NotNull(deleted.DeletedAt);

        // A 5xx that does not go away: the pull fails, changes nothing and says so in the log.
        var before = State(reports);
        kpi.Pages = KpiPages.ThreeSubmissions;
        kpi.Failures[1] = new Queue<int>([500, 502, 500, 500, 500]);
        var failed = await PullAsync(connection);
        Assert.False(failed.Succeeded);
        Assert.Contains("several times", failed.Message, StringComparison.Ordinal);
        Assert.Equal(before, State(await ReportsAsync()));

        // The deleted submission back on the server: its report comes back (the way back of a withdrawal).
        kpi.Failures.Clear();
        var back = await PullAsync(connection);
        Assert.True(back.Succeeded, back.Message);
        reports = await ReportsAsync();
        Assert.Null(reports.Single(r => r.SourceUuid == KpiPages.Uuid3).DeletedAt);
        Assert.Equal(3, reports.Count);

        await using var scope = app.Services.CreateAsyncScope();
        var logs = await scope.ServiceProvider.GetRequiredService<CloserDbContext>().KoboPullLogs.Where(l => l.ConnectionId == connection.Id).ToListAsync(Ct);
        Assert.Equal(5, logs.Count);
        Assert.Equal(1, logs.Count(l => !l.Succeeded));
        Assert.All(logs, l => Assert.DoesNotContain(FakeKpi.Token, l.Message ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pull_WithAWrongToken_OrAnInvalidSubmission_ChangesNothing_AndLogsWhy()
    {
        await using var kpi = await FakeKpi.StartAsync();
        kpi.Pages = KpiPages.Invalid;
        var wrong = await ConnectAsync(kpi, "not-the-token");
        var before = State(await ReportsAsync());
        var refused = await PullAsync(wrong);
        Assert.False(refused.Succeeded);
        Assert.Equal("The server refused the token: check it and the project's sharing.", refused.Message);
        Assert.Single(kpi.Requests); // a refusal is not retried

        var connection = await ConnectAsync(kpi);
        var invalid = await PullAsync(connection);
        Assert.False(invalid.Succeeded);
        Assert.Contains("'grp_reached/women': «-3» — Numbers may not be negative.", invalid.Message, StringComparison.Ordinal);
        Assert.Equal(before, State(await ReportsAsync()));
    }

    /// <summary>Everything a pull may write: the reports (with their versions), revisions, audit entries and the submissions seen.</summary>
    private async Task<string> EverythingAsync(KoboConnection connection)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var seen = await db.KoboSubmissions.AsNoTracking().Where(s => s.ConnectionId == connection.Id).OrderBy(s => s.Uuid).Select(s => s.Uuid + "@" + s.LastChange).ToListAsync(Ct);
        return string.Join("|", State(await ReportsAsync()), await db.ReportRevisions.CountAsync(Ct), await db.AuditEntries.CountAsync(Ct), string.Join(",", seen));
    }

    [Fact]
    public async Task Pull_WithInvalidSubmissionsAmongGoodOnes_StoresNothing_AndLogsEachBadSubmissionWithItsErrors()
    {
        await using var kpi = await FakeKpi.StartAsync();
        var connection = await ConnectAsync(kpi);
        kpi.Pages = KpiPages.ThreeSubmissions;
        Assert.True((await PullAsync(connection)).Succeeded);
        var before = await EverythingAsync(connection);

        // An edit, a deletion and a new submission that would all go in, and two bad submissions on later pages.
        kpi.Pages = KpiPages.EditedDeletedNewAndTwoInvalid;
        var refused = await PullAsync(connection);
        Assert.False(refused.Succeeded);
        Assert.Equal((3, 5, 0, 0, 0, 0, 0), (refused.Pages, refused.Fetched, refused.Imported, refused.Updated, refused.Unchanged, refused.Edited, refused.Withdrawn));
        Assert.Equal(before, await EverythingAsync(connection));
        var lines = refused.Message!.Split('\n');
        Assert.StartsWith("Nothing was stored: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith($"Submission 341870010 ({KpiPages.BadNegative}): ", StringComparison.Ordinal)
            && l.Contains("'grp_reached/women': «-3» — Numbers may not be negative.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"Submission 341870011 ({KpiPages.BadTotal}): ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(KpiPages.Uuid4, StringComparison.Ordinal) || l.Contains(KpiPages.Uuid2, StringComparison.Ordinal));

        // The bad submissions corrected on the server (gone here): the whole pull goes in.
        kpi.Pages = KpiPages.EditedDeletedAndNew;
        var good = await PullAsync(connection);
        Assert.True(good.Succeeded, good.Message);
        Assert.Equal((1, 1, 1, 1), (good.Imported, good.Updated, good.Unchanged, good.Withdrawn));
    }

    [Fact]
    public async Task Pull_WhoseWriteFailsHalfWay_LeavesNothingHalfStored_AndIsLogged()
    {
        await using var kpi = await FakeKpi.StartAsync();
        var connection = await ConnectAsync(kpi);
        kpi.Pages = KpiPages.ThreeSubmissions;
        Assert.True((await PullAsync(connection)).Succeeded);
        var before = await EverythingAsync(connection);

        // The database refuses the last write of the pull (recording the new submission), after the reports were written.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            if (db.Database.ProviderName!.Contains("Npgsql", StringComparison.Ordinal))
            {
                await db.Database.ExecuteSqlRawAsync($$"""
                    CREATE FUNCTION kobo_fault() RETURNS trigger AS $f$ BEGIN IF NEW."Uuid" = '{{KpiPages.Uuid4}}' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $f$ LANGUAGE plpgsql;
                    CREATE TRIGGER kobo_fault BEFORE INSERT ON "KoboSubmissions" FOR EACH ROW EXECUTE FUNCTION kobo_fault();
                    """, Ct);
            }
            else
            {
                await db.Database.ExecuteSqlRawAsync($"CREATE TRIGGER kobo_fault BEFORE INSERT ON KoboSubmissions WHEN NEW.Uuid = '{KpiPages.Uuid4}' BEGIN SELECT RAISE(ABORT, 'injected fault'); END;", Ct);
            }
        }
        kpi.Pages = KpiPages.EditedDeletedAndNew;
        var failed = await PullAsync(connection);
        Assert.False(failed.Succeeded);
        Assert.Equal("The pull failed and changed nothing; the administrators can see why in the server's log.", failed.Message);
        Assert.Equal(before, await EverythingAsync(connection));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            await db.Database.ExecuteSqlRawAsync(db.Database.ProviderName!.Contains("Npgsql", StringComparison.Ordinal)
                ? """DROP TRIGGER kobo_fault ON "KoboSubmissions"; DROP FUNCTION kobo_fault();""" : "DROP TRIGGER kobo_fault;", Ct);
            Assert.Equal(2, await db.KoboPullLogs.CountAsync(l => l.ConnectionId == connection.Id, Ct));
        }
        var again = await PullAsync(connection);
        Assert.True(again.Succeeded, again.Message);
        Assert.Equal((1, 1, 1, 1), (again.Imported, again.Updated, again.Unchanged, again.Withdrawn));
        Assert.Equal(4, (await ReportsAsync()).Count);
    }

    [Fact]
    public void ServerAddress_MustBeHttps_UnlessTestsAllowTheLoopback()
    {
        var production = new KoboOptions();
        Assert.True(KoboClient.Allowed("https://kf.kobotoolbox.org", production));
        Assert.False(KoboClient.Allowed("http://kf.kobotoolbox.org", production));
        Assert.False(KoboClient.Allowed("http://127.0.0.1:5000", production));
        Assert.False(KoboClient.Allowed("https://user:pw@kf.kobotoolbox.org", production));
        var tests = new KoboOptions { AllowHttpLoopback = true };
        Assert.True(KoboClient.Allowed("http://127.0.0.1:5000", tests));
        Assert.False(KoboClient.Allowed("http://10.0.0.5:5000", tests));
    }
}

/// <summary>The app with the pull allowed to reach the local fake over http and retrying quickly.</summary>
public sealed class KoboSqliteApp : SqliteAppBase
{
    protected override void AddSettings(Dictionary<string, string?> settings) => KoboSettings(settings);

    internal static void KoboSettings(Dictionary<string, string?> settings)
    {
        settings["Kobo:AllowHttpLoopback"] = "true";
        settings["Kobo:RetryDelay"] = "00:00:00.020";
        settings["Kobo:PageSize"] = "2";
        settings["Kobo:Worker"] = "false";
    }
}

public sealed class KoboPostgresApp : PostgresApp
{
    protected override void AddSettings(Dictionary<string, string?> settings) => KoboSqliteApp.KoboSettings(settings);
}

public sealed class KoboPullSqlite(KoboSqliteApp app) : KoboPullSuite<KoboSqliteApp>(app);
public sealed class KoboPullPostgres(KoboPostgresApp app) : KoboPullSuite<KoboPostgresApp>(app);
