using System.Globalization;
using Closer.Web.Features.Campaign.Public;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Dashboards;

/// <summary>The public dashboard: refugees and migrants by country and over time, people reached vs target, partners. Validated data only.</summary>
[AllowAnonymous]
[OutputCache(PolicyName = DashboardsFeature.CachePolicy)]
public sealed class DataModel(CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t, DisclosureControl disclosure,
    IMemoryCache cache) : Shared.PublicPageModel
{
    /// <summary>Countries of the line chart (GET form, repeatable).</summary>
    [BindProperty(SupportsGet = true, Name = "c")] public List<string> Selected { get; set; } = [];
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    /// <summary>The country of the admin1 map (ISO3), if any.</summary>
    [BindProperty(SupportsGet = true)] public string? Country { get; set; }

    public int PlanYear { get; private set; }
    public List<int> Years { get; private set; } = [];
    public Names Names { get; private set; } = null!;
    public List<FigurePoint> Latest { get; private set; } = [];
    public List<FigureSeries> Series { get; private set; } = [];
    /// <summary>Reached vs target by sector (and by country without a sector): of the population group when one is chosen.</summary>
    public ResponseFigures Reached { get; private set; } = null!;
    /// <summary>Reached vs target by country: within the chosen sector (and group), else the same as <see cref="Reached"/>.</summary>
    public ResponseFigures ByCountry { get; private set; } = null!;
    public PartnerFigures Partners { get; private set; } = null!;
    public int Threshold { get; private set; }
    public Maps.CountryMapView? CountryMap { get; private set; }
    /// <summary>The chosen admin1 area by sector (<c>admin1=</c>): the dashboard filtered to that area.</summary>
    public Maps.AreaSectorsView? AreaSectors { get; private set; }

    /// <summary>This page with another area chosen (null: all areas), at the areas' section.</summary>
    public string AreaLink(string? admin1) => Views.Permalink.For($"/{Lang}/data", Views.Permalink.Query(State, admin1)) + "#dash-area-h";
    /// <summary>The page's state (the permalink's), every value checked; unknown ones are listed on the page.</summary>
    public Views.DashboardState State { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Names = await Names.LoadAsync(db, Lang, ct);
        Years = await DashboardData.PlanYearsAsync(db, ct);
        State = Views.DashboardState.Read(Request.Query, Names, Years);
        Year = State.Year;
        Country = State.Country;
        PlanYear = DashboardData.PlanYear(Year, Years, time);
        Latest = await DashboardData.LatestFiguresAsync(db, Names, ct);
        Selected = RefugeeFiguresView.Choose(Names, Selected, null, Latest);
        Series = await DashboardData.FigureSeriesAsync(db, Names, Selected, ct);
        var audience = DisclosureAudience.For(User);
        var all = await DashboardData.ResponseAsync(db, Names, PlanYear, null, null, disclosure, audience, ct);
        Reached = State.Group is { } g ? await Views.GroupFigures.ResponseAsync(db, Names, PlanYear, g, null, disclosure, cache, ct) : all;
        ByCountry = (State.Sector, State.Group) switch
        {
            (null, _) => Reached,
            ({ } s, null) => await DashboardData.ResponseAsync(db, Names, PlanYear, null, s, disclosure, audience, ct),
            ({ } s, { } group) => await Views.GroupFigures.ResponseAsync(db, Names, PlanYear, group, s, disclosure, cache, ct),
        };
        Threshold = disclosure.Threshold;
        Partners = await DashboardData.PartnersAsync(db, Names, PlanYear, ct);
        if (Country is not null)
        {
            CountryMap = await Maps.CountryMaps.LoadAsync(db, Names, disclosure, cache, Country, Lang, PlanYear, all, ct);
        }
        State.CheckAdmin1(CountryMap?.Areas.Select(a => a.PCode) ?? []);
        if (CountryMap is { } map && State.Admin1 is { } admin1)
        {
            AreaSectors = await Maps.CountryMaps.AreaSectorsAsync(db, Names, disclosure, cache, map, admin1, ct);
        }
        Describe(t["Data"], t["Refugees and migrants by country, people reached by the response and its partners: validated figures, as charts, tables and open data."]);
    }

    /// <summary>The canonical query of what the page shows (known values only): its permalink, and what a saved view stores.</summary>
    public string PermalinkQuery => Views.Permalink.Query(State);

    public RefugeeFiguresView Refugees => new(Lang, "dash", $"/{Lang}/data", Names, Latest, Series, Selected, [.. State.Values()], State.Chart, PermalinkQuery);
}
