using System.IO.Compression;
using System.Net;
using System.Xml.Linq;
using Closer.Tests.Infrastructure;

namespace Closer.Tests.Features.Campaign;

/// <summary>The public campaign site on the demo content: pages in four languages, hreflang, fallback, social tags, feeds, kit.</summary>
public abstract class CampaignPublicSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => Html.Ct;

    public static TheoryData<string, string> PagesInEachLanguage()
    {
        var data = new TheoryData<string, string>();
        foreach (var lang in new[] { "en", "es", "pt", "pap" })
        {
            foreach (var page in new[] { "", "stories", "stories/ana-s-bakery-in-cucuta", "facts", "videos", "press", "press/new-figures-7-7-million-refugees-and-migrants-from-venezuela", "pledge", "search?q=venezuela", "countries/COL", "countries/CUW", "pages/key-messages" })
            {
                data.Add(lang, page);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PagesInEachLanguage))]
    public async Task EachPublicPage_IsServedInEachLanguage_WithOgLocale_AndNoCookie(string lang, string page)
    {
        var client = app.Client(followRedirects: true);
        var response = await client.GetAsync($"/{lang}/{page}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"), $"/{lang}/{page} set a cookie for an anonymous reader.");
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains($"<html lang=\"{lang}\">", html);
        var expected = lang switch { "es" => "es_LA", "pt" => "pt_BR", "pap" => "pap_CW", _ => "en_US" };
        Assert.Equal([expected], Html.Meta(html, "og:locale"));
        Assert.DoesNotContain(expected, Html.Meta(html, "og:locale:alternate"));
        Assert.Single(Html.Meta(html, "og:title"));
        Assert.Single(Html.Meta(html, "twitter:card"));
        Assert.Contains("x-default", Html.Hreflangs(html));
    }

    [Theory]
    [InlineData("es", "Historias", "Acortemos distancias")]
    [InlineData("pt", "Histórias", "Reduzindo a distância")]
    [InlineData("pap", "Historia", "Un paso mas serka")]
    public async Task StoriesAndHome_SpeakTheReadersLanguage(string lang, string storiesHeading, string homeHeading)
    {
        var stories = await app.Client().GetStringAsync($"/{lang}/stories", Ct);
        Assert.Contains($"<h1>{storiesHeading}</h1>", stories);
        var home = await app.Client().GetStringAsync($"/{lang}/", Ct);
        Assert.Contains($"<h1>{homeHeading}</h1>", home);
        Assert.Contains("campaign-fact", home);
        Assert.Contains("campaign-counter", home);
    }

    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.Length > 1000);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    [Theory]
    [InlineData("stories", "/og/page/stories.png")]
    [InlineData("stories/ana-s-bakery-in-cucuta", "/kit/")]
    public async Task OgImage_IsAPerLanguageCard_ThatDiffersBetweenLanguages(string page, string imagePath)
    {
        var images = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var lang in new[] { "en", "es" })
        {
            var html = await app.Client(followRedirects: true).GetStringAsync($"/{lang}/{page}", Ct);
            var url = Assert.Single(Html.Meta(html, "og:image"));
            Assert.StartsWith($"http://localhost/{lang}{imagePath}", url);
            Assert.Equal([url], Html.Meta(html, "twitter:image"));
            var response = await app.Client().GetAsync(url, Ct);
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            images[lang] = await response.Content.ReadAsByteArrayAsync(Ct);
            Assert.Equal((1200, 630), PngSize(images[lang]));
        }
        Assert.NotEqual(images["en"], images["es"]);
    }

    [Fact]
    public async Task OgImage_ForUnknownPageOrUnpublishedContent_Is404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/en/og/page/nope.png", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/en/og/content/999999.png", Ct)).StatusCode);
    }

    [Fact]
    public async Task FullyTranslatedStory_HasAllFourAlternates_EachWithItsOwnSlug()
    {
        var html = await app.Client().GetStringAsync("/en/stories/ana-s-bakery-in-cucuta", Ct);
        Assert.Equal(["en", "es", "pt", "pap", "x-default"], Html.Hreflangs(html));
        Assert.Contains("hreflang=\"es\" href=\"http://localhost/es/stories/la-panaderia-de-ana-en-cucuta\"", html);
        Assert.Contains("hreflang=\"pap\" href=\"http://localhost/pap/stories/e-panaderia-di-ana-na-cucuta\"", html);
        Assert.Equal(["es_LA", "pt_BR", "pap_CW"], Html.Meta(html, "og:locale:alternate"));
    }

    [Fact]
    public async Task StoryWithoutPapiamentu_HasNoPapiamentuAlternate()
    {
        var html = await app.Client().GetStringAsync("/en/stories/football-on-sundays-in-santiago", Ct);
        Assert.Equal(["en", "es", "pt", "x-default"], Html.Hreflangs(html));
        Assert.DoesNotContain("pap_CW", Html.Meta(html, "og:locale:alternate"));
    }

    [Fact]
    public async Task PapiamentuReader_OfUntranslatedStory_GetsSpanishWithANoteInPapiamentu()
    {
        var response = await app.Client().GetAsync("/pap/stories/futbol-los-domingos-en-santiago", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<html lang=\"pap\">", html);
        Assert.Contains("E página aki no ta disponibel na papiamentu ainda. Bo ta lesa e vershon na spañó.", html);
        Assert.Contains("<article class=\"campaign-article\" lang=\"es\">", html);
        Assert.Contains("<h1>Fútbol los domingos en Santiago</h1>", html);
        Assert.Equal(["en", "es", "pt", "x-default"], Html.Hreflangs(html));
    }

    [Fact]
    public async Task UntranslatedPressRelease_InPapiamentu_FallsBackToSpanish_NeverA404()
    {
        // The English slug under /pap/ leads to the Spanish version (pap → es → en), not to a 404.
        var response = await app.Client(followRedirects: true).GetAsync("/pap/press/new-figures-7-7-million-refugees-and-migrants-from-venezuela", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/pap/press/nuevas-cifras-7-7-millones-de-personas-refugiadas-y-migrantes-de-venezuela", response.RequestMessage!.RequestUri!.AbsolutePath);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("campaign-fallback", html);
        Assert.Contains("Nuevas cifras", html);
    }

    [Fact]
    public async Task TranslatedPage_HasNoFallbackNote()
    {
        var html = await app.Client().GetStringAsync("/pap/stories/e-panaderia-di-ana-na-cucuta", Ct);
        Assert.DoesNotContain("campaign-fallback", html);
    }

    [Fact]
    public async Task UnknownSlug_Is404()
    {
        var response = await app.Client().GetAsync("/en/stories/no-such-story", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Videos_HaveATrackPerLanguage_AndTheSubtitleFilesAreWebVtt()
    {
        var html = await app.Client().GetStringAsync("/es/videos", Ct);
        foreach (var l in new[] { "en", "es", "pt", "pap" })
        {
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(html, $"<track kind=\"subtitles\" srclang=\"{l}\""));
        }
        var src = System.Text.RegularExpressions.Regex.Match(html, "srclang=\"pap\" label=\"Papiamentu\" src=\"([^\"]+)\"").Groups[1].Value;
        var vtt = await app.Client().GetAsync(src, Ct);
        Assert.Equal("text/vtt", vtt.Content.Headers.ContentType?.MediaType);
        var text = await vtt.Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("WEBVTT", text);
        Assert.Contains("-->", text);
    }

    [Fact]
    public async Task Facts_ShowFigureSourceAndDate_InTheReadersNumberFormat()
    {
        var en = await app.Client().GetStringAsync("/en/facts", Ct);
        Assert.Equal(8, System.Text.RegularExpressions.Regex.Count(en, "class=\"campaign-fact\""));
        Assert.Contains("<strong>7,774,494</strong>", en);
        Assert.Contains("R4V via dnoticias.pt, 2024-07", en);
        var pap = await app.Client().GetStringAsync("/pap/facts", Ct);
        Assert.Contains("<strong>7.774.494</strong>", pap);
    }

    [Theory]
    [InlineData("es", "migracion")]
    [InlineData("es", "migración")]
    [InlineData("es", "MIGRACIÓN venezolana")]
    [InlineData("pt", "migracao")]
    [InlineData("pt", "migração")]
    [InlineData("en", "migration")]
    public async Task Search_IsAccentAndCaseInsensitive(string lang, string query)
    {
        var html = await app.Client().GetStringAsync($"/{lang}/search?q={Uri.EscapeDataString(query)}", Ct);
        Assert.Contains(lang switch { "es" => "Nuevas cifras", "pt" => "Novos números", _ => "New figures" }, html);
    }

    [Fact]
    public async Task Search_FindsNothingForAnUnknownWord_AndOnlyInTheReadersLanguages()
    {
        var none = await app.Client().GetStringAsync("/es/search?q=zzxqy", Ct);
        Assert.Contains("0 resultados", none);
        // "panadería" is Spanish; a Portuguese reader finds the Portuguese version ("padaria") instead.
        var pt = await app.Client().GetStringAsync("/pt/search?q=padaria", Ct);
        Assert.Contains("A padaria de Ana em Cúcuta", pt);
        Assert.DoesNotContain("La panadería de Ana", pt);
    }

    [Fact]
    public async Task Search_FindsFactCards_AndLinksToThemOnTheFactsPage()
    {
        var html = await app.Client().GetStringAsync("/es/search?q=Colombia%20acoge", Ct);
        Assert.Contains("href=\"/es/facts#colombia-recibe-apenas-un-punado-de-personas\"", html);
        var facts = await app.Client().GetStringAsync("/es/facts", Ct);
        Assert.Contains("id=\"colombia-recibe-apenas-un-punado-de-personas\"", facts);
    }

    [Fact]
    public async Task AtomFeed_ParsesAsXml_WithEntriesInTheLanguage()
    {
        var response = await app.Client().GetAsync("/es/feed.xml", Ct);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var doc = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        XNamespace atom = "http://www.w3.org/2005/Atom";
        Assert.Equal(atom + "feed", doc.Root!.Name);
        var entries = doc.Root.Elements(atom + "entry").ToList();
        Assert.Equal(8, entries.Count); // 6 stories + 2 press releases
        Assert.All(entries, e =>
        {
            Assert.False(string.IsNullOrEmpty(e.Element(atom + "id")?.Value));
            Assert.StartsWith("http://localhost/es/", e.Element(atom + "link")!.Attribute("href")!.Value);
            Assert.True(DateTimeOffset.TryParse(e.Element(atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture, out _));
        });
        Assert.Contains(entries, e => e.Element(atom + "title")!.Value == "La panadería de Ana en Cúcuta");
    }

    [Fact]
    public async Task Sitemap_ParsesAsXml_WithHreflangOnlyForExistingVersions()
    {
        var doc = XDocument.Parse(await app.Client().GetStringAsync("/sitemap.xml", Ct));
        XNamespace sm = "http://www.sitemaps.org/schemas/sitemap/0.9";
        XNamespace xhtml = "http://www.w3.org/1999/xhtml";
        var urls = doc.Root!.Elements(sm + "url").ToList();
        var home = urls.Single(u => u.Element(sm + "loc")!.Value == "http://localhost/es/");
        Assert.Equal(["en", "es", "pt", "pap", "x-default"], home.Elements(xhtml + "link").Select(l => l.Attribute("hreflang")!.Value));
        var chile = urls.Single(u => u.Element(sm + "loc")!.Value == "http://localhost/en/stories/football-on-sundays-in-santiago");
        Assert.Equal(["en", "es", "pt", "x-default"], chile.Elements(xhtml + "link").Select(l => l.Attribute("hreflang")!.Value));
        Assert.DoesNotContain(urls, u => u.Element(sm + "loc")!.Value.StartsWith("http://localhost/pap/stories/futbol", StringComparison.Ordinal));
        Assert.Contains(urls, u => u.Element(sm + "loc")!.Value == "http://localhost/pap/stories/e-panaderia-di-ana-na-cucuta");
    }

    [Fact]
    public async Task Robots_PointsToTheSitemap_AndKeepsTheBackOfficeOut()
    {
        var robots = await app.Client().GetStringAsync("/robots.txt", Ct);
        Assert.Contains("Sitemap: http://localhost/sitemap.xml", robots);
        Assert.Contains("Disallow: /admin/", robots);
    }

    [Fact]
    public async Task BriefingKit_IsAZipBuiltFromCurrentContent()
    {
        var response = await app.Client().GetAsync("/es/press/briefing-kit.zip", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync(Ct));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("key-messages.md", names);
        Assert.Contains("fact-sheet.md", names);
        Assert.Contains("media-contacts.csv", names);
        Assert.Contains("logo/closer-logo.svg", names);
        Assert.Equal(2, names.Count(n => n.StartsWith("press-releases/", StringComparison.Ordinal)));
        string Read(string name)
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open());
            return reader.ReadToEnd();
        }
        Assert.Contains("# Mensajes clave", Read("key-messages.md"));
        var sheet = Read("fact-sheet.md");
        Assert.Contains("**7.774.494**", sheet);
        Assert.Contains("R4V via dnoticias.pt, 2024-07", sheet);
        var contacts = Read("media-contacts.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 17, contacts.Length); // a demo contact for every country of the plan
        Assert.Contains(contacts, c => c.StartsWith("CUW,", StringComparison.Ordinal) && c.Contains("pers.cuw@example.org", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PressRoom_ListsAMediaContactForEveryPlanCountry_MarkedDemo_WithMailtoLinks()
    {
        var html = await app.Client().GetStringAsync("/pt/press", Ct);
        Assert.Contains("href=\"mailto:prensa.col@example.org\"", html);
        Assert.Contains("href=\"mailto:imprensa.bra@example.org\"", html);
        Assert.Contains("href=\"mailto:pers.cuw@example.org\"", html);
        Assert.Contains("href=\"mailto:prensa.tto@example.org\"", html);
        Assert.Contains("href=\"tel:+18685550153\"", WebUtility.HtmlDecode(html)); // Razor writes "+" as &#x2B;
        Assert.Contains("<ul class=\"press-contacts\" aria-label=\"Contatos de imprensa por país\">", html);
        Assert.Equal(17, System.Text.RegularExpressions.Regex.Count(html, "<span class=\"badge\">DEMO</span>\\s*</h3>"));
        Assert.Contains("Estes contatos foram inventados para a demonstração", html);
        Assert.Contains("href=\"/pt/press/briefing-kit.zip\"", html);
    }

    [Fact]
    public async Task CountryPage_ShowsItsStoriesAndItsFigureWithSource()
    {
        var html = await app.Client().GetStringAsync("/es/countries/BRA", Ct);
        Assert.Contains("<h1>Brasil</h1>", html);
        Assert.Contains("De Pacaraima a Manaos", html);
        Assert.DoesNotContain("La panadería de Ana", html);
        Assert.Contains("568.100", html);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/es/countries/XXX", Ct)).StatusCode);
    }

    [Fact]
    public async Task StoryPage_ShowsConsentAndAnonymisation()
    {
        var html = await app.Client().GetStringAsync("/en/stories/the-nurse-who-waits-for-his-papers", Ct);
        Assert.Contains("Published with the consent of the person who tells it.", html);
        Assert.Contains("The name is a pseudonym.", html);
    }
}

public sealed class CampaignPublicSqlite(CampaignSqliteApp app) : CampaignPublicSuite<CampaignSqliteApp>(app);
public sealed class CampaignPublicPostgres(CampaignPostgresApp app) : CampaignPublicSuite<CampaignPostgresApp>(app);
