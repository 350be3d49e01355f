using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Coordination;

/// <summary>
/// Issue 16: the implementing partner is part of a report's key. Two implementing partners of one organisation for the same
/// activity, place, month and group are two reports (form, API, import, sync), summed by the dashboards' aggregates; the
/// same partner twice (or no partner twice) is still a duplicate.
/// </summary>
public abstract class PartnerKeySuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<ActivityReport>> ReportsAsync(string org, string month, string admin1)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        return await db.ActivityReports.AsNoTracking()
            .Where(r => r.Organisation!.Acronym == org && r.Month == month && r.Admin1PCode == admin1 && r.DeletedAt == null).OrderBy(r => r.Id).ToListAsync(Ct);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string month, string admin1, string? partner, long girls = 5) =>
        client.PostAsJsonAsync("/api/v1/reports", new
        {
            org = "CAMPO", implementingPartner = partner, country = "COL", admin1, indicator = "EDU-01", month, populationGroup = "destination",
            girls, boys = 1, women = 0, men = 0,
        }, Ct);

    [Fact]
    public async Task Api_TwoImplementingPartners_AreTwoReports_TheSamePartnerTwice_IsAConflict_AndTheAggregatesSumThem()
    {
        var client = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        const string month = "2020-03";
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, month, "CO05", "Socio A", girls: 10)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, month, "CO05", "Socio B", girls: 20)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, month, "CO05", null, girls: 30)).StatusCode);
        var again = await PostAsync(client, month, "CO05", "Socio A");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("report-exists", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // No partner is one key value (stored as "", so PostgreSQL's distinct NULLs do not let a second one in).
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(client, month, "CO05", "  ")).StatusCode);

        var reports = await ReportsAsync("CAMPO", month, "CO05");
        Assert.Equal(["Socio A", "Socio B", ""], reports.Select(r => r.ImplementingPartner));
        var none = (await client.GetFromJsonAsync<ReportDto>($"/api/v1/reports/{reports[2].Id}", Ct))!;
        Assert.Null(none.ImplementingPartner);

        // A correction of the partner may not take another report's key; a free one is fine.
        var put = await client.PutAsJsonAsync($"/api/v1/reports/{reports[1].Id}", new { implementingPartner = "Socio A", girls = 20, boys = 1 }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
        var renamed = await client.PutAsJsonAsync($"/api/v1/reports/{reports[1].Id}", new { implementingPartner = "Socio C", girls = 20, boys = 1 }, Ct);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);

        // The dashboards' month aggregate adds the partners' figures up (one series, three reports).
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var orgId = await db.Organisations.Where(o => o.Acronym == "CAMPO").Select(o => o.Id).SingleAsync(Ct);
        var aggregate = await db.ResponseMonths.AsNoTracking()
            .Where(m => m.OrganisationId == orgId && m.Month == month && m.IndicatorCode == "EDU-01" && m.PopulationGroup == "destination").ToListAsync(Ct);
        Assert.Equal((3, 63L), (aggregate.Sum(a => a.Reports), aggregate.Sum(a => a.Total)));
    }

    [Fact]
    public async Task Import_TwoImplementingPartners_AreTwoReports_TheSamePartnerTwice_IsADuplicateRow()
    {
        var client = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        const string month = "2020-04";
        const string header = "org,partner,country,admin1,indicator,month,group,girls,boys,women,men";
        string Row(string partner, int girls) => $"CAMPO,{partner},COL,CO08,EDU-01,{month},destination,{girls},1,0,0";
        async Task<HttpResponseMessage> ImportAsync(params string[] lines)
        {
            using var form = new MultipartFormDataContent();
            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n")), "file", "5w.csv");
            return await client.PostAsync("/api/v1/reports/import", form, Ct);
        }

        var dupe = await ImportAsync(header, Row("Socio A", 1), Row("Socio B", 2), Row("Socio A", 3));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, dupe.StatusCode);
        var body = await dupe.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Duplicate of row 2", body, StringComparison.Ordinal);
        Assert.Contains("implementing partner", body, StringComparison.Ordinal);
        Assert.Empty(await ReportsAsync("CAMPO", month, "CO08"));

        var ok = await ImportAsync(header, Row("Socio A", 1), Row("Socio B", 2), Row("", 3));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using (var doc = JsonDocument.Parse(await ok.Content.ReadAsStringAsync(Ct)))
        {
            Assert.Equal(3, doc.RootElement.GetProperty("imported").GetInt32());
        }
        Assert.Equal([("Socio A", 1L), ("Socio B", 2L), ("", 3L)], (await ReportsAsync("CAMPO", month, "CO08")).Select(r => (r.ImplementingPartner, r.Girls)));

        // The same file again changes nothing; a changed figure updates that partner's report only.
        var again = await ImportAsync(header, Row("Socio A", 1), Row("Socio B", 7), Row("", 3));
        using (var doc = JsonDocument.Parse(await again.Content.ReadAsStringAsync(Ct)))
        {
            Assert.Equal((0, 1, 2), (doc.RootElement.GetProperty("imported").GetInt32(), doc.RootElement.GetProperty("updated").GetInt32(),
                doc.RootElement.GetProperty("unchanged").GetInt32()));
        }
        Assert.Equal([1L, 7L, 3L], (await ReportsAsync("CAMPO", month, "CO08")).Select(r => r.Girls));
    }

    [Fact]
    public async Task Form_TwoImplementingPartners_AreTwoReports_TheSamePartnerTwice_IsRefused()
    {
        var client = await app.SignedInClientAsync(R.FocalPoint, "CAMPO", "COL");
        const string month = "2020-05";
        var page = $"/admin/reporting?month={month}";
        async Task<HttpResponseMessage> AddAsync(string partner, string girls = "4")
        {
            var fields = new Dictionary<string, string>
            {
                ["New.Country"] = "COL", ["New.Admin1"] = "CO11", ["New.Indicator"] = "EDU-01", ["New.Group"] = "destination", ["New.Partner"] = partner,
                ["New.Girls"] = girls, ["New.Boys"] = "1",
                ["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(client, page),
            };
            return await client.PostAsync($"/admin/reporting?handler=Save&month={month}", new FormUrlEncodedContent(fields), Ct);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync("Socio A")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync("Socio B")).StatusCode);
        // Partner A's row with other figures is a duplicate; with the same figures it is the same form posted twice (stored once).
        var twice = await AddAsync("Socio A", girls: "5");
        Assert.Equal(HttpStatusCode.OK, twice.StatusCode);
        Assert.Contains("This row exists already", await twice.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync("Socio A")).StatusCode);
        var reports = await ReportsAsync("CAMPO", month, "CO11");
        Assert.Equal(["Socio A", "Socio B"], reports.Select(r => r.ImplementingPartner));
        Assert.Equal([1, 1], reports.Select(r => r.Version));

        // In the grid, renaming B's partner to A would make it A's duplicate: refused, nothing saved.
        var grid = new Dictionary<string, string>
        {
            ["Rows[0].Id"] = reports[1].Id.ToString(CultureInfo.InvariantCulture), ["Rows[0].Partner"] = "Socio A", ["Rows[0].Girls"] = "9", ["Rows[0].Boys"] = "1",
            ["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(client, page),
        };
        var clash = await client.PostAsync($"/admin/reporting?handler=Save&month={month}", new FormUrlEncodedContent(grid), Ct);
        Assert.Equal(HttpStatusCode.OK, clash.StatusCode);
        Assert.Contains("Another report of this month has this place, indicator, group and implementing partner.", await clash.Content.ReadAsStringAsync(Ct),
            StringComparison.Ordinal);
        Assert.Equal([4L, 4L], (await ReportsAsync("CAMPO", month, "CO11")).Select(r => r.Girls));
    }

    [Fact]
    public async Task Sync_TwoImplementingPartners_AreTwoReports_TheSamePartnerFromAnotherDevice_IsAConflict()
    {
        var client = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        const string month = "2020-06";
        object Row(string partner, int girls = 2) => new
        {
            deviceId = Guid.CreateVersion7().ToString(),
            report = new { org = "CAMPO", implementingPartner = partner, country = "COL", admin1 = "CO13", indicator = "EDU-01", month, populationGroup = "destination", girls },
        };
        var response = await client.PostAsJsonAsync("/api/v1/reports/sync", new { rows = new[] { Row("Socio A"), Row("Socio B") } }, Ct);
        Assert.Equal(["stored", "stored"], (await response.Content.ReadFromJsonAsync<SyncResult>(Ct))!.Rows.Select(r => r.Result));
        // Partner A's report again from another device: the same figures are already there; other figures are a conflict.
        var later = await client.PostAsJsonAsync("/api/v1/reports/sync", new { rows = new[] { Row("Socio A"), Row("Socio A", girls: 9) } }, Ct);
        var answers = (await later.Content.ReadFromJsonAsync<SyncResult>(Ct))!.Rows;
        Assert.Equal([("unchanged", null), ("conflict", "exists")], answers.Select(a => (a.Result, a.Conflict)));
        Assert.Equal([2L, 2L], (await ReportsAsync("CAMPO", month, "CO13")).Select(r => r.Girls));
    }
}

public sealed class PartnerKeySqlite(SqliteApp app) : PartnerKeySuite<SqliteApp>(app);
public sealed class PartnerKeyPostgres(PostgresApp app) : PartnerKeySuite<PostgresApp>(app);
