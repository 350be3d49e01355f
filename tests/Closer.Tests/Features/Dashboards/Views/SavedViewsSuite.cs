using System.Net;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Dashboards.Views;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Dashboards.Views;

/// <summary>Saved views: who reads a private, organisation and country view (every role), who may change them, soft delete and restore, audit, errors.</summary>
public abstract class SavedViewsSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(string OrgA, string OrgB)> OrgsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var orgs = await db.Organisations.OrderBy(o => o.Id).Select(o => o.Acronym).Take(2).ToListAsync(Ct);
        return (orgs[0], orgs[1]);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string handler, Dictionary<string, string> form, int? id = null, string lang = "en")
    {
        form["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(client, "/en/data/views?view=year%3D2026");
        var idPart = id is { } i ? $"&id={i}" : "";
        return await client.PostAsync($"/{lang}/data/views?handler={handler}{idPart}", new FormUrlEncodedContent(form), Ct);
    }

    private static async Task<int> SaveAsync(HttpClient client, string name, string sharing, string? country = null)
    {
        var form = new Dictionary<string, string> { ["name"] = name, ["query"] = "country=col&year=2026&utm=1", ["sharing"] = sharing };
        if (country is not null)
        {
            form["country"] = country;
        }
        var response = await PostAsync(client, "Save", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return int.Parse(Regex.Match(response.Headers.Location!.OriginalString, "#view-(\\d+)$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> ListAsync(HttpClient client) => await client.GetStringAsync("/en/data/views", Ct);

    [Fact]
    public async Task SharedViews_AreReadByTheirScopeOnly_ForEveryRole()
    {
        var (orgA, orgB) = await OrgsAsync();
        var owner = await app.SignedInClientAsync(Roles.OrgFocalPoint, orgA, "COL");
        var tag = Guid.NewGuid().ToString("N")[..8];
        await SaveAsync(owner, $"private-{tag}", "Private");
        await SaveAsync(owner, $"org-{tag}", "Organisation");
        await SaveAsync(owner, $"country-{tag}", "Country", "COL");
        var mine = await ListAsync(owner);
        Assert.Contains($"private-{tag}", mine, StringComparison.Ordinal);
        // The stored query is the permalink's canonical form.
        // (state keys in their fixed order, unknown keys such as utm dropped)
        Assert.Matches("href=\"/en/data\\?year=2026&amp;country=(?i:col)\"", mine);

        var readers = new List<(string Who, HttpClient Client, bool Org, bool Country)>();
        foreach (var role in Roles.All)
        {
            readers.Add(($"{role} of org A, elsewhere", await app.SignedInClientAsync(role, orgA, "PER"), true, role == Roles.PlatformAdmin));
            readers.Add(($"{role} of org B in COL", await app.SignedInClientAsync(role, orgB, "COL"), false, true));
        }
        readers.Add(("member of no organisation, no country", await app.SignedInClientAsync(Roles.Viewer), false, false));
        foreach (var (who, client, org, country) in readers)
        {
            var html = await ListAsync(client);
            Assert.False(html.Contains($"private-{tag}", StringComparison.Ordinal), $"{who} reads a private view");
            Assert.True(org == html.Contains($"org-{tag}", StringComparison.Ordinal), $"{who}: organisation view");
            Assert.True(country == html.Contains($"country-{tag}", StringComparison.Ordinal), $"{who}: country view");
        }
        var anonymous = await app.Client().GetAsync("/en/data/views", Ct);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/account/login", anonymous.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheOwner_RenamesDeletesAndRestores_EachAudited()
    {
        var (orgA, _) = await OrgsAsync();
        var owner = await app.SignedInClientAsync(Roles.OrgFocalPoint, orgA, "COL");
        var colleague = await app.SignedInClientAsync(Roles.CountryCoordinator, orgA, "COL");
        var admin = await app.SignedInClientAsync(Roles.PlatformAdmin);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var id = await SaveAsync(owner, $"shared-{tag}", "Organisation");
        foreach (var other in new[] { colleague, admin })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(other, "Rename", new() { ["name"] = "taken over" }, id)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(other, "Delete", [], id)).StatusCode);
        }
        Assert.Contains($"shared-{tag}", await ListAsync(colleague), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(owner, "Rename", new() { ["name"] = $"renamed-{tag}" }, id)).StatusCode);
        Assert.Contains($"renamed-{tag}", await ListAsync(colleague), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(owner, "Delete", [], id)).StatusCode);
        Assert.DoesNotContain($"renamed-{tag}", await ListAsync(colleague), StringComparison.Ordinal);
        var deleted = Regex.Match(await ListAsync(owner), "<section aria-labelledby=\"views-deleted\">.*?</section>", RegexOptions.Singleline).Value;
        Assert.Contains($"renamed-{tag}", deleted, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(owner, "Restore", [], id)).StatusCode);
        Assert.Contains($"renamed-{tag}", await ListAsync(colleague), StringComparison.Ordinal);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var actions = await db.AuditEntries.Where(a => a.EntityType == "saved-view" && a.EntityKey == key).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(Ct);
        Assert.Equal(["create", "update", "delete", "restore"], actions);
        Assert.Equal(1, await db.SavedViews.CountAsync(v => v.Id == id && v.DeletedAt == null, Ct));
    }

    [Fact]
    public async Task BadInput_IsRefusedInTheReadersLanguage_AndSavesNothing()
    {
        var (orgA, _) = await OrgsAsync();
        var owner = await app.SignedInClientAsync(Roles.OrgFocalPoint, orgA, "COL");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var before = await db.SavedViews.CountAsync(Ct);
        var empty = await PostAsync(owner, "Save", new() { ["name"] = " ", ["query"] = "year=2026", ["sharing"] = "Private" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("id=\"views-error\"", await empty.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var outside = await PostAsync(owner, "Save", new() { ["name"] = "Peru", ["query"] = "year=2026", ["sharing"] = "Country", ["country"] = "PER" });
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("only with a country of your own scope", await outside.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var lone = await app.SignedInClientAsync(Roles.Viewer);
        var noOrg = await PostAsync(lone, "Save", new() { ["name"] = "Mine", ["query"] = "year=2026", ["sharing"] = "Organisation" });
        Assert.Equal(HttpStatusCode.BadRequest, noOrg.StatusCode);
        // A state the dashboard does not know is refused in the reader's language (the page would show something else).
        foreach (var query in new[] { "group=refugees", "year=1900", "country=XXX", "sector=NOPE", "chart=pie", "country=COL&admin1=PE15", "c=ZZZ" })
        {
            var unknown = await PostAsync(owner, "Save", new() { ["name"] = "Odd", ["query"] = query, ["sharing"] = "Private" });
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("values the dashboard does not know", await unknown.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        var pap = await PostAsync(owner, "Save", new() { ["name"] = "Odd", ["query"] = "group=refugees", ["sharing"] = "Private" }, lang: "pap");
        Assert.Contains("balornan ku e dashboard no konosé (group=refugees)", WebUtility.HtmlDecode(await pap.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal(before, await db.SavedViews.CountAsync(Ct));
        // The data page offers to save its state.
        var data = await app.Client().GetStringAsync("/pap/data?country=COL", Ct);
        Assert.Contains("href=\"/pap/data/views?view=country%3DCOL\"", data, StringComparison.Ordinal);
    }
}

public sealed class SavedViewsSqlite(SqliteApp app) : SavedViewsSuite<SqliteApp>(app);
public sealed class SavedViewsPostgres(PostgresApp app) : SavedViewsSuite<PostgresApp>(app);
