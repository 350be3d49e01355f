using System.Globalization;
using Closer.Web.Features.Campaign.Public;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Dashboards;

/// <summary>The public dashboard: refugees and migrants by country and over time, people reached vs target, partners. Validated data only.</summary>
[AllowAnonymous]
[OutputCache(PolicyName = DashboardsFeature.CachePolicy)]
public sealed class DataModel(CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t, DisclosureControl disclosure) : Shared.PublicPageModel
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
    public ResponseFigures Reached { get; private set; } = null!;
    public PartnerFigures Partners { get; private set; } = null!;
    public int Threshold { get; private set; }
    public Maps.CountryMapView? CountryMap { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Names = await Names.LoadAsync(db, Lang, ct);
        Years = await DashboardData.PlanYearsAsync(db, ct);
        PlanYear = DashboardData.PlanYear(Year, Years, time);
        Latest = await DashboardData.LatestFiguresAsync(db, Names, ct);
        Selected = RefugeeFiguresView.Choose(Names, Selected, null, Latest);
        Series = await DashboardData.FigureSeriesAsync(db, Names, Selected, ct);
        Reached = await DashboardData.ResponseAsync(db, Names, PlanYear, null, null, disclosure, DisclosureAudience.For(User), ct);
        Threshold = disclosure.Threshold;
        Partners = await DashboardData.PartnersAsync(db, Names, PlanYear, ct);
        if (!string.IsNullOrWhiteSpace(Country))
        {
            CountryMap = await Maps.CountryMaps.LoadAsync(db, Names, disclosure, Country, Lang, PlanYear, Reached, ct);
        }
        Describe(t["Data"], t["Refugees and migrants by country, people reached by the response and its partners: validated figures, as charts, tables and open data."]);
    }

    public RefugeeFiguresView Refugees => new(Lang, "dash", $"/{Lang}/data", Names, Latest, Series, Selected,
        [.. Year is { } y ? [new KeyValuePair<string, string>("year", y.ToString(CultureInfo.InvariantCulture))] : Array.Empty<KeyValuePair<string, string>>(),
            .. CountryMap is { } m ? [new KeyValuePair<string, string>("country", m.Iso3)] : Array.Empty<KeyValuePair<string, string>>()]);
}
