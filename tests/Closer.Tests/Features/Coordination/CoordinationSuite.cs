using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Accounts;
using Closer.Web.Features.ApiTokens;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Features.Coordination.Countries;
using Closer.Web.Features.Coordination.Plan;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Coordination;

/// <summary>5W reports through the API: the permission matrix, status flow, locks, audit and revisions.</summary>
public abstract class ReportsSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static int _slot;
    internal static string ThisMonth => TimeProvider.System.GetUtcNow().ToString("yyyy-MM", CultureInfo.InvariantCulture);

    internal static Task<HttpClient> ApiAsAsync(AppFixture app, string role, string? org = null, params string[] countries) =>
        app.ApiClientAsync(role, org, countries);

    /// <summary>A fresh report key: each test gets its own admin1 × population group × indicator.</summary>
    private static (string Admin1, string Group, string Indicator) NextKey()
    {
        var n = Interlocked.Increment(ref _slot);
        var pcodes = new[] { "CO05", "CO08", "CO11", "CO13", "CO15", "CO17", "CO18", "CO19", "CO20", "CO23", "CO25" };
        return (pcodes[n % pcodes.Length], PopulationGroups.All[n / pcodes.Length % 5], n / 55 % 2 == 0 ? "HEA-01" : "WSH-01");
    }

    private static async Task<ReportDto> CreateDraftAsync(HttpClient admin, string org = "FPUENTE")
    {
        var (admin1, group, indicator) = NextKey();
        var response = await admin.PostAsJsonAsync("/api/v1/reports", new
        {
            org, country = "COL", admin1, indicator, month = ThisMonth, populationGroup = group, girls = 3, boys = 4, women = 5, men = 6,
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ReportDto>(Ct))!;
    }

    public static TheoryData<string, string?, string[], HttpStatusCode, HttpStatusCode, HttpStatusCode, HttpStatusCode, HttpStatusCode> Matrix => new()
    {
        // role, user's org, user's countries — against a report of FPUENTE in COL:
        // read draft, edit draft, validate submitted, read validated, lock the month
        { R.Admin, null, [], HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK },
        { R.FocalPoint, "FPUENTE", ["COL"], HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.Forbidden },
        { R.FocalPoint, "FPUENTE", ["PER"], HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.Forbidden },
        { R.FocalPoint, "CAMPO", ["COL"], HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.Forbidden },
        { R.Coordinator, null, ["COL"], HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK },
        { R.Coordinator, null, ["PER"], HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.Forbidden },
        { R.Viewer, null, [], HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.Forbidden },
        { R.Viewer, "FPUENTE", ["COL"], HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.Forbidden },
        { R.Editor, null, [], HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.Forbidden },
        { R.Translator, null, [], HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.Forbidden },
        { Roles.Moderator, null, [], HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task ReportEndpoints_FollowRoleOrganisationAndCountry(string role, string? org, string[] countries,
        HttpStatusCode readDraft, HttpStatusCode edit, HttpStatusCode validate, HttpStatusCode readValidated, HttpStatusCode lockMonth)
    {
        var admin = await ApiAsAsync(app, R.Admin);
        var user = await ApiAsAsync(app, role, org, countries);
        var report = await CreateDraftAsync(admin);

        Assert.Equal(readDraft, (await user.GetAsync($"/api/v1/reports/{report.Id}", Ct)).StatusCode);
        var put = await user.PutAsJsonAsync($"/api/v1/reports/{report.Id}", new { girls = 30, boys = 4, women = 5, men = 6 }, Ct);
        Assert.Equal(edit, put.StatusCode);
        var afterEdit = await (await admin.GetAsync($"/api/v1/reports/{report.Id}", Ct)).Content.ReadFromJsonAsync<ReportDto>(Ct);
        Assert.Equal(edit == HttpStatusCode.OK ? 30 : 3, afterEdit!.Girls);
        Assert.Equal(afterEdit.Girls + 15, afterEdit.Total);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/reports/{report.Id}/submit", null, Ct)).StatusCode);
        Assert.Equal(validate, (await user.PostAsync($"/api/v1/reports/{report.Id}/validate", null, Ct)).StatusCode);
        var status = (await (await admin.GetAsync($"/api/v1/reports/{report.Id}", Ct)).Content.ReadFromJsonAsync<ReportDto>(Ct))!.Status;
        Assert.Equal(validate == HttpStatusCode.OK ? "Validated" : "Submitted", status);
        if (validate != HttpStatusCode.OK)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/reports/{report.Id}/validate", null, Ct)).StatusCode);
        }
        Assert.Equal(readValidated, (await user.GetAsync($"/api/v1/reports/{report.Id}", Ct)).StatusCode);

        var locked = await user.PostAsync("/api/v1/periods/COL/2020-01/lock", null, Ct);
        Assert.Equal(lockMonth, locked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/v1/periods/COL/2020-01/unlock", new { reason = "test over" }, Ct)).StatusCode);
    }

    public static TheoryData<string, string?, string[], HttpStatusCode> CreateMatrix => new()
    {
        // role, org, countries → POST a report for FPUENTE in COL
        { R.Admin, null, [], HttpStatusCode.Created },
        { R.FocalPoint, "FPUENTE", ["COL"], HttpStatusCode.Created },
        { R.FocalPoint, "FPUENTE", ["PER"], HttpStatusCode.UnprocessableEntity },
        { R.FocalPoint, "CAMPO", ["COL"], HttpStatusCode.UnprocessableEntity },
        { R.Coordinator, null, ["COL"], HttpStatusCode.Forbidden },
        { R.Viewer, "FPUENTE", ["COL"], HttpStatusCode.Forbidden },
        { R.Editor, null, [], HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(CreateMatrix))]
    public async Task CreatingAReport_OnlyForOwnOrganisationInOwnCountries(string role, string? org, string[] countries, HttpStatusCode expected)
    {
        var user = await ApiAsAsync(app, role, org, countries);
        var (admin1, group, indicator) = NextKey();
        var response = await user.PostAsJsonAsync("/api/v1/reports", new
        {
            org = "FPUENTE", country = "COL", admin1, indicator, month = ThisMonth, populationGroup = group, girls = 1, boys = 1, women = 1, men = 1,
        }, Ct);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task DeactivatedOrganisation_ReportsNothingNew_UntilReactivated()
    {
        var user = await ApiAsAsync(app, R.FocalPoint, "FPUENTE", "COL");
        async Task SetActiveAsync(bool active)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            var org = await db.Organisations.SingleAsync(o => o.Acronym == "FPUENTE", Ct);
            org.DeactivatedAt = active ? null : DateTimeOffset.UnixEpoch.AddYears(56);
            await db.SaveChangesAsync(Ct);
        }
        Task<HttpResponseMessage> PostAsync()
        {
            var (admin1, group, indicator) = NextKey();
            return user.PostAsJsonAsync("/api/v1/reports?lang=es", new
            {
                org = "FPUENTE", country = "COL", admin1, indicator, month = ThisMonth, populationGroup = group, girls = 1, boys = 1, women = 1, men = 1,
            }, Ct);
        }
        await SetActiveAsync(false);
        try
        {
            var refused = await PostAsync();
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains("Esta organización está desactivada", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        finally
        {
            await SetActiveAsync(true);
        }
        Assert.Equal(HttpStatusCode.Created, (await PostAsync()).StatusCode);
    }

    [Fact]
    public async Task ReportList_ShowsOthersOnlyOnceValidated()
    {
        var admin = await ApiAsAsync(app, R.Admin);
        var draft = await CreateDraftAsync(admin, "LAZOS");
        var own = await CreateDraftAsync(admin, "ACOGIDA");
        var focal = await ApiAsAsync(app, R.FocalPoint, "ACOGIDA", "COL");
        var viewer = await ApiAsAsync(app, R.Viewer);

        async Task<List<ReportDto>> ListAsync(HttpClient c, string query) =>
            (await c.GetFromJsonAsync<ReportPage>($"/api/v1/reports?month={ThisMonth}&pageSize=1000{query}", Ct))!.Items.ToList();

        var seen = await ListAsync(focal, "");
        Assert.Contains(seen, r => r.Id == own.Id);
        Assert.DoesNotContain(seen, r => r.Id == draft.Id);
        Assert.All(seen, r => Assert.True(r.Org == "ACOGIDA" || r.Status == "Validated"));
        Assert.All(await ListAsync(viewer, ""), r => Assert.Equal("Validated", r.Status));

        await admin.PostAsync($"/api/v1/reports/{draft.Id}/submit", null, Ct);
        await admin.PostAsync($"/api/v1/reports/{draft.Id}/validate", null, Ct);
        Assert.Contains(await ListAsync(focal, ""), r => r.Id == draft.Id);
        Assert.Contains(await ListAsync(viewer, "&org=LAZOS"), r => r.Id == draft.Id);
        Assert.DoesNotContain(await ListAsync(viewer, "&org=ACOGIDA"), r => r.Id == own.Id);
    }

    [Fact]
    public async Task ReturnNeedsAReason_AndSendsTheReportBackToTheFocalPoint()
    {
        var admin = await ApiAsAsync(app, R.Admin);
        var coordinator = await ApiAsAsync(app, R.Coordinator, null, "COL");
        var focal = await ApiAsAsync(app, R.FocalPoint, "FPUENTE", "COL");
        var report = await CreateDraftAsync(admin);
        Assert.Equal(HttpStatusCode.OK, (await focal.PostAsync($"/api/v1/reports/{report.Id}/submit", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await focal.PutAsJsonAsync($"/api/v1/reports/{report.Id}", new { girls = 9 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await coordinator.PostAsJsonAsync($"/api/v1/reports/{report.Id}/return", new { reason = " " }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsJsonAsync($"/api/v1/reports/{report.Id}/return", new { reason = "Check the boys figure" }, Ct)).StatusCode);
        var returned = await focal.GetFromJsonAsync<ReportDto>($"/api/v1/reports/{report.Id}", Ct);
        Assert.Equal(("Returned", "Check the boys figure"), (returned!.Status, returned.ReturnReason));
        Assert.Equal(HttpStatusCode.OK, (await focal.PutAsJsonAsync($"/api/v1/reports/{report.Id}", new { girls = 3, boys = 7, women = 5, men = 6 }, Ct)).StatusCode);
        Assert.Equal("Draft", (await focal.GetFromJsonAsync<ReportDto>($"/api/v1/reports/{report.Id}", Ct))!.Status);
    }

    [Fact]
    public async Task LockedMonth_RefusesChangesUntilUnlocked_AndBothAreAudited()
    {
        var admin = await ApiAsAsync(app, R.Admin);
        var coordinator = await ApiAsAsync(app, R.Coordinator, null, "COL");
        var report = await CreateDraftAsync(admin);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsync($"/api/v1/periods/COL/{ThisMonth}/lock", null, Ct)).StatusCode);
        try
        {
            Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/v1/reports/{report.Id}/submit", null, Ct)).StatusCode);
            var put = await admin.PutAsJsonAsync($"/api/v1/reports/{report.Id}", new { girls = 99 }, Ct);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, put.StatusCode);
            Assert.Contains("\"column\":\"month\"", await put.Content.ReadAsStringAsync(Ct));
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsJsonAsync($"/api/v1/periods/COL/{ThisMonth}/unlock", new { reason = "test over" }, Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/reports/{report.Id}/submit", null, Ct)).StatusCode);
        var audit = await coordinator.GetFromJsonAsync<List<AuditDto>>($"/api/v1/audit?entityType=period&entityKey=COL|{ThisMonth}", Ct);
        Assert.Contains(audit!, a => a.Action == "lock");
        Assert.Contains(audit!, a => a.Action == "unlock" && a.Changes!.Contains("\"locked\":[\"yes\",\"no\"]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryChange_IsAuditedWithOldAndNewValues_AndKeptAsARevision()
    {
        var admin = await ApiAsAsync(app, R.Admin);
        var report = await CreateDraftAsync(admin);
        await admin.PutAsJsonAsync($"/api/v1/reports/{report.Id}", new { girls = 11, boys = 4, women = 5, men = 6 }, Ct);
        await admin.PostAsync($"/api/v1/reports/{report.Id}/submit", null, Ct);
        await admin.PostAsync($"/api/v1/reports/{report.Id}/validate", null, Ct);

        var key = $"FPUENTE|COL|{report.Admin1}|{report.Indicator}|{report.Month}|{report.PopulationGroup}";
        var audit = (await admin.GetFromJsonAsync<List<AuditDto>>($"/api/v1/audit?entityType=report&entityKey={Uri.EscapeDataString(key)}", Ct))!;
        Assert.Equal(["create", "update", "submit", "validate"], audit.OrderBy(a => a.Id).Select(a => a.Action));
        var update = audit.Single(a => a.Action == "update");
        Assert.Contains("\"girls\":[\"3\",\"11\"]", update.Changes!, StringComparison.Ordinal);
        Assert.NotNull(update.User);

        var revisions = (await admin.GetFromJsonAsync<List<RevisionDto>>($"/api/v1/reports/{report.Id}/revisions", Ct))!;
        Assert.Equal([1, 2, 3, 4], revisions.Select(r => r.Version));
        Assert.Contains("\"girls\":\"3\"", revisions[0].Snapshot, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"Validated\"", revisions[3].Snapshot, StringComparison.Ordinal);

        // A delete is soft and audited too (on a fresh draft).
        var other = await CreateDraftAsync(admin);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/reports/{other.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/reports/{other.Id}", Ct)).StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        Assert.NotNull((await db.ActivityReports.SingleAsync(r => r.Id == other.Id, Ct)).DeletedAt);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "delete" && a.EntityType == "report", Ct));
    }

    [Fact]
    public async Task BulkValidate_IsAllOrNothing()
    {
        var admin = await ApiAsAsync(app, R.Admin);
        var coordinator = await ApiAsAsync(app, R.Coordinator, null, "COL");
        var a = await CreateDraftAsync(admin);
        var b = await CreateDraftAsync(admin);
        await admin.PostAsync($"/api/v1/reports/{a.Id}/submit", null, Ct);
        // b is still a draft: validating both must change neither.
        var refused = await coordinator.PostAsJsonAsync("/api/v1/reports/bulk", new { ids = new[] { a.Id, b.Id }, action = "validate" }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("Submitted", (await admin.GetFromJsonAsync<ReportDto>($"/api/v1/reports/{a.Id}", Ct))!.Status);
        await admin.PostAsync($"/api/v1/reports/{b.Id}/submit", null, Ct);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsJsonAsync("/api/v1/reports/bulk", new { ids = new[] { a.Id, b.Id }, action = "validate" }, Ct)).StatusCode);
        Assert.Equal("Validated", (await admin.GetFromJsonAsync<ReportDto>($"/api/v1/reports/{b.Id}", Ct))!.Status);
    }

    [Fact]
    public async Task PublicOrganisationList_CarriesCountriesOfOperation()
    {
        var list = await app.Client().GetFromJsonAsync<List<Closer.Web.Features.Organisations.OrganisationDto>>("/api/v1/organisations", Ct);
        Assert.True(list!.Count >= 30);
        Assert.Equal(["COL"], list.Single(o => o.Acronym == "FPUENTE").Countries);
        Assert.Contains("BRA", list.Single(o => o.Acronym == "AREF").Countries!);
    }

    [Fact]
    public async Task ReferenceData_HasAdmin1PCodesFiguresAndThePlan()
    {
        var client = app.Client();
        var col = await client.GetFromJsonAsync<CountryDetailDto>("/api/v1/countries/COL", Ct);
        Assert.Contains(col!.Admin1, a => a.PCode == "CO11" && a.Name.StartsWith("Bogot", StringComparison.Ordinal));
        Assert.Contains(col.Figures, f => f.AsOf == "2021-11" && f.RefugeesAndMigrants == 1842390 && f.Precision == "exact");
        foreach (var iso3 in new[] { "PER", "ECU", "BRA", "CHL" })
        {
            Assert.True((await client.GetFromJsonAsync<CountryDetailDto>($"/api/v1/countries/{iso3}", Ct))!.Admin1.Count >= 16);
        }
        Assert.Equal(17, (await client.GetFromJsonAsync<List<CountryDto>>("/api/v1/countries", Ct))!.Count);
        var plan2020 = await client.GetFromJsonAsync<PlanDto>("/api/v1/plans/2020", Ct);
        Assert.Equal(57_100_000, plan2020!.Sectors.Single(s => s.Code == "EDU").RequirementUsd);
        Assert.Contains(plan2020.Sectors, s => s.Code == "PRO-GBV" && s.Parent == "PRO");
        var current = await client.GetFromJsonAsync<PlanDto>($"/api/v1/plans/{TimeProvider.System.GetUtcNow().Year}", Ct);
        Assert.NotEmpty(current!.Targets);
        Assert.Contains(current.Indicators, i => i.Unit == "Usd");
    }

    [Fact]
    public async Task PopulationFigures_AreManagedByTheCountrysCoordinatorOnly()
    {
        var body = new { asOf = "2025-06", refugeesAndMigrants = 2_800_000, source = "Test source", precision = "rounded" };
        var other = await ApiAsAsync(app, R.Coordinator, null, "PER");
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/v1/countries/COL/figures", body, Ct)).StatusCode);
        var coordinator = await ApiAsAsync(app, R.Coordinator, null, "COL");
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsJsonAsync("/api/v1/countries/COL/figures", body, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await coordinator.PostAsJsonAsync("/api/v1/countries/COL/figures", body with { precision = "guess" }, Ct)).StatusCode);
        var audit = await coordinator.GetFromJsonAsync<List<AuditDto>>("/api/v1/audit?entityType=figure", Ct);
        Assert.Contains(audit!, a => a.EntityKey == "COL|2025-06" && a.Action == "create");
    }
}

public sealed class ReportsSqlite(SqliteApp app) : ReportsSuite<SqliteApp>(app);
public sealed class ReportsPostgres(PostgresApp app) : ReportsSuite<PostgresApp>(app);

/// <summary>Targets, admin1 areas and the plan page: coordinators of the country only, every change audited.</summary>
public abstract class PlanSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static int Year => TimeProvider.System.GetUtcNow().Year;

    [Fact]
    public async Task Targets_AreSetByTheCountrysCoordinator_AndAudited()
    {
        var body = new { country = "PER", indicator = "EDU-01", populationGroup = "destination", target = 12345, peopleInNeed = 50000 };
        var outsider = await ReportsSuite<TApp>.ApiAsAsync(app, R.Coordinator, null, "COL");
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PutAsJsonAsync($"/api/v1/plans/{Year}/targets", body, Ct)).StatusCode);
        var focal = await ReportsSuite<TApp>.ApiAsAsync(app, R.FocalPoint, "VENUNI", "PER");
        Assert.Equal(HttpStatusCode.Forbidden, (await focal.PutAsJsonAsync($"/api/v1/plans/{Year}/targets", body, Ct)).StatusCode);
        var coordinator = await ReportsSuite<TApp>.ApiAsAsync(app, R.Coordinator, null, "PER");
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.PutAsJsonAsync($"/api/v1/plans/{Year}/targets", body, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await coordinator.PutAsJsonAsync($"/api/v1/plans/{Year}/targets", body with { target = -1 }, Ct)).StatusCode);
        var plan = await app.Client().GetFromJsonAsync<PlanDto>($"/api/v1/plans/{Year}", Ct);
        Assert.Contains(plan!.Targets, t => t is { Country: "PER", Indicator: "EDU-01", PopulationGroup: "destination", Target: 12345, PeopleInNeed: 50000 });
        var audit = await coordinator.GetFromJsonAsync<List<AuditDto>>("/api/v1/audit?entityType=target", Ct);
        Assert.Contains(audit!, a => a.EntityKey == $"{Year}|PER|EDU-01|destination" && a.Changes!.Contains("12345", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Admin1Areas_AreManagedByTheCountrysCoordinator()
    {
        var coordinator = await ReportsSuite<TApp>.ApiAsAsync(app, R.Coordinator, null, "CHL");
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.PutAsJsonAsync("/api/v1/countries/CHL/admin1/CL16", new { name = "Región de Ñuble" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await coordinator.PutAsJsonAsync("/api/v1/countries/CHL/admin1/CO11", new { name = "Bogotá" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.PutAsJsonAsync("/api/v1/countries/PER/admin1/PE15", new { name = "Lima" }, Ct)).StatusCode);
        var chl = await app.Client().GetFromJsonAsync<CountryDetailDto>("/api/v1/countries/CHL", Ct);
        Assert.Contains(chl!.Admin1, a => a is { PCode: "CL16", Name: "Región de Ñuble" });
        var audit = await coordinator.GetFromJsonAsync<List<AuditDto>>("/api/v1/audit?entityType=admin1", Ct);
        Assert.Contains(audit!, a => a.EntityKey == "CL16" && a.Action == "update");
    }

    [Fact]
    public async Task PlanPage_ShowsSectors_AndSavesTargetsForTheCoordinator()
    {
        var viewer = await app.SignedInClientAsync(R.Viewer);
        var html = await viewer.GetStringAsync("/admin/plan?year=2020&lang=es", Ct);
        Assert.Contains("Violencia basada en género", html, StringComparison.Ordinal);
        Assert.Contains("57,100,000".Replace(",", ".", StringComparison.Ordinal), html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Targets[0].Target\"", await viewer.GetStringAsync($"/admin/plan?year={Year}&country=ECU", Ct), StringComparison.Ordinal);

        var coordinator = await app.SignedInClientAsync(R.Coordinator, null, "ECU");
        var page = $"/admin/plan?year={Year}&country=ECU";
        Assert.Contains("name=\"Targets[0].Target\"", await coordinator.GetStringAsync(page, Ct), StringComparison.Ordinal);
        var response = await coordinator.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Targets[0].Indicator"] = "WSH-01", ["Targets[0].Group"] = "host", ["Targets[0].Target"] = "777", ["Targets[0].PeopleInNeed"] = "9000",
            ["Source"] = "Ecuador platform, plan review 2026-05",
            ["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(coordinator, page),
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var plan = await app.Client().GetFromJsonAsync<PlanDto>($"/api/v1/plans/{Year}", Ct);
        Assert.Contains(plan!.Targets, t => t is { Country: "ECU", Indicator: "WSH-01", PopulationGroup: "host", Target: 777, Source: "Ecuador platform, plan review 2026-05" } && t.SetAt != null);
        // Rows the post did not change keep their own source.
        Assert.Contains(plan.Targets, t => t is { Country: "ECU", Indicator: "WSH-01", PopulationGroup: "destination", Source: DemoTargets.Source });
    }

    [Fact]
    public async Task ReportPage_ShowsEveryRevision_ToThoseWhoMayReadIt()
    {
        var admin = await ReportsSuite<TApp>.ApiAsAsync(app, R.Admin);
        var created = await admin.PostAsJsonAsync("/api/v1/reports", new
        {
            org = "CRPER", country = "PER", admin1 = "PE20", indicator = "HEA-01", month = ReportsSuite<TApp>.ThisMonth, populationGroup = "transit", girls = 1, boys = 2, women = 3, men = 4,
        }, Ct);
        var report = (await created.Content.ReadFromJsonAsync<ReportDto>(Ct))!;
        await admin.PutAsJsonAsync($"/api/v1/reports/{report.Id}", new { girls = 8, boys = 2, women = 3, men = 4 }, Ct);
        var browser = await app.SignedInClientAsync(R.Admin);
        var html = await browser.GetStringAsync($"/admin/reports/{report.Id}", Ct);
        Assert.Contains("girls: 1", html, StringComparison.Ordinal);
        Assert.Contains("girls: 8", html, StringComparison.Ordinal);
        var other = await app.SignedInClientAsync(R.FocalPoint, "CAMPO", "COL");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/admin/reports/{report.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task PublicCoordinationEndpoints_SetNoCookie()
    {
        foreach (var path in new[] { "/api/v1/countries", "/api/v1/countries/COL", $"/api/v1/plans/{Year}", "/api/v1/organisations" })
        {
            var response = await app.Client().GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("Set-Cookie"), path);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client().GetAsync("/api/v1/reports", Ct)).StatusCode);
    }
}

public sealed class PlanSqlite(SqliteApp app) : PlanSuite<SqliteApp>(app);
public sealed class PlanPostgres(PostgresApp app) : PlanSuite<PostgresApp>(app);

/// <summary>Organisation profiles with countries of operation and logo, edited by their own focal point, audited.</summary>
public abstract class OrganisationProfileSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FocalPoint_SetsCountriesAndLogo_OfItsOwnOrganisation_AndTheChangeIsAudited()
    {
        var focal = await ReportsSuite<TApp>.ApiAsAsync(app, R.FocalPoint, "ISTMO");
        var put = await focal.PutAsJsonAsync("/api/v1/organisations/ISTMO", new
        {
            name = "Red Istmo Solidario (demo)", website = "https://istmo.example.org", logoUrl = "https://istmo.example.org/logo.png", countries = new[] { "PAN", "CRI", "MEX" },
        }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var org = await app.Client().GetFromJsonAsync<Closer.Web.Features.Organisations.OrganisationDto>("/api/v1/organisations/ISTMO", Ct);
        Assert.Equal(["CRI", "MEX", "PAN"], org!.Countries);
        Assert.Equal("https://istmo.example.org/logo.png", org.LogoUrl);

        var bad = await focal.PutAsJsonAsync("/api/v1/organisations/ISTMO", new { name = "x", website = "", countries = new[] { "XXX" } }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var badLogo = await focal.PutAsJsonAsync("/api/v1/organisations/ISTMO", new { name = "x", website = "", logoUrl = "javascript:alert(1)" }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badLogo.StatusCode);

        var admin = await ReportsSuite<TApp>.ApiAsAsync(app, R.Admin);
        var audit = await admin.GetFromJsonAsync<List<AuditDto>>("/api/v1/audit?entityType=organisation&entityKey=ISTMO", Ct);
        Assert.Contains(audit!, a => a.Changes!.Contains("\"countries\":[\"CRI,PAN\",\"CRI,MEX,PAN\"]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProfilePage_SavesCountriesOfOperation_WithoutJavaScript()
    {
        var client = await app.SignedInClientAsync(R.FocalPoint, "KARIBE");
        var token = await AppFixture.AntiforgeryTokenAsync(client, "/admin/organisations/KARIBE");
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Name", "Fundashon Karibe Uní (demo)"), new("Website", ""), new("LogoUrl", ""), new("countriesShown", "1"),
            new("countries", "CUW"), new("countries", "ABW"), new("countries", "DOM"), new("__RequestVerificationToken", token),
        };
        var response = await client.PostAsync("/admin/organisations/KARIBE", new FormUrlEncodedContent(fields), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var org = await app.Client().GetFromJsonAsync<Closer.Web.Features.Organisations.OrganisationDto>("/api/v1/organisations/KARIBE", Ct);
        Assert.Equal(["ABW", "CUW", "DOM"], org!.Countries);
    }
}

public sealed class OrganisationProfileSqlite(SqliteApp app) : OrganisationProfileSuite<SqliteApp>(app);
public sealed class OrganisationProfilePostgres(PostgresApp app) : OrganisationProfileSuite<PostgresApp>(app);
