using System.Net;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;

namespace Closer.Tests.Features.Accounts;

public abstract partial class AccountsSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Admin_IsRedirectToSignIn_ForAnonymous()
    {
        var response = await app.Client().GetAsync("/admin/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignIn_WithAntiforgeryToken_SetsAuthCookie_AndOpensAdmin()
    {
        var (email, password) = await app.CreateUserAsync(R.Admin);
        var client = app.Client();
        var response = await AppFixture.SignInAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".Closer.Auth=", StringComparison.Ordinal));
        var admin = await client.GetAsync("/admin/", Ct);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains(email, await admin.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_IsRefused()
    {
        var (email, password) = await app.CreateUserAsync(R.Admin);
        var client = app.Client();
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".Closer.Auth=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SignIn_WrongPassword_SaysSoWithoutRevealingWhetherAccountExists()
    {
        var (email, _) = await app.CreateUserAsync(R.Viewer);
        var known = await AppFixture.SignInAsync(app.Client(), email, "wrong password entirely");
        var unknown = await AppFixture.SignInAsync(app.Client(), "nobody@test.invalid", "wrong password entirely");
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("The e-mail or password is not correct.", await known.Content.ReadAsStringAsync(Ct));
        Assert.Contains("The e-mail or password is not correct.", await unknown.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task SignedInWithoutRole_IsRefusedAdmin()
    {
        // A person with no role at all is not staff.
        var email = $"norole-{Guid.NewGuid():N}@test.invalid";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Closer.Web.Features.Accounts.AppUser>>();
            Assert.True((await users.CreateAsync(new() { UserName = email, Email = email }, "correct horse battery staple")).Succeeded);
        }
        var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.SignInAsync(client, email, "correct horse battery staple")).StatusCode);
        var admin = await client.GetAsync("/admin/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        Assert.StartsWith("/account/denied", admin.Headers.Location?.PathAndQuery ?? admin.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task PasswordReset_ByEmailLink_WorksOnce()
    {
        var (email, _) = await app.CreateUserAsync(R.Translator);
        var client = app.Client();
        var token = await AppFixture.AntiforgeryTokenAsync(client, "/account/forgot-password");
        var sent = await client.PostAsync("/account/forgot-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        var mail = await app.WaitForMailAsync(m => m.Contains(email, StringComparison.Ordinal));
        var decoded = MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mail)));
        var link = LinkPattern().Match(decoded.TextBody ?? "").Value;
        Assert.StartsWith("http", link);
        var path = new Uri(link).PathAndQuery;

        async Task<string> ResetAsync(string newPassword)
        {
            var form = await client.GetStringAsync(path, Ct);
            var af = WebUtility.HtmlDecode(Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(link).Query);
            var r = await client.PostAsync("/account/reset-password", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = query["email"]!,
                ["Code"] = query["code"]!,
                ["Password"] = newPassword,
                ["__RequestVerificationToken"] = af,
            }), Ct);
            return await r.Content.ReadAsStringAsync(Ct);
        }

        Assert.Contains("Your password has been changed", await ResetAsync("a brand new passphrase 1"));
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.SignInAsync(app.Client(), email, "a brand new passphrase 1")).StatusCode);
        // The same link a second time does nothing.
        Assert.Contains("not valid or has expired", await ResetAsync("another passphrase 22"));
        Assert.Equal(HttpStatusCode.OK, (await AppFixture.SignInAsync(app.Client(), email, "another passphrase 22")).StatusCode);
    }

    [Fact]
    public async Task PasswordResetLink_IsBuiltFromTheConfiguredAddress_NeverTheRequestsHost()
    {
        var (email, _) = await app.CreateUserAsync(R.Viewer);
        // A forged Host header: the link must not carry the reset code to that site.
        var client = app.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://evil.example"),
            AllowAutoRedirect = false,
        });
        var token = await AppFixture.AntiforgeryTokenAsync(client, "/account/forgot-password");
        var sent = await client.PostAsync("/account/forgot-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        var mail = await app.WaitForMailAsync(m => m.Contains(email, StringComparison.Ordinal));
        var decoded = MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mail)));
        var link = LinkPattern().Match(decoded.TextBody ?? "").Value;
        Assert.StartsWith(Closer.Web.Infrastructure.PublicSite.DevelopmentDefault + "/account/reset-password?", link);
        Assert.DoesNotContain("evil.example", decoded.TextBody ?? "", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ForgotPassword_ForUnknownAddress_SendsNothingAndSaysTheSame()
    {
        var client = app.Client();
        var token = await AppFixture.AntiforgeryTokenAsync(client, "/account/forgot-password");
        var before = Directory.Exists(app.MailPickup) ? Directory.GetFiles(app.MailPickup).Length : 0;
        var response = await client.PostAsync("/account/forgot-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "nobody-at-all@test.invalid",
            ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Contains("If an account exists", await response.Content.ReadAsStringAsync(Ct));
        var after = Directory.Exists(app.MailPickup) ? Directory.GetFiles(app.MailPickup).Length : 0;
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var client = await app.SignedInClientAsync(R.Admin);
        var token = await AppFixture.AntiforgeryTokenAsync(client, "/account/logout");
        var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin/", Ct)).StatusCode);
    }

    [GeneratedRegex(@"https?://\S+reset-password\S+")]
    private static partial Regex LinkPattern();
}

public sealed class AccountsSqlite(SqliteApp app) : AccountsSuite<SqliteApp>(app);
public sealed class AccountsPostgres(PostgresApp app) : AccountsSuite<PostgresApp>(app);

/// <summary>An app whose sign-in limit is low enough to reach in a test.</summary>
public sealed class RateLimitedApp : SqliteAppBase
{
    protected override void AddSettings(Dictionary<string, string?> settings) => settings["RateLimits:SignInPerMinute"] = "3";
}

public sealed class SignInRateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task SignIn_BeyondTheLimit_Is429_ButReadingTheFormIsNot()
    {
        var client = app.Client();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await AppFixture.SignInAsync(client, "someone@test.invalid", "guess number " + i)).StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login", TestContext.Current.CancellationToken)).StatusCode);
    }
}
