using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Net.Http.Headers;

namespace Closer.Web.Features.OpenData;

/// <summary>Endpoint metadata: the datasets a public API response is computed from.</summary>
public sealed record DatasetsMetadata(IReadOnlyList<string> Datasets);

public static class DatasetsEndpointExtensions
{
    /// <summary>Declares the datasets behind a public GET endpoint: it is output-cached, evicted and stamped with them.</summary>
    public static TBuilder FromDatasets<TBuilder>(this TBuilder builder, params string[] datasets) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DatasetsMetadata(datasets));
}

/// <summary>
/// Which datasets a public <c>/api/v1</c> GET endpoint serves. An endpoint may say so itself
/// (<see cref="DatasetsEndpointExtensions.FromDatasets"/>); otherwise its path decides, so the public endpoints of
/// other features are covered without touching them. An endpoint that maps to no dataset is neither cached nor stamped.
/// </summary>
public static class PublicApi
{
    private static readonly (string Prefix, string[] Datasets)[] ByPath =
    [
        ("/api/v1/figures", [DataStamps.Figures]),
        ("/api/v1/countries", [DataStamps.Countries, DataStamps.Figures]),
        ("/api/v1/plan", [DataStamps.Plan]),
        ("/api/v1/plans", [DataStamps.Plan]),
        ("/api/v1/organisations", [DataStamps.Organisations]),
        ("/api/v1/pledges", [DataStamps.Pledges]),
        // The gap view sets funding beside the response (issue 20).
        ("/api/v1/dashboards/gaps", [DataStamps.Reports, DataStamps.Plan, DataStamps.Funding, DataStamps.Countries]),
        ("/api/v1/dashboards", [DataStamps.Reports, DataStamps.Plan, DataStamps.Figures, DataStamps.Organisations]),
        ("/api/v1/activities", [DataStamps.Reports]),
        ("/api/v1/funding", [DataStamps.Funding, DataStamps.Plan]),
        ("/api/v1/datasets", [.. DataStamps.Known]),
    ];

    /// <summary>The datasets of a public, anonymous GET endpoint, or null when it is not one.</summary>
    public static IReadOnlyList<string>? Datasets(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return null;
        }
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<IAllowAnonymous>() is null)
        {
            return null;
        }
        if (endpoint.Metadata.GetMetadata<DatasetsMetadata>() is { } declared)
        {
            return declared.Datasets;
        }
        var path = context.Request.Path;
        foreach (var (prefix, datasets) in ByPath)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return datasets;
            }
        }
        return null;
    }

    /// <summary>True for a caller who is not anonymous (token or cookie): their answers are never shared through the cache.</summary>
    public static bool IsPersonal(HttpContext context) =>
        context.Request.Headers.Authorization.Count > 0 || context.User.Identity?.IsAuthenticated == true;
}

/// <summary>
/// Output caching of the public API for anonymous callers: varies by query and Accept-Language, tagged with its
/// datasets so that a change evicts it (see <see cref="DataStampInterceptor"/>). A base policy: it decides per
/// request from the endpoint, and leaves every other request alone.
/// </summary>
internal sealed class PublicApiCachePolicy : IOutputCachePolicy
{
    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        if (!http.Request.Path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase) || PublicApi.IsPersonal(http)
            || PublicApi.Datasets(http) is not { } datasets)
        {
            return ValueTask.CompletedTask;
        }
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true;
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.HeaderNames = new Microsoft.Extensions.Primitives.StringValues([HeaderNames.AcceptLanguage]);
        context.ResponseExpirationTimeSpan = TimeSpan.FromMinutes(10);
        foreach (var d in datasets)
        {
            context.Tags.Add(DataStamps.Tag(d));
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
        {
            context.AllowCacheStorage = false;
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Conditional GET for the public API. The ETag is a hash of the body (right whatever the format, language or
/// filters, and the same on every node); Last-Modified is the latest stamp of the endpoint's datasets. A request
/// whose If-None-Match matches, or (without If-None-Match) whose If-Modified-Since is not older, gets 304.
/// Runs outermost (a startup filter), around the output cache, so cached and fresh answers are treated alike.
/// </summary>
internal sealed class ConditionalRequestsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nxt) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase)
                || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
            {
                await nxt(context);
                return;
            }
            await ConditionalRequests.HandleAsync(context, nxt);
        });
        next(app);
    };
}

