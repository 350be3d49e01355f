using Closer.Web.Features.Campaign;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Campaign.Pledges;
using Closer.Web.Features.Campaign.Public;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Home;

/// <summary>The campaign's home: its message, the latest stories, fact cards, the pledge counter and the response in figures.</summary>
[AllowAnonymous]
[OutputCache(PolicyName = CampaignFeature.PledgeCountsPolicy)]
public sealed class IndexModel(CloserDbContext db, ContentService content, PledgeService pledges, IStringLocalizer<SharedResource> t) : CampaignPageModel
{
    public int Countries { get; private set; }
    public int Organisations { get; private set; }
    public List<ContentView> Stories { get; private set; } = [];
    public List<ContentView> Facts { get; private set; } = [];
    public PledgeSummary Pledges { get; private set; } = new(0, new Dictionary<string, long>());

    public async Task OnGetAsync(CancellationToken ct)
    {
        Countries = await db.Countries.CountAsync(ct);
        Organisations = await db.Organisations.CountAsync(ct);
        Stories = (await content.ListAsync(Lang, ContentKind.Story, ct)).Take(3).ToList();
        Facts = (await content.ListAsync(Lang, ContentKind.Fact, ct)).Take(3).ToList();
        Pledges = await pledges.SummaryAsync(ct);
        Describe(t["One step closer"], t["Refugees, migrants and host communities: stories, facts and data that bring us closer."]);
    }
}
