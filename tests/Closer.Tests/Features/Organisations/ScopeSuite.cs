using System.Net;
using System.Net.Http.Headers;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Accounts;
using Closer.Web.Features.ApiTokens;
using Microsoft.AspNetCore.Identity;

namespace Closer.Tests.Features.Organisations;

/// <summary>Organisation scope through the API and the back office: an OrgFocalPoint of org A is refused org B.</summary>
public abstract class ScopeSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<HttpClient> ApiAsAsync(string role, string? org = null, params string[] countries) =>
        app.ApiClientAsync(role, org, countries);

    public static TheoryData<string, string?, string, HttpStatusCode, HttpStatusCode> Matrix => new()
    {
        // role, user's org, target org, GET members, PUT profile
        { R.Admin, null, "ACOGIDA", HttpStatusCode.OK, HttpStatusCode.OK },
        { R.FocalPoint, "ACOGIDA", "ACOGIDA", HttpStatusCode.OK, HttpStatusCode.OK },
        { R.FocalPoint, "ACOGIDA", "LAZOS", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden },
        { R.Coordinator, null, "LAZOS", HttpStatusCode.OK, HttpStatusCode.Forbidden },
        { Closer.Web.Infrastructure.Security.Roles.Viewer, "LAZOS", "LAZOS", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden },
        { Closer.Web.Infrastructure.Security.Roles.Editor, null, "LAZOS", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden },
        { Closer.Web.Infrastructure.Security.Roles.Moderator, null, "LAZOS", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden },
        { Closer.Web.Infrastructure.Security.Roles.Translator, null, "LAZOS", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task OrganisationEndpoints_FollowRoleAndScope(string role, string? userOrg, string target, HttpStatusCode read, HttpStatusCode edit)
    {
        var client = await ApiAsAsync(role, userOrg, role == R.Coordinator ? ["PER"] : []);
        Assert.Equal(read, (await client.GetAsync($"/api/v1/organisations/{target}/members", Ct)).StatusCode);
        var before = await app.Client().GetFromJsonAsync<Closer.Web.Features.Organisations.OrganisationDto>($"/api/v1/organisations/{target}", Ct);
        var put = await client.PutAsJsonAsync($"/api/v1/organisations/{target}", new { name = before!.Name, website = $"https://{role.ToLowerInvariant()}.example.org" }, Ct);
        Assert.Equal(edit, put.StatusCode);
        var after = await app.Client().GetFromJsonAsync<Closer.Web.Features.Organisations.OrganisationDto>($"/api/v1/organisations/{target}", Ct);
        if (edit != HttpStatusCode.OK)
        {
            Assert.Equal(before.Website, after!.Website);
            Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        }
        else
        {
            Assert.Equal($"https://{role.ToLowerInvariant()}.example.org", after!.Website);
        }
    }

    [Fact]
    public async Task FocalPoint_CannotEditAnotherOrganisationFromTheBackOffice()
    {
        var client = await app.SignedInClientAsync(R.FocalPoint, "MANOS");
        var af = await AppFixture.AntiforgeryTokenAsync(client, "/admin/organisations/MANOS");
        var own = await client.PostAsync("/admin/organisations/MANOS", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "Manos Unidas por el Sur (demo)", ["Website"] = "https://manos.example.org", ["__RequestVerificationToken"] = af,
        }), Ct);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("Saved.", await own.Content.ReadAsStringAsync(Ct));

        var other = await client.PostAsync("/admin/organisations/CAMPO", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "Taken over", ["Website"] = "https://evil.invalid", ["__RequestVerificationToken"] = af,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        Assert.StartsWith("/account/denied", other.Headers.Location?.PathAndQuery ?? other.Headers.Location?.OriginalString);
        var campo = await app.Client().GetFromJsonAsync<Closer.Web.Features.Organisations.OrganisationDto>("/api/v1/organisations/CAMPO", Ct);
        Assert.NotEqual("Taken over", campo!.Name);
    }

    [Fact]
    public async Task InvalidWebsite_Is422WithFieldErrors_AndChangesNothing()
    {
        var client = await ApiAsAsync(R.Admin);
        var response = await client.PutAsJsonAsync("/api/v1/organisations/ISTMO", new { name = "x", website = "javascript:alert(1)" }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("\"column\":\"website\"", body);
        var org = await app.Client().GetFromJsonAsync<Closer.Web.Features.Organisations.OrganisationDto>("/api/v1/organisations/ISTMO", Ct);
        Assert.NotEqual("x", org!.Name);
    }

    [Fact]
    public async Task UnknownOrganisation_Is404Problem()
    {
        var response = await app.Client().GetAsync("/api/v1/organisations/NOPE", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class ScopeSqlite(SqliteApp app) : ScopeSuite<SqliteApp>(app);
public sealed class ScopePostgres(PostgresApp app) : ScopeSuite<PostgresApp>(app);
