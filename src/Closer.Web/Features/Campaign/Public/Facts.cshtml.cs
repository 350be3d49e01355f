using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Campaign.Public;

[AllowAnonymous]
[OutputCache(PolicyName = CampaignFeature.CachePolicy)]
public sealed class FactsModel(ContentService content, IStringLocalizer<SharedResource> t) : CampaignPageModel
{
    public List<ContentView> Facts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Facts = await content.ListAsync(Lang, ContentKind.Fact, ct);
        Describe(t["Myths and facts"], t["What people say, and what the figures show. Every figure with its source and date."], "facts");
    }
}
