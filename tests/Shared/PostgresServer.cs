using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Closer.Testing;

/// <summary>
/// A private PostgreSQL cluster on 127.0.0.1 (Debian's binaries, a temporary data directory, trust auth on
/// loopback) that a fault test may stop and start while the shared server keeps serving the other suites.
/// When the tests run as root (CI), the cluster runs as the <c>postgres</c> system user via runuser.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"closer-pg-{Guid.NewGuid():N}");

    public int Port { get; } = FreePort();

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=closer;Database={database};Timeout=5;Command Timeout=30";

    /// <summary>The newest installed server's bin directory, e.g. /usr/lib/postgresql/15/bin.</summary>
    public static string? BinDirectory =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    private static bool IsRoot => Environment.UserName == "root";

    public static void Need() => Requirements.Need(BinDirectory is not null && (!IsRoot || File.Exists("/usr/sbin/runuser") || File.Exists("/sbin/runuser")),
        "PostgreSQL server binaries (apt-get install postgresql)");

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string tool, params string[] args)
    {
        var exe = Path.Combine(BinDirectory!, tool);
        var psi = IsRoot
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", exe, .. args])
            : new ProcessStartInfo(exe, args);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await stdout;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr}");
        }
    }

    /// <summary>Creates the cluster (superuser <c>closer</c>) and starts it.</summary>
    public async Task InitAndStartAsync()
    {
        await RunAsync("initdb", "-D", _dataDir, "-U", "closer", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
        await StartAsync();
    }

    public Task StartAsync() => RunAsync("pg_ctl", "-D", _dataDir, "-w", "-t", "60", "-l", Path.Combine(_dataDir, "server.log"),
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {_dataDir} -c fsync=off", "start");

    /// <summary>A fast shutdown: open sessions are terminated, as in a restart for maintenance.</summary>
    public Task StopAsync() => RunAsync("pg_ctl", "-D", _dataDir, "-w", "-t", "60", "-m", "fast", "stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("pg_ctl", "-D", _dataDir, "-w", "-t", "30", "-m", "immediate", "stop");
        }
        catch (InvalidOperationException)
        {
            // Not running.
        }
        try
        {
            if (IsRoot)
            {
                using var rm = Process.Start("rm", ["-rf", _dataDir]);
                await rm!.WaitForExitAsync();
            }
            else
            {
                Directory.Delete(_dataDir, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
