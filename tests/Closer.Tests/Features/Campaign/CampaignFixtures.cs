using System.Net;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;

namespace Closer.Tests.Features.Campaign;

/// <summary>The app for campaign suites: pledges limited generously so that suites do not share one client's budget.</summary>
public sealed class CampaignSqliteApp : SqliteAppBase
{
    protected override void AddSettings(Dictionary<string, string?> settings)
    {
        settings["RateLimits:PledgesPerHour"] = "1000";
        settings["Campaign:MaxUploadBytes"] = "300000";
    }
}

public sealed class CampaignPostgresApp : PostgresApp
{
    protected override void AddSettings(Dictionary<string, string?> settings)
    {
        settings["RateLimits:PledgesPerHour"] = "1000";
        settings["Campaign:MaxUploadBytes"] = "300000";
    }
}

/// <summary>An app where one client may pledge twice an hour.</summary>
public sealed class PledgeLimitSqliteApp : SqliteAppBase
{
    protected override void AddSettings(Dictionary<string, string?> settings) => settings["RateLimits:PledgesPerHour"] = "2";
}

public sealed class PledgeLimitPostgresApp : PostgresApp
{
    protected override void AddSettings(Dictionary<string, string?> settings) => settings["RateLimits:PledgesPerHour"] = "2";
}

internal static partial class Html
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The hreflang values of the page's &lt;link rel="alternate"&gt; elements.</summary>
    public static List<string> Hreflangs(string html) =>
        HreflangPattern().Matches(html).Select(m => m.Groups[1].Value).ToList();

    public static List<string> Meta(string html, string property) =>
        Regex.Matches(html, $"<meta (?:property|name)=\"{Regex.Escape(property)}\" content=\"([^\"]*)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    public static string PledgeToken(string html)
    {
        var m = PledgeTokenPattern().Match(html);
        Assert.True(m.Success, "No pledge token on the form.");
        return WebUtility.HtmlDecode(m.Groups[1].Value);
    }

    [GeneratedRegex("<link rel=\"alternate\" hreflang=\"([^\"]+)\"")]
    private static partial Regex HreflangPattern();

    [GeneratedRegex("name=\"__PledgeToken\" value=\"([^\"]+)\"")]
    private static partial Regex PledgeTokenPattern();
}
