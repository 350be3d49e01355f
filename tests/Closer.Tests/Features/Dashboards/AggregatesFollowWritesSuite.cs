using System.Globalization;
using System.Net;
using System.Text;
using Closer.Tests.Features.Coordination;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Dashboards;

/// <summary>
/// A report written through any path (the reporting form, the API, a spreadsheet upload, the review queue's bulk
/// validation and the API's bulk return) changes the dashboards' aggregate tables in the same request, though no
/// writer calls the dashboards: the aggregates interceptor follows the writes.
/// </summary>
public abstract class AggregatesFollowWritesSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string M => ReportsSuite<TApp>.ThisMonth;

    /// <summary>What the dashboards hold for one organisation, country and month.</summary>
    private sealed record Figures(int Reports, long Total, int ValidatedReports, long ValidatedTotal);

    private async Task<Figures> FiguresAsync(string org, string country, string month)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var orgId = await db.Organisations.Where(o => o.Acronym == org).Select(o => o.Id).SingleAsync(Ct);
        var rows = await db.ResponseMonths.AsNoTracking().Where(m => m.OrganisationId == orgId && m.CountryIso3 == country && m.Month == month).ToListAsync(Ct);
        var validated = rows.Where(m => m.Status == ReportStatus.Validated).ToList();
        return new(rows.Sum(m => m.Reports), rows.Sum(m => m.Total), validated.Sum(m => m.Reports), validated.Sum(m => m.Total));
    }

    /// <summary>The same figures recomputed from the raw reports.</summary>
    private async Task<Figures> RawAsync(string org, string country, string month)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var rows = await db.ActivityReports.AsNoTracking()
            .Where(r => r.Organisation!.Acronym == org && r.CountryIso3 == country && r.Month == month && r.DeletedAt == null).ToListAsync(Ct);
        var validated = rows.Where(r => r.Status == ReportStatus.Validated).ToList();
        return new(rows.Count, rows.Sum(r => r.Total), validated.Count, validated.Sum(r => r.Total));
    }

    private async Task AssertFollowsAsync(string org, string country, Figures expected)
    {
        var figures = await FiguresAsync(org, country, M);
        Assert.Equal(expected, figures);
        Assert.Equal(await RawAsync(org, country, M), figures);
    }

    [Fact]
    public async Task TheReportingForm_ChangesTheFigures()
    {
        var before = await FiguresAsync("SERENA", "CHL", M);
        var client = await app.SignedInClientAsync(R.FocalPoint, "SERENA", "CHL");
        var page = $"/admin/reporting?month={M}";
        var response = await client.PostAsync($"/admin/reporting?handler=Save&month={M}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["New.Country"] = "CHL", ["New.Admin1"] = "CL13", ["New.Indicator"] = "INT-01", ["New.Group"] = "destination",
            ["New.Girls"] = "1", ["New.Boys"] = "2", ["New.Women"] = "30", ["New.Men"] = "25",
            ["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(client, page),
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await AssertFollowsAsync("SERENA", "CHL", before with { Reports = before.Reports + 1, Total = before.Total + 58 });
    }

    [Fact]
    public async Task TheApi_CreateEditAndDelete_ChangeTheFigures()
    {
        var before = await FiguresAsync("ACOGIDA", "ECU", M);
        var admin = await ReportsSuite<TApp>.ApiAsAsync(app, R.Admin);
        var created = await admin.PostAsJsonAsync("/api/v1/reports", new
        {
            org = "ACOGIDA", country = "ECU", admin1 = "EC09", indicator = "EDU-01", month = M, populationGroup = "host", girls = 5, boys = 5, women = 5, men = 5,
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<ReportDto>(Ct))!.Id;
        await AssertFollowsAsync("ACOGIDA", "ECU", before with { Reports = before.Reports + 1, Total = before.Total + 20 });

        var edited = await admin.PutAsJsonAsync($"/api/v1/reports/{id}", new { girls = 10, boys = 10, women = 10, men = 10 }, Ct);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        await AssertFollowsAsync("ACOGIDA", "ECU", before with { Reports = before.Reports + 1, Total = before.Total + 40 });

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/reports/{id}", Ct)).StatusCode);
        await AssertFollowsAsync("ACOGIDA", "ECU", before);
    }

    [Fact]
    public async Task ASpreadsheetUpload_ChangesTheFigures()
    {
        var before = await FiguresAsync("VENUNI", "PER", M);
        var admin = await ReportsSuite<TApp>.ApiAsAsync(app, R.Admin);
        var header = string.Join(',', ReportColumns.Import.Select(c => c.Key));
        var csv = header + "\r\n"
            + $"VENUNI,,PER,PE15,,EDU-01,{M},destination,1,2,3,4,0,10,,no,\r\n"
            + $"VENUNI,,PER,PE15,,INT-01,{M},transit,10,20,30,40,0,100,,no,\r\n";
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "5w.csv" } };
        var response = await admin.PostAsync("/api/v1/reports/import", form, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertFollowsAsync("VENUNI", "PER", before with { Reports = before.Reports + 2, Total = before.Total + 110 });
    }

    [Fact]
    public async Task BulkValidationInTheReviewQueue_AndBulkReturnThroughTheApi_ChangeTheFigures()
    {
        var admin = await ReportsSuite<TApp>.ApiAsAsync(app, R.Admin);
        var ids = new List<int>();
        foreach (var pcode in new[] { "EC01", "EC09" })
        {
            var created = await admin.PostAsJsonAsync("/api/v1/reports", new
            {
                org = "ACOGIDA", country = "ECU", admin1 = pcode, indicator = "PRO-01", month = M, populationGroup = "returnees", girls = 1, boys = 2, women = 3, men = 4,
            }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.Content.ReadFromJsonAsync<ReportDto>(Ct))!.Id;
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/reports/{id}/submit", null, Ct)).StatusCode);
            ids.Add(id);
        }
        var before = await FiguresAsync("ACOGIDA", "ECU", M);

        var coordinator = await app.SignedInClientAsync(R.Coordinator, null, "ECU");
        var fields = ids.Select(id => new KeyValuePair<string, string>("ids", id.ToString(CultureInfo.InvariantCulture))).ToList();
        fields.Add(new("action", "validate"));
        fields.Add(new("__RequestVerificationToken", await AppFixture.AntiforgeryTokenAsync(coordinator, "/admin/review")));
        var validated = await coordinator.PostAsync($"/admin/review?month={M}", new FormUrlEncodedContent(fields), Ct);
        Assert.Equal(HttpStatusCode.Redirect, validated.StatusCode);
        await AssertFollowsAsync("ACOGIDA", "ECU", before with { ValidatedReports = before.ValidatedReports + 2, ValidatedTotal = before.ValidatedTotal + 20 });

        var returned = await admin.PostAsJsonAsync("/api/v1/reports/bulk", new { ids, action = "return", reason = "Check the figures." }, Ct);
        Assert.Equal(HttpStatusCode.OK, returned.StatusCode);
        await AssertFollowsAsync("ACOGIDA", "ECU", before);
    }
}

public sealed class AggregatesFollowWritesSqlite(SqliteApp app) : AggregatesFollowWritesSuite<SqliteApp>(app);
public sealed class AggregatesFollowWritesPostgres(PostgresApp app) : AggregatesFollowWritesSuite<PostgresApp>(app);
