using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Coordination.Imports.Kobo;

/// <summary>Settings of the KoboToolbox pull (<c>Kobo:</c>).</summary>
public sealed class KoboOptions
{
    /// <summary>Run the pull job on this node (every node may; a lease keeps them apart).</summary>
    public bool Worker { get; set; } = true;
    /// <summary>How often the job looks for connections due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How often each connection is pulled.</summary>
    public TimeSpan PullEvery { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Submissions asked per page (KPI's <c>limit</c>).</summary>
    public int PageSize { get; set; } = 1000;
    /// <summary>Retries of a page that failed with a 5xx, a 429 or no answer; the first waits <see cref="RetryDelay"/>, each next one twice as long.</summary>
    public int Retries { get; set; } = 3;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Tests only: allow <c>http://127.0.0.1</c> (a local fake of KPI). Production servers are https.</summary>
    public bool AllowHttpLoopback { get; set; }
}

/// <summary>Why a pull could not read the server; the message is written to the pull's log (never the token).</summary>
public sealed class KoboPullException(string message) : Exception(message);

/// <summary>
/// Reads every submission of an asset from KPI v2 (<c>GET /api/v2/assets/{uid}/data/?format=json</c>, paged through
/// <c>next</c>, <c>Authorization: Token …</c>), retrying a page that fails with a 5xx or no answer, with backoff.
/// The token is only ever sent to the configured server: a <c>next</c> link elsewhere stops the pull.
/// </summary>
public sealed class KoboClient(HttpClient http, IOptions<KoboOptions> options, TimeProvider time)
{
    public const string HttpClientName = "kobo";
    private const int MaxPages = 10_000;

    /// <summary>Whether a server address may be pulled from: https, or http on the loopback address when tests allow it.</summary>
    public static bool Allowed(string url, KoboOptions options) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length == 0
        && (uri.Scheme == Uri.UriSchemeHttps || (options.AllowHttpLoopback && uri.Scheme == Uri.UriSchemeHttp && IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)));

    public sealed record Page(List<Dictionary<string, string?>> Results, string? Next);

    /// <summary>Every submission, as flat text cells by key (Kobo's group paths), in the server's order; and the pages read.</summary>
    public async Task<(List<Dictionary<string, string?>> Submissions, int Pages)> AllAsync(string server, string assetUid, string token, CancellationToken ct)
    {
        var o = options.Value;
        if (!Allowed(server, o))
        {
            throw new KoboPullException("The server address must start with https://.");
        }
        var origin = new Uri(server);
        var url = new Uri(origin, $"/api/v2/assets/{Uri.EscapeDataString(assetUid)}/data/?format=json&limit={o.PageSize.ToString(CultureInfo.InvariantCulture)}");
        var all = new List<Dictionary<string, string?>>();
        var pages = 0;
        while (url is not null)
        {
            if (++pages > MaxPages)
            {
                throw new KoboPullException("The server kept sending pages.");
            }
            var page = await PageAsync(url, token, ct);
            all.AddRange(page.Results);
            url = null;
            if (page.Next is { Length: > 0 } next)
            {
                if (!Uri.TryCreate(origin, next, out var nextUri) || Uri.Compare(nextUri, origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
                {
                    throw new KoboPullException("The server's next page is on another server; the pull stopped there.");
                }
                url = nextUri;
            }
        }
        return (all, pages);
    }

    private async Task<Page> PageAsync(Uri url, string token, CancellationToken ct)
    {
        var o = options.Value;
        for (var attempt = 0; ; attempt++)
        {
            bool failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Authorization = new AuthenticationHeaderValue("Token", token);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(o.RequestTimeout);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
                    return Parse(await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token));
                }
                var code = (int)response.StatusCode;
                if (code < 500 && code != 429)
                {
                    // A refusal (bad token, unknown asset) will not change by asking again.
                    throw new KoboPullException(code is 401 or 403
                        ? "The server refused the token: check it and the project's sharing."
                        : "The server found no data for this project: check the asset uid.");
                }
                failure = true;
            }
            catch (HttpRequestException)
            {
                failure = true;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                failure = true;
            }
            catch (JsonException)
            {
                throw new KoboPullException("The server's answer is not KoboToolbox JSON.");
            }
            if (failure && attempt >= o.Retries)
            {
                throw new KoboPullException("The server failed or did not answer several times in a row; nothing was changed.");
            }
            await Task.Delay(o.RetryDelay * Math.Pow(2, attempt), time, ct);
        }
    }

    /// <summary>A KPI data page: <c>{"count", "next", "previous", "results": [...]}</c>; each result flattened to text cells.</summary>
    public static Page Parse(JsonDocument doc)
    {
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                throw new KoboPullException("The server's answer is not KoboToolbox JSON.");
            }
            var list = new List<Dictionary<string, string?>>();
            foreach (var r in results.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object))
            {
                var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var p in r.EnumerateObject())
                {
                    cells[p.Name] = p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString(),
                        JsonValueKind.Number => p.Value.GetRawText(),
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        _ => null, // attachments, geolocation, validation status: metadata, never 5W values
                    };
                }
                list.Add(cells);
            }
            var next = root.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return new Page(list, next);
        }
    }

    /// <summary>Submissions as a table for <see cref="KoboExport"/>: the keys in order of first appearance, one row each.</summary>
    public static (SheetRow Header, List<SheetRow> Rows) Table(List<Dictionary<string, string?>> submissions)
    {
        var keys = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in submissions.SelectMany(s => s.Keys).Where(seen.Add))
        {
            keys.Add(key);
        }
        var rows = submissions.Select((s, i) => new SheetRow(i + 2, keys.Select(k => s.GetValueOrDefault(k)).ToArray())).ToList();
        return (new SheetRow(1, keys.ToArray()), rows);
    }
}
