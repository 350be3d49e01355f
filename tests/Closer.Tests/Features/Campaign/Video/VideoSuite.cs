using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Closer.Testing;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Campaign.Video;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Campaign.Video;

/// <summary>The app for video suites: the transcoding worker off (the tests run it), files in a temporary folder.</summary>
public sealed class VideoSqliteApp : SqliteAppBase
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "closer-tests", "video-" + Guid.NewGuid().ToString("N"));
    protected override void AddSettings(Dictionary<string, string?> settings) => VideoSettings.Add(settings, Folder);
}

public sealed class VideoPostgresApp : PostgresApp
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "closer-tests", "video-" + Guid.NewGuid().ToString("N"));
    protected override void AddSettings(Dictionary<string, string?> settings) => VideoSettings.Add(settings, Folder);
}

internal static class VideoSettings
{
    public static void Add(Dictionary<string, string?> settings, string folder)
    {
        settings["Campaign:Video:Worker"] = "false";
        settings["Campaign:Video:Directory"] = folder;
        settings["Campaign:Video:MaxUploadBytes"] = "2000000";
    }
}

/// <summary>
/// Self-hosted video: the demo videos are served by the app (ranges, types, caching, ETag) and offered lightest first,
/// with a transcript and VideoObject JSON-LD; Save-Data keeps to the lightest; an upload is transcoded by the job with
/// Debian's FFmpeg (never upscaled, the original not kept), and a job interrupted mid-way is taken up again.
/// </summary>
public abstract class VideoSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task VideosPage_OffersTheLightestDemoRendition_WithPosterSizesTranscriptAndJsonLd()
    {
        var html = await app.Client().GetStringAsync("/en/videos", Ct);
        Assert.Contains("preload=\"none\"", html);
        Assert.Contains("poster=\"/video/demo-spot/poster.jpg\"", html);
        Assert.Contains("<source src=\"/video/demo-spot/240p.mp4\" type=\"video/mp4\">", html);
        Assert.DoesNotContain("video.example.org", html);
        Assert.DoesNotContain("autoplay", html);
        Assert.Matches(new Regex(@"<strong aria-current=""true"">240p, 0\.\d MB</strong>"), html);
        Assert.Contains("href=\"?size=360#", html);
        Assert.Contains("We come from different places. We share the same streets. Take one step closer.", html);
        Assert.Contains("Demo video: generated images and a synthetic voice, not real footage.", html);

        var ld = Regex.Matches(html, @"<script type=""application/ld\+json"">(.*?)</script>", RegexOptions.Singleline)
            .Select(m => JsonDocument.Parse(m.Groups[1].Value).RootElement).Where(e => e.GetProperty("@type").GetString() == "VideoObject").ToList();
        Assert.Equal(2, ld.Count);
        var spot = ld.Single(e => e.GetProperty("contentUrl").GetString()!.EndsWith("/video/demo-spot/240p.mp4", StringComparison.Ordinal));
        Assert.Equal("The campaign spot: one step closer", spot.GetProperty("name").GetString());
        Assert.Equal("PT12S", spot.GetProperty("duration").GetString());
        Assert.StartsWith("http", spot.GetProperty("thumbnailUrl").GetString(), StringComparison.Ordinal);
        Assert.Contains("Take one step closer.", spot.GetProperty("transcript").GetString(), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(spot.GetProperty("uploadDate").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));

        // The reader's language: Papiamentu transcript and sizes written with a decimal comma.
        var pap = await app.Client().GetStringAsync("/pap/videos", Ct);
        Assert.Contains("Nos ta bini di diferente lugá.", pap);
        Assert.Contains("\"name\":\"E spot di e kampaña: un paso mas serka\"", pap);
        Assert.Contains("Transkripshon", pap);

        var bigger = await app.Client().GetStringAsync("/en/videos?size=360", Ct);
        Assert.Contains("<source src=\"/video/demo-spot/360p.mp4\" type=\"video/mp4\">", bigger);
    }

    [Fact]
    public async Task SaveData_OffersOnlyTheLightestRendition()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/en/videos?size=360");
        request.Headers.Add("Save-Data", "on");
        var response = await app.Client().SendAsync(request, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Save-Data", response.Headers.Vary);
        Assert.Contains("<source src=\"/video/demo-spot/240p.mp4\" type=\"video/mp4\">", html);
        Assert.DoesNotContain("360p", html);
        Assert.Contains("Your browser asked to save data: only the lightest version is offered.", html);
        // The cached page for save-data readers is not served to others.
        Assert.Contains("360p", await app.Client().GetStringAsync("/en/videos?size=360", Ct));
    }

    [Fact]
    public async Task Rendition_IsServedWithRangesTypesEtagAndLongCaching()
    {
        var client = app.Client();
        var full = await client.GetAsync("/video/demo-spot/240p.mp4", Ct);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal("video/mp4", full.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", full.Headers.CacheControl?.ToString());
        Assert.Equal("bytes", Assert.Single(full.Headers.AcceptRanges));
        var length = full.Content.Headers.ContentLength!.Value;
        Assert.InRange(length, 10_000, 1_500_000);
        var etag = full.Headers.ETag!;

        using var range = new HttpRequestMessage(HttpMethod.Get, "/video/demo-spot/240p.mp4");
        range.Headers.Range = new RangeHeaderValue(1000, 1099);
        var partial = await client.SendAsync(range, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync(Ct)).Length);
        Assert.Equal($"bytes 1000-1099/{length}", partial.Content.Headers.ContentRange!.ToString());

        using var again = new HttpRequestMessage(HttpMethod.Get, "/video/demo-spot/240p.mp4");
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again, Ct)).StatusCode);

        var poster = await client.GetAsync("/video/demo-spot/poster.jpg", Ct);
        Assert.Equal("image/jpeg", poster.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/video/demo-spot/source", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/video/demo-spot/..%2F..%2Fappsettings.json", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/video/no-such-video/240p.mp4", Ct)).StatusCode);
    }

    [Fact]
    public async Task FileThatIsNotAVideo_IsRefused_AndStoresNothing()
    {
        var editor = await app.SignedInClientAsync(R.Editor);
        var before = await CountAsync();
        var response = await UploadAsync(editor, Encoding.UTF8.GetBytes("<?php echo 'not a video'; ?>"), "clip.mp4");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Only MP4, MOV, WebM and AVI videos are accepted.", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Upload_IsTranscodedByTheJob_NeverUpscaled_AndTheOriginalIsNotKept()
    {
        Requirements.Need(VideoTranscoder.Available, "FFmpeg (ffmpeg and ffprobe on PATH)");
        var editor = await app.SignedInClientAsync(R.Editor);
        var response = await UploadAsync(editor, await MakeClipAsync(400, 300), "Fiesta en Maracaibo.mp4");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var video = await LatestAsync();
        Assert.Equal(VideoStatus.Queued, video.Status);
        Assert.StartsWith("fiesta-en-maracaibo-", video.Key, StringComparison.Ordinal);
        Assert.Contains("Waiting", await editor.GetStringAsync("/admin/videos", Ct));

        var run = await app.Services.GetRequiredService<VideoJob>().RunOnceAsync(Ct);
        Assert.True(run.Succeeded, run.Failure?.ToString());
        video = await LatestAsync();
        Assert.Equal(VideoStatus.Ready, video.Status);
        Assert.Equal(100, video.Progress);
        // A 300-pixel-high source: 240p only, nothing larger than the original.
        var rendition = Assert.Single(video.RenditionList());
        Assert.Equal((240, 320), (rendition.Height, rendition.Width));
        Assert.InRange(video.DurationSeconds, 1.5, 2.5);
        Assert.False(File.Exists(Path.Combine(Folder, video.Key, "source")));

        var served = await app.Client().GetAsync($"/video/{video.Key}/240p.mp4", Ct);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var bytes = await served.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(rendition.Bytes, bytes.Length);
        Assert.Equal("ftyp", Encoding.ASCII.GetString(bytes, 4, 4));
        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync($"/video/{video.Key}/poster.jpg", Ct)).StatusCode);
        Assert.Contains("240p", await editor.GetStringAsync("/admin/videos", Ct));
    }

    [Fact]
    public async Task JobInterruptedMidway_IsTakenUpAgain_ButNotWhileItsLeaseHolds()
    {
        Requirements.Need(VideoTranscoder.Available, "FFmpeg (ffmpeg and ffprobe on PATH)");
        var editor = await app.SignedInClientAsync(R.Editor);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(editor, await MakeClipAsync(320, 240), "interrupted.mp4")).StatusCode);
        var id = (await LatestAsync()).Id;
        var job = app.Services.GetRequiredService<VideoJob>();
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // Another node is working on it: its lease holds, so this node leaves it alone.
        await SetClaimAsync(id, now.AddMinutes(5));
        Assert.Equal(0, (await job.RunOnceAsync(Ct)).Items);
        Assert.Equal(VideoStatus.Transcoding, (await LatestAsync()).Status);
        Assert.DoesNotContain("Interrupted; it will start again", await editor.GetStringAsync("/admin/videos", Ct));
        // That node stopped (a restart): its lease ran out, and the page says so.
        await SetClaimAsync(id, now.AddMinutes(-1));
        Assert.Contains("Interrupted; it will start again", await editor.GetStringAsync("/admin/videos", Ct));
        Assert.Equal(1, (await job.RunOnceAsync(Ct)).Items);
        var video = await LatestAsync();
        Assert.Equal(VideoStatus.Ready, video.Status);
        Assert.Equal(2, video.Attempts);
        Assert.Null(video.ClaimToken);
    }

    [Fact]
    public async Task VideoFfmpegCannotRead_FailsWithAClearMessage()
    {
        Requirements.Need(VideoTranscoder.Available, "FFmpeg (ffmpeg and ffprobe on PATH)");
        var editor = await app.SignedInClientAsync(R.Editor);
        var fake = "\0\0\0\u0018ftypisom"u8.ToArray().Concat(new byte[2000]).ToArray();
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(editor, fake, "broken.mp4")).StatusCode);
        await app.Services.GetRequiredService<VideoJob>().RunOnceAsync(Ct);
        var video = await LatestAsync();
        Assert.Equal(VideoStatus.Failed, video.Status);
        Assert.Equal("The file is not a video FFmpeg can read.", video.Error);
        Assert.Contains("The file is not a video FFmpeg can read.", await editor.GetStringAsync("/admin/videos", Ct));
    }

    private string Folder => (string)app.GetType().GetProperty("Folder")!.GetValue(app)!;

    private async Task SetClaimAsync(long id, DateTimeOffset until)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        await db.CampaignVideos.Where(v => v.Id == id).ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, VideoStatus.Transcoding)
            .SetProperty(v => v.Attempts, 1).SetProperty(v => v.ClaimToken, Guid.NewGuid()).SetProperty(v => v.ClaimedUntil, until), Ct);
    }

    private async Task<CampaignVideo> LatestAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CloserDbContext>().CampaignVideos.AsNoTracking().OrderByDescending(v => v.Id).FirstAsync(Ct);
    }

    private async Task<int> CountAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CloserDbContext>().CampaignVideos.CountAsync(Ct);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] bytes, string name)
    {
        var token = await AppFixture.AntiforgeryTokenAsync(client, "/admin/videos");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(file, "File", name);
        return await client.PostAsync("/admin/videos", form, Ct);
    }

    /// <summary>A 2-second test pattern with a tone, made by FFmpeg itself.</summary>
    private static async Task<byte[]> MakeClipAsync(int width, int height)
    {
        var path = Path.Combine(Path.GetTempPath(), $"closer-clip-{Guid.NewGuid():N}.mp4");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc=size={width}x{height}:rate=15:duration=2",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync(Ct);
        Assert.Equal(0, process.ExitCode);
        var bytes = await File.ReadAllBytesAsync(path, Ct);
        File.Delete(path);
        return bytes;
    }
}

public sealed class VideoSqlite(VideoSqliteApp app) : VideoSuite<VideoSqliteApp>(app);
public sealed class VideoPostgres(VideoPostgresApp app) : VideoSuite<VideoPostgresApp>(app);
