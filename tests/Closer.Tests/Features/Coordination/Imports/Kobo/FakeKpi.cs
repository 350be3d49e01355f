using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Closer.Tests.Features.Coordination.Imports.Kobo;

/// <summary>
/// A local stand-in for KoboToolbox's KPI v2 data endpoint (<c>GET /api/v2/assets/{uid}/data/?format=json&amp;limit=&amp;start=</c>),
/// bound to 127.0.0.1 inside the test. It replays recorded pages (<see cref="KpiPages"/>): the test sets which pages the
/// next pull sees and which requests fail with a 5xx.
/// </summary>
public sealed class FakeKpi : IAsyncDisposable
{
    private readonly WebApplication _app;
    /// <summary>The pages of the asset's data, in order; each page's <c>next</c> points at the following one.</summary>
    public List<string> Pages { get; set; } = [];
    /// <summary>Status codes to answer instead of a page, by page index, consumed one per request.</summary>
    public ConcurrentDictionary<int, Queue<int>> Failures { get; } = new();
    public ConcurrentQueue<(string Path, string? Authorization)> Requests { get; } = new();
    public const string Token = "5f2b8c0e9d1a4e7fb3c6d8a0e2f4b6c8d0e1f3a5";
    public const string AssetUid = "aHq7vRkTbN2xZpQs9WmC4d";
    public string BaseUrl { get; private set; } = "";

    private FakeKpi(WebApplication app) => _app = app;

    public static async Task<FakeKpi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var kpi = new FakeKpi(app);
        app.MapGet("/api/v2/assets/{uid}/data/", (string uid, HttpContext http) => kpi.Answer(uid, http));
        await app.StartAsync();
        kpi.BaseUrl = app.Urls.First();
        return kpi;
    }

    private IResult Answer(string uid, HttpContext http)
    {
        var auth = http.Request.Headers.Authorization.ToString();
        Requests.Enqueue((http.Request.Path + http.Request.QueryString, auth));
        if (auth != "Token " + Token)
        {
            return Results.Json(new { detail = "Invalid token." }, statusCode: 401);
        }
        if (uid != AssetUid)
        {
            return Results.Json(new { detail = "Not found." }, statusCode: 404);
        }
        var start = int.TryParse(http.Request.Query["start"], out var s) ? s : 0;
        var index = start / KpiPages.PageSize;
        if (Failures.TryGetValue(index, out var codes) && codes.TryDequeue(out var code))
        {
            return Results.Text("<html><body><h1>Server Error (500)</h1></body></html>", "text/html", statusCode: code);
        }
        if (index >= Pages.Count)
        {
            return Results.Text(KpiPages.Empty, "application/json");
        }
        var next = index + 1 < Pages.Count
            ? $"\"{BaseUrl}/api/v2/assets/{AssetUid}/data/?format=json&limit={KpiPages.PageSize}&start={(index + 1) * KpiPages.PageSize}\""
            : "null";
        var previous = index > 0 ? $"\"{BaseUrl}/api/v2/assets/{AssetUid}/data/?format=json&limit={KpiPages.PageSize}&start={(index - 1) * KpiPages.PageSize}\"" : "null";
        var body = Pages[index].Replace("{{NEXT}}", next, StringComparison.Ordinal).Replace("{{PREVIOUS}}", previous, StringComparison.Ordinal);
        return Results.Text(body, "application/json");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
