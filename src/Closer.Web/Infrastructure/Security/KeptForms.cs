using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Closer.Web.Infrastructure.Security;

/// <summary>
/// No lost work: a back-office form posted after the session ended is kept across the sign-in round trip. Its fields
/// (without the antiforgery token) go into a short-lived cookie encrypted with the data-protection keys (any node can
/// read it, nobody else can: HttpOnly, SameSite=Lax, chunked when long), bound to the person whose session it was when
/// that is known; nothing is stored on the server. After sign-in, the page gets the fields back once
/// (<see cref="Take"/>) and shows them to be checked and saved again: kept fields are never saved by themselves.
/// </summary>
public static class KeptForms
{
    public const string CookieName = ".Closer.Kept";
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);
    private const int MaxFormBytes = 256 * 1024;
    private const string Purpose = "Closer.KeptForm.v1";
    private static readonly ChunkingCookieManager Cookies = new();

    private sealed record Kept(string Path, string? User, List<KeyValuePair<string, string>> Fields);

    /// <summary>
    /// For the cookie scheme's redirect to sign-in: keeps a posted back-office form and returns the sign-in address that
    /// comes back to the page (a GET, without the post's handler, with <c>kept=1</c> so the sign-in page says so); null
    /// when there is nothing to keep.
    /// </summary>
    public static async Task<string?> KeepAsync(RedirectContext<CookieAuthenticationOptions> ctx)
    {
        var request = ctx.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.Path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase)
            || !string.Equals(request.ContentType?.Split(';')[0].Trim(), "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || request.ContentLength is null or > MaxFormBytes)
        {
            return null;
        }
        var form = await request.ReadFormAsync(ctx.HttpContext.RequestAborted);
        var fields = form.Where(f => f.Key != "__RequestVerificationToken")
            .SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
        var kept = new Kept(request.Path.Value!, ExpiredUser(ctx), fields);
        var protector = Protector(ctx.HttpContext);
        var value = protector.Protect(JsonSerializer.Serialize(kept), Lifetime);
        Cookies.AppendResponseCookie(ctx.HttpContext, CookieName, value, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = request.IsHttps, Path = "/admin", MaxAge = Lifetime, IsEssential = true,
        });
        var query = QueryHelpers.ParseQuery(request.QueryString.Value).Where(q => !string.Equals(q.Key, "handler", StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)));
        var back = QueryHelpers.AddQueryString(request.PathBase + request.Path, query);
        return QueryHelpers.AddQueryString(ctx.Options.LoginPath, new Dictionary<string, string?> { ["ReturnUrl"] = back, ["kept"] = "1" });
    }

    /// <summary>
    /// The fields kept for <paramref name="path"/> for the signed-in person, once (the cookie is removed); null when none,
    /// expired, tampered with, kept for another page or kept from another person's session.
    /// </summary>
    public static Dictionary<string, StringValues>? Take(HttpContext http, string path)
    {
        var value = Cookies.GetRequestCookie(http, CookieName);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        Cookies.DeleteCookie(http, CookieName, new CookieOptions { Path = "/admin", Secure = http.Request.IsHttps, HttpOnly = true, SameSite = SameSiteMode.Lax });
        Kept? kept;
        try
        {
            kept = JsonSerializer.Deserialize<Kept>(Protector(http).Unprotect(value, out _));
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
        var user = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (kept is null || !string.Equals(kept.Path, path, StringComparison.OrdinalIgnoreCase) || (kept.User is not null && kept.User != user))
        {
            return null;
        }
        return kept.Fields.GroupBy(f => f.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => new StringValues(g.Select(f => f.Value).ToArray()), StringComparer.Ordinal);
    }

    private static ITimeLimitedDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).ToTimeLimitedDataProtector();

    /// <summary>Whose session ended (the auth cookie is still readable though no longer valid); null when there was none.</summary>
    private static string? ExpiredUser(RedirectContext<CookieAuthenticationOptions> ctx)
    {
        var cookie = ctx.Options.CookieManager.GetRequestCookie(ctx.HttpContext, ctx.Options.Cookie.Name!);
        return cookie is null ? null : ctx.Options.TicketDataFormat.Unprotect(cookie)?.Principal.FindFirstValue(ClaimTypes.NameIdentifier);
    }
}
