using System.Net;
using System.Text.RegularExpressions;
using Closer.Web.Features.Accounts;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Closer.Tests.Infrastructure;

/// <summary>
/// The app on a fresh database of one provider. Suites are written once against this type and run
/// once per provider (<see cref="SqliteApp"/>, <see cref="PostgresApp"/>), as OrchardCore runs one theory per database.
/// </summary>
public abstract partial class AppFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "closer-tests", Guid.NewGuid().ToString("N"));

    public abstract string ProviderName { get; }
    protected abstract bool Available { get; }
    protected abstract Task<Dictionary<string, string?>> CreateDatabaseAsync();
    protected abstract Task DropDatabaseAsync();

    private FakeTimeProvider? _clock;

    /// <summary>
    /// True for a fixture whose app runs on <see cref="Clock"/>, a fake clock a suite moves instead of sleeping.
    /// Opt-in: the fake clock only moves when told, so the app's background loops that wait on it (the outbox,
    /// import jobs, digests) stand still; suites that need them keep the real clock.
    /// </summary>
    protected virtual bool UsesFakeClock => false;

    /// <summary>The app's TimeProvider in a fake-clock fixture (<see cref="SqliteClockApp"/>, <see cref="PostgresClockApp"/>): it starts at the real time; <c>Clock.Advance(...)</c> lets time pass.</summary>
    public FakeTimeProvider Clock => _clock ?? throw new InvalidOperationException($"{GetType().Name} runs on the real clock: use a fake-clock fixture to move time.");

    /// <summary>Settings a fixture adds (rate limits, for one).</summary>
    protected virtual void AddSettings(Dictionary<string, string?> settings)
    {
    }

    /// <summary>Services a fixture adds or replaces in the app (a counting wrapper around a real service, for one).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public string MailPickup => Path.Combine(_workDir, "mail");

    /// <summary>Waits (up to 15 s) for the outbox worker to deliver a message to the pickup folder that matches.</summary>
    public async Task<string> WaitForMailAsync(Func<string, bool> match)
    {
        for (var i = 0; i < 150; i++)
        {
            if (Directory.Exists(MailPickup))
            {
                var found = Directory.GetFiles(MailPickup, "*.eml").Select(File.ReadAllText).FirstOrDefault(match);
                if (found is not null)
                {
                    return found;
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("No matching e-mail arrived in the pickup folder.");
    }

    /// <summary>The app; skips (or fails under CLOSER_REQUIRE_ALL) the test when this provider is not available.</summary>
    public WebApplicationFactory<Program> Factory
    {
        get
        {
            Requirements.Need(Available, ProviderName);
            return _factory ?? throw new InvalidOperationException("The fixture did not start.");
        }
    }

    public IServiceProvider Services => Factory.Services;

    public async ValueTask InitializeAsync()
    {
        if (!Available)
        {
            return;
        }
        Directory.CreateDirectory(_workDir);
        var settings = await CreateDatabaseAsync();
        settings["DemoData:Enabled"] = "true";
        settings["Email:PickupDirectory"] = MailPickup;
        settings["RateLimits:SignInPerMinute"] = "100000";
        settings["RateLimits:SearchesPerMinute"] = "100000";
        settings["Email:Outbox:PollInterval"] = "00:00:00.200";
        // Reminders and summaries at the real date would mail other suites' coordinators: suites that need the job drive it.
        settings["Subscriptions:SchedulerEnabled"] = "false";
        // Suites sign admins and coordinators in with a password alone; TwoFactorSuite turns the requirement on.
        settings["Security:TwoFactor:RequiredRoles"] = "";
        AddSettings(settings);
        _clock = UsesFakeClock ? new FakeTimeProvider(TimeProvider.System.GetUtcNow()) : null;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
            b.ConfigureTestServices(s =>
            {
                s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ThrowingEndpointFilter>();
                if (_clock is not null)
                {
                    s.AddSingleton<TimeProvider>(_clock);
                }
                ConfigureServices(s);
            });
        });
        _ = _factory.Server; // start now: migrations and demo data
    }

    /// <summary>
    /// Stops the app and drops its database. Cleanup never fails a suite: what goes wrong is written to the test log instead.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_factory is not null)
            {
                await _factory.DisposeAsync();
            }
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"[{ProviderName}] app shutdown during cleanup: {ex.GetType().Name}: {ex.Message}");
        }
        if (Available)
        {
            try
            {
                // PostgreSQL's drop waits out the sessions it may not end itself (TestDatabases.DropAsync).
                await DropDatabaseAsync();
            }
            catch (Exception ex)
            {
                await Console.Error.WriteLineAsync($"[{ProviderName}] the test database was left behind: {ex.GetType().Name}: {ex.Message}");
            }
        }
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        GC.SuppressFinalize(this);
    }

    public HttpClient Client(bool followRedirects = false) =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = followRedirects, HandleCookies = true });

    /// <summary>A person with a role, organisation and countries, created directly (a test data builder).</summary>
    public async Task<(string Email, string Password)> CreateUserAsync(string role, string? orgAcronym = null, params string[] countries)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.invalid";
        const string password = "correct horse battery staple";
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        int? org = orgAcronym is null ? null : db.Organisations.Single(o => o.Acronym == orgAcronym).Id;
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, OrganisationId = org };
        user.Countries = countries.Select(c => new UserCountryScope { UserId = user.Id, CountryIso3 = c }).ToList();
        var result = await users.CreateAsync(user, password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return (email, password);
    }

    /// <summary>A client that calls the API with <paramref name="token"/> as its Bearer token.</summary>
    public HttpClient BearerClient(string token)
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A new person with a role, and an API client holding a token of theirs.</summary>
    public async Task<HttpClient> ApiClientAsync(string role, string? orgAcronym = null, params string[] countries)
    {
        var (email, _) = await CreateUserAsync(role, orgAcronym, countries);
        await using var scope = Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        var (_, plain) = await scope.ServiceProvider.GetRequiredService<Closer.Web.Features.ApiTokens.ApiTokenService>().CreateAsync(user!.Id, "tests");
        return BearerClient(plain);
    }

    /// <summary>Signs in through the real form (antiforgery token included) and returns the client holding the cookie.</summary>
    public async Task<HttpClient> SignedInClientAsync(string role, string? orgAcronym = null, params string[] countries)
    {
        var (email, password) = await CreateUserAsync(role, orgAcronym, countries);
        var client = Client();
        var response = await SignInAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password)
    {
        var token = await AntiforgeryTokenAsync(client, "/account/login");
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"No antiforgery token on {path}.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

/// <summary>Adds, after the whole app pipeline, a path that throws: proof that exception text never reaches a user.</summary>
internal sealed class ThrowingEndpointFilter : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public const string Secret = "SECRET-EXCEPTION-TEXT-42";

    public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Use(async (HttpContext ctx, RequestDelegate nxt) =>
        {
            if (ctx.Request.Path == "/__boom" || ctx.Request.Path == "/api/v1/__boom")
            {
                throw new InvalidOperationException(Secret);
            }
            await nxt(ctx);
        });
    };
}

