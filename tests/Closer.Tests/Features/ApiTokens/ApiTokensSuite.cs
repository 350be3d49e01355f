using System.Net;
using System.Net.Http.Headers;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Accounts;
using Closer.Web.Features.ApiTokens;
using Microsoft.AspNetCore.Identity;

namespace Closer.Tests.Features.ApiTokens;

public abstract class ApiTokensSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(string Plain, int Id)> TokenForAsync(string role, string? org = null, params string[] countries)
    {
        var (email, _) = await app.CreateUserAsync(role, org, countries);
        await using var scope = app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        var (token, plain) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(user!.Id, "test tool", Ct);
        return (plain, token.Id);
    }

    private HttpClient Bearer(string token) => app.BearerClient(token);

    [Fact]
    public async Task Token_Authenticates_AndCarriesRoleOrganisationAndCountries()
    {
        var (plain, _) = await TokenForAsync(R.FocalPoint, "FPUENTE", "COL", "ECU");
        var me = await Bearer(plain).GetFromJsonAsync<MeDto>("/api/v1/me", Ct);
        Assert.NotNull(me);
        Assert.Equal([R.FocalPoint], me.Roles);
        Assert.Equal(["COL", "ECU"], me.Countries);
        Assert.NotNull(me.OrganisationId);
        Assert.Equal("Bearer", me.AuthenticatedBy);
    }

    [Fact]
    public async Task Token_IsStoredHashedOnly()
    {
        var (plain, id) = await TokenForAsync(R.Viewer);
        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<Closer.Web.Infrastructure.Data.CloserDbContext>().ApiTokens.FindAsync([id], Ct);
        Assert.NotNull(stored);
        Assert.NotEqual(plain, stored.Hash);
        Assert.Equal(ApiTokenService.Hash(plain), stored.Hash);
        Assert.DoesNotContain(plain[12..], stored.Prefix + stored.Name);
    }

    [Fact]
    public async Task RevokedToken_IsRefused()
    {
        var (plain, id) = await TokenForAsync(R.Viewer);
        var client = Bearer(plain);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me", Ct)).StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<ApiTokenService>().RevokeAsync(id, "test", Ct));
        }
        var response = await client.GetAsync("/api/v1/me", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RevokeFromAdminPage_ByOwner_StopsTheToken()
    {
        var (email, password) = await app.CreateUserAsync(R.Editor);
        var client = app.Client();
        await AppFixture.SignInAsync(client, email, password);
        var af = await AppFixture.AntiforgeryTokenAsync(client, "/admin/tokens");
        var created = await client.PostAsync("/admin/tokens?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "my script",
            ["__RequestVerificationToken"] = af,
        }), Ct);
        var html = await created.Content.ReadAsStringAsync(Ct);
        var plain = System.Text.RegularExpressions.Regex.Match(html, "<code class=\"token\">(clo_[^<]+)</code>").Groups[1].Value;
        Assert.StartsWith("clo_", plain);
        Assert.Equal(HttpStatusCode.OK, (await Bearer(plain).GetAsync("/api/v1/me", Ct)).StatusCode);

        var id = System.Text.RegularExpressions.Regex.Match(html, "name=\"id\" value=\"(\\d+)\"").Groups[1].Value;
        var revoked = await client.PostAsync("/admin/tokens?handler=Revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = id,
            ["__RequestVerificationToken"] = af,
        }), Ct);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Bearer(plain).GetAsync("/api/v1/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task SomeoneElsesToken_CannotBeRevokedByANonAdmin()
    {
        var (_, id) = await TokenForAsync(R.Viewer);
        var client = await app.SignedInClientAsync(R.Editor);
        var af = await AppFixture.AntiforgeryTokenAsync(client, "/admin/tokens");
        var response = await client.PostAsync("/admin/tokens?handler=Revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["__RequestVerificationToken"] = af,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString);
        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<Closer.Web.Infrastructure.Data.CloserDbContext>().ApiTokens.FindAsync([id], Ct);
        Assert.Null(stored!.RevokedAt);
    }

    [Theory]
    [InlineData("clo_thisisnotarealtokenatallbutlookslikeone123456")]
    [InlineData("nonsense")]
    [InlineData("")]
    public async Task UnknownOrMalformedToken_Is401ProblemDetails(string token)
    {
        var client = app.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Anonymous_Api_Is401_NotARedirect()
    {
        var response = await app.Client().GetAsync("/api/v1/me", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task CookieAuthenticatedApiWrite_WithoutAntiforgery_Is400_AndChangesNothing()
    {
        var client = await app.SignedInClientAsync(R.Admin);
        var response = await client.PutAsJsonAsync("/api/v1/organisations/MANOS", new { name = "Hijacked", website = "https://evil.invalid" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var org = await app.Client().GetFromJsonAsync<Closer.Web.Features.Organisations.OrganisationDto>("/api/v1/organisations/MANOS", Ct);
        Assert.NotEqual("Hijacked", org!.Name);
    }

    [Fact]
    public async Task TokenAuthenticatedApiWrite_NeedsNoAntiforgery()
    {
        var (plain, _) = await TokenForAsync(R.Admin);
        var response = await Bearer(plain).PutAsJsonAsync("/api/v1/organisations/SERENA", new { name = "Asociación Serena (demo)", website = "https://serena.example.org" }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class ApiTokensSqlite(SqliteApp app) : ApiTokensSuite<SqliteApp>(app);
public sealed class ApiTokensPostgres(PostgresApp app) : ApiTokensSuite<PostgresApp>(app);
