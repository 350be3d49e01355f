using System.Net;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Campaign.Public;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Campaign;

/// <summary>A page for every one of the campaign's 25 countries, in every language; plan and campaign-only countries told apart.</summary>
public abstract class CampaignCountriesSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => Html.Ct;

    private async Task<List<(string Iso3, Func<string, string> Name)>> AllAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var plan = await scope.ServiceProvider.GetRequiredService<CloserDbContext>().Countries.AsNoTracking().ToListAsync(Ct);
        return plan.Select(c => (c.Iso3.Trim(), (Func<string, string>)c.Name))
            .Concat(CampaignCountries.CampaignOnly.Select(c => (c.Iso3, (Func<string, string>)c.Name)))
            .ToList();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("pt")]
    [InlineData("pap")]
    public async Task All25Countries_HaveAPage_AndTheListNamesThemAll(string lang)
    {
        var all = await AllAsync();
        Assert.Equal(25, all.Count);
        Assert.Equal(25, all.Select(c => c.Iso3).Distinct().Count());
        var client = app.Client();
        var list = WebUtility.HtmlDecode(await client.GetStringAsync($"/{lang}/countries", Ct));
        foreach (var (iso3, name) in all)
        {
            var response = await client.GetAsync($"/{lang}/countries/{iso3}", Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/{lang}/countries/{iso3} → {(int)response.StatusCode}");
            var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
            Assert.Contains($"<h1>{name(lang)}</h1>", page);
            Assert.Contains($"href=\"/{lang}/countries/{iso3}\">{name(lang)}</a>", list);
        }
    }

    [Fact]
    public async Task ACampaignOnlyCountry_SaysItHasNoPlanData_AndAPlanCountryShowsItsFigure()
    {
        var bonaire = WebUtility.HtmlDecode(await app.Client().GetStringAsync("/pap/countries/BES", Ct));
        Assert.Contains("<h1>Boneiru</h1>", bonaire);
        Assert.Contains("Boneiru ta un pais di e kampaña, pero no un di e paisnan di e plan regional di respuesta", bonaire);
        Assert.DoesNotContain("follow=country:BES", bonaire);
        var guatemala = WebUtility.HtmlDecode(await app.Client().GetStringAsync("/es/countries/GTM", Ct));
        Assert.Contains("Guatemala es un país de la campaña, pero no uno de los países del plan regional", guatemala);
        var colombia = WebUtility.HtmlDecode(await app.Client().GetStringAsync("/es/countries/COL", Ct));
        Assert.DoesNotContain("es un país de la campaña, pero no", colombia);
        var list = WebUtility.HtmlDecode(await app.Client().GetStringAsync("/es/countries", Ct));
        Assert.Contains("La campaña se realiza en 25 países.", list);
        Assert.Contains("<h2>17 países del plan regional de respuesta</h2>", list);
        Assert.Contains("<h2>8 países más de la campaña</h2>", list);
        Assert.Contains("/es/countries/BES", await app.Client().GetStringAsync("/sitemap.xml", Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/es/countries/FRA", Ct)).StatusCode);
    }
}

public sealed class CampaignCountriesSqlite(CampaignSqliteApp app) : CampaignCountriesSuite<CampaignSqliteApp>(app);
public sealed class CampaignCountriesPostgres(CampaignPostgresApp app) : CampaignCountriesSuite<CampaignPostgresApp>(app);