internal static class ConditionalRequests
{
    private const string AsOfKey = "closer:data-as-of";

    /// <summary>
    /// The answer is made of the data as it was at <paramref name="asOf"/>, not of the latest change (an endpoint serving a
    /// table while its successor is built): Last-Modified says so, so that If-Modified-Since never takes it for the latest,
    /// and the output cache does not keep it (an eviction has already passed; it would outlive the rebuild).
    /// </summary>
    public static void AnswerAsOf(HttpContext context, DateTimeOffset asOf)
    {
        context.Items[AsOfKey] = asOf;
        if (context.Features.Get<IOutputCacheFeature>() is { } cache)
        {
            cache.Context.AllowCacheStorage = false;
        }
    }

    public static async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        // Decided at the first write, when the endpoint and status are known: only public dataset answers are
        // buffered (to hash them); anything else (a partner's large export, an error) streams through untouched.
        await using var body = new DeferredBufferStream(original,
            () => context.Response.StatusCode == StatusCodes.Status200OK && PublicApi.Datasets(context) is not null);
        context.Response.Body = body;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        if (body.Buffer is not { } buffer)
        {
            return;
        }
        var datasets = context.Response.StatusCode == StatusCodes.Status200OK && !context.Response.HasStarted ? PublicApi.Datasets(context) : null;
        if (datasets is not null)
        {
            var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(buffer.Sha256().AsSpan(0, 16)) + "\"");
            var db = context.RequestServices.GetRequiredService<CloserDbContext>();
            var changedAt = context.Items.TryGetValue(AsOfKey, out var asOf) && asOf is DateTimeOffset stale
                ? stale
                : await DataStamps.LatestAsync(db, datasets, context.RequestAborted);
            var headers = context.Response.GetTypedHeaders();
            headers.ETag = etag;
            headers.LastModified = changedAt;
            // Headers, names and labels follow the caller's language.
            context.Response.Headers.Vary = HeaderNames.AcceptLanguage;
            if (string.IsNullOrEmpty(context.Response.Headers.CacheControl))
            {
                // Anyone may keep it, but must ask again (cheaply, with the validators) before reuse.
                context.Response.Headers.CacheControl = "public, no-cache";
            }
            if (NotModified(context.Request, etag, changedAt))
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                context.Response.Headers.ContentLength = null;
                context.Response.Headers.ContentType = default;
                context.Response.Headers.ContentDisposition = default;
                return;
            }
        }
        if (buffer.Length > 0)
        {
            context.Response.ContentLength ??= buffer.Length;
            await buffer.WriteToAsync(original, context.RequestAborted);
        }
    }

    internal static bool NotModified(HttpRequest request, EntityTagHeaderValue etag, DateTimeOffset changedAt)
    {
        var typed = request.GetTypedHeaders();
        var ifNoneMatch = typed.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            return ifNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false));
        }
        return typed.IfModifiedSince is { } since && changedAt <= since;
    }
}

/// <summary>A response body that, at the first write, either buffers (to hash the answer) or passes writes straight through.</summary>
internal sealed class DeferredBufferStream(Stream inner, Func<bool> shouldBuffer) : Stream
{
    private Stream? _target;

    public PooledBuffer? Buffer { get; private set; }

    private Stream Target => _target ??= shouldBuffer() ? (Buffer = new PooledBuffer()) : inner;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => _target?.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _target?.FlushAsync(cancellationToken) ?? Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => Target.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => Target.Write(buffer);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Target.WriteAsync(buffer, offset, count, cancellationToken);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        Target.WriteAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Buffer?.Dispose();
        }
        base.Dispose(disposing);
    }
}
