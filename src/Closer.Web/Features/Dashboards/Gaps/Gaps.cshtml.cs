using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Dashboards.Gaps;

/// <summary>
/// The public gap view: need, target, reach and funding per country × sector of a plan year, sortable by links (no script),
/// validated data only; the same rows as <c>/api/v1/dashboards/gaps</c>.
/// </summary>
[AllowAnonymous]
[OutputCache(PolicyName = DashboardsFeature.CachePolicy)]
public sealed class GapsModel(CloserDbContext db, Funding.FundingCoverage coverage, DisclosureControl disclosure, TimeProvider time, HybridCache cache,
    IStringLocalizer<Infrastructure.Localization.SharedResource> t) : Shared.PublicPageModel
{
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty(SupportsGet = true)] public string? Country { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sector { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true)] public string? Dir { get; set; }

    public List<int> Years { get; private set; } = [];
    public Names Names { get; private set; } = null!;
    public GapFigures Gaps { get; private set; } = null!;
    /// <summary>Filters of the link the view does not know (shown back, and the default shown instead), as /data does.</summary>
    public List<Views.UnknownValue> Unknown { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Names = await Names.LoadAsync(db, Lang, ct);
        Years = await DashboardData.PlanYearsAsync(db, ct);
        var year = DashboardData.PlanYear(Year, Years, time);
        var country = Country is { } c && Names.Countries.ContainsKey(c.Trim().ToUpperInvariant()) ? c : null;
        var sector = Sector is { } s && Names.Sectors.ContainsKey(s.Trim().ToUpperInvariant()) ? s : null;
        // The raw values (a year that is no number binds to nothing, but was asked for all the same).
        void Check(string key, bool known)
        {
            var raw = Request.Query[key].ToString().Trim();
            if (raw.Length > 0 && !known)
            {
                Unknown.Add(new Views.UnknownValue(key, raw.Length > 40 ? raw[..40] + "…" : raw));
            }
        }
        Check("year", Year is { } y && Years.Contains(y));
        Check("country", country is not null);
        Check("sector", sector is not null);
        Gaps = await GapData.BuildAsync(db, coverage, disclosure, Names, year, country, sector, Sort, Dir, ct, cache);
        Describe(t["Gaps: need, target, reach and funding"], t["People in need, targeted and reached, and funding required and received, per country and sector: where the response falls short."]);
    }

    /// <summary>This view's address with the given changes (null removes a value); the filters stay.</summary>
    public string Link(string? sort = null, string? dir = null) => $"/{Lang}/data/gaps?{Query(sort, dir)}";

    /// <summary>The view's query: year, filters, order (the page's links and the download share it).</summary>
    private string Query(string? sort = null, string? dir = null)
    {
        var q = new List<string> { $"year={Gaps.Year}" };
        if (Gaps.Country is { } c)
        {
            q.Add($"country={c}");
        }
        if (Gaps.Sector is { } s)
        {
            q.Add($"sector={Uri.EscapeDataString(s)}");
        }
        q.Add($"sort={sort ?? Gaps.Sort}");
        q.Add($"dir={dir ?? (Gaps.Descending ? "desc" : "asc")}");
        return string.Join('&', q);
    }

    /// <summary>The header link of a column: sorts by it, and a second click turns the order round.</summary>
    public string SortLink(string key) => Link(key, key == Gaps.Sort && !Gaps.Descending ? "desc" : key == Gaps.Sort ? "asc" : DefaultDir(key));

    private static string DefaultDir(string key) => key is "country" or "sector" ? "asc" : "desc";

    /// <summary>aria-sort of a column header.</summary>
    public string? AriaSort(string key) => key == Gaps.Sort ? (Gaps.Descending ? "descending" : "ascending") : null;

    /// <summary>The download's address in a format.</summary>
    public string Api => $"/api/v1/dashboards/gaps?{Query()}";
}
