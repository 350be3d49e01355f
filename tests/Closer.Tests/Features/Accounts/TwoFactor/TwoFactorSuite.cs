using System.Net;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Accounts;
using Closer.Web.Features.Accounts.TwoFactor;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Closer.Tests.Features.Accounts.TwoFactor;

/// <summary>Two-factor sign-in on a fake clock (codes change every 30 s), with the requirement for admins and coordinators on.</summary>
public abstract partial class TwoFactorSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SetUp_ShowsKeyAsTextAndQrSvg_RefusesAWrongCode_ThenTurnsOnWithTenRecoveryCodes()
    {
        var (email, password) = await app.CreateUserAsync(R.FocalPoint, "CAMPO", "COL");
        var client = await SignedInAsync(email, password);

        var page = await client.GetStringAsync("/account/two-factor", Ct);
        var key = KeyOf(page);
        Assert.Matches("<svg[^>]*role=\"img\"[^>]*aria-label=\"[^\"]+\"", page);
        Assert.Contains("<path fill=\"#000\" d=\"M", page, StringComparison.Ordinal);
        Assert.Equal(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(), await StoredKeyAsync(email));

        var wrong = await PostAsync(client, "/account/two-factor?handler=Enable", new() { ["Code"] = "000000" == CodeNow(key) ? "111111" : "000000" });
        Assert.Contains("That code is not right.", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.False(await EnabledAsync(email));

        var right = await PostAsync(client, "/account/two-factor?handler=Enable", new() { ["Code"] = CodeNow(key) });
        var html = await right.Content.ReadAsStringAsync(Ct);
        Assert.True(await EnabledAsync(email));
        Assert.Equal(10, RecoveryCodes(html).Count);
        // The session that turned it on carries on.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/", Ct)).StatusCode);
    }

    [Fact]
    public async Task SignIn_AsksForTheCode_AcceptsItOnce_AndARecoveryCodeOnce()
    {
        var (email, password) = await app.CreateUserAsync(R.FocalPoint, "CAMPO", "COL");
        var (key, codes) = await EnableAsync(email, password);
        app.Clock.Advance(TimeSpan.FromSeconds(30));

        var client = app.Client();
        var first = await AppFixture.SignInAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.StartsWith(TwoFactorSetup.SignInPath, first.Headers.Location!.OriginalString, StringComparison.Ordinal);
        // The password alone opens nothing.
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin/", Ct)).StatusCode);

        var code = CodeNow(key);
        var second = await PostAsync(client, TwoFactorSetup.SignInPath, new() { ["Code"] = code });
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/", Ct)).StatusCode);

        // The same code, seen over a shoulder, does not open a second session in its 30 seconds.
        var other = app.Client();
        await AppFixture.SignInAsync(other, email, password);
        var replay = await PostAsync(other, TwoFactorSetup.SignInPath, new() { ["Code"] = code });
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Contains("That code is not right.", await replay.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var recovery = await PostAsync(other, TwoFactorSetup.SignInPath, new() { ["Code"] = codes[0] });
        Assert.Equal(HttpStatusCode.Redirect, recovery.StatusCode);
        var third = app.Client();
        await AppFixture.SignInAsync(third, email, password);
        var reused = await PostAsync(third, TwoFactorSetup.SignInPath, new() { ["Code"] = codes[0] });
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await third.GetAsync("/admin/", Ct)).StatusCode);
    }

    [Theory]
    [InlineData(R.Admin)]
    [InlineData(R.Coordinator)]
    public async Task RequiredRole_WithoutSecondFactor_IsSentToSetUp_AndCannotUseTheApiByCookie_UntilItIsOn(string role)
    {
        var (email, password) = await app.CreateUserAsync(role, null, "COL");
        var client = await SignedInAsync(email, password);

        var admin = await client.GetAsync("/admin/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        Assert.Equal("/account/two-factor?returnUrl=%2Fadmin%2F", admin.Headers.Location!.OriginalString);
        var api = await client.GetAsync("/api/v1/reports", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Contains("Two-factor sign-in is required", await api.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // Public pages stay open to them.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/en/", Ct)).StatusCode);

        var page = await client.GetStringAsync("/account/two-factor?returnUrl=%2Fadmin%2F", Ct);
        Assert.Contains("Your role needs two-factor sign-in.", page, StringComparison.Ordinal);
        var on = await PostAsync(client, "/account/two-factor?handler=Enable", new() { ["Code"] = CodeNow(KeyOf(page)), ["ReturnUrl"] = "/admin/" });
        Assert.Contains("href=\"/admin/\"", await on.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/", Ct)).StatusCode);

        // And cannot turn it off again.
        var off = await PostAsync(client, "/account/two-factor?handler=Disable", []);
        Assert.Contains("cannot be turned off", await off.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True(await EnabledAsync(email));
    }

    [Fact]
    public async Task ApiToken_OfARequiredRole_IsItsOwnCredential()
    {
        var client = await app.ApiClientAsync(R.Admin);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/reports", Ct)).StatusCode);
    }

    [Fact]
    public async Task OptionalRole_CanTurnItOff_AndTheOldKeyNoLongerWorks()
    {
        var (email, password) = await app.CreateUserAsync(R.Editor);
        var (key, _) = await EnableAsync(email, password);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var client = app.Client();
        await AppFixture.SignInAsync(client, email, password);
        await PostAsync(client, TwoFactorSetup.SignInPath, new() { ["Code"] = CodeNow(key) });

        var off = await PostAsync(client, "/account/two-factor?handler=Disable", []);
        Assert.Contains("Two-factor sign-in is off.", await off.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.False(await EnabledAsync(email));
        Assert.NotEqual(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(), await StoredKeyAsync(email));
        var again = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.SignInAsync(again, email, password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/admin/", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("es", "Inicio de sesión en dos pasos")]
    [InlineData("pt", "Entrada em duas etapas")]
    [InlineData("pap", "Drenta den dos paso")]
    public async Task SetUpPage_SpeaksTheUsersLanguage(string lang, string title)
    {
        var (email, password) = await app.CreateUserAsync(R.Viewer);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            user.PreferredLanguage = lang;
            await users.UpdateAsync(user);
        }
        var client = await SignedInAsync(email, password);
        var page = await client.GetStringAsync("/account/two-factor", Ct);
        Assert.Contains(title, page, StringComparison.Ordinal);
    }

    private string CodeNow(string readableKey)
    {
        Assert.True(Base32.TryDecode(readableKey, out var secret));
        return Totp.Code(secret, Totp.CurrentStep(app.Clock.GetUtcNow()));
    }

    private async Task<(string Key, List<string> Codes)> EnableAsync(string email, string password)
    {
        var client = await SignedInAsync(email, password);
        var key = KeyOf(await client.GetStringAsync("/account/two-factor", Ct));
        var on = await PostAsync(client, "/account/two-factor?handler=Enable", new() { ["Code"] = CodeNow(key) });
        var codes = RecoveryCodes(await on.Content.ReadAsStringAsync(Ct));
        Assert.NotEmpty(codes);
        return (key, codes);
    }

    private async Task<HttpClient> SignedInAsync(string email, string password)
    {
        var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.SignInAsync(client, email, password)).StatusCode);
        return client;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, Dictionary<string, string> form)
    {
        var pagePath = path.Split('?')[0];
        form["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(client,
            pagePath == TwoFactorSetup.SignInPath ? pagePath : "/account/two-factor");
        return await client.PostAsync(path, new FormUrlEncodedContent(form), Ct);
    }

    private async Task<bool> EnabledAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return (await users.FindByEmailAsync(email))!.TwoFactorEnabled;
    }

    private async Task<string?> StoredKeyAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await users.GetAuthenticatorKeyAsync((await users.FindByEmailAsync(email))!);
    }

    private static string KeyOf(string html)
    {
        var match = KeyPattern().Match(html);
        Assert.True(match.Success, "No key shown as text.");
        return match.Groups[1].Value;
    }

    private static List<string> RecoveryCodes(string html) =>
        [.. CodePattern().Matches(html).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("<code class=\"totp-key\">([a-z2-7 ]+)</code>")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("<li><code>([A-Za-z0-9-]+)</code></li>")]
    private static partial Regex CodePattern();
}

public sealed class TwoFactorSqliteApp : SqliteAppBase
{
    protected override bool UsesFakeClock => true;

    protected override void AddSettings(Dictionary<string, string?> settings) =>
        settings["Security:TwoFactor:RequiredRoles"] = "PlatformAdmin,CountryCoordinator";
}

public sealed class TwoFactorPostgresApp : PostgresApp
{
    protected override bool UsesFakeClock => true;

    protected override void AddSettings(Dictionary<string, string?> settings) =>
        settings["Security:TwoFactor:RequiredRoles"] = "PlatformAdmin,CountryCoordinator";
}

public sealed class TwoFactorSqlite(TwoFactorSqliteApp app) : TwoFactorSuite<TwoFactorSqliteApp>(app);

public sealed class TwoFactorPostgres(TwoFactorPostgresApp app) : TwoFactorSuite<TwoFactorPostgresApp>(app);
