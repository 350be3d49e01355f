using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Campaign.Public;

/// <summary>One line of the countries index: the country, its latest figure and how many stories tell of it.</summary>
public sealed record CountryLine(string Iso3, string Name, PopulationFigure? Figure, int Stories);

/// <summary>The campaign countries: the plan's 17, each with its latest refugee and migrant figure, and the 8 without plan data; each links to its page.</summary>
[AllowAnonymous]
[OutputCache(PolicyName = CampaignFeature.CachePolicy)]
public sealed class CountriesModel(CloserDbContext db, OpenData.LiveFigures figures, ContentService content, IStringLocalizer<SharedResource> t) : CampaignPageModel
{
    public List<CountryLine> Countries { get; private set; } = [];
    /// <summary>The campaign countries outside the plan, named in the reader's language.</summary>
    public List<CountryLine> CampaignOnly { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var countries = await db.Countries.AsNoTracking().ToListAsync(ct);
        var live = await figures.AllAsync(ct);
        var stories = (await content.ListAsync(Lang, [ContentKind.Story], null, ct))
            .Where(s => s.Item.CountryIso3 is not null)
            .GroupBy(s => s.Item.CountryIso3!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var culture = Languages.Culture(Lang);
        Countries = countries
            .Select(c => new CountryLine(c.Iso3, c.Name(Lang),
                CountryModel.FigureOf(live, c.Iso3),
                stories.GetValueOrDefault(c.Iso3)))
            .OrderBy(c => c.Name, StringComparer.Create(culture, ignoreCase: true))
            .ToList();
        CampaignOnly = CampaignCountries.CampaignOnly
            .Select(c => new CountryLine(c.Iso3, c.Name(Lang), null, stories.GetValueOrDefault(c.Iso3)))
            .OrderBy(c => c.Name, StringComparer.Create(culture, ignoreCase: true))
            .ToList();
        Describe(t["Countries"], t["The countries of the regional response plan come with their figures; the other campaign countries have no plan data."]);
    }
}
