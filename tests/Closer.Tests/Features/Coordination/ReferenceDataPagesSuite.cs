using System.Net;
using Closer.Tests.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Coordination;

/// <summary>
/// The back-office pages that edit reference data — population figures, admin1 areas, organisations — driven as a
/// browser without JavaScript would: they change data, audit it, and refuse people outside the country's scope.
/// </summary>
public abstract class ReferenceDataPagesSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string tokenPage, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(client, tokenPage);
        return await client.PostAsync(path, new FormUrlEncodedContent(fields), Ct);
    }

    private static void AssertDenied(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/denied", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    private async Task<T> DbAsync<T>(Func<CloserDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CloserDbContext>());
    }

    public static TheoryData<string, string[], bool> Roles => new()
    {
        // role, countries, may open the editing pages of Guyana (admin1) and the new-organisation form
        { R.Admin, [], true },
        { R.Coordinator, ["GUY"], true },
        { R.Coordinator, ["PER"], false },
        { R.FocalPoint, ["GUY"], false },
        { R.Viewer, [], false },
        { R.Editor, [], false },
        { R.Translator, [], false },
        { Closer.Web.Infrastructure.Security.Roles.Moderator, [], false },
    };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task EditingPages_OpenOnlyToAdminsAndTheCountrysCoordinators(string role, string[] countries, bool allowed)
    {
        var client = await app.SignedInClientAsync(role, role == R.FocalPoint ? "FINF" : null, countries);
        foreach (var page in new[] { "/admin/countries/GUY/admin1/GY04", "/admin/countries/GUY/admin1" })
        {
            var response = await client.GetAsync(page, Ct);
            if (allowed)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            else
            {
                AssertDenied(response);
            }
        }
        var form = await client.GetAsync("/admin/organisations/new", Ct);
        // Any coordinator may add an organisation in their own countries.
        if (allowed || role == R.Coordinator)
        {
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        }
        else
        {
            AssertDenied(form);
        }
        var country = await client.GetStringAsync("/admin/countries/GUY", Ct);
        Assert.Equal(allowed, country.Contains("name=\"Figure.Source\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await app.Client().GetAsync("/admin/countries/GUY/admin1/GY04", Ct)).StatusCode);
    }

    [Fact]
    public async Task FigureForm_AddsAndCorrects_KeepingTheOldValueInTheHistory_AndRefusesOthers()
    {
        var coordinator = await app.SignedInClientAsync(R.Coordinator, null, "BOL");
        Dictionary<string, string> Figure(string n) => new()
        {
            ["Figure.AsOf"] = "2026-01", ["Figure.RefugeesAndMigrants"] = n, ["Figure.Source"] = "R4V Bolivia 2026-01", ["Figure.Precision"] = "rounded",
        };
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(coordinator, "/admin/countries/BOL?handler=Figure", "/admin/countries/BOL", Figure("21000"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(coordinator, "/admin/countries/BOL?handler=Figure", "/admin/countries/BOL", Figure("21500"))).StatusCode);
        Assert.Equal(21_500, await DbAsync(db => db.PopulationFigures.Where(f => f.CountryIso3 == "BOL" && f.AsOf == "2026-01").Select(f => f.RefugeesAndMigrants).SingleAsync(Ct)));
        var audit = await DbAsync(db => db.AuditEntries.Where(a => a.EntityType == "figure" && a.EntityKey == "BOL|2026-01").OrderBy(a => a.Id).ToListAsync(Ct));
        Assert.Equal(["create", "update"], audit.Select(a => a.Action));
        Assert.Contains("21000", audit[1].Changes, StringComparison.Ordinal);
        Assert.Contains("21000", await coordinator.GetStringAsync("/admin/countries/BOL", Ct), StringComparison.Ordinal);

        // Invalid: a localized error, nothing saved.
        var invalid = await PostFormAsync(coordinator, "/admin/countries/BOL?handler=Figure&lang=es", "/admin/countries/BOL", new()
        {
            ["Figure.AsOf"] = "2026-13", ["Figure.RefugeesAndMigrants"] = "-5", ["Figure.Source"] = "", ["Figure.Precision"] = "rounded",
        });
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Contains("No se guardó nada", await invalid.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.False(await DbAsync(db => db.PopulationFigures.AnyAsync(f => f.AsOf == "2026-13", Ct)));

        var other = await app.SignedInClientAsync(R.Coordinator, null, "PER");
        AssertDenied(await PostFormAsync(other, "/admin/countries/BOL?handler=Figure", "/admin/countries/PER", Figure("1")));
        Assert.Equal(21_500, await DbAsync(db => db.PopulationFigures.Where(f => f.CountryIso3 == "BOL" && f.AsOf == "2026-01").Select(f => f.RefugeesAndMigrants).SingleAsync(Ct)));
    }

    [Fact]
    public async Task Admin1Page_AddsRenamesInEachLanguage_RetiresAndRestores_Audited()
    {
        var coordinator = await app.SignedInClientAsync(R.Coordinator, null, "GUY");
        var renamed = await PostFormAsync(coordinator, "/admin/countries/GUY/admin1/GY04", "/admin/countries/GUY/admin1/GY04", new()
        {
            ["Input.Name"] = "Demerara-Mahaica", ["Input.NameEs"] = "Demerara-Mahaica (Región 4)", ["Input.NamePap"] = "Demerara-Mahaica (Region 4)", ["Input.Retired"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        var area = await DbAsync(db => db.Admin1Areas.SingleAsync(a => a.PCode == "GY04", Ct));
        Assert.Equal(("Demerara-Mahaica (Región 4)", "Demerara-Mahaica"), (area.LocalName("es"), area.LocalName("en")));
        Assert.NotNull(area.RetiredAt);
        // Restoring: the box left unticked.
        await PostFormAsync(coordinator, "/admin/countries/GUY/admin1/GY04", "/admin/countries/GUY/admin1/GY04", new()
        {
            ["Input.Name"] = "Demerara-Mahaica", ["Input.NameEs"] = "Demerara-Mahaica (Región 4)", ["Input.NamePap"] = "Demerara-Mahaica (Region 4)",
        });
        Assert.Null(await DbAsync(db => db.Admin1Areas.Where(a => a.PCode == "GY04").Select(a => a.RetiredAt).SingleAsync(Ct)));
        var actions = await DbAsync(db => db.AuditEntries.Where(a => a.EntityType == "admin1" && a.EntityKey == "GY04").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(Ct));
        Assert.Equal(["retire", "restore"], actions);
        Assert.Contains("Demerara-Mahaica (Región 4)", await coordinator.GetStringAsync("/admin/countries/GUY?lang=es", Ct), StringComparison.Ordinal);

        // Adding: a new code is created; an existing code is not taken over.
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(coordinator, "/admin/countries/GUY/admin1", "/admin/countries/GUY/admin1", new()
        {
            ["PCode"] = "gy11", ["Input.Name"] = "Test region",
        })).StatusCode);
        Assert.True(await DbAsync(db => db.Admin1Areas.AnyAsync(a => a.PCode == "GY11" && a.CountryIso3 == "GUY", Ct)));
        var taken = await PostFormAsync(coordinator, "/admin/countries/GUY/admin1", "/admin/countries/GUY/admin1", new() { ["PCode"] = "GY01", ["Input.Name"] = "Hijack" });
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Equal("Barima-Waini", await DbAsync(db => db.Admin1Areas.Where(a => a.PCode == "GY01").Select(a => a.Name).SingleAsync(Ct)));

        var other = await app.SignedInClientAsync(R.Coordinator, null, "PER");
        AssertDenied(await PostFormAsync(other, "/admin/countries/GUY/admin1/GY04", "/admin/countries/PER", new() { ["Input.Name"] = "X" }));
        Assert.Equal("Demerara-Mahaica", await DbAsync(db => db.Admin1Areas.Where(a => a.PCode == "GY04").Select(a => a.Name).SingleAsync(Ct)));
    }

    [Fact]
    public async Task OrganisationPages_CreateInScope_DeactivateAndReactivate_Audited()
    {
        var coordinator = await app.SignedInClientAsync(R.Coordinator, null, "PAN");
        var created = await PostFormAsync(coordinator, "/admin/organisations/new", "/admin/organisations/new", new()
        {
            ["Acronym"] = "canal", ["Name"] = "Fundación Canal (demo)", ["Type"] = "NationalNgo", ["Countries"] = "PAN",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.True(await DbAsync(db => db.Organisations.AnyAsync(o => o.Acronym == "CANAL" && o.Countries.Any(c => c.CountryIso3 == "PAN"), Ct)));
        // Out of the coordinator's countries: refused with a message, nothing created.
        var outside = await PostFormAsync(coordinator, "/admin/organisations/new?lang=pt", "/admin/organisations/new", new()
        {
            ["Acronym"] = "FORA", ["Name"] = "Fora", ["Type"] = "NationalNgo", ["Countries"] = "COL",
        });
        Assert.Equal(HttpStatusCode.OK, outside.StatusCode);
        Assert.Contains("Somente um administrador", await outside.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.False(await DbAsync(db => db.Organisations.AnyAsync(o => o.Acronym == "FORA", Ct)));

        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(coordinator, "/admin/organisations/CANAL?handler=Active", "/admin/organisations/CANAL", new() { ["active"] = "false" })).StatusCode);
        Assert.NotNull(await DbAsync(db => db.Organisations.Where(o => o.Acronym == "CANAL").Select(o => o.DeactivatedAt).SingleAsync(Ct)));
        Assert.Contains("Inactive", await coordinator.GetStringAsync("/admin/organisations", Ct), StringComparison.Ordinal);
        await PostFormAsync(coordinator, "/admin/organisations/CANAL?handler=Active", "/admin/organisations/CANAL", new() { ["active"] = "true" });
        Assert.Null(await DbAsync(db => db.Organisations.Where(o => o.Acronym == "CANAL").Select(o => o.DeactivatedAt).SingleAsync(Ct)));
        var actions = await DbAsync(db => db.AuditEntries.Where(a => a.EntityType == "organisation" && a.EntityKey == "CANAL").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(Ct));
        Assert.Equal(["create", "deactivate", "reactivate"], actions);

        // AREF works in all 17 countries: only an admin deactivates it.
        AssertDenied(await PostFormAsync(coordinator, "/admin/organisations/AREF?handler=Active", "/admin/organisations/AREF", new() { ["active"] = "false" }));
        var focal = await app.SignedInClientAsync(R.FocalPoint, "ISTMO", "PAN");
        AssertDenied(await PostFormAsync(focal, "/admin/organisations/ISTMO?handler=Active", "/admin/organisations/ISTMO", new() { ["active"] = "false" }));
        Assert.Null(await DbAsync(db => db.Organisations.Where(o => o.Acronym == "AREF").Select(o => o.DeactivatedAt).SingleAsync(Ct)));
    }
}

public sealed class ReferenceDataPagesSqlite(SqliteApp app) : ReferenceDataPagesSuite<SqliteApp>(app);
public sealed class ReferenceDataPagesPostgres(PostgresApp app) : ReferenceDataPagesSuite<PostgresApp>(app);
