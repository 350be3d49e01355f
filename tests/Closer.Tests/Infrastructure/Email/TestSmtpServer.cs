using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Closer.Tests.Infrastructure.Email;

/// <summary>
/// A small SMTP server on 127.0.0.1 for tests: speaks enough of RFC 5321 for MailKit, records every message it
/// accepts, and can be told to refuse (421) to simulate an outage.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ConcurrentBag<string> Messages { get; } = [];
    private volatile bool _refuse;

    /// <summary>When set, MAIL FROM is answered 421 and the connection closed.</summary>
    public bool Refuse { get => _refuse; set => _refuse = value; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public TestSmtpServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException || _stop.IsCancellationRequested)
            {
                // Stopping: the listener may already be stopped (SocketException, ObjectDisposedException)
                // when a test disposes the server right after creating it, e.g. when its suite skips.
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 test-smtp ready");
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-test-smtp");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "HELO" or "RSET" or "NOOP":
                        await writer.WriteLineAsync("250 ok");
                        break;
                    case "MAIL":
                        await writer.WriteLineAsync(Refuse ? "421 service not available, try later" : "250 ok");
                        if (Refuse)
                        {
                            return;
                        }
                        break;
                    case "RCPT":
                        await writer.WriteLineAsync("250 ok");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                        var body = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } data && data != ".")
                        {
                            body.AppendLine(data.StartsWith("..", StringComparison.Ordinal) ? data[1..] : data);
                        }
                        Messages.Add(body.ToString());
                        await writer.WriteLineAsync("250 queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 not implemented");
                        break;
                }
            }
        }
        catch (IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop; // the loop ends quietly once _stop is cancelled, whatever the listener throws
        _stop.Dispose();
    }
}
