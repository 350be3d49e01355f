using System.Net;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Closer.Tests.Infrastructure.Security;

/// <summary>Behind nginx on another machine, the client's address comes from X-Forwarded-For only when that proxy is trusted.</summary>
public sealed class ProxyTrustTests
{
    private static async Task<(string? Ip, string Scheme)> SeenAsync(string proxy, string forwardedFor, Dictionary<string, string?> settings)
    {
        var options = new ForwardedHeadersOptions();
        SecuritySetup.TrustProxies(options, new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        HttpContext? seen = null;
        var middleware = new ForwardedHeadersMiddleware(ctx => { seen = ctx; return Task.CompletedTask; }, NullLoggerFactory.Instance, Options.Create(options));
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(proxy);
        context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        context.Request.Headers["X-Forwarded-Proto"] = "https";
        await middleware.Invoke(context);
        return (seen!.Connection.RemoteIpAddress?.ToString(), seen.Request.Scheme);
    }

    [Fact]
    public async Task ProxyInAKnownNetwork_GivesTheClientsAddressAndScheme()
    {
        var (ip, scheme) = await SeenAsync("10.0.0.5", "203.0.113.7", new() { ["Proxy:KnownNetworks"] = "10.0.0.0/24" });
        Assert.Equal("203.0.113.7", ip);
        Assert.Equal("https", scheme);
    }

    [Fact]
    public async Task KnownProxyAddress_IsTrusted_AndAClientCannotSpoofAnEarlierHop()
    {
        var (ip, _) = await SeenAsync("192.168.1.9", "6.6.6.6, 203.0.113.7", new() { ["Proxy:KnownProxies"] = "192.168.1.9" });
        Assert.Equal("203.0.113.7", ip);
    }

    [Fact]
    public async Task UnknownProxy_IsNotBelieved()
    {
        var (ip, scheme) = await SeenAsync("10.0.0.5", "203.0.113.7", []);
        Assert.Equal("10.0.0.5", ip);
        Assert.NotEqual("https", scheme);
    }
}
