using System.Security.Claims;
using System.Security.Cryptography;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Closer.Web.Features.Campaign.Video;

/// <summary>
/// Where video files live and how they are served: uploads and renditions under the data directory
/// (<see cref="VideoOptions.Directory"/>, one folder per video), the demo videos under the app's own
/// Features/Campaign/Video/Demo/{key}/. Served by the app with byte ranges (seeking), ETag and a year of caching:
/// a rendition never changes under its URL.
/// </summary>
public sealed class VideoStore(IOptions<VideoOptions> options, IWebHostEnvironment env, CloserDbContext db, TimeProvider time)
{
    public const string Poster = "poster.jpg";

    public string Root => Path.GetFullPath(Path.Combine(env.ContentRootPath, options.Value.Directory));

    public string DemoRoot => Path.Combine(env.ContentRootPath, "Features", "Campaign", "Video", "Demo");

    public string FolderOf(CampaignVideo video) => video.IsDemo ? Path.Combine(DemoRoot, video.Key) : Path.Combine(Root, video.Key);

    public string SourceOf(CampaignVideo video) => Path.Combine(Root, video.Key, "source");

    /// <summary>MP4/MOV (an ftyp box), WebM/Matroska (EBML) or AVI; FFmpeg's probe decides the rest in the job.</summary>
    public static bool LooksLikeVideo(ReadOnlySpan<byte> head) =>
        (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        || (head.Length >= 4 && head[..4].SequenceEqual(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }))
        || (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..11].SequenceEqual("AVI"u8));

    /// <summary>Accepts an upload as a queued job: the file goes to disk as it arrives (never whole in memory).</summary>
    public async Task<Result<CampaignVideo>> UploadAsync(string fileName, Stream content, long length, ClaimsPrincipal user, CancellationToken ct)
    {
        if (length > options.Value.MaxUploadBytes)
        {
            return Invalid("The file is too large.");
        }
        var head = new byte[12];
        var read = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        if (!LooksLikeVideo(head.AsSpan(0, read)))
        {
            return Invalid("Only MP4, MOV, WebM and AVI videos are accepted.");
        }
        var name = Path.GetFileName(fileName);
        var stem = Slugs.Slugify(Path.GetFileNameWithoutExtension(name));
        var key = (stem.Length > 40 ? stem[..40] : stem).Trim('-') is { Length: > 0 } s ? s : "video";
        key += "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var video = new CampaignVideo
        {
            Key = key, FileName = name.Length is > 0 and <= 200 ? name : "video", Status = VideoStatus.Queued,
            CreatedAt = time.GetUtcNow(), CreatedBy = user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name,
        };
        var source = SourceOf(video);
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        try
        {
            await using (var file = File.Create(source))
            {
                await file.WriteAsync(head.AsMemory(0, read), ct);
                await content.CopyToAsync(file, ct);
                video.SourceBytes = file.Length;
            }
            if (video.SourceBytes > options.Value.MaxUploadBytes)
            {
                Directory.Delete(Path.GetDirectoryName(source)!, recursive: true);
                return Invalid("The file is too large.");
            }
            db.CampaignVideos.Add(video);
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            // Nothing half-stored: no row without its file, no file without its row.
            if (Directory.Exists(Path.GetDirectoryName(source)))
            {
                Directory.Delete(Path.GetDirectoryName(source)!, recursive: true);
            }
            throw;
        }
        return video;
    }

    private static ValidationError Invalid(string message) =>
        new("video-upload", "The file could not be uploaded.", [new FieldError(null, "file", message)]);

    /// <summary>GET /video/{key}/{file}: a rendition or the poster of a ready video.</summary>
    public static async Task<Results<PhysicalFileHttpResult, NotFound>> ServeAsync(string key, string file, CloserDbContext db, VideoStore store, HttpContext http, CancellationToken ct)
    {
        var video = await db.CampaignVideos.AsNoTracking().FirstOrDefaultAsync(v => v.Key == key && v.Status == VideoStatus.Ready, ct);
        // Only the names the video lists (its renditions follow the source's height, e.g. 180p for a small upload) and
        // its poster: nothing else in its folder, and no path a caller makes up.
        if (video is null || (file != Poster && !video.RenditionList().Any(r => r.FileName == file)))
        {
            return TypedResults.NotFound();
        }
        var contentType = file == Poster ? "image/jpeg" : "video/mp4";
        var path = Path.Combine(store.FolderOf(video), file);
        if (!File.Exists(path))
        {
            return TypedResults.NotFound();
        }
        var info = new FileInfo(path);
        var etag = new EntityTagHeaderValue($"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\"");
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.PhysicalFile(path, contentType, lastModified: info.LastWriteTimeUtc, entityTag: etag, enableRangeProcessing: true);
    }
}
