using System.Net;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Accounts;
using Closer.Web.Features.ApiTokens;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Coordination;

/// <summary>Issue 16's review side: locks that protect partners, the e-mail people are owed, bulk review and outlier hints.</summary>
public abstract class ReviewSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static int _slot;

    /// <summary>A new person with an API client and their address (the outbox is read by address).</summary>
    private async Task<(HttpClient Client, string Email)> PersonAsync(string role, string? org = null, params string[] countries)
    {
        var (email, _) = await app.CreateUserAsync(role, org, countries);
        await using var scope = app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        var (_, plain) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(user!.Id, "tests");
        return (app.BearerClient(plain), email);
    }

    private async Task<List<(string Subject, string Text)>> MailToAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        return (await db.EmailOutbox.AsNoTracking().Where(m => m.To == email).OrderBy(m => m.Id).Select(m => new { m.Subject, m.Text }).ToListAsync(Ct))
            .Select(m => (m.Subject, m.Text)).ToList();
    }

    /// <summary>A draft of FPUENTE in COL for <paramref name="month"/> on its own admin1 × group.</summary>
    internal static async Task<ReportDto> DraftAsync(HttpClient admin, string month, string org = "FPUENTE", long girls = 3)
    {
        var n = Interlocked.Increment(ref _slot);
        var pcodes = new[] { "CO05", "CO08", "CO11", "CO13", "CO15", "CO17", "CO18", "CO19", "CO20", "CO23", "CO25" };
        var response = await admin.PostAsJsonAsync("/api/v1/reports", new
        {
            org, country = "COL", admin1 = pcodes[n % pcodes.Length], indicator = "HEA-01", month,
            populationGroup = Closer.Web.Features.Coordination.PopulationGroups.All[n / pcodes.Length % 5], girls, boys = 4, women = 5, men = 6,
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ReportDto>(Ct))!;
    }

    [Fact]
    public async Task LockingAMonthWithOpenReports_IsRefusedWithTheirList_UnlessOverriddenWithAReason_AndUnlockNeedsOne()
    {
        var admin = await ReportsSuite<TApp>.ApiAsAsync(app, R.Admin);
        var coordinator = await ReportsSuite<TApp>.ApiAsAsync(app, R.Coordinator, null, "COL");
        var (_, focalMail) = await PersonAsync(R.FocalPoint, "CAMPO", "COL");
        var (_, elsewhere) = await PersonAsync(R.FocalPoint, "CAMPO", "PER");
        const string month = "2020-06";
        var submitted = await DraftAsync(admin, month);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/reports/{submitted.Id}/submit", null, Ct)).StatusCode);

        var refused = await coordinator.PostAsync($"/api/v1/periods/COL/{month}/lock", null, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("period-has-open-reports", body, StringComparison.Ordinal);
        Assert.Contains($"\"row\":{submitted.Id}", body, StringComparison.Ordinal);
        Assert.Contains("FPUENTE", body, StringComparison.Ordinal);
        var noReason = await coordinator.PostAsJsonAsync($"/api/v1/periods/COL/{month}/lock", new { @override = true }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.Empty(await MailToAsync(focalMail));

        var forced = await coordinator.PostAsJsonAsync($"/api/v1/periods/COL/{month}/lock", new { @override = true, reason = "Donor deadline today" }, Ct);
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/v1/reports/{submitted.Id}/validate", null, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await coordinator.PostAsync($"/api/v1/periods/COL/{month}/unlock", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await coordinator.PostAsJsonAsync($"/api/v1/periods/COL/{month}/unlock", new { reason = "  " }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsJsonAsync($"/api/v1/periods/COL/{month}/unlock", new { reason = "A partner found an error" }, Ct)).StatusCode);

        var audit = (await coordinator.GetFromJsonAsync<List<AuditDto>>($"/api/v1/audit?entityType=period&entityKey=COL|{month}", Ct))!;
        var lockEntry = Assert.Single(audit, a => a.Action == "lock");
        Assert.Contains("Donor deadline today", lockEntry.Changes!, StringComparison.Ordinal);
        Assert.Contains($"\"override\":[null,\"{submitted.Id}\"]", lockEntry.Changes!, StringComparison.Ordinal);
        Assert.Contains("A partner found an error", Assert.Single(audit, a => a.Action == "unlock").Changes!, StringComparison.Ordinal);

        // The country's focal points (of every organisation) hear both, with the reasons; those of other countries do not.
        var mail = await MailToAsync(focalMail);
        Assert.Equal(2, mail.Count);
        Assert.Contains("Donor deadline today", mail[0].Text, StringComparison.Ordinal);
        Assert.Contains("COL", mail[0].Subject, StringComparison.Ordinal);
        Assert.Contains("A partner found an error", mail[1].Text, StringComparison.Ordinal);
        Assert.Empty(await MailToAsync(elsewhere));
    }

    [Fact]
    public async Task LockingAMonthWhoseReportsAreClosed_NeedsNoReason()
    {
        var admin = await ReportsSuite<TApp>.ApiAsAsync(app, R.Admin);
        var coordinator = await ReportsSuite<TApp>.ApiAsAsync(app, R.Coordinator, null, "COL");
        const string month = "2020-07";
        var draft = await DraftAsync(admin, month);
        var validated = await DraftAsync(admin, month);
        await admin.PostAsync($"/api/v1/reports/{validated.Id}/submit", null, Ct);
        await admin.PostAsync($"/api/v1/reports/{validated.Id}/validate", null, Ct);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsync($"/api/v1/periods/COL/{month}/lock", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/v1/reports/{draft.Id}/submit", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task AReturnedReport_EmailsItsOrganisationsFocalPoints_WithTheReasonAndALink()
    {
        var admin = await ReportsSuite<TApp>.ApiAsAsync(app, R.Admin);
        var coordinator = await ReportsSuite<TApp>.ApiAsAsync(app, R.Coordinator, null, "COL");
        var (_, focal) = await PersonAsync(R.FocalPoint, "FPUENTE", "COL");
        var (_, otherOrg) = await PersonAsync(R.FocalPoint, "CAMPO", "COL");
        var report = await DraftAsync(admin, "2020-08");
        await admin.PostAsync($"/api/v1/reports/{report.Id}/submit", null, Ct);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsJsonAsync($"/api/v1/reports/{report.Id}/return", new { reason = "Boys look swapped with girls" }, Ct)).StatusCode);

        var mail = Assert.Single(await MailToAsync(focal));
        Assert.Contains("Boys look swapped with girls", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"/admin/reports/{report.Id}", mail.Text, StringComparison.Ordinal);
        Assert.Empty(await MailToAsync(otherOrg));
    }

    [Fact]
    public async Task AMonthWhoseReportsAreAllValidated_EmailsASummary_Once()
    {
        var admin = await ReportsSuite<TApp>.ApiAsAsync(app, R.Admin);
        var coordinator = await ReportsSuite<TApp>.ApiAsAsync(app, R.Coordinator, null, "COL");
        var (_, focal) = await PersonAsync(R.FocalPoint, "LAZOS", "COL");
        const string month = "2020-09";
        var a = await DraftAsync(admin, month, "LAZOS", girls: 10);
        var b = await DraftAsync(admin, month, "LAZOS", girls: 20);
        var bulk = await admin.PostAsJsonAsync("/api/v1/reports/bulk", new { ids = new[] { a.Id, b.Id }, action = "submit" }, Ct);
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsync($"/api/v1/reports/{a.Id}/validate", null, Ct)).StatusCode);
        Assert.Empty(await MailToAsync(focal));
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsync($"/api/v1/reports/{b.Id}/validate", null, Ct)).StatusCode);
        var mail = Assert.Single(await MailToAsync(focal));
        Assert.Contains("2 reports validated", mail.Text, StringComparison.Ordinal);
        Assert.Contains((a.Total + b.Total).ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("en")), mail.Text, StringComparison.Ordinal);

        // Returned and validated again: no second summary.
        await coordinator.PostAsJsonAsync($"/api/v1/reports/{b.Id}/return", new { reason = "Check" }, Ct);
        await admin.PostAsync($"/api/v1/reports/{b.Id}/submit", null, Ct);
        await coordinator.PostAsync($"/api/v1/reports/{b.Id}/validate", null, Ct);
        Assert.Single(await MailToAsync(focal), m => m.Subject.Contains("validated", StringComparison.Ordinal));
    }

    private static async Task<ReportDto> ReportAsync(HttpClient admin, string admin1, string month, long girls, string org = "ACOGIDA", string group = "destination")
    {
        var response = await admin.PostAsJsonAsync("/api/v1/reports", new
        {
            org, country = "COL", admin1, indicator = "WSH-01", month, populationGroup = group, girls, boys = 0, women = 0, men = 0,
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var dto = (await response.Content.ReadFromJsonAsync<ReportDto>(Ct))!;
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/reports/{dto.Id}/submit", null, Ct)).StatusCode);
        return dto;
    }

    [Fact]
    public async Task ReviewPage_FiltersSortsAndHints_ThenReturnsAllMatchingTheFilter_WithOneComment_WithoutJavaScript()
    {
        var admin = await ReportsSuite<TApp>.ApiAsAsync(app, R.Admin);
        var (_, focal) = await PersonAsync(R.FocalPoint, "ACOGIDA", "COL");
        const string month = "2020-11";
        // A series with a history: 20, 30 and 40 in earlier months (median 30); this month's 100 is more than three times that.
        foreach (var (m, n) in new[] { ("2020-02", 20L), ("2020-04", 30L), ("2020-05", 40L) })
        {
            await ReportAsync(admin, "CO11", m, n);
        }
        var big = await ReportAsync(admin, "CO11", month, 100);
        var small = await ReportAsync(admin, "CO05", month, 7);
        var middle = await ReportAsync(admin, "CO08", month, 50);
        var otherOrg = await ReportAsync(admin, "CO05", month, 9, org: "LAZOS");

        var coordinator = await app.SignedInClientAsync(R.Coordinator, null, "COL");
        var page = $"/admin/review?country=COL&org=ACOGIDA&month={month}&sort=total&dir=desc";
        var html = await coordinator.GetStringAsync(page, Ct);
        int At(ReportDto r) => html.IndexOf($"href=\"/admin/reports/{r.Id}\"", StringComparison.Ordinal);
        Assert.True(At(big) > 0 && At(big) < At(middle) && At(middle) < At(small), "sorted by total, descending");
        Assert.Equal(-1, At(otherOrg));
        Assert.Contains("data-hint=\"median\"", html, StringComparison.Ordinal);
        Assert.Single(html.Split("data-hint=\"median\"").Skip(1));
        Assert.Contains("(30)", html[html.IndexOf("data-hint=\"median\"", StringComparison.Ordinal)..], StringComparison.Ordinal);
        var byArea = await coordinator.GetStringAsync($"/admin/review?country=COL&month={month}&admin1=CO05", Ct);
        Assert.Contains($"/admin/reports/{small.Id}\"", byArea, StringComparison.Ordinal);
        Assert.Contains($"/admin/reports/{otherOrg.Id}\"", byArea, StringComparison.Ordinal);
        Assert.DoesNotContain($"/admin/reports/{big.Id}\"", byArea, StringComparison.Ordinal);

        // A return needs its comment; then "all matching the filter" returns the three, and only them.
        var token = await AppFixture.AntiforgeryTokenAsync(coordinator, page);
        var noReason = await coordinator.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["scope"] = "filter", ["action"] = "return", ["reason"] = "", ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.OK, noReason.StatusCode);
        Assert.Contains("role=\"alert\"", await noReason.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var returned = await coordinator.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["scope"] = "filter", ["action"] = "return", ["reason"] = "Please split by admin1", ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);
        async Task<string> StatusAsync(ReportDto r) => (await admin.GetFromJsonAsync<ReportDto>($"/api/v1/reports/{r.Id}", Ct))!.Status;
        Assert.Equal(["Returned", "Returned", "Returned", "Submitted"], [await StatusAsync(big), await StatusAsync(middle), await StatusAsync(small), await StatusAsync(otherOrg)]);
        var mail = Assert.Single(await MailToAsync(focal));
        Assert.Contains("Please split by admin1", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"/admin/reports/{small.Id}", mail.Text, StringComparison.Ordinal);

        // "All on this page" acts on the ids the page listed (not only the ticked ones).
        var lazos = $"/admin/review?country=COL&org=LAZOS&month={month}";
        Assert.Contains($"name=\"pageIds\" value=\"{otherOrg.Id}\"", await coordinator.GetStringAsync(lazos, Ct), StringComparison.Ordinal);
        var pageIds = new List<KeyValuePair<string, string>>
        {
            new("scope", "page"), new("action", "validate"), new("__RequestVerificationToken", await AppFixture.AntiforgeryTokenAsync(coordinator, lazos)),
            new("pageIds", otherOrg.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        Assert.Equal(HttpStatusCode.Redirect, (await coordinator.PostAsync(lazos, new FormUrlEncodedContent(pageIds), Ct)).StatusCode);
        Assert.Equal("Validated", await StatusAsync(otherOrg));
    }

    [Fact]
    public async Task ReportingPage_DefaultsToTheMonthBeingReported_AndOffersColombiasAreasByName()
    {
        var client = await app.SignedInClientAsync(R.FocalPoint, "FPUENTE", "COL");
        var html = await client.GetStringAsync("/admin/reporting", Ct);
        Dictionary<string, DateOnly> periods;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            periods = await scope.ServiceProvider.GetRequiredService<CloserDbContext>().ReportingPeriods.AsNoTracking()
                .ToDictionaryAsync(p => p.Month, p => p.Deadline, StringComparer.Ordinal, Ct);
        }
        var expected = ReportingMonth.Default(periods, DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime));
        Assert.Contains($"<option value=\"{expected}\" selected=\"selected\">", html, StringComparison.Ordinal);
        // Colombia has areas: no "none" choice; areas are listed by name.
        Assert.DoesNotContain("(none: country without admin1 areas)", html, StringComparison.Ordinal);
        Assert.Contains(">Choose an area<", html, StringComparison.Ordinal);
        Assert.Contains("(CO11)</option>", html, StringComparison.Ordinal);
        Assert.Contains("<label class=\"coord-check\"><input type=\"checkbox\" name=\"New.Cash\"", html, StringComparison.Ordinal);
    }
}

public sealed class ReviewSqlite(SqliteApp app) : ReviewSuite<SqliteApp>(app);
public sealed class ReviewPostgres(PostgresApp app) : ReviewSuite<PostgresApp>(app);
