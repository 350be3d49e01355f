using Microsoft.AspNetCore.HostFiltering;

namespace Closer.Web.Infrastructure;

/// <summary>
/// The site's public address, the only origin an e-mailed link is built from. A request's <c>Host</c> header is
/// written by the client, so a link built from it (a password reset, an invitation) can be made to point anywhere.
/// </summary>
public static class PublicSite
{
    public const string Key = "Site:PublicBaseUrl";
    /// <summary>The older, forum-named setting: still read when <see cref="Key"/> is not given.</summary>
    public const string LegacyKey = "Forum:PublicBaseUrl";
    public const string DevelopmentDefault = "http://localhost:5080";

    /// <summary>The configured address without a trailing slash, or null when none is set.</summary>
    public static string? Configured(IConfiguration configuration) =>
        (configuration[Key] is { Length: > 0 } site ? site : configuration[LegacyKey] is { Length: > 0 } forum ? forum : null)?.TrimEnd('/');

    /// <summary>The address links are built from: the configured one, else (outside Production) the development default.</summary>
    public static string BaseUrl(IConfiguration configuration) => Configured(configuration) ?? DevelopmentDefault;

    /// <summary>
    /// Refuses to start in Production without an absolute http(s) public address: without it every e-mailed link
    /// would point at localhost. Returns the problem, or null when the configuration is sound.
    /// </summary>
    public static string? Problem(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = Configured(configuration);
        if (configured is null)
        {
            return environment.IsProduction() ? $"{Key} must be set in Production (the site's public address, e.g. https://closer.example.org): e-mailed links are built from it." : null;
        }
        return Uri.TryCreate(configured, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? null
            : $"{Key} must be an absolute http(s) address, not '{configured}'.";
    }

    /// <summary>
    /// Checks the address at start and, in Production, admits its host besides <c>AllowedHosts</c>
    /// (appsettings.Production.json lists loopback names only, for probes on the node itself).
    /// </summary>
    /// <param name="serving">False for a command-line run (`users add`...): it mails no link, so it needs no address.</param>
    public static IServiceCollection AddPublicSite(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, bool serving = true)
    {
        if (serving && Problem(configuration, environment) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        if (environment.IsProduction() && Configured(configuration) is { } site)
        {
            var host = new Uri(site).Host;
            services.PostConfigure<HostFilteringOptions>(o =>
            {
                if (!o.AllowedHosts.Contains("*") && !o.AllowedHosts.Contains(host, StringComparer.OrdinalIgnoreCase))
                {
                    o.AllowedHosts.Add(host);
                }
            });
        }
        return services;
    }
}
