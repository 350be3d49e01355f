using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Closer.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Campaign.Video;

/// <summary>What FFmpeg's probe says about an upload.</summary>
public sealed record VideoProbe(int Width, int Height, double DurationSeconds);

/// <summary>
/// Runs Debian's FFmpeg (found on PATH): H.264/AAC MP4 renditions for phones on prepaid data and a poster. Every run is
/// bounded in time, reads no standard input and may open local files only (<c>-protocol_whitelist file,pipe</c>: a
/// crafted upload cannot make the server fetch a URL). FFmpeg missing is a clear failure, not a crash.
/// </summary>
public sealed class VideoTranscoder(IOptions<VideoOptions> options)
{
    /// <summary>Height, video bit rate, audio bit rate (kbit/s): 240p is about 300 kbit/s in all, ≈ 1.1 MB for 30 s.</summary>
    public static readonly (int Height, int VideoKbps, int AudioKbps)[] Ladder = [(240, 250, 48), (360, 500, 64), (720, 1500, 96)];

    public const string MissingFfmpeg = "FFmpeg is not installed on this server (ffmpeg was not found on PATH).";

    public static string? Find(string tool = "ffmpeg") =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);

    public static bool Available => Find() is not null && Find("ffprobe") is not null;

    /// <summary>The heights to make: the ladder up to the source's height, never upscaled (a tiny source gets its own height).</summary>
    public static IReadOnlyList<(int Height, int VideoKbps, int AudioKbps)> HeightsFor(int sourceHeight)
    {
        var fit = Ladder.Where(l => l.Height <= sourceHeight).ToList();
        return fit.Count > 0 ? fit : [(Math.Max(2, sourceHeight / 2 * 2), Ladder[0].VideoKbps, Ladder[0].AudioKbps)];
    }

    public async Task<Result<VideoProbe>> ProbeAsync(string source, CancellationToken ct)
    {
        var (code, output) = await RunAsync("ffprobe", ["-v", "error", "-protocol_whitelist", "file,pipe", "-select_streams", "v:0",
            "-show_entries", "stream=width,height:format=duration", "-of", "json", source], null, ct);
        if (code != 0)
        {
            return Fail("The file is not a video FFmpeg can read.");
        }
        using var json = JsonDocument.Parse(output);
        var streams = json.RootElement.TryGetProperty("streams", out var s) ? s : default;
        if (streams.ValueKind != JsonValueKind.Array || streams.GetArrayLength() == 0)
        {
            return Fail("The file is not a video FFmpeg can read.");
        }
        var width = streams[0].GetProperty("width").GetInt32();
        var height = streams[0].GetProperty("height").GetInt32();
        var duration = json.RootElement.TryGetProperty("format", out var f) && f.TryGetProperty("duration", out var d)
            && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var secs) ? secs : 0;
        return new VideoProbe(width, height, duration);
    }

    /// <summary>Writes one rendition; <paramref name="progress"/> gets the seconds encoded so far.</summary>
    public async Task<Result<long>> RenditionAsync(string source, string target, (int Height, int VideoKbps, int AudioKbps) step,
        Func<double, Task> progress, CancellationToken ct)
    {
        var vb = step.VideoKbps.ToString(CultureInfo.InvariantCulture) + "k";
        var partial = target + ".part.mp4";
        var (code, _) = await RunAsync("ffmpeg", ["-nostdin", "-hide_banner", "-v", "error", "-protocol_whitelist", "file,pipe", "-y",
            "-i", source, "-map", "0:v:0", "-map", "0:a:0?", "-vf", $"scale=-2:{step.Height.ToString(CultureInfo.InvariantCulture)}",
            "-c:v", "libx264", "-profile:v", "main", "-preset", "veryfast", "-b:v", vb, "-maxrate", vb, "-bufsize", vb, "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", step.AudioKbps.ToString(CultureInfo.InvariantCulture) + "k", "-ac", "1",
            "-movflags", "+faststart", "-map_metadata", "-1", "-progress", "pipe:1", "-nostats", partial], progress, ct);
        if (code != 0 || !File.Exists(partial))
        {
            File.Delete(partial);
            return Fail("FFmpeg could not transcode the video.");
        }
        File.Move(partial, target, overwrite: true);
        return new FileInfo(target).Length;
    }

    public async Task<Result<bool>> PosterAsync(string source, string target, double duration, int height, CancellationToken ct)
    {
        var at = Math.Min(2, duration / 2).ToString("0.###", CultureInfo.InvariantCulture);
        var (code, _) = await RunAsync("ffmpeg", ["-nostdin", "-hide_banner", "-v", "error", "-protocol_whitelist", "file,pipe", "-y",
            "-ss", at, "-i", source, "-frames:v", "1", "-vf", $"scale=-2:{Math.Min(height, 360).ToString(CultureInfo.InvariantCulture)}",
            "-q:v", "4", "-map_metadata", "-1", target], null, ct);
        return code == 0 && File.Exists(target) ? true : Fail("FFmpeg could not make the poster image.");
    }

    private static ValidationError Fail(string message) => new("video-transcode", message, []);

    private async Task<(int Code, string Output)> RunAsync(string tool, IEnumerable<string> args, Func<double, Task>? progress, CancellationToken ct)
    {
        var path = Find(tool) ?? throw new FileNotFoundException(MissingFfmpeg);
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("FFmpeg did not start.");
        process.StandardInput.Close();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(options.Value.MaxRunTime);
        var errors = process.StandardError.ReadToEndAsync(bounded.Token);
        var output = new System.Text.StringBuilder();
        try
        {
            while (await process.StandardOutput.ReadLineAsync(bounded.Token) is { } line)
            {
                output.AppendLine(line);
                if (progress is not null && line.StartsWith("out_time_us=", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan(12), NumberStyles.Integer, CultureInfo.InvariantCulture, out var us))
                {
                    await progress(us / 1_000_000.0);
                }
            }
            await process.WaitForExitAsync(bounded.Token);
            await errors;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (ct.IsCancellationRequested)
            {
                throw;
            }
            return (-1, "");
        }
        return (process.ExitCode, output.ToString());
    }
}
