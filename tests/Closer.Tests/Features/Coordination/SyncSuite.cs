using System.Net;
using System.Text.Json;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Coordination;

/// <summary>
/// <c>POST /api/v1/reports/sync</c>, the offline form's sync: idempotent by device id, one answer per row, the import's
/// errors, conflicts with the server's version, and who may call it.
/// </summary>
public abstract class SyncSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static int _slot;
    private static readonly string[] PCodes = ["CO05", "CO08", "CO11", "CO13", "CO15", "CO17", "CO18", "CO19", "CO20", "CO23", "CO25"];

    /// <summary>
    /// A month of its own for each test (the suite's app is shared by its tests), with a reporting period and no demo
    /// reports: 2020's, and last year's before the demo's twelve months.
    /// </summary>
    private static string NextMonth()
    {
        var now = TimeProvider.System.GetUtcNow();
        var demoFrom = new DateOnly(now.Year, now.Month, 1).AddMonths(-12);
        var free = Enumerable.Range(0, 12).Select(m => new DateOnly(2020, 1, 1).AddMonths(m))
            .Concat(Enumerable.Range(0, 12).Select(m => new DateOnly(now.Year - 1, 1, 1).AddMonths(m)).Where(d => d < demoFrom)).ToList();
        return free[Interlocked.Increment(ref _slot) % free.Count].ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static object Row(string month, string admin1, long girls = 1, int? baseVersion = null, int? id = null, string? deviceId = null,
        string indicator = "HEA-01", string org = "FPUENTE", string group = "destination") => new
        {
            deviceId = deviceId ?? Guid.CreateVersion7().ToString(), baseVersion, id,
            report = new { org, country = "COL", admin1, indicator, month, populationGroup = group, girls, boys = 2, women = 3, men = 4 },
        };

    private static Task<List<SyncAnswer>> SyncAsync(HttpClient client, params object[] rows) => SyncAsync(client, "", rows);

    private static async Task<List<SyncAnswer>> SyncAsync(HttpClient client, string query, params object[] rows)
    {
        var response = await client.PostAsJsonAsync("/api/v1/reports/sync" + query, new { rows }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SyncResult>(Ct))!.Rows.ToList();
    }

    private async Task<int> CountAsync(string month)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        return await db.ActivityReports.CountAsync(r => r.Month == month && r.CountryIso3 == "COL", Ct);
    }

    [Fact]
    public async Task Sync_SameBatchTwice_StoresEachReportOnce()
    {
        var fp = await app.ApiClientAsync(R.FocalPoint, "FPUENTE", "COL");
        var month = NextMonth();
        var rows = PCodes.Take(3).Select(p => Row(month, p)).ToArray();

        var first = await SyncAsync(fp, rows);
        Assert.All(first, a => Assert.Equal("stored", a.Result));
        Assert.Equal(3, first.Select(a => a.Id).Distinct().Count());
        // The answer was lost: the device sends the same batch again.
        var second = await SyncAsync(fp, rows);
        Assert.All(second, a => Assert.Equal("unchanged", a.Result));
        Assert.Equal(first.Select(a => a.Id), second.Select(a => a.Id));
        Assert.Equal(3, await CountAsync(month));
    }

    [Fact]
    public async Task Sync_DraftChangedOnDeviceAfterAStoredRow_UpdatesUntilTheServerChangesIt()
    {
        var fp = await app.ApiClientAsync(R.FocalPoint, "FPUENTE", "COL");
        var month = NextMonth();
        var device = Guid.CreateVersion7().ToString();
        var stored = Assert.Single(await SyncAsync(fp, Row(month, "CO05", girls: 1, deviceId: device)));
        Assert.Equal(("stored", 1), (stored.Result, stored.Version));

        // The answer was lost and the person changed the draft: still the version its creation made, so it updates.
        var updated = Assert.Single(await SyncAsync(fp, Row(month, "CO05", girls: 5, deviceId: device)));
        Assert.Equal(("updated", 2, stored.Id), (updated.Result, updated.Version, updated.Id));

        // Now the server's report is version 2: a row still based on nothing newer is a conflict, not an overwrite.
        var conflict = Assert.Single(await SyncAsync(fp, Row(month, "CO05", girls: 9, deviceId: device)));
        Assert.Equal(("conflict", "changed"), (conflict.Result, conflict.Conflict));
        Assert.Equal(5, conflict.Server!.Girls);
        // Keeping mine: sent again on the server's version.
        var kept = Assert.Single(await SyncAsync(fp, Row(month, "CO05", girls: 9, deviceId: device, baseVersion: 2)));
        Assert.Equal(("updated", 3), (kept.Result, kept.Version));
        Assert.Equal(1, await CountAsync(month));
    }

    [Fact]
    public async Task Sync_ReportEditedOrReturnedOnTheServer_IsAConflictShowingTheServerVersion()
    {
        var admin = await app.ApiClientAsync(R.Admin);
        var fp = await app.ApiClientAsync(R.FocalPoint, "FPUENTE", "COL");
        var month = NextMonth();
        var created = await admin.PostAsJsonAsync("/api/v1/reports", new
        {
            org = "FPUENTE", country = "COL", admin1 = "CO08", indicator = "HEA-01", month,
            populationGroup = "destination", girls = 1, boys = 2, women = 3, men = 4
        }, Ct);
        var report = (await created.Content.ReadFromJsonAsync<ReportDto>(Ct))!;
        // The device took version 1 offline; meanwhile it is submitted and returned with a reason.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/reports/{report.Id}/submit", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/reports/{report.Id}/return", new { reason = "check the girls" }, Ct)).StatusCode);

        var answer = Assert.Single(await SyncAsync(fp, Row(month, "CO08", girls: 7, baseVersion: 1, id: report.Id)));
        Assert.Equal(("conflict", "changed", report.Id), (answer.Result, answer.Conflict, answer.Id));
        Assert.Equal(("Returned", "check the girls", 1L), (answer.Server!.Status, answer.Server.ReturnReason, answer.Server.Girls));
        var unchanged = await (await admin.GetAsync($"/api/v1/reports/{report.Id}", Ct)).Content.ReadFromJsonAsync<ReportDto>(Ct);
        Assert.Equal((1L, 3), (unchanged!.Girls, unchanged.Version));

        var kept = Assert.Single(await SyncAsync(fp, Row(month, "CO08", girls: 7, baseVersion: 3, id: report.Id)));
        Assert.Equal("updated", kept.Result);
        var after = await (await admin.GetAsync($"/api/v1/reports/{report.Id}", Ct)).Content.ReadFromJsonAsync<ReportDto>(Ct);
        Assert.Equal((7L, "Draft"), (after!.Girls, after.Status));
    }

    [Fact]
    public async Task Sync_InvalidRow_IsRefusedWithTheImportsErrors_AndTheOthersAreStored()
    {
        var fp = await app.ApiClientAsync(R.FocalPoint, "FPUENTE", "COL");
        var month = NextMonth();
        var answers = await SyncAsync(fp, "?lang=es", Row(month, "CO11"), Row(month, "CO13", indicator: "NOPE-99"), Row(month, "CO15", org: "CAMPO"),
            new { deviceId = "not-a-uuid", report = new { org = "FPUENTE", country = "COL", admin1 = "CO17", indicator = "HEA-01", month, populationGroup = "host" } });

        Assert.Equal(["stored", "refused", "refused", "refused"], answers.Select(a => a.Result));
        Assert.Contains(answers[1].Errors!, e => e.Column == "indicator" && e.Message == "Indicador desconocido: indique su código o su nombre.");
        Assert.Contains(answers[2].Errors!, e => e.Column == "org" && e.Message.Length > 0);
        Assert.Contains(answers[3].Errors!, e => e.Column == "deviceId");
        Assert.Equal(1, await CountAsync(month));
    }

    [Fact]
    public async Task Sync_LockedMonth_ChangedReportIsAConflict_NewReportIsRefused()
    {
        var admin = await app.ApiClientAsync(R.Admin);
        var fp = await app.ApiClientAsync(R.FocalPoint, "FPUENTE", "COL");
        var month = NextMonth();
        var device = Guid.CreateVersion7().ToString();
        Assert.Equal("stored", Assert.Single(await SyncAsync(fp, Row(month, "CO18", deviceId: device))).Result);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/periods/COL/{month}/lock", null, Ct)).StatusCode);
        try
        {
            var locked = Assert.Single(await SyncAsync(fp, Row(month, "CO18", girls: 8, deviceId: device)));
            Assert.Equal(("conflict", "locked"), (locked.Result, locked.Conflict));
            Assert.Equal(1, locked.Server!.Girls);
            var fresh = Assert.Single(await SyncAsync(fp, Row(month, "CO19")));
            Assert.Equal("refused", fresh.Result);
            Assert.Contains(fresh.Errors!, e => e.Column == "month" && e.Message == "This month is locked for this country.");
        }
        finally
        {
            await admin.PostAsJsonAsync($"/api/v1/periods/COL/{month}/unlock", new { reason = "test over" }, Ct);
        }
    }

    [Fact]
    public async Task Sync_DeviceIdIsUniquePerOrganisation_AnotherOrganisationNeverReachesTheReport()
    {
        var puente = await app.ApiClientAsync(R.FocalPoint, "FPUENTE", "COL");
        var campo = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        var month = NextMonth();
        var device = Guid.CreateVersion7().ToString();
        var mine = Assert.Single(await SyncAsync(puente, Row(month, "CO20", girls: 1, deviceId: device)));
        // The same device id from another organisation is its own report; FPUENTE's is neither changed nor shown.
        var theirs = Assert.Single(await SyncAsync(campo, Row(month, "CO20", girls: 40, deviceId: device, org: "CAMPO")));
        Assert.Equal("stored", theirs.Result);
        Assert.NotEqual(mine.Id, theirs.Id);
        Assert.Null(theirs.Server);
        var id = Assert.Single(await SyncAsync(campo, Row(month, "CO20", girls: 41, baseVersion: 1, id: mine.Id, org: "CAMPO")));
        // Its own report of that key changes; FPUENTE's id means nothing to it.
        Assert.Equal(("updated", theirs.Id), (id.Result, id.Id));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        Assert.Equal(1, (await db.ActivityReports.SingleAsync(r => r.Id == mine.Id!.Value, Ct)).Girls);
    }

    public static TheoryData<string, string?, HttpStatusCode> Callers => new()
    {
        { R.Admin, null, HttpStatusCode.OK },
        { R.FocalPoint, "FPUENTE", HttpStatusCode.OK },
        { R.Coordinator, null, HttpStatusCode.Forbidden },
        { R.Viewer, "FPUENTE", HttpStatusCode.Forbidden },
        { R.Editor, null, HttpStatusCode.Forbidden },
        { R.Translator, null, HttpStatusCode.Forbidden },
        { Roles.Moderator, null, HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task SyncEndpoint_OnlyFocalPointsAndAdministratorsWrite(string role, string? org, HttpStatusCode expected)
    {
        var client = await app.ApiClientAsync(role, org, "COL");
        var month = NextMonth();
        var response = await client.PostAsJsonAsync("/api/v1/reports/sync", new { rows = new[] { Row(month, "CO23", group: "host") } }, Ct);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/reports/sync/token", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client().PostAsJsonAsync("/api/v1/reports/sync", new { rows = Array.Empty<object>() }, Ct)).StatusCode);
    }

    [Fact]
    public async Task SyncWithTheSignInCookie_NeedsTheAntiforgeryToken()
    {
        var fp = await app.SignedInClientAsync(R.FocalPoint, "FPUENTE", "COL");
        var month = NextMonth();
        var body = new { rows = new[] { Row(month, "CO25", group: "transit") } };
        Assert.Equal(HttpStatusCode.BadRequest, (await fp.PostAsJsonAsync("/api/v1/reports/sync", body, Ct)).StatusCode);
        Assert.Equal(0, await CountAsync(month));

        var token = JsonDocument.Parse(await fp.GetStringAsync("/api/v1/reports/sync/token", Ct)).RootElement.GetProperty("token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reports/sync") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-CSRF-TOKEN", token);
        Assert.Equal(HttpStatusCode.OK, (await fp.SendAsync(request, Ct)).StatusCode);
        Assert.Equal(1, await CountAsync(month));
    }

    [Fact]
    public async Task Sync_TooManyRows_IsRefusedWhole()
    {
        var fp = await app.ApiClientAsync(R.FocalPoint, "FPUENTE", "COL");
        var rows = Enumerable.Range(0, SyncReportsCommand.MaxRows + 1).Select(_ => Row(NextMonth(), "CO05")).ToArray();
        Assert.Equal(HttpStatusCode.BadRequest, (await fp.PostAsJsonAsync("/api/v1/reports/sync", new { rows }, Ct)).StatusCode);
    }
}

public sealed class SyncSqlite(SqliteApp app) : SyncSuite<SqliteApp>(app);
public sealed class SyncPostgres(PostgresApp app) : SyncSuite<PostgresApp>(app);
