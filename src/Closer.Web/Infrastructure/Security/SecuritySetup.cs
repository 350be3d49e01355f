using System.Threading.RateLimiting;
using Closer.Web.Features.ApiTokens;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Infrastructure.Security;

public static class SecuritySetup
{
    public const string CombinedScheme = "Closer";
    public const string SignInLimiter = "sign-in";
    private static readonly string[] SignInPaths = ["/account/login", "/account/forgot-password", "/account/reset-password", "/account/login-2fa"];

    public static IServiceCollection AddCloserSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        // One scheme that picks: a Bearer header means an API token, anything else the sign-in cookie.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CombinedScheme;
                o.DefaultAuthenticateScheme = CombinedScheme;
                o.DefaultChallengeScheme = CombinedScheme;
                o.DefaultForbidScheme = CombinedScheme;
            })
            .AddPolicyScheme(CombinedScheme, "Cookie or API token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = ".Closer.Antiforgery";
            o.HeaderName = "X-CSRF-TOKEN";
            o.FormFieldName = "__RequestVerificationToken";
        });

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Sign-in, password-reset requests and resets: counted per client on POST only, so reading the form is free.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
                HttpMethods.IsPost(ctx.Request.Method) && SignInPaths.Any(p => ctx.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase))
                    ? RateLimitPartition.GetFixedWindowLimiter(SignInLimiter + ":" + ClientKey(ctx), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = configuration.GetValue("RateLimits:SignInPerMinute", 10),
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = async (ctx, ct) =>
            {
                var t = ctx.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
                ctx.HttpContext.Response.Headers.RetryAfter = "60";
                ctx.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await ctx.HttpContext.Response.WriteAsync(t["Too many attempts. Please wait a minute and try again."], ct);
            };
        });
        return services;
    }

    /// <summary>
    /// X-Forwarded-For/Proto are believed only from the proxies named in <c>Proxy:KnownProxies</c> (addresses) and
    /// <c>Proxy:KnownNetworks</c> (CIDR), besides loopback. Without them a proxy on another machine would make every
    /// reader look like one client to the rate limits; with a too-wide list anyone could claim any address.
    /// </summary>
    public static void TrustProxies(Microsoft.AspNetCore.Builder.ForwardedHeadersOptions o, IConfiguration configuration)
    {
        o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
        // One proxy in front: take the address it saw, not one a client wrote into the header before it.
        o.ForwardLimit = configuration.GetValue("Proxy:ForwardLimit", 1);
        foreach (var proxy in List(configuration["Proxy:KnownProxies"]))
        {
            o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        }
        foreach (var network in List(configuration["Proxy:KnownNetworks"]))
        {
            o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        static string[] List(string? value) =>
            (value ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The client a rate limit counts against: the remote address (after forwarded headers).</summary>
    public static string ClientKey(HttpContext ctx) => ctx.Connection.RemoteIpAddress?.ToString() ?? "local";

    /// <summary>
    /// Security headers on every response: a strict CSP without inline script or style, no framing,
    /// no MIME sniffing, a conservative referrer policy.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        // Campaign videos may be hosted elsewhere (a CDN, a PeerTube instance): those origins, and only those,
        // may serve <video> sources (Security:MediaOrigins, space- or comma-separated https origins).
        var mediaOrigins = string.Join(' ', (app.ApplicationServices.GetRequiredService<IConfiguration>()["Security:MediaOrigins"] ?? "")
            .Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(o => Uri.TryCreate(o, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps && u.AbsolutePath == "/")
            .Select(o => o.TrimEnd('/')));
        var csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + $"media-src 'self'{(mediaOrigins.Length > 0 ? " " + mediaOrigins : "")}; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";
        return app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var h = context.Response.Headers;
                // A response that set its own, stricter policy keeps it (the campaign's uploaded mark is sandboxed).
                if (string.IsNullOrEmpty(h.ContentSecurityPolicy))
                {
                    h.ContentSecurityPolicy = csp;
                }
                h.XContentTypeOptions = "nosniff";
                h.XFrameOptions = "DENY";
                h["Referrer-Policy"] = "strict-origin-when-cross-origin";
                h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()";
                h["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            await next(context);
        });
    }

    /// <summary>
    /// A cookie-authenticated write to the API must carry an antiforgery token (header X-CSRF-TOKEN);
    /// token-authenticated callers are not exposed to CSRF and need none.
    /// </summary>
    public static IApplicationBuilder UseApiAntiforgery(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
            && context.User.Identity?.AuthenticationType == IdentityConstants.ApplicationScheme)
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await Errors.Write(context, new BadRequestError("antiforgery", "A valid antiforgery token is required for cookie-authenticated writes."));
                return;
            }
        }
        await next(context);
    });
}
