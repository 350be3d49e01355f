using System.Net;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Accounts;
using Closer.Web.Features.ApiTokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Closer.Tests.Features.Accounts;

/// <summary>
/// The account-security findings of issue 17: sign-in that tells no one which addresses have accounts, a lockout a
/// stranger cannot use against the owner, and sessions and tokens that end with a password reset.
/// </summary>
public abstract partial class AccountSecuritySuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture, ISecurityApp
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A client that the app sees at <paramref name="address"/> (see <see cref="ClientAddressFilter"/>).</summary>
    private HttpClient From(string address)
    {
        var client = app.Client();
        client.DefaultRequestHeaders.Add(ClientAddressFilter.Header, address);
        return client;
    }

    private static async Task<string> ErrorOfAsync(HttpResponseMessage response) =>
        ErrorPattern().Match(await response.Content.ReadAsStringAsync(Ct)).Groups[1].Value;

    private static bool SetsAuthCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".Closer.Auth=", StringComparison.Ordinal));

    [Fact]
    public async Task SignIn_ForAnUnknownAddress_RunsTheSamePasswordHash_AsForAKnownOne()
    {
        var (email, _) = await app.CreateUserAsync(R.Viewer);
        var before = app.Hasher.Verifications;
        var known = await AppFixture.SignInAsync(From("10.1.0.1"), email, "a wrong password here");
        var afterKnown = app.Hasher.Verifications;
        var unknown = await AppFixture.SignInAsync(From("10.1.0.1"), $"nobody-{Guid.NewGuid():N}@test.invalid", "a wrong password here");
        var afterUnknown = app.Hasher.Verifications;

        Assert.Equal(1, afterKnown - before);
        Assert.Equal(1, afterUnknown - afterKnown);
        Assert.Equal(await ErrorOfAsync(known), await ErrorOfAsync(unknown));
        Assert.Equal(known.StatusCode, unknown.StatusCode);
    }

    [Fact]
    public async Task SignIn_ToALockedAccount_HashesAndAnswersExactlyAsAWrongPassword()
    {
        var (email, password) = await app.CreateUserAsync(R.Editor);
        var wrong = await AppFixture.SignInAsync(From("10.2.0.1"), email, "a wrong password here");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByEmailAsync(email);
            await users.SetLockoutEndDateAsync(user!, TimeProvider.System.GetUtcNow().AddMinutes(15));
        }
        var before = app.Hasher.Verifications;
        var locked = await AppFixture.SignInAsync(From("10.2.0.2"), email, password);

        Assert.Equal(1, app.Hasher.Verifications - before);
        Assert.Equal(wrong.StatusCode, locked.StatusCode);
        Assert.Equal("The e-mail or password is not correct.", await ErrorOfAsync(locked));
        Assert.Equal(await ErrorOfAsync(wrong), await ErrorOfAsync(locked));
        Assert.DoesNotContain("locked", await locked.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        Assert.False(SetsAuthCookie(locked));
    }

    [Fact]
    public async Task AStrangersGuesses_AreThrottledAtTheirAddress_AndTheOwnerStillSignsIn()
    {
        var (email, password) = await app.CreateUserAsync(R.FocalPoint);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            statuses.Add((await AppFixture.SignInAsync(From("10.3.0.66"), email, "guess number " + i)).StatusCode);
        }
        Assert.All(statuses.Take(5), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.All(statuses.Skip(5), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        // Even the right password from the stranger's address waits: the throttle is checked before the password.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await AppFixture.SignInAsync(From("10.3.0.66"), email, password)).StatusCode);

        var owner = await AppFixture.SignInAsync(From("10.3.0.1"), email, password);
        Assert.Equal(HttpStatusCode.Redirect, owner.StatusCode);
        Assert.True(SetsAuthCookie(owner));
    }

    [Fact]
    public async Task UnknownAddresses_AreThrottledTheSameWay()
    {
        var email = $"nobody-{Guid.NewGuid():N}@test.invalid";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await AppFixture.SignInAsync(From("10.4.0.66"), email, "guess number " + i)).StatusCode);
        }
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Lockout_AfterGuessesFromSeveralAddresses_RefusesTheRightPassword_WithTheSameAnswer()
    {
        var (email, password) = await app.CreateUserAsync(R.Editor);
        foreach (var address in new[] { "10.5.0.1", "10.5.0.2" })
        {
            for (var i = 0; i < 5; i++)
            {
                await AppFixture.SignInAsync(From(address), email, "not the password " + i);
            }
        }
        var response = await AppFixture.SignInAsync(From("10.5.0.3"), email, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("The e-mail or password is not correct.", await ErrorOfAsync(response));
        Assert.False(SetsAuthCookie(response));
    }

    [Fact]
    public async Task ALockedAccount_KeepsItsApiTokens()
    {
        var (email, _) = await app.CreateUserAsync(R.Viewer);
        string plain;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByEmailAsync(email);
            (_, plain) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(user!.Id, "tests", Ct);
            await users.SetLockoutEndDateAsync(user, TimeProvider.System.GetUtcNow().AddMinutes(15));
        }
        Assert.Equal(HttpStatusCode.OK, (await app.BearerClient(plain).GetAsync("/api/v1/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task PasswordReset_EndsTheOldCookie_AndEveryOldToken_AtOnce()
    {
        var (email, password) = await app.CreateUserAsync(R.Viewer);
        var browser = From("10.6.0.1");
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.SignInAsync(browser, email, password)).StatusCode);
        string plain;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
            (_, plain) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(user!.Id, "tests", Ct);
        }
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.BearerClient(plain).GetAsync("/api/v1/me", Ct)).StatusCode);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByEmailAsync(email);
            var reset = await users.ResetPasswordAsync(user!, await users.GeneratePasswordResetTokenAsync(user!), "a brand new passphrase 1");
            Assert.True(reset.Succeeded);
        }

        var admin = await browser.GetAsync("/admin/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        Assert.StartsWith("/account/login", admin.Headers.Location?.PathAndQuery ?? admin.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.BearerClient(plain).GetAsync("/api/v1/me", Ct)).StatusCode);
        // The new password opens a new session.
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.SignInAsync(From("10.6.0.1"), email, "a brand new passphrase 1")).StatusCode);
    }

    [Fact]
    public async Task AnAccountSwitchedOff_LosesItsSessionAndTokens_OnTheNextRequest()
    {
        var (email, password) = await app.CreateUserAsync(R.Editor);
        var browser = From("10.7.0.1");
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.SignInAsync(browser, email, password)).StatusCode);
        string plain;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByEmailAsync(email);
            (_, plain) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(user!.Id, "tests", Ct);
            // Identity's way of disabling an account: a lockout without end.
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/admin/", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.BearerClient(plain).GetAsync("/api/v1/me", Ct)).StatusCode);
    }

    [GeneratedRegex("<p class=\"error\" role=\"alert\">([^<]*)</p>")]
    private static partial Regex ErrorPattern();
}

