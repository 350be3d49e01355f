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
}

public sealed class ReviewSqlite(SqliteApp app) : ReviewSuite<SqliteApp>(app);
public sealed class ReviewPostgres(PostgresApp app) : ReviewSuite<PostgresApp>(app);
