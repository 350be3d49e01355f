using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Closer.Web.Infrastructure.Localization;

namespace Closer.Web.Infrastructure;

/// <summary>
/// What the service worker (<c>wwwroot/sw.js</c>) may keep offline, decided here on the server, where it is known who is
/// signed in: a page marked <c>Closer-Offline: public</c> (an anonymous reader's GET of a public page, with no cookie set)
/// may be kept for readers; the reporting form marked <c>Closer-Offline: form</c> only in the cache of the person named by
/// <c>Closer-User</c>. Anything unmarked is never kept. See Features/Offline/README.md.
/// </summary>
public static class Offline
{
    public const string MarkHeader = "Closer-Offline";
    public const string UserHeader = "Closer-User";
    public const string FormPath = "/admin/reporting";

    /// <summary>The build's id: the service worker's caches carry it, so a deploy replaces them.</summary>
    public static string Version { get; } = typeof(Offline).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];

    /// <summary>The service worker's address, with the version it names its caches by.</summary>
    public static string WorkerUrl => "/sw.js?v=" + Version;

    /// <summary>
    /// An opaque name for the signed-in person's drafts and form cache on a device: a hash of the user id, so another
    /// person on the same device has other stores, and the name says nothing about who it is.
    /// </summary>
    public static string? UserKey(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id
            ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("closer-offline:" + id)))[..24]
            : null;

    public static IApplicationBuilder UseOfflineMarks(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.OnStarting(() =>
            {
                var response = context.Response;
                if (response.StatusCode == StatusCodes.Status200OK && (response.ContentType ?? "").StartsWith("text/html", StringComparison.Ordinal))
                {
                    var path = context.Request.Path.Value ?? "";
                    var user = UserKey(context.User);
                    if (user is null && IsPublicPage(path) && !response.Headers.ContainsKey("Set-Cookie"))
                    {
                        response.Headers[MarkHeader] = "public";
                    }
                    else if (user is not null && string.Equals(path, FormPath, StringComparison.OrdinalIgnoreCase))
                    {
                        response.Headers[MarkHeader] = "form";
                        response.Headers[UserHeader] = user;
                        response.Headers.CacheControl = "private, no-cache";
                    }
                }
                return Task.CompletedTask;
            });
        }
        await next(context);
    });

    /// <summary>A page under <c>/{lang}/</c>, except the pledge form (its signed token expires in two hours).</summary>
    private static bool IsPublicPage(string path)
    {
        var parts = path.Split('/', 4, StringSplitOptions.None);
        return parts.Length >= 2 && Languages.All.Contains(parts[1]) && !(parts.Length >= 3 && parts[2] == "pledge");
    }
}
