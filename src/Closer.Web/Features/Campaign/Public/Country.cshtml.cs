using System.Globalization;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Campaign.Public;

public sealed record PopulationFigure(long Value, string AsOf, string Source);

[AllowAnonymous]
[OutputCache(PolicyName = CampaignFeature.PledgeCountsPolicy)]
public sealed class CountryModel(ContentService content, CloserDbContext db, IStringLocalizer<SharedResource> t, TimeProvider time,
    OpenData.Disclosure.DisclosureControl disclosure, IMemoryCache cache) : CampaignPageModel
{
    public string Name { get; private set; } = "";
    public List<ContentView> Stories { get; private set; } = [];
    public List<ContentView> Contacts { get; private set; } = [];
    public long Pledges { get; private set; }
    public PopulationFigure? Figure { get; private set; }
    /// <summary>People reached and partners by admin1 area (the dashboards' country map).</summary>
    public Dashboards.Maps.CountryMapView? Map { get; private set; }
    /// <summary>False for a campaign country outside the regional response plan (<see cref="CampaignCountries"/>): no plan data.</summary>
    public bool PlanCountry { get; private set; } = true;

    public async Task<IActionResult> OnGetAsync(string iso3, CancellationToken ct)
    {
        var code = iso3.ToUpperInvariant();
        if (!string.Equals(code, iso3, StringComparison.Ordinal))
        {
            return RedirectPermanent($"/{Lang}/countries/{code}");
        }
        var country = await db.Countries.AsNoTracking().FirstOrDefaultAsync(c => c.Iso3 == code, ct);
        if (country is null)
        {
            if (CampaignCountries.Find(code) is not { } campaignOnly)
            {
                return NotFound();
            }
            PlanCountry = false;
            Name = campaignOnly.Name(Lang);
            Stories = await content.ListAsync(Lang, [ContentKind.Story], code, ct);
            Describe(Name, t["The campaign in {0}: stories, figures and pledges.", Name]);
            return Page();
        }
        Name = country.Name(Lang);
        Stories = await content.ListAsync(Lang, [ContentKind.Story], code, ct);
        Contacts = await content.ListAsync(Lang, [ContentKind.MediaContact], code, ct);
        Pledges = await db.Pledges.LongCountAsync(p => p.CountryIso3 == code, ct);
        // The live figure from the coordination data (the embedded file when the database has none).
        var live = await HttpContext.RequestServices.GetRequiredService<OpenData.LiveFigures>().AllAsync(ct);
        Figure = FigureOf(live, code);
        Map = await Dashboards.Maps.CountryMaps.ForCountryPageAsync(db, time, disclosure, cache, code, Lang, ct);
        Describe(Name, t["The campaign in {0}: stories, figures and pledges.", Name]);
        return Page();
    }

    /// <summary>The country's live figure from the coordination data, else the latest in the embedded file.</summary>
    public static PopulationFigure? FigureOf(IReadOnlyDictionary<string, OpenData.LiveFigure> live, string iso3) =>
        live.TryGetValue($"{{{{figure:refugees-migrants:{iso3}}}}}", out var f) ? new PopulationFigure(f.Value, f.Date, f.Source) : LatestFigure(iso3);

    /// <summary>The latest published figure of refugees and migrants from Venezuela in the country (shared/data).</summary>
    public static PopulationFigure? LatestFigure(string iso3) => EmbeddedCsv.Read("population-figures.csv")
        .Where(r => r["iso3"] == iso3)
        .OrderByDescending(r => r["as_of"], StringComparer.Ordinal)
        .Select(r => new PopulationFigure(long.Parse(r["refugees_and_migrants"], CultureInfo.InvariantCulture), r["as_of"], r["source"]))
        .FirstOrDefault();
}
