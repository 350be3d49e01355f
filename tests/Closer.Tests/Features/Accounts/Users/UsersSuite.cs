using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Accounts;
using Closer.Web.Features.Accounts.Users;
using Closer.Web.Features.ApiTokens;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Accounts.Users;

/// <summary>Users and roles in the back office and over the API: invitations, roles with scope, deactivation, audit.</summary>
public abstract partial class UsersSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string NewPassword = "a passphrase of my own 7";

    private static string NewEmail() => $"invitee-{Guid.NewGuid():N}@test.invalid";

    private static object Invite(string email, string? org, string[] roles, params string[] countries) =>
        new { email, name = "Ana Invitada", organisation = org, roles, countries, language = "en" };

    private async Task<T> DbAsync<T>(Func<CloserDbContext, Task<T>> read)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<CloserDbContext>());
    }

    /// <summary>The invitation links mailed to <paramref name="email"/>, oldest first, once <paramref name="count"/> have arrived.</summary>
    private async Task<List<string>> InvitationLinksAsync(string email, int count)
    {
        for (var i = 0; i < 150; i++)
        {
            var links = Directory.Exists(app.MailPickup)
                ? Directory.GetFiles(app.MailPickup, "*.eml").Select(f => MimeKit.MimeMessage.Load(f))
                    .Where(m => m.To.Mailboxes.Any(b => b.Address == email))
                    .OrderBy(m => m.Date).Select(m => LinkPattern().Match(m.TextBody ?? "").Value).Where(l => l.Length > 0).ToList()
                : [];
            if (links.Count >= count)
            {
                return links;
            }
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException($"Fewer than {count} invitations reached {email}.");
    }

    /// <summary>Opens the invitation link and sets a password; returns the page the person sees.</summary>
    private async Task<string> AcceptAsync(string link, string password)
    {
        var client = app.Client();
        var uri = new Uri(link);
        var form = await client.GetStringAsync(uri.PathAndQuery, Ct);
        var token = TokenPattern().Match(form);
        if (!token.Success)
        {
            return form;
        }
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query);
        var response = await client.PostAsync("/account/invitation", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Id"] = query["id"]!, ["Code"] = query["code"]!, ["Password"] = password,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        }), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private static async Task<UserDto> InviteOkAsync(HttpClient client, string email, string? org, string[] roles, params string[] countries)
    {
        var response = await client.PostAsJsonAsync("/api/v1/users", Invite(email, org, roles, countries), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<UserDto>(Ct))!;
    }

    [Fact]
    public async Task Invitation_MailsALinkOnThePublicAddress_ThatSetsAPasswordOnce()
    {
        var admin = await app.ApiClientAsync(R.Admin);
        var email = NewEmail();
        // A forged Host header must not reach the link.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/users") { Content = JsonContent.Create(Invite(email, "FPUENTE", [R.FocalPoint], "COL")) };
        request.Headers.Host = "evil.example";
        var response = await admin.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var invited = (await response.Content.ReadFromJsonAsync<UserDto>(Ct))!;
        Assert.Equal(UserStatus.Invited, invited.Status);
        Assert.Equal([R.FocalPoint], invited.Roles);
        Assert.Equal("FPUENTE", invited.Organisation);

        var link = (await InvitationLinksAsync(email, 1))[0];
        Assert.StartsWith("http://localhost:5080/account/invitation?", link);
        Assert.DoesNotContain("evil.example", link, StringComparison.Ordinal);

        Assert.Contains("Your password is set", await AcceptAsync(link, NewPassword));
        var signIn = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.SignInAsync(signIn, email, NewPassword)).StatusCode);
        var me = await admin.GetFromJsonAsync<UserDto>($"/api/v1/users/{invited.Id}", Ct);
        Assert.Equal(UserStatus.Active, me!.Status);
        Assert.NotNull(me.LastSignInAt);

        // The same link a second time: a clear message, and the password stays.
        Assert.Contains("This invitation has already been used.", await AcceptAsync(link, "somebody else's passphrase"));
        Assert.Equal(HttpStatusCode.OK, (await AppFixture.SignInAsync(app.Client(), email, "somebody else's passphrase")).StatusCode);
        Assert.True(await DbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityType == "user" && a.EntityKey == email && a.Action == "accept-invite", Ct)));
    }

    [Fact]
    public async Task ResendInvite_ReplacesTheOldLink()
    {
        var admin = await app.ApiClientAsync(R.Admin);
        var email = NewEmail();
        var invited = await InviteOkAsync(admin, email, null, [R.Viewer], "PER");
        var first = (await InvitationLinksAsync(email, 1))[0];
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/users/{invited.Id}/resend-invite", null, Ct)).StatusCode);
        var links = await InvitationLinksAsync(email, 2);
        var second = links.Single(l => l != first);

        var old = await AcceptAsync(first, NewPassword);
        Assert.Contains("expired or has been replaced", old);
        Assert.Contains("Your password is set", await AcceptAsync(second, NewPassword));
        // Once accepted, there is nothing to resend.
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/v1/users/{invited.Id}/resend-invite", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task Invitation_WithInvalidFields_Is422AndWritesNothing()
    {
        var admin = await app.ApiClientAsync(R.Admin);
        var outboxBefore = await DbAsync(db => db.EmailOutbox.CountAsync(Ct));
        var response = await admin.PostAsJsonAsync("/api/v1/users", new { email = "not an address", name = "", roles = new[] { "Overlord" }, countries = new[] { "XXX" } }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("\"email\"", body);
        Assert.Contains("\"roles\"", body);
        Assert.Contains("\"countries\"", body);
        Assert.Equal(outboxBefore, await DbAsync(db => db.EmailOutbox.CountAsync(Ct)));
        Assert.False(await DbAsync(db => db.Users.AnyAsync(u => u.Email == "not an address", Ct)));
        // An address that has an account already is a conflict.
        var (existing, _) = await app.CreateUserAsync(R.Viewer);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/v1/users", Invite(existing, null, [R.Viewer], "COL"), Ct)).StatusCode);
    }

    [Fact]
    public async Task Deactivation_RefusesSignInAndRevokesTokensAtOnce_ReactivationLetsThePersonSignInAgain()
    {
        var (email, password) = await app.CreateUserAsync(R.FocalPoint, "MANOS", "PER");
        string id;
        string plain;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            id = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!.Id;
            (_, plain) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(id, "their tool", Ct);
        }
        var tool = app.BearerClient(plain);
        Assert.Equal(HttpStatusCode.OK, (await tool.GetAsync("/api/v1/me", Ct)).StatusCode);
        var stampBefore = await DbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleAsync(Ct));

        var admin = await app.ApiClientAsync(R.Admin);
        var deactivated = await (await admin.PostAsync($"/api/v1/users/{id}/deactivate", null, Ct)).Content.ReadFromJsonAsync<UserDto>(Ct);
        Assert.Equal(UserStatus.Deactivated, deactivated!.Status);

        Assert.Equal(HttpStatusCode.Unauthorized, (await tool.GetAsync("/api/v1/me", Ct)).StatusCode);
        Assert.True(await DbAsync(db => db.ApiTokens.Where(t => t.UserId == id).AllAsync(t => t.RevokedAt != null, Ct)));
        Assert.NotEqual(stampBefore, await DbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleAsync(Ct)));
        var refused = await AppFixture.SignInAsync(app.Client(), email, password);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("The e-mail or password is not correct.", await refused.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/users/{id}/reactivate", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.SignInAsync(app.Client(), email, password)).StatusCode);
        // A revoked token stays revoked: the person makes a new one.
        Assert.Equal(HttpStatusCode.Unauthorized, (await tool.GetAsync("/api/v1/me", Ct)).StatusCode);
        var actions = await DbAsync(db => db.AuditEntries.Where(a => a.EntityType == "user" && a.EntityKey == email).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(Ct));
        Assert.Equal(["deactivate", "reactivate"], actions);
    }

    [Fact]
    public async Task UpdateRoles_ReplacesRolesAndScope_AndIsAudited()
    {
        var admin = await app.ApiClientAsync(R.Admin);
        var email = NewEmail();
        var invited = await InviteOkAsync(admin, email, "ACOGIDA", [R.FocalPoint], "ECU");
        var response = await admin.PutAsJsonAsync($"/api/v1/users/{invited.Id}/roles", new { roles = new[] { R.Coordinator, R.Viewer }, organisation = "", countries = new[] { "PER", "COL" } }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = (await response.Content.ReadFromJsonAsync<UserDto>(Ct))!;
        Assert.Equal([R.Coordinator, R.Viewer], updated.Roles);
        Assert.Equal(["COL", "PER"], updated.Countries);
        Assert.Null(updated.Organisation);
        var audit = await DbAsync(db => db.AuditEntries.Where(a => a.EntityKey == email && a.Action == "update-roles").SingleAsync(Ct));
        Assert.Contains("CountryCoordinator,Viewer", audit.Changes);
        Assert.Contains("ACOGIDA", audit.Changes);

        // A coordinator without countries is refused, and nothing changes.
        var bad = await admin.PutAsJsonAsync($"/api/v1/users/{invited.Id}/roles", new { roles = new[] { R.Coordinator }, countries = Array.Empty<string>() }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal(["COL", "PER"], (await admin.GetFromJsonAsync<UserDto>($"/api/v1/users/{invited.Id}", Ct))!.Countries);
    }

    [Fact]
    public async Task NobodyChangesOrDeactivatesThemselves()
    {
        var (email, _) = await app.CreateUserAsync(R.Admin);
        string id;
        string plain;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            id = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!.Id;
            (_, plain) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(id, "self", Ct);
        }
        var self = app.BearerClient(plain);
        Assert.Equal(HttpStatusCode.Forbidden, (await self.PostAsync($"/api/v1/users/{id}/deactivate", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await self.PutAsJsonAsync($"/api/v1/users/{id}/roles", new { roles = new[] { R.Viewer }, countries = new[] { "COL" } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await self.GetAsync("/api/v1/me", Ct)).StatusCode);
    }

    public static TheoryData<string, string?, string[], HttpStatusCode, HttpStatusCode> Matrix => new()
    {
        // role, own organisation, own countries → list users, invite a Viewer of FPUENTE in COL
        { R.Admin, null, [], HttpStatusCode.OK, HttpStatusCode.Created },
        { R.Coordinator, null, ["COL"], HttpStatusCode.OK, HttpStatusCode.Created },
        { R.Coordinator, null, ["PER"], HttpStatusCode.OK, HttpStatusCode.Forbidden },
        { R.FocalPoint, "FPUENTE", ["COL"], HttpStatusCode.OK, HttpStatusCode.Created },
        { R.FocalPoint, "MANOS", ["COL"], HttpStatusCode.OK, HttpStatusCode.Forbidden },
        { R.Viewer, "FPUENTE", ["COL"], HttpStatusCode.Forbidden, HttpStatusCode.Forbidden },
        { R.Editor, null, [], HttpStatusCode.Forbidden, HttpStatusCode.Forbidden },
        { R.Translator, null, [], HttpStatusCode.Forbidden, HttpStatusCode.Forbidden },
        { Roles.Moderator, null, [], HttpStatusCode.Forbidden, HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task UsersApi_FollowsRoleAndScope(string role, string? org, string[] countries, HttpStatusCode list, HttpStatusCode invite)
    {
        var client = await app.ApiClientAsync(role, org, countries);
        Assert.Equal(list, (await client.GetAsync("/api/v1/users", Ct)).StatusCode);
        var email = NewEmail();
        var response = await client.PostAsJsonAsync("/api/v1/users", Invite(email, "FPUENTE", [R.Viewer], "COL"), Ct);
        Assert.Equal(invite, response.StatusCode);
        Assert.Equal(invite == HttpStatusCode.Created, await DbAsync(db => db.Users.AnyAsync(u => u.Email == email, Ct)));
        if (invite == HttpStatusCode.Created)
        {
            var id = (await response.Content.ReadFromJsonAsync<UserDto>(Ct))!.Id;
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/users/{id}/resend-invite", null, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/users/{id}/deactivate", null, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/users/{id}/reactivate", null, Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task Coordinator_CannotGrantPlatformAdmin_NorManageOutsideTheirCountries()
    {
        var coordinator = await app.ApiClientAsync(R.Coordinator, null, "COL");
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.PostAsJsonAsync("/api/v1/users", Invite(NewEmail(), null, [R.Admin], "COL"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.PostAsJsonAsync("/api/v1/users", Invite(NewEmail(), "FPUENTE", [R.FocalPoint], "COL", "PER"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.PostAsJsonAsync("/api/v1/users", Invite(NewEmail(), null, [R.Editor], "COL"), Ct)).StatusCode);

        // Someone in Peru only: the coordinator of Colombia neither sees nor changes them.
        var admin = await app.ApiClientAsync(R.Admin);
        var peru = await InviteOkAsync(admin, NewEmail(), "CRPER", [R.FocalPoint], "PER");
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.GetAsync($"/api/v1/users/{peru.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.PostAsync($"/api/v1/users/{peru.Id}/deactivate", null, Ct)).StatusCode);
        var listed = await coordinator.GetFromJsonAsync<UserPage>("/api/v1/users?country=PER", Ct);
        Assert.DoesNotContain(listed!.Items, u => u.Id == peru.Id);
        // Moving a person of theirs to Peru is refused too.
        var colombia = await InviteOkAsync(coordinator, NewEmail(), "FPUENTE", [R.FocalPoint], "COL");
        var move = await coordinator.PutAsJsonAsync($"/api/v1/users/{colombia.Id}/roles", new { roles = new[] { R.FocalPoint }, organisation = "FPUENTE", countries = new[] { "PER" } }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, move.StatusCode);
        Assert.Equal(["COL"], (await coordinator.GetFromJsonAsync<UserDto>($"/api/v1/users/{colombia.Id}", Ct))!.Countries);
    }

    [Fact]
    public async Task List_FiltersByOrganisationCountryAndRole_AndPages()
    {
        var admin = await app.ApiClientAsync(R.Admin);
        var email = NewEmail();
        var invited = await InviteOkAsync(admin, email, "LAZOS", [R.Viewer], "ECU");
        Assert.Contains((await admin.GetFromJsonAsync<UserPage>("/api/v1/users?organisation=LAZOS&country=ECU&role=Viewer&status=invited", Ct))!.Items, u => u.Id == invited.Id);
        Assert.DoesNotContain((await admin.GetFromJsonAsync<UserPage>("/api/v1/users?organisation=LAZOS&role=CountryCoordinator", Ct))!.Items, u => u.Id == invited.Id);
        Assert.DoesNotContain((await admin.GetFromJsonAsync<UserPage>("/api/v1/users?country=COL", Ct))!.Items, u => u.Id == invited.Id);
        for (var i = 0; i <= UserQueries.PageSize; i++)
        {
            await InviteOkAsync(admin, NewEmail(), "SERENA", [R.Viewer], "CRI");
        }
        var first = (await admin.GetFromJsonAsync<UserPage>("/api/v1/users?organisation=SERENA", Ct))!;
        var second = (await admin.GetFromJsonAsync<UserPage>("/api/v1/users?organisation=SERENA&page=2", Ct))!;
        Assert.Equal(UserQueries.PageSize, first.Items.Count);
        Assert.True(first.Total > UserQueries.PageSize);
        Assert.Equal(2, second.Page);
        Assert.NotEmpty(second.Items);
        Assert.Empty(first.Items.Select(u => u.Id).Intersect(second.Items.Select(u => u.Id)));
    }

    [GeneratedRegex(@"https?://\S+/account/invitation\S+")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

public sealed class UsersSqlite(SqliteApp app) : UsersSuite<SqliteApp>(app);
public sealed class UsersPostgres(PostgresApp app) : UsersSuite<PostgresApp>(app);
