using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Closer.BrowserTests;

/// <summary>
/// The real app, started as its own process on 127.0.0.1 with a fresh SQLite file and demo data,
/// exactly as <c>dotnet Closer.Web.dll</c> runs in production.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _workDir;

    public Uri BaseAddress { get; }
    public string AdminEmail { get; } = "admin@browser.test";
    public string AdminPassword { get; } = "browser tests passphrase";

    private IDictionary<string, string> _env = new Dictionary<string, string>();

    /// <summary>Where the installation drops the e-mails it sends (one .eml file each).</summary>
    public string MailDirectory => Path.Combine(_workDir, "mail");

    private System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    private AppProcess(Process process, Uri baseAddress, string workDir)
    {
        _process = process;
        BaseAddress = baseAddress;
        _workDir = workDir;
    }

    /// <summary>The last lines the app wrote (stack frames left out), for a failing test's message.</summary>
    public string LogTail(int lines = 60) =>
        string.Join("\n", _log.Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).TakeLast(lines));

    /// <summary>Adds a person through the CLI of the running installation; returns their e-mail and password.</summary>
    public async Task<(string Email, string Password)> AddUserAsync(string role, string? org = null, params string[] countries)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@browser.test";
        const string password = "a browser journey passphrase";
        var args = new List<string> { "users", "add", "--email", email, "--role", role, "--password-stdin" };
        if (org is not null)
        {
            args.AddRange(["--org", org]);
        }
        foreach (var c in countries)
        {
            args.AddRange(["--country", c]);
        }
        var (code, _, err) = await RunCliAsync(_workDir, _env, password, [.. args]);
        if (code != 0)
        {
            throw new InvalidOperationException($"users add failed ({code}): {err}");
        }
        return (email, password);
    }

    public static string WebDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        return Path.Combine(Repository.Root, "src", "Closer.Web", "bin", configuration, "net10.0", "Closer.Web.dll");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ProcessStartInfo Start(string workDir, IDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", ["exec", WebDll(), .. args])
        {
            WorkingDirectory = Path.Combine(Repository.Root, "src", "Closer.Web"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        psi.Environment["DemoData__Enabled"] = "true";
        psi.Environment["ConnectionStrings__Closer"] = $"Data Source={Path.Combine(workDir, "closer.db")}";
        psi.Environment["Email__PickupDirectory"] = Path.Combine(workDir, "mail");
        psi.Environment["RateLimits__SignInPerMinute"] = "1000";
        // Load and fault journeys search from one address far faster than a person; the limit has its own in-process test.
        psi.Environment["RateLimits__SearchesPerMinute"] = "100000";
        // Journeys sign admins in with a password alone; a journey that needs the second factor sets this back.
        psi.Environment["Security__TwoFactor__RequiredRoles"] = "";
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        return psi;
    }

    /// <summary>Creates an API token for a person through the CLI; returns the token.</summary>
    public async Task<string> CreateTokenAsync(string email, string name)
    {
        var (code, output, err) = await RunCliAsync(_workDir, _env, null, "tokens", "create", "--email", email, "--name", name);
        if (code != 0)
        {
            throw new InvalidOperationException($"tokens create failed ({code}): {err}");
        }
        return output.Trim().Split('\n')[^1].Trim();
    }

    /// <summary>Runs a CLI verb of the app with the same settings; returns exit code, standard output and standard error.</summary>
    public static async Task<(int Code, string Output, string Error)> RunCliAsync(string workDir, IDictionary<string, string> env, string? stdin, params string[] args)
    {
        using var cli = Process.Start(Start(workDir, env, args))!;
        if (stdin is not null)
        {
            await cli.StandardInput.WriteLineAsync(stdin);
        }
        cli.StandardInput.Close();
        var output = cli.StandardOutput.ReadToEndAsync();
        var err = await cli.StandardError.ReadToEndAsync();
        var text = await output;
        await cli.WaitForExitAsync();
        return (cli.ExitCode, text, err);
    }

    public static async Task CreateAdminAsync(string workDir, IDictionary<string, string> env, string email, string password)
    {
        var (code, _, err) = await RunCliAsync(workDir, env, password, "users", "add", "--email", email, "--role", "PlatformAdmin", "--password-stdin");
        if (code != 0)
        {
            throw new InvalidOperationException($"users add failed ({code}): {err}");
        }
    }

    /// <summary>Starts the app on a fresh SQLite file with an administrator created through the CLI.</summary>
    public static async Task<AppProcess> StartAsync(Dictionary<string, string>? settings = null)
    {
        var workDir = Directory.CreateTempSubdirectory("closer-browser").FullName;
        var env = settings ?? [];
        var probe = new AppProcess(null!, new Uri("http://127.0.0.1"), workDir);
        await CreateAdminAsync(workDir, env, probe.AdminEmail, probe.AdminPassword);
        return await StartAsync(env, workDir);
    }

    /// <summary>Starts the app with extra environment (e.g. PostgreSQL settings) and waits until /readyz answers.</summary>
    public static async Task<AppProcess> StartAsync(IDictionary<string, string> env, string workDir)
    {
        var port = FreePort();
        var psi = Start(workDir, env);
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var process = Process.Start(psi)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { log.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(240))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {process.ExitCode} before it was ready:\n"
                    + string.Join("\n", log.Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).TakeLast(60)));
            }
            try
            {
                if ((await http.GetAsync("/readyz")).IsSuccessStatusCode)
                {
                    return new AppProcess(process, baseAddress, workDir) { _env = env, _log = log };
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("The app did not become ready within 240 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
