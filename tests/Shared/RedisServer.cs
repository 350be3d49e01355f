using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Closer.Testing;

/// <summary>A private redis-server on 127.0.0.1 that a test may stop and start again (outage tests).</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;
    public int Port { get; } = FreePort();
    public string Configuration => $"127.0.0.1:{Port}";

    public static string? Executable =>
        new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);

    public static void Need() => Requirements.Need(Executable is not null, "redis-server (apt-get install redis-server)");

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async Task StartAsync()
    {
        _process = Process.Start(new ProcessStartInfo(Executable!, ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException("redis-server did not start.");
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
