using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Coordination;

/// <summary>
/// The app with the background worker off (the tests run the job runner themselves, so every step is seen) and a
/// small threshold, so a few dozen rows make a "big" upload.
/// </summary>
public sealed class ImportJobsSqliteApp : SqliteAppBase
{
    protected override void AddSettings(Dictionary<string, string?> settings) => ImportJobsSettings.Add(settings);
}

public sealed class ImportJobsPostgresApp : PostgresApp
{
    protected override void AddSettings(Dictionary<string, string?> settings) => ImportJobsSettings.Add(settings);
}

internal static class ImportJobsSettings
{
    public static void Add(Dictionary<string, string?> settings)
    {
        settings["Imports:Worker"] = "false";
        settings["Imports:BackgroundAboveBytes"] = "1000";
        settings["RateLimits:ImportsPerMinute"] = "1000";
    }
}

/// <summary>Big uploads as background jobs: accepted, progress, completion, errors, claims, interruptions.</summary>
public abstract class ImportJobsSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string M => ReportsSuite<TApp>.ThisMonth;
    private const string Header = "org,country,admin1,indicator,month,group,girls,boys,women,men";
    private static readonly string[] Indicators = ["EDU-01", "EDU-02", "HEA-01", "HEA-02"];

    /// <summary>20 valid CAMPO rows per admin1 area (4 indicators × 5 population groups).</summary>
    private static List<string> Rows(params string[] admin1) =>
        (from a in admin1 from i in Indicators from g in PopulationGroups.All select $"CAMPO,COL,{a},{i},{M},{g},1,2,3,4").ToList();

    private static byte[] Csv(IEnumerable<string> rows) => Encoding.UTF8.GetBytes(string.Join("\n", rows.Prepend(Header)) + "\n");

    private ImportJobRunner Runner => app.Services.GetRequiredService<ImportJobRunner>();

    private async Task<T> DbAsync<T>(Func<CloserDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CloserDbContext>());
    }

    private Task<int> CountAsync(string admin1) =>
        DbAsync(db => db.ActivityReports.CountAsync(r => r.Admin1PCode == admin1 && r.Month == M, Ct));

    private static async Task<long> PostJobAsync(HttpClient client, byte[] content)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", "big.csv" } };
        var response = await client.PostAsync("/api/v1/imports", form, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("queued", doc.RootElement.GetProperty("status").GetString());
        var id = doc.RootElement.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/imports/{id}", response.Headers.Location?.OriginalString);
        return id;
    }

    [Fact]
    public async Task BigUpload_OnTheReportingPage_BecomesAJob_WhosePageShowsProgress_ThenTheCounts()
    {
        var client = await app.SignedInClientAsync(R.FocalPoint, "CAMPO", "COL");
        var page = $"/admin/reporting?month={M}";
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await AppFixture.AntiforgeryTokenAsync(client, page)), "__RequestVerificationToken" },
            { new ByteArrayContent(Csv(Rows("CO05", "CO08"))), "file", "5w.csv" },
        };
        var response = await client.PostAsync($"/admin/reporting?handler=Import&month={M}", form, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        var status = response.Headers.Location!.OriginalString;
        Assert.Matches("^/admin/imports/[0-9]+$", status);
        var id = long.Parse(status.Split('/')[^1], CultureInfo.InvariantCulture);

        // Accepted, not yet imported: the page waits and refreshes itself.
        var queued = await client.GetStringAsync(status, Ct);
        Assert.Contains("<meta http-equiv=\"refresh\"", queued, StringComparison.Ordinal);
        Assert.Contains("<progress", queued, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("CO05"));

        // While a worker reads the file, the page shows how far it got.
        await DbAsync(db => db.ImportJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ImportJobStatus.Running)
            .SetProperty(j => j.ProcessedRows, 17).SetProperty(j => j.ClaimedUntil, TimeProvider.System.GetUtcNow().AddMinutes(5)), Ct));
        var running = await client.GetStringAsync(status, Ct);
        Assert.Contains("Checking rows: 17 of about 40.", running, StringComparison.Ordinal);
        Assert.Contains("max=\"40\" value=\"17\"", running, StringComparison.Ordinal);
        await DbAsync(db => db.ImportJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ImportJobStatus.Queued)
            .SetProperty(j => j.ClaimedUntil, (DateTimeOffset?)null), Ct));

        Assert.Equal(1, await Runner.RunDueAsync(Ct));
        var done = await client.GetStringAsync(status, Ct);
        Assert.Contains("Imported 40 new rows and 0 changed rows.", done, StringComparison.Ordinal);
        Assert.DoesNotContain("http-equiv=\"refresh\"", done, StringComparison.Ordinal);
        Assert.Equal(20, await CountAsync("CO05"));
        Assert.Null(await DbAsync(db => db.ImportJobs.Where(j => j.Id == id).Select(j => j.Content).FirstAsync(Ct)));

        // Someone else's import does not exist for them.
        var other = await app.SignedInClientAsync(R.FocalPoint, "CAMPO", "COL");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(status, Ct)).StatusCode);
    }

    [Fact]
    public async Task FailingFile_InAJob_ListsEveryRowError_OnItsPageAndInTheApi_AndStoresNothing()
    {
        var client = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        var rows = Rows("CO11");
        rows[2] = rows[2].Replace(",1,2,3,4", ",1,x,3,4", StringComparison.Ordinal);
        rows[9] = rows[9].Replace("EDU-", "NOPE-", StringComparison.Ordinal);
        var id = await PostJobAsync(client, Csv(rows));
        Assert.Equal(1, await Runner.RunDueAsync(Ct));

        var job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}", Ct);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        var errors = job.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString())).ToList();
        Assert.Equal([(4, "boys"), (11, "indicator")], errors);
        Assert.Equal(0, await CountAsync("CO11"));

        var admin = await app.SignedInClientAsync(R.Admin);
        var html = await admin.GetStringAsync($"/admin/imports/{id}", Ct);
        Assert.Contains("Nothing was imported.", html, StringComparison.Ordinal);
        Assert.Contains("Row 4", html, StringComparison.Ordinal);
        Assert.Contains("Row 11", html, StringComparison.Ordinal);

        var stranger = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/imports/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task AJob_GivesTheSameOutlierHints_AsTheSynchronousImport_InTheApiAndOnItsPage_InTheUploadersLanguage()
    {
        var client = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        var population = await DbAsync(db => db.PopulationFigures.Where(p => p.CountryIso3 == "COL").MaxAsync(p => p.RefugeesAndMigrants, Ct));
        // 20 ordinary rows and one above the country's refugee and migrant population (the hint's third reason).
        var rows = Rows("CO20");
        rows.Add($"CAMPO,COL,CO23,EDU-01,{M},destination,{(population + 1000).ToString(CultureInfo.InvariantCulture)},0,0,0");
        var file = Csv(rows);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "big.csv" } };
        var accepted = await client.PostAsync("/api/v1/imports?lang=es", form, Ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        Assert.Equal(1, await Runner.RunDueAsync(Ct));

        var job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}", Ct);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(21, job.GetProperty("imported").GetInt32());
        // Beside row 22 only (above the population, and above the year's target where the plan has one).
        var warnings = job.GetProperty("warnings").EnumerateArray().Select(w => (Row: w.GetProperty("row").GetInt32(), Message: w.GetProperty("message").GetString()!)).ToList();
        Assert.Equal(warnings.Count, job.GetProperty("warningCount").GetInt32());
        Assert.All(warnings, w => Assert.Equal(22, w.Row));
        // Named as the synchronous import names it, in the uploader's language (the job kept it); the file has no Total column.
        Assert.All(warnings, w => Assert.StartsWith("Fila 22: ", w.Message, StringComparison.Ordinal));
        Assert.Single(warnings, w => w.Message.Contains("población refugiada y migrante", StringComparison.Ordinal));
        // Warnings, not errors: every row is stored.
        Assert.Equal(20, await CountAsync("CO20"));
        Assert.Equal(1, await CountAsync("CO23"));

        // The same file through the synchronous import (now all unchanged) gives the same warnings.
        using var again = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "big.csv" } };
        var sync = await client.PostAsync("/api/v1/reports/import?lang=es", again, Ct);
        var body = await sync.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(sync.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(21, body.GetProperty("unchanged").GetInt32());
        Assert.Equal(warnings.Count, body.GetProperty("warningCount").GetInt32());
        Assert.Equal(warnings, body.GetProperty("warnings").EnumerateArray().Select(w => (w.GetProperty("row").GetInt32(), w.GetProperty("message").GetString()!)));

        // The job's page lists it beside the counts (as written for the uploader).
        var html = await (await app.SignedInClientAsync(R.Admin)).GetStringAsync($"/admin/imports/{id}", Ct);
        Assert.Contains("id=\"import-hints\"", html, StringComparison.Ordinal);
        Assert.Contains("data-row=\"22\"", html, StringComparison.Ordinal);
        Assert.Contains("refugiada y migrante", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJob_IsClaimedOnce_WhenTwoWorkersRace_AndALostClaimStoresNothing()
    {
        var client = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        var id = await PostJobAsync(client, Csv(Rows("CO13")));
        var claims = await Task.WhenAll(Runner.ClaimAsync(Ct), Runner.ClaimAsync(Ct));
        var winner = Assert.Single(claims, c => c is not null);
        Assert.Equal(id, winner!.Value.Id);
        Assert.Null(await Runner.ClaimAsync(Ct));

        // The first worker stalls past its lease; a second takes the job over. The first can no longer store anything.
        await DbAsync(db => db.ImportJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.ClaimedUntil, TimeProvider.System.GetUtcNow().AddMinutes(-1)), Ct));
        var second = await Runner.ClaimAsync(Ct);
        Assert.Equal(id, second!.Value.Id);
        await Runner.RunAsync(winner.Value.Id, winner.Value.Token, Ct);
        Assert.Equal(0, await CountAsync("CO13"));
        await Runner.RunAsync(second.Value.Id, second.Value.Token, Ct);
        Assert.Equal(20, await CountAsync("CO13"));
        var job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}", Ct);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(20, job.GetProperty("imported").GetInt32());
    }

    [Fact]
    public async Task InterruptedJob_IsShownAsSuch_AndStartsAgain_UntilTooManyAttemptsMarkItFailed()
    {
        var client = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        var id = await PostJobAsync(client, Csv(Rows("CO15")));
        // A node claims the job and dies: its lease runs out.
        Assert.NotNull(await Runner.ClaimAsync(Ct));
        await DbAsync(db => db.ImportJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.ClaimedUntil, TimeProvider.System.GetUtcNow().AddSeconds(-1)), Ct));
        var job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}", Ct);
        Assert.True(job.GetProperty("interrupted").GetBoolean());
        Assert.Equal(0, await CountAsync("CO15"));
        Assert.Equal(1, await Runner.RunDueAsync(Ct));
        Assert.Equal(20, await CountAsync("CO15"));

        var stuck = await PostJobAsync(client, Csv(Rows("CO17")));
        await DbAsync(db => db.ImportJobs.Where(j => j.Id == stuck).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ImportJobStatus.Running)
            .SetProperty(j => j.Attempts, 3).SetProperty(j => j.ClaimedUntil, TimeProvider.System.GetUtcNow().AddSeconds(-1)), Ct));
        Assert.Equal(1, await Runner.RunDueAsync(Ct));
        job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{stuck}", Ct);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("import-interrupted", job.GetProperty("code").GetString());
        Assert.Equal(0, await CountAsync("CO17"));
    }

    [Fact]
    public async Task XlsxJob_IsReadInTheBackground_WithoutAKnownRowCount()
    {
        var client = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        // Figures as numbers, as a spreadsheet program saves them.
        var rows = Rows("CO19").Select(l => (IReadOnlyList<object?>)[.. l.Split(',').Select(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (object?)v)]).ToList();
        var columns = new[] { "org", "country", "admin1", "indicator", "month", "group", "girls", "boys", "women", "men" }
            .Select(k => ReportColumns.Import.Single(c => c.Key == k)).ToList();
        var id = await PostJobAsync(client, TabularXlsx.Write(columns, "es", rows, "reports"));
        Assert.Equal(1, await Runner.RunDueAsync(Ct));
        var job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}", Ct);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("totalRows").ValueKind);
        Assert.Equal(20, job.GetProperty("imported").GetInt32());
        Assert.Equal(20, await CountAsync("CO19"));
    }

    [Fact]
    public async Task JobsApi_RefusesWhatTheUploadGuardRefuses_AndStoresNoJob()
    {
        var client = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        var before = await DbAsync(db => db.ImportJobs.CountAsync(Ct));
        using var pdf = new MultipartFormDataContent { { new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj")), "file", "x.pdf" } };
        var response = await client.PostAsync("/api/v1/imports", pdf, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unsupported-file-type", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var empty = new MultipartFormDataContent { { new ByteArrayContent([]), "file", "x.csv" } };
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostAsync("/api/v1/imports", empty, Ct)).StatusCode);
        var viewer = await app.ApiClientAsync(R.Viewer);
        using var csv = new MultipartFormDataContent { { new ByteArrayContent(Csv(Rows("CO18"))), "file", "x.csv" } };
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/v1/imports", csv, Ct)).StatusCode);
        Assert.Equal(before, await DbAsync(db => db.ImportJobs.CountAsync(Ct)));
    }
}

public sealed class ImportJobsSqlite(ImportJobsSqliteApp app) : ImportJobsSuite<ImportJobsSqliteApp>(app);
public sealed class ImportJobsPostgres(ImportJobsPostgresApp app) : ImportJobsSuite<ImportJobsPostgresApp>(app);
