using System.Globalization;
using Closer.Web.Features.Campaign.Admin;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Analytics;

public sealed record DayValue(string Label, long Value);
public sealed record PageRow(string Path, string Language, long Views);
public sealed record PledgeDay(string Day, string Country, long Count);

/// <summary>Campaign analytics: page views per page, language and day; pledges per country and day; as tables with bars.</summary>
[Authorize(Roles = CampaignRoles.BackOffice)]
public sealed class DashboardModel(CloserDbContext db, TimeProvider time, PageViewCounter counter) : PageModel
{
    public List<DayValue> ViewsPerDay { get; private set; } = [];
    public List<PageRow> TopPages { get; private set; } = [];
    public List<PledgeDay> PledgesPerDay { get; private set; } = [];
    public long MaxPerDay { get; private set; }
    public long MaxPerPage { get; private set; }
    public long MaxPledges { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await counter.FlushAsync(ct);
        var now = time.GetUtcNow();
        var since = now.AddDays(-30);
        var fromDay = PageViewCounter.DayOf(since);
        var perDay = await db.CampaignPageViews.AsNoTracking().Where(p => p.Day >= fromDay)
            .GroupBy(p => p.Day).Select(g => new { Day = g.Key, Views = g.Sum(p => p.Views) }).OrderByDescending(x => x.Day).ToListAsync(ct);
        ViewsPerDay = perDay.Select(d => new DayValue(
            DateTime.ParseExact(d.Day.ToString(CultureInfo.InvariantCulture), "yyyyMMdd", CultureInfo.InvariantCulture).ToString("d", CultureInfo.CurrentCulture), d.Views)).ToList();
        TopPages = (await db.CampaignPageViews.AsNoTracking().Where(p => p.Day >= fromDay)
            .GroupBy(p => new { p.Path, p.Language }).Select(g => new { g.Key.Path, g.Key.Language, Views = g.Sum(p => p.Views) })
            .OrderByDescending(x => x.Views).Take(25).ToListAsync(ct))
            .Select(x => new PageRow(x.Path, x.Language, x.Views)).ToList();
        // Pledges of the last 30 days, grouped by UTC day in memory (one row per pledge: small by design of the rate limit).
        var pledges = await db.Pledges.AsNoTracking().Where(p => p.CreatedAt >= since).Select(p => new { p.CountryIso3, p.CreatedAt }).ToListAsync(ct);
        PledgesPerDay = pledges.GroupBy(p => (Day: p.CreatedAt.UtcDateTime.Date, Country: p.CountryIso3.Trim()))
            .OrderByDescending(g => g.Key.Day).ThenBy(g => g.Key.Country, StringComparer.Ordinal)
            .Select(g => new PledgeDay(g.Key.Day.ToString("d", CultureInfo.CurrentCulture), g.Key.Country, g.LongCount())).ToList();
        MaxPerDay = Math.Max(1, ViewsPerDay.Select(d => d.Value).DefaultIfEmpty().Max());
        MaxPerPage = Math.Max(1, TopPages.Select(p => p.Views).DefaultIfEmpty().Max());
        MaxPledges = Math.Max(1, PledgesPerDay.Select(p => p.Count).DefaultIfEmpty().Max());
    }
}
