using System.Net;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Accounts.Users;

/// <summary>The back-office pages of users and roles: who opens them, the invitation form, deactivation from the page.</summary>
public abstract partial class UserPagesSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string?, string[], bool> Pages => new()
    {
        // role, organisation, countries → opens /admin/users and /admin/users/invite
        { R.Admin, null, [], true },
        { R.Coordinator, null, ["COL"], true },
        { R.FocalPoint, "FPUENTE", ["COL"], true },
        { R.Viewer, "FPUENTE", ["COL"], false },
        { R.Editor, null, [], false },
        { R.Translator, null, [], false },
        { Roles.Moderator, null, [], false },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task UserPages_OpenForThoseWhoManagePeople_Only(string role, string? org, string[] countries, bool opens)
    {
        var client = await app.SignedInClientAsync(role, org, countries);
        foreach (var path in new[] { "/admin/users", "/admin/users/invite" })
        {
            var response = await client.GetAsync(path, Ct);
            if (opens)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.StartsWith("/account/denied", response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString);
            }
        }
        Assert.Equal(opens, (await client.GetStringAsync("/admin/", Ct)).Contains("href=\"/admin/users\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Anonymous_IsSentToSignIn()
    {
        var response = await app.Client().GetAsync("/admin/users", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task FocalPoint_InvitesAColleagueFromThePage_AndDeactivatesThem()
    {
        var client = await app.SignedInClientAsync(R.FocalPoint, "CAMPO", "COL");
        var form = await client.GetStringAsync("/admin/users/invite", Ct);
        // The form offers the focal point's own organisation and roles no higher than theirs.
        Assert.Contains("value=\"CAMPO\"", form);
        Assert.DoesNotContain("value=\"MANOS\"", form);
        Assert.DoesNotContain("value=\"PlatformAdmin\"", form);
        Assert.DoesNotContain("value=\"CountryCoordinator\"", form);
        var token = await AppFixture.AntiforgeryTokenAsync(client, "/admin/users/invite");
        var email = $"colleague-{Guid.NewGuid():N}@test.invalid";
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Name", "Colega Nueva"), new("Email", email), new("Language", "pap"), new("Organisation", "CAMPO"),
            new("Roles", "Viewer"), new("Countries", "COL"), new("__RequestVerificationToken", token),
        };
        var posted = await client.PostAsync("/admin/users/invite", new FormUrlEncodedContent(fields), Ct);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var detail = posted.Headers.Location!.OriginalString;
        Assert.StartsWith("/admin/users/", detail);
        Assert.Contains("The invitation has been sent.", await client.GetStringAsync(detail, Ct));

        // Another organisation is refused with a message, and nobody is created.
        var other = $"other-{Guid.NewGuid():N}@test.invalid";
        var refused = await client.PostAsync("/admin/users/invite", new FormUrlEncodedContent(
        [
            new("Name", "Someone Else"), new("Email", other), new("Organisation", "MANOS"), new("Roles", "Viewer"),
            new("Countries", "COL"), new("__RequestVerificationToken", token),
        ]), Ct);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("You may not give these roles or this scope.", await refused.Content.ReadAsStringAsync(Ct));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.False(await scope.ServiceProvider.GetRequiredService<CloserDbContext>().Users.AnyAsync(u => u.Email == other, Ct));
        }

        var id = detail.Split('?')[0]["/admin/users/".Length..];
        var deactivated = await client.PostAsync($"/admin/users/{id}?handler=Deactivate", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", await AppFixture.AntiforgeryTokenAsync(client, detail))]), Ct);
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.Contains("The account is deactivated", await deactivated.Content.ReadAsStringAsync(Ct));
        var list = await client.GetStringAsync("/admin/users?status=deactivated", Ct);
        Assert.Contains(email, list);
        Assert.DoesNotContain(email, await client.GetStringAsync("/admin/users?status=active", Ct));
    }

    [Fact]
    public async Task PagePost_WithoutAntiforgeryToken_Is400()
    {
        var client = await app.SignedInClientAsync(R.Admin);
        var response = await client.PostAsync("/admin/users/invite", new FormUrlEncodedContent([new("Email", "x@test.invalid")]), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task InvitationPage_WithABadLink_SaysSoInTheLanguageAsked()
    {
        var html = await app.Client().GetStringAsync("/account/invitation?id=nobody&code=forged&lang=es", Ct);
        Assert.Contains("Este enlace de invitación ha caducado", WebUtility.HtmlDecode(html));
        Assert.DoesNotContain("type=\"password\"", html);
    }
}

public sealed class UserPagesSqlite(SqliteApp app) : UserPagesSuite<SqliteApp>(app);
public sealed class UserPagesPostgres(PostgresApp app) : UserPagesSuite<PostgresApp>(app);

/// <summary>An app whose invitations expire at once, so a test can open an expired link without waiting a week.</summary>
public sealed class ExpiringInvitationsApp : SqliteAppBase
{
    protected override void AddSettings(Dictionary<string, string?> settings) => settings["Security:InvitationDays"] = "0";
}

public sealed class ExpiredInvitationTests(ExpiringInvitationsApp app) : IClassFixture<ExpiringInvitationsApp>
{
    [Fact]
    public async Task ExpiredLink_ShowsAClearMessage_AndSetsNoPassword()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await app.ApiClientAsync(R.Admin);
        var email = $"late-{Guid.NewGuid():N}@test.invalid";
        var response = await admin.PostAsJsonAsync("/api/v1/users", new { email, name = "Late Reader", roles = new[] { R.Viewer }, countries = new[] { "COL" } }, ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var mail = MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(await app.WaitForMailAsync(m => m.Contains(email, StringComparison.Ordinal)))));
        var link = new Uri(Regex.Match(mail.TextBody ?? "", @"https?://\S+/account/invitation\S+").Value);
        var html = WebUtility.HtmlDecode(await app.Client().GetStringAsync(link.PathAndQuery, ct));
        Assert.Contains("This invitation link has expired", html);
        Assert.DoesNotContain("type=\"password\"", html);
    }
}
