using System.Net;
using System.Text;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Coordination;

/// <summary>The coordination pages of the back office, driven as a browser without JavaScript would (plain form posts).</summary>
public abstract class CoordinationPagesSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string M => ReportsSuite<TApp>.ThisMonth;

    private async Task<List<ActivityReport>> ReportsAsync(string org, string month)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        return await db.ActivityReports.AsNoTracking().Where(r => r.Organisation!.Acronym == org && r.Month == month && r.DeletedAt == null).ToListAsync(Ct);
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string tokenPage, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(client, tokenPage);
        return await client.PostAsync(path, new FormUrlEncodedContent(fields), Ct);
    }

    [Fact]
    public async Task ReportingPage_AddsADraft_SavesTheGrid_AndSubmits_WithoutJavaScript()
    {
        var client = await app.SignedInClientAsync(R.FocalPoint, "SERENA", "CHL");
        var page = $"/admin/reporting?month={M}";
        Assert.Contains("SERENA", await client.GetStringAsync(page, Ct), StringComparison.Ordinal);

        var added = await PostFormAsync(client, $"/admin/reporting?handler=Save&month={M}", page, new()
        {
            ["New.Country"] = "CHL", ["New.Admin1"] = "CL13", ["New.Indicator"] = "INT-01", ["New.Group"] = "destination",
            ["New.Girls"] = "1", ["New.Boys"] = "2", ["New.Women"] = "30", ["New.Men"] = "25",
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var report = Assert.Single(await ReportsAsync("SERENA", M));
        Assert.Equal((58L, ReportStatus.Draft), (report.Total, report.Status));

        var saved = await PostFormAsync(client, $"/admin/reporting?handler=Submit&month={M}", page, new()
        {
            ["Rows[0].Id"] = report.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Rows[0].Girls"] = "4", ["Rows[0].Boys"] = "2", ["Rows[0].Women"] = "30", ["Rows[0].Men"] = "25",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        report = Assert.Single(await ReportsAsync("SERENA", M));
        Assert.Equal((61L, ReportStatus.Submitted), (report.Total, report.Status));
    }

    [Fact]
    public async Task ReportingPage_InvalidRow_ShowsTheErrorAndSavesNothing()
    {
        var client = await app.SignedInClientAsync(R.FocalPoint, "UNIMIG", "CHL");
        var page = $"/admin/reporting?month={M}";
        var response = await PostFormAsync(client, $"/admin/reporting?handler=Save&month={M}&lang=es", page, new()
        {
            ["New.Country"] = "CHL", ["New.Admin1"] = "CO11", ["New.Indicator"] = "INT-01", ["New.Group"] = "destination", ["New.Girls"] = "1",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Esta área admin1 no está en el país.", html, StringComparison.Ordinal);
        Assert.Empty(await ReportsAsync("UNIMIG", M));
    }

    [Fact]
    public async Task ReportingPage_Upload_ImportsAValidFile_AndListsErrorsOfAnInvalidOne()
    {
        var client = await app.SignedInClientAsync(R.FocalPoint, "VENUNI", "PER");
        var page = $"/admin/reporting?month={M}";
        async Task<string> UploadAsync(string csv)
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(await AppFixture.AntiforgeryTokenAsync(client, page)), "__RequestVerificationToken" },
                { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "5w.csv" },
            };
            var response = await client.PostAsync($"/admin/reporting?handler=Import&month={M}", form, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync(Ct);
        }
        const string header = "org,country,admin1,indicator,month,group,girls,boys,women,men";
        var bad = await UploadAsync($"{header}\nVENUNI,PER,PE15,EDU-01,{M},destination,1,1,x,1\n");
        Assert.Contains("Row 2", bad, StringComparison.Ordinal);
        Assert.Empty(await ReportsAsync("VENUNI", M));
        var good = await UploadAsync($"{header}\nVENUNI,PER,PE15,EDU-01,{M},destination,1,1,1,1\nVENUNI,PER,PE14,EDU-01,{M},destination,1,1,1,1\n");
        Assert.Contains("Imported 2 new rows and 0 changed rows.", good, StringComparison.Ordinal);
        Assert.Equal(2, (await ReportsAsync("VENUNI", M)).Count);
    }

    [Fact]
    public async Task ReviewQueue_BulkValidatesTheSelection_ForTheCountrysCoordinator()
    {
        var admin = await ReportsSuite<TApp>.ApiAsAsync(app, R.Admin);
        var ids = new List<int>();
        foreach (var pcode in new[] { "EC09", "EC17" })
        {
            var created = await admin.PostAsJsonAsync("/api/v1/reports", new
            {
                org = "ACOGIDA", country = "ECU", admin1 = pcode, indicator = "PRO-01", month = M, populationGroup = "transit", girls = 1, boys = 1, women = 1, men = 1,
            }, Ct);
            var dto = (await created.Content.ReadFromJsonAsync<ReportDto>(Ct))!;
            await admin.PostAsync($"/api/v1/reports/{dto.Id}/submit", null, Ct);
            ids.Add(dto.Id);
        }
        var coordinator = await app.SignedInClientAsync(R.Coordinator, null, "ECU");
        var queue = await coordinator.GetStringAsync($"/admin/review?month={M}", Ct);
        Assert.Contains($"value=\"{ids[0]}\"", queue, StringComparison.Ordinal);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("ids", ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("ids", ids[1].ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("action", "validate"),
            new("__RequestVerificationToken", await AppFixture.AntiforgeryTokenAsync(coordinator, "/admin/review")),
        };
        var response = await coordinator.PostAsync($"/admin/review?month={M}", new FormUrlEncodedContent(fields), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.All(await ReportsAsync("ACOGIDA", M), r => Assert.Equal(ReportStatus.Validated, r.Status));

        var outsider = await app.SignedInClientAsync(R.Coordinator, null, "BRA");
        Assert.DoesNotContain($"value=\"{ids[0]}\"", await outsider.GetStringAsync($"/admin/review?month={M}", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusBoard_ShowsWhoHasNotReported_ToCoordinatorsOnly()
    {
        var coordinator = await app.SignedInClientAsync(R.Coordinator, null, "CUW");
        var html = await coordinator.GetStringAsync($"/admin/status?month={M}", Ct);
        Assert.Contains("KARIBE", html, StringComparison.Ordinal);
        Assert.Contains("Not reported", html, StringComparison.Ordinal);
        Assert.DoesNotContain("ABRIGO", html, StringComparison.Ordinal);
        var focal = await app.SignedInClientAsync(R.FocalPoint, "KARIBE", "CUW");
        var denied = await focal.GetAsync("/admin/status", Ct);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/account/denied", denied.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountryPage_ShowsFiguresWithSource_AndItsCoordinatorLocksAMonth()
    {
        var coordinator = await app.SignedInClientAsync(R.Coordinator, null, "BRA");
        var html = await coordinator.GetStringAsync("/admin/countries/BRA?lang=pt", Ct);
        Assert.Contains("261.441", html, StringComparison.Ordinal);
        Assert.Contains("R4V via La República 2021-11-25", html, StringComparison.Ordinal);
        Assert.Contains("BR14", html, StringComparison.Ordinal);
        var month = TimeProvider.System.GetUtcNow().AddMonths(-4).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var locked = await PostFormAsync(coordinator, "/admin/countries/BRA?handler=Lock", "/admin/countries/BRA", new() { ["month"] = month, ["locked"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<CloserDbContext>().PeriodLocks.AnyAsync(l => l.CountryIso3 == "BRA" && l.Month == month, Ct));
        }
        var other = await app.SignedInClientAsync(R.Coordinator, null, "PER");
        var refused = await PostFormAsync(other, "/admin/countries/BRA?handler=Lock", "/admin/review", new() { ["month"] = month, ["locked"] = "false" });
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/account/denied", refused.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditPage_FiltersEntries_AndIsClosedToViewers()
    {
        var admin = await ReportsSuite<TApp>.ApiAsAsync(app, R.Admin);
        await admin.PostAsync("/api/v1/periods/PRY/2020-05/lock", null, Ct);
        var browser = await app.SignedInClientAsync(R.Admin);
        var html = await browser.GetStringAsync("/admin/audit?entityType=period&country=PRY", Ct);
        Assert.Contains("PRY|2020-05", html, StringComparison.Ordinal);
        Assert.Contains("locked: no → yes", html, StringComparison.Ordinal);
        var viewer = await app.SignedInClientAsync(R.Viewer);
        Assert.Equal(HttpStatusCode.Redirect, (await viewer.GetAsync("/admin/audit", Ct)).StatusCode);
    }

    [Fact]
    public async Task AuditLog_OffersEveryKindItWrites_NamedInTheReadersLanguage()
    {
        var admin = await ReportsSuite<TApp>.ApiAsAsync(app, R.Admin);
        await admin.PostAsync("/api/v1/periods/PRY/2020-06/lock", null, Ct);
        var browser = await app.SignedInClientAsync(R.Admin);
        var html = await browser.GetStringAsync("/admin/audit?entityType=period&country=PRY&lang=es", Ct);
        // Kinds written by user administration, organisations and funding are offered, not only reports.
        Assert.Contains("<option value=\"user\">Cuenta de usuario</option>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"organisation\">", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"deactivate\">Desactivación</option>", html, StringComparison.Ordinal);
        // The table names the action and the kind, not their codes.
        Assert.Contains("<td>Bloqueo del mes</td><td>Bloqueo del mes de reporte</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrganisationDirectory_ListsCountriesOfOperation_AndFiltersByCountry()
    {
        var client = await app.SignedInClientAsync(R.Viewer);
        var html = await client.GetStringAsync("/admin/organisations?country=BRA", Ct);
        Assert.Contains("ABRIGO", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">SERENA<", html, StringComparison.Ordinal);
        Assert.Contains("COL, ECU, PER", await client.GetStringAsync("/admin/organisations", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountriesPage_ListsAllSeventeen_InTheRequestedLanguage()
    {
        var client = await app.SignedInClientAsync(R.Viewer);
        var html = await client.GetStringAsync("/admin/countries?lang=pap", Ct);
        Assert.Contains("Kòrsou", html, StringComparison.Ordinal);
        Assert.Contains("2.860.000", html, StringComparison.Ordinal);
        Assert.Equal(17, html.Split("href=\"/admin/countries/", StringSplitOptions.None).Length - 1);
    }
}

public sealed class CoordinationPagesSqlite(SqliteApp app) : CoordinationPagesSuite<SqliteApp>(app);
public sealed class CoordinationPagesPostgres(PostgresApp app) : CoordinationPagesSuite<PostgresApp>(app);