public sealed class SqliteApp : SqliteAppBase;

/// <summary>SQLite, with the app on a fake clock (<see cref="AppFixture.Clock"/>).</summary>
public sealed class SqliteClockApp : SqliteAppBase
{
    protected override bool UsesFakeClock => true;
}

/// <summary>PostgreSQL, with the app on a fake clock (<see cref="AppFixture.Clock"/>).</summary>
public sealed class PostgresClockApp : PostgresApp
{
    protected override bool UsesFakeClock => true;
}

/// <summary>A fresh SQLite file per fixture; subclass to add settings.</summary>
public abstract class SqliteAppBase : AppFixture
{
    private string? _file;
    public override string ProviderName => "SQLite";
    protected override bool Available => true;

    protected override Task<Dictionary<string, string?>> CreateDatabaseAsync()
    {
        _file = Path.Combine(Path.GetTempPath(), "closer-tests", $"{Guid.NewGuid():N}.db");
        return Task.FromResult(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Closer"] = $"Data Source={_file}",
        });
    }

    protected override Task DropDatabaseAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            if (f is not null && File.Exists(f))
            {
                File.Delete(f);
            }
        }
        return Task.CompletedTask;
    }
}

public class PostgresApp : AppFixture
{
    private string? _database;
    public override string ProviderName => "PostgreSQL (CLOSER_TEST_POSTGRES)";
    protected override bool Available => Requirements.PostgresConnectionString is not null;

    protected override async Task<Dictionary<string, string?>> CreateDatabaseAsync()
    {
        _database = $"closer_t_{Guid.NewGuid():N}";
        await using (var conn = new NpgsqlConnection(Requirements.PostgresConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(Requirements.PostgresConnectionString) { Database = _database };
        return new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Closer"] = cs.ToString(),
        };
    }

    protected override async Task DropDatabaseAsync()
    {
        if (_database is null)
        {
            return;
        }
        await TestDatabases.DropAsync(Requirements.PostgresConnectionString!, _database);
    }
}

/// <summary>Role names, for tests.</summary>
public static class R
{
    public const string Admin = Roles.PlatformAdmin;
    public const string Coordinator = Roles.CountryCoordinator;
    public const string FocalPoint = Roles.OrgFocalPoint;
    public const string Viewer = Roles.Viewer;
    public const string Editor = Roles.Editor;
    public const string Translator = Roles.Translator;
}
