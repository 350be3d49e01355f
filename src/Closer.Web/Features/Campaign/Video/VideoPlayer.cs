using System.Globalization;
using System.Text.Json;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Video;

/// <summary>
/// What the videos page shows for one video: the rendition to play (the lightest unless the reader picked another;
/// only the lightest when the browser sends <c>Save-Data: on</c>), the sizes on offer with their megabytes, the
/// transcript (the cues of the shown language's subtitles) and the schema.org VideoObject.
/// </summary>
public sealed record VideoPlayer(CampaignVideo Video, VideoRendition Playing, IReadOnlyList<VideoRendition> Offered, string Transcript)
{
    public string Url(string file) => $"/video/{Video.Key}/{file}";

    public static bool SaveData(HttpRequest request) =>
        string.Equals(request.Headers["Save-Data"].ToString().Trim(), "on", StringComparison.OrdinalIgnoreCase);

    /// <summary>Ready videos by key, for the content items that point to one.</summary>
    public static async Task<Dictionary<string, CampaignVideo>> ReadyAsync(CloserDbContext db, IEnumerable<string?> keys, CancellationToken ct)
    {
        var wanted = keys.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return await db.CampaignVideos.AsNoTracking().Where(v => wanted.Contains(v.Key) && v.Status == VideoStatus.Ready)
            .ToDictionaryAsync(v => v.Key, StringComparer.Ordinal, ct);
    }

    public static VideoPlayer? For(CampaignVideo? video, int? size, bool saveData, string? vtt)
    {
        var renditions = video?.RenditionList() ?? [];
        if (video is null || renditions.Count == 0)
        {
            return null;
        }
        var offered = saveData ? renditions.Take(1).ToList() : renditions.ToList();
        var playing = offered.FirstOrDefault(r => r.Height == size) is { Height: > 0 } picked ? picked : offered[0];
        return new VideoPlayer(video, playing, offered, TranscriptOf(vtt));
    }

    /// <summary>The cue texts of a WebVTT file, in order, as running text.</summary>
    public static string TranscriptOf(string? vtt)
    {
        if (string.IsNullOrWhiteSpace(vtt))
        {
            return "";
        }
        var blocks = vtt.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var cues = blocks.Select(b => b.Split('\n')).Where(lines => lines.Any(l => l.Contains("-->", StringComparison.Ordinal)))
            .Select(lines => string.Join(' ', lines.SkipWhile(l => !l.Contains("-->", StringComparison.Ordinal)).Skip(1)).Trim())
            .Where(text => text.Length > 0);
        return string.Join(' ', cues);
    }

    public static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("0.0", CultureInfo.CurrentCulture);

    /// <summary>The JSON-LD script element (a data block: the CSP, which forbids inline script, does not apply to it).</summary>
    public string JsonLdScript(string origin, ContentView view, string pageUrl) =>
        "<script type=\"application/ld+json\">" + JsonLd(origin, view, pageUrl) + "</script>";

    /// <summary>schema.org VideoObject, with absolute URLs (search engines and link previews need them).</summary>
    public string JsonLd(string origin, ContentView view, string pageUrl) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["@context"] = "https://schema.org",
        ["@type"] = "VideoObject",
        ["name"] = view.Shown.Title,
        ["description"] = view.Shown.Summary,
        ["inLanguage"] = view.Shown.Language,
        ["thumbnailUrl"] = origin + Url(VideoStore.Poster),
        ["contentUrl"] = origin + Url(Offered[0].FileName),
        ["url"] = pageUrl,
        ["duration"] = System.Xml.XmlConvert.ToString(TimeSpan.FromSeconds(Math.Round(Video.DurationSeconds))),
        ["uploadDate"] = Video.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
        ["width"] = Offered[0].Width,
        ["height"] = Offered[0].Height,
        ["transcript"] = Transcript.Length > 0 ? Transcript : null,
        ["isFamilyFriendly"] = true,
    }.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value), JsonOptions);

    // Letters of every language as they are; "<", ">" and "&" still escaped, so a title can never close the script element.
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };
}
