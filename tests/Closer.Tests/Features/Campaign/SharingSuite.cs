using System.Net;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;

namespace Closer.Tests.Features.Campaign;

/// <summary>Share links on stories, facts and videos: plain links, nothing loaded from the networks, one same-origin script.</summary>
public abstract partial class SharingSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => Html.Ct;

    [Theory]
    [InlineData("en", "stories/ana-s-bakery-in-cucuta", 1)]
    [InlineData("pap", "stories/e-panaderia-di-ana-na-cucuta", 1)]
    [InlineData("es", "facts", 8)]
    [InlineData("pt", "videos", 2)]
    public async Task StoriesFactsAndVideos_HaveTheSixShareLinks_AndOneScript(string lang, string page, int blocks)
    {
        var response = await app.Client().GetAsync($"/{lang}/{page}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(blocks, Regex.Count(html, "class=\"campaign-share-block"));
        foreach (var start in new[] { "https://wa.me/?text=", "https://t.me/share/url?url=", "https://www.facebook.com/sharer/sharer.php?u=", "https://x.com/intent/post?url=", "mailto:?subject=" })
        {
            Assert.Equal(blocks, Regex.Count(html, $"<a href=\"{Regex.Escape(start)}"));
        }
        Assert.Equal(blocks, Regex.Count(html, "class=\"share-copy\""));
        Assert.Equal(blocks, Regex.Count(html, "<li class=\"share-native\" hidden><button type=\"button\""));
        // Every script is ours: the share script once, nothing from a network.
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.All(scripts, s => Assert.StartsWith("/", s, StringComparison.Ordinal));
        Assert.Single(scripts, s => s == "/js/share.js");
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img src=\"http", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StoryShareLinks_CarryThePagesAddressAndTitle_EncodedWithTheirRef()
    {
        var html = await app.Client().GetStringAsync("/es/stories/la-panaderia-de-ana-en-cucuta", Ct);
        var page = Uri.EscapeDataString("http://localhost/es/stories/la-panaderia-de-ana-en-cucuta?ref=whatsapp");
        var title = Uri.EscapeDataString("La panadería de Ana en Cúcuta");
        Assert.Contains($"href=\"https://wa.me/?text={title}%20{page}\"", WebUtility.HtmlDecode(html));
        Assert.Contains("href=\"http://localhost/es/stories/la-panaderia-de-ana-en-cucuta?ref=link\" class=\"share-copy\"", html);
        Assert.Contains("data-share-url=\"http://localhost/es/stories/la-panaderia-de-ana-en-cucuta?ref=share\"", html);
        Assert.Contains("<h3 id=\"share-story\">Comparte esta historia</h3>", html);
        Assert.Contains(">Copiar enlace</a>", html);
    }

    [Fact]
    public async Task FactShareLinks_PointToTheFactsAnchor_WithTheRefBeforeTheFragment()
    {
        var html = await app.Client().GetStringAsync("/pt/facts", Ct);
        var copy = Regex.Match(html, "href=\"([^\"]+)\" class=\"share-copy\"").Groups[1].Value;
        Assert.Matches("^http://localhost/pt/facts\\?ref=link#[a-z0-9-]+$", copy);
        Assert.Contains("aria-label=\"Compartilhe este fato\"", html);
    }

    [Fact]
    public async Task StoryOpenedFromASharedLink_PassesItsRefToThePledge_AndOnlyThatReadersCopy()
    {
        var client = app.Client();
        const string story = "/en/stories/ana-s-bakery-in-cucuta";
        var shared = await client.GetStringAsync(story + "?ref=WhatsApp", Ct);
        var pledge = WebUtility.HtmlDecode(PledgeButton().Match(shared).Groups[1].Value);
        Assert.Equal("/en/pledge?ref=whatsapp", pledge);
        // The form the link opens carries the source on to the pledge (a hidden field, no cookie).
        Assert.Contains("name=\"Ref\" value=\"whatsapp\"", await client.GetStringAsync(pledge, Ct));
        // The output cache keeps sources apart: a plain visit after the shared one gets a plain link, and a source
        // that is not a source (markup, too long) is dropped.
        Assert.Equal("/en/pledge", PledgeButton().Match(await client.GetStringAsync(story, Ct)).Groups[1].Value);
        Assert.Equal("/en/pledge", PledgeButton().Match(await client.GetStringAsync(story + "?ref=%3Cb%3E", Ct)).Groups[1].Value);
        Assert.Equal("/en/pledge?ref=telegram", WebUtility.HtmlDecode(PledgeButton().Match(await client.GetStringAsync(story + "?utm_source=telegram", Ct)).Groups[1].Value));
    }

    [Fact]
    public async Task CountryPageOpenedFromASharedLink_PassesItsRefToThePledge()
    {
        var html = await app.Client().GetStringAsync("/es/countries/COL?ref=x", Ct);
        // Colombia is a plan country: its pledge counter links to the form with the visit's source (the menu stays plain).
        Assert.Matches("<a href=\"/es/pledge\\?ref=x\">[^<]+</a></p>", html);
    }

    [Fact]
    public async Task ShareScript_IsServedAsJavaScript_AndUsesNoNetwork()
    {
        var response = await app.Client().GetAsync("/js/share.js", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        var js = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("navigator.share", js);
        Assert.Contains("navigator.clipboard", js);
        var code = string.Join('\n', js.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
        Assert.DoesNotContain("http", code, StringComparison.Ordinal);
        Assert.DoesNotContain("fetch(", js, StringComparison.Ordinal);
    }

    [GeneratedRegex("<a class=\"button\" href=\"([^\"]+)\">")]
    private static partial Regex PledgeButton();

    [GeneratedRegex("<script[^>]* src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}

public sealed class SharingSqlite(CampaignSqliteApp app) : SharingSuite<CampaignSqliteApp>(app);
public sealed class SharingPostgres(CampaignPostgresApp app) : SharingSuite<CampaignPostgresApp>(app);
