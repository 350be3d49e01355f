using System.Net;
using Closer.Tests.Infrastructure;

namespace Closer.Tests.Features.Home;

public abstract class PublicSiteSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Theory]
    [InlineData("pt-BR", "/pt/")]
    [InlineData("pt-PT,en;q=0.5", "/pt/")]
    [InlineData("pap-CW", "/pap/")]
    [InlineData("pap-AW", "/pap/")]
    [InlineData("pap", "/pap/")]
    [InlineData("es-CO,es;q=0.9", "/es/")]
    [InlineData("es-419", "/es/")]
    [InlineData("de-DE,fr;q=0.8", "/en/")]
    [InlineData("de-DE,es;q=0.3", "/es/")]
    [InlineData("en;q=0.2,pt;q=0.9", "/pt/")]
    [InlineData("", "/en/")]
    public async Task Root_RedirectsToBestLanguageFromAcceptLanguage(string acceptLanguage, string expected)
    {
        var client = app.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        if (acceptLanguage.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
        Assert.Contains("Accept-Language", response.Headers.Vary);
    }

    [Theory]
    [InlineData("en", "One step closer")]
    [InlineData("es", "Acortemos distancias")]
    [InlineData("pt", "Reduzindo a distância")]
    [InlineData("pap", "Un paso mas serka")]
    public async Task HomePage_IsServedInItsLanguage_WithMatchingHtmlLangAndSwitcher(string lang, string heading)
    {
        var response = await app.Client().GetAsync($"/{lang}/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains($"<html lang=\"{lang}\">", html);
        Assert.Contains($"<h1>{heading}</h1>", html);
        foreach (var other in new[] { "en", "es", "pt", "pap" }.Where(l => l != lang))
        {
            Assert.Contains($"href=\"/{other}/\" hreflang=\"{other}\"", html);
            Assert.Contains($"<link rel=\"alternate\" hreflang=\"{other}\"", html);
        }
    }

    [Fact]
    public async Task PapiamentuHome_UsesPapiamentuInterfaceText()
    {
        var html = await app.Client().GetStringAsync("/pap/", TestContext.Current.CancellationToken);
        Assert.Contains("Bai direkto na e kontenido", html); // skip link
        Assert.Contains("Na sifra", html);
        Assert.DoesNotContain("Skip to content", html);
    }

    [Theory]
    [InlineData("/xx/")]
    [InlineData("/fr/")]
    [InlineData("/en/no-such-page")]
    public async Task UnknownPath_Is404Page(string path)
    {
        var response = await app.Client().GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<h1>Page not found</h1>", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task NotFoundUnderSpanishPrefix_IsInSpanish()
    {
        var response = await app.Client().GetAsync("/es/no-existe", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("<html lang=\"es\">", html);
        Assert.Contains("Página no encontrada", html);
    }

    [Fact]
    public async Task PublicPage_HasSecurityHeaders_AndSetsNoCookie()
    {
        var response = await app.Client().GetAsync("/en/", TestContext.Current.CancellationToken);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        // The demo videos' host, and nothing else, may serve video; other directives stay 'self'.
        Assert.Contains("media-src 'self' https://video.example.org;", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.False(response.Headers.Contains("Set-Cookie"), "An anonymous reader must get no cookie.");
    }

    [Theory]
    [InlineData("/favicon.ico", "image/x-icon")]
    [InlineData("/favicon.svg", "image/svg+xml")]
    public async Task Favicon_IsServed_SoBrowsersLogNoMissingResource(string path, string mediaType)
    {
        var response = await app.Client().GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_LiveAndReady()
    {
        var client = app.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", TestContext.Current.CancellationToken)).StatusCode);
        var ready = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UnexpectedException_ShowsGenericLocalizedPage_WithoutExceptionText()
    {
        var client = app.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/__boom");
        request.Headers.TryAddWithoutValidation("Accept-Language", "pt-BR");
        var page = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Algo deu errado", html);
        Assert.DoesNotContain(ThrowingEndpointFilter.Secret, html);
        Assert.DoesNotContain("InvalidOperationException", html);

        var api = await client.GetAsync("/api/v1/__boom", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.InternalServerError, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(ThrowingEndpointFilter.Secret, await api.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Root_AnswersHeadLikeGet()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/");
        request.Headers.TryAddWithoutValidation("Accept-Language", "es-CO");
        var response = await app.Client().SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/es/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("en", "Colombia", "Countries")]
    [InlineData("es", "Brasil", "Países")]
    [InlineData("pt", "Colômbia", "Países")]
    [InlineData("pap", "Kòrsou", "Paisnan")]
    public async Task CountriesIndex_ListsEveryCountry_WithItsFigureAndALinkToItsPage(string lang, string aCountry, string heading)
    {
        var ct = TestContext.Current.CancellationToken;
        var html = System.Net.WebUtility.HtmlDecode(await app.Client().GetStringAsync($"/{lang}/countries", ct));
        Assert.Contains($"<h1>{heading}</h1>", html);
        Assert.Contains(aCountry, html);
        var links = System.Text.RegularExpressions.Regex.Matches(html, $"href=\"/{lang}/countries/([A-Z]{{3}})\"").Select(m => m.Groups[1].Value).ToList();
        // The 17 countries of the plan and the 8 other countries the campaign runs in.
        Assert.Equal(25, links.Distinct().Count());
        // Colombia's figure, as the country page shows it.
        var country = System.Net.WebUtility.HtmlDecode(await app.Client().GetStringAsync($"/{lang}/countries/COL", ct));
        var figure = System.Text.RegularExpressions.Regex.Match(country, "<p class=\"lead\"><strong>([^<]+)</strong>").Groups[1].Value;
        Assert.NotEqual("", figure);
        Assert.Contains($"<td class=\"num\">{figure}<br>", html);
    }

    /// <summary>Every path the README's "What is where" names exists: public ones answer 200, back-office ones ask for sign-in.</summary>
    [Fact]
    public async Task ReadmeRoutes_AllExist()
    {
        var ct = TestContext.Current.CancellationToken;
        var readme = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md"), ct);
        var start = readme.IndexOf("What is where", StringComparison.Ordinal);
        var section = readme[start..readme.IndexOf("\n\n", start, StringComparison.Ordinal)];
        var paths = System.Text.RegularExpressions.Regex.Matches(section, "`(/[^`]*)`").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(paths.Count >= 25, string.Join(", ", paths));
        var client = app.Client();
        foreach (var template in paths)
        {
            foreach (var lang in template.Contains("{lang}", StringComparison.Ordinal) ? new[] { "en", "es", "pt", "pap" } : [""])
            {
                var path = template.Replace("{lang}", lang, StringComparison.Ordinal);
                if (path == "/api/v1/")
                {
                    path = "/api/v1/organisations"; // the API's root is a prefix, not a page
                }
                var response = await client.GetAsync(path, ct);
                if (path.StartsWith("/admin", StringComparison.Ordinal) || path.StartsWith("/account", StringComparison.Ordinal))
                {
                    Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/login", StringComparison.Ordinal),
                        $"{path}: {(int)response.StatusCode}");
                }
                else
                {
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
                }
            }
        }
    }

    [Fact]
    public async Task DemoData_HasTheSeventeenCountriesAndOrganisations()
    {
        var orgs = await app.Client().GetFromJsonAsync<List<Closer.Web.Features.Organisations.OrganisationDto>>("/api/v1/organisations", TestContext.Current.CancellationToken);
        Assert.NotNull(orgs);
        Assert.True(orgs.Count >= 30);
        Assert.All(orgs, o => Assert.True(o.IsDemo));
        var html = await app.Client().GetStringAsync("/en/", TestContext.Current.CancellationToken);
        Assert.Contains("<strong>17</strong>", html);
    }
}

public sealed class PublicSiteSqlite(SqliteApp app) : PublicSiteSuite<SqliteApp>(app);
public sealed class PublicSitePostgres(PostgresApp app) : PublicSiteSuite<PostgresApp>(app);
