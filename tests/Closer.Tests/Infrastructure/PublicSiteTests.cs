using Closer.Web.Infrastructure;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Closer.Tests.Infrastructure;

public sealed class PublicSiteTests
{
    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Closer.Web";
        public string ContentRootPath { get; set; } = "";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void Production_WithoutAPublicAddress_RefusesToStart()
    {
        var problem = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddPublicSite(Config(), new Environment(Environments.Production))).Message;
        Assert.Contains(PublicSite.Key, problem);
    }

    [Theory]
    [InlineData("closer.example.org")]
    [InlineData("ftp://closer.example.org")]
    public void APublicAddressThatIsNotAnAbsoluteHttpUrl_RefusesToStart(string value) =>
        Assert.NotNull(PublicSite.Problem(Config((PublicSite.Key, value)), new Environment(Environments.Development)));

    [Fact]
    public void Development_WithoutAPublicAddress_UsesLocalhost()
    {
        Assert.Null(PublicSite.Problem(Config(), new Environment(Environments.Development)));
        Assert.Equal(PublicSite.DevelopmentDefault, PublicSite.BaseUrl(Config()));
    }

    [Fact]
    public void TheSiteSetting_WinsOverTheForumsOlderOne()
    {
        Assert.Equal("https://a.example", PublicSite.BaseUrl(Config((PublicSite.Key, "https://a.example/"), (PublicSite.LegacyKey, "https://b.example"))));
        Assert.Equal("https://b.example", PublicSite.BaseUrl(Config((PublicSite.LegacyKey, "https://b.example"))));
    }

    [Fact]
    public void Production_AdmitsOnlyLoopbackAndThePublicHost()
    {
        var file = Path.Combine(Repository.Root, "src", "Closer.Web", "appsettings.Production.json");
        var configuration = new ConfigurationBuilder().AddJsonFile(file).AddInMemoryCollection([KeyValuePair.Create(PublicSite.Key, (string?)"https://closer.example.org")]).Build();
        var allowed = configuration["AllowedHosts"]!.Split(';');
        Assert.DoesNotContain("*", allowed);
        var services = new ServiceCollection();
        // As the web host does: AllowedHosts from configuration, then the public host added.
        services.Configure<HostFilteringOptions>(o => o.AllowedHosts = [.. allowed]);
        services.AddPublicSite(configuration, new Environment(Environments.Production));
        var hosts = services.BuildServiceProvider().GetRequiredService<IOptions<HostFilteringOptions>>().Value.AllowedHosts;
        Assert.Contains("closer.example.org", hosts);
        Assert.DoesNotContain("*", hosts);
        Assert.DoesNotContain("evil.example", hosts);
    }
}