/// <summary>A fixture whose app hashes passwords through <see cref="CountingPasswordHasher"/> and takes client addresses from a test header.</summary>
public interface ISecurityApp
{
    CountingPasswordHasher Hasher { get; }
}

public sealed class SecuritySqliteApp : SqliteAppBase, ISecurityApp
{
    public CountingPasswordHasher Hasher { get; } = new();
    protected override void ConfigureServices(IServiceCollection services) => SecurityServices.Add(services, Hasher);
}

public sealed class SecurityPostgresApp : PostgresApp, ISecurityApp
{
    public CountingPasswordHasher Hasher { get; } = new();
    protected override void ConfigureServices(IServiceCollection services) => SecurityServices.Add(services, Hasher);
}

internal static class SecurityServices
{
    public static void Add(IServiceCollection services, CountingPasswordHasher hasher)
    {
        services.AddSingleton<IPasswordHasher<AppUser>>(sp =>
        {
            hasher.Inner = new PasswordHasher<AppUser>(sp.GetService<IOptions<PasswordHasherOptions>>());
            return hasher;
        });
        services.AddSingleton<IStartupFilter, ClientAddressFilter>();
    }
}

/// <summary>The real password hasher, counting how often a password is checked against a hash.</summary>
public sealed class CountingPasswordHasher : IPasswordHasher<AppUser>
{
    private int _verifications;
    public IPasswordHasher<AppUser> Inner { get; set; } = new PasswordHasher<AppUser>();
    public int Verifications => Volatile.Read(ref _verifications);

    public string HashPassword(AppUser user, string password) => Inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verifications);
        return Inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

/// <summary>The test server has no client address: this sets one from a header, first in the pipeline.</summary>
internal sealed class ClientAddressFilter : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (HttpContext ctx, RequestDelegate nxt) =>
        {
            if (IPAddress.TryParse(ctx.Request.Headers[Header].ToString(), out var address))
            {
                ctx.Connection.RemoteIpAddress = address;
            }
            await nxt(ctx);
        });
        next(app);
    };
}

public sealed class AccountSecuritySqlite(SecuritySqliteApp app) : AccountSecuritySuite<SecuritySqliteApp>(app);
public sealed class AccountSecurityPostgres(SecurityPostgresApp app) : AccountSecuritySuite<SecurityPostgresApp>(app);
