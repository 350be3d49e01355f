using System.Diagnostics;
using Closer.Tests.Infrastructure.Localization;
using Closer.Web.Infrastructure.Cli;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Infrastructure.Cli;

public sealed class CliTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private async Task<(int Code, string Out, string Err)> RunAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Closer.Web.Infrastructure.Cli.Cli.RunAsync(app.Services, args, new StringReader(stdin), output, error);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<int> UserCountAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CloserDbContext>().Users.CountAsync(TestContext.Current.CancellationToken);
    }

    public static TheoryData<string[], string, string> UsageErrors => new()
    {
        { ["users", "add", "--role", "PlatformAdmin", "--password-stdin"], "a long enough password", "--email" },
        { ["users", "add", "--email", "a@b.invalid", "--role", "Emperor", "--password-stdin"], "a long enough password", "--role must be one of" },
        { ["users", "add", "--email", "a@b.invalid", "--role", "PlatformAdmin"], "a long enough password", "--password-stdin is required" },
        { ["users", "add", "--email", "a@b.invalid", "--role", "PlatformAdmin", "--password-stdin"], "", "No password" },
        { ["users", "add", "--email", "a@b.invalid", "--role", "OrgFocalPoint", "--password-stdin"], "a long enough password", "needs --org" },
        { ["users", "add", "--email", "a@b.invalid", "--role", "OrgFocalPoint", "--org", "NOSUCH", "--password-stdin"], "a long enough password", "No organisation" },
        { ["users", "add", "--email", "a@b.invalid", "--role", "CountryCoordinator", "--country", "XYZ", "--password-stdin"], "a long enough password", "Unknown country" },
        { ["users", "add", "--email", "a@b.invalid", "--role", "PlatformAdmin", "--password-stdin"], "short", "12" },
        { ["users", "add", "--email", "a@b.invalid", "--role", "PlatformAdmin", "--password-stdin", "--bogus"], "a long enough password", "Unknown option" },
        { ["users", "add", "--email"], "", "needs a value" },
        { ["tokens", "create", "--email", "nobody@b.invalid", "--name", "x"], "", "No user" },
        { ["tokens", "create", "--name", "x"], "", "required" },
        { ["frobnicate"], "", "Unknown command" },
        { ["users", "delete-everything"], "", "Unknown command" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task WrongArguments_Exit2_WithAClearMessage_AndWriteNothing(string[] args, string stdin, string message)
    {
        var before = await UserCountAsync();
        var (code, _, err) = await RunAsync(stdin, args);
        Assert.Equal(Closer.Web.Infrastructure.Cli.Cli.Usage, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
        Assert.Equal(before, await UserCountAsync());
    }

    [Fact]
    public async Task UsersAdd_ThenTokensCreate_PrintsTheTokenLast()
    {
        var email = $"cli-{Guid.NewGuid():N}@test.invalid";
        var (code, output, _) = await RunAsync("a long enough password\n",
            "users", "add", "--email", email, "--role", "CountryCoordinator", "--country", "COL", "--country", "ecu", "--lang", "es", "--password-stdin");
        Assert.Equal(0, code);
        Assert.Contains(email, output);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            var user = await db.Users.Include(u => u.Countries).SingleAsync(u => u.Email == email, TestContext.Current.CancellationToken);
            Assert.Equal(["COL", "ECU"], user.Countries.Select(c => c.CountryIso3).Order(StringComparer.Ordinal));
            Assert.Equal("es", user.PreferredLanguage);
        }

        var duplicate = await RunAsync("a long enough password\n", "users", "add", "--email", email, "--role", "Viewer", "--password-stdin");
        Assert.Equal(Closer.Web.Infrastructure.Cli.Cli.Usage, duplicate.Code);

        var (tcode, tout, _) = await RunAsync("", "tokens", "create", "--email", email, "--name", "kobo sync");
        Assert.Equal(0, tcode);
        var last = tout.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("clo_", last);
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", last);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/api/v1/me", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task RealProcess_WithWrongArguments_Exits2()
    {
        var dll = Path.Combine(Repository.Root, "src", "Closer.Web", "bin",
            new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "Closer.Web.dll");
        Assert.True(File.Exists(dll), dll);
        var cwd = Directory.CreateTempSubdirectory("closer-cli").FullName;
        var psi = new ProcessStartInfo("dotnet", ["exec", dll, "users", "add", "--role", "Nobody"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            WorkingDirectory = cwd,
        };
        psi.Environment["ConnectionStrings__Closer"] = $"Data Source={Path.Combine(cwd, "cli.db")}";
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var err = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Error:", err);
        Assert.False(File.Exists(Path.Combine(cwd, "cli.db")), "A usage error must not create or touch the database.");
    }
}
