using Closer.Web.Infrastructure.Security;

namespace Closer.Web.Features.Coordination.Imports;

/// <summary>Imports are heavy: a few per caller and minute (<c>RateLimits:ImportsPerMinute</c>, 20), for every import endpoint.</summary>
public static class ImportRateLimit
{
    public const string ImportLimiter = "imports";

    public static IServiceCollection AddImportRateLimit(this IServiceCollection services)
    {
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>().Configure<IConfiguration>((o, configuration) =>
            o.AddPolicy(ImportLimiter, ctx => System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
                "import:" + CallerKey(ctx),
                _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions
                {
                    PermitLimit = configuration.GetValue("RateLimits:ImportsPerMinute", 20),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })));
        return services;
    }

    /// <summary>
    /// Rate limiting runs before authentication, so the caller is told apart by its credential (API token or
    /// sign-in cookie, hashed) and otherwise by address.
    /// </summary>
    private static string CallerKey(HttpContext ctx)
    {
        var credential = ctx.Request.Headers.Authorization.ToString();
        if (credential.Length == 0)
        {
            credential = ctx.Request.Cookies.Where(c => c.Key.StartsWith(".AspNetCore.Identity", StringComparison.Ordinal)).Select(c => c.Value).FirstOrDefault() ?? "";
        }
        return credential.Length == 0
            ? SecuritySetup.ClientKey(ctx)
            : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(credential)))[..32];
    }
}
