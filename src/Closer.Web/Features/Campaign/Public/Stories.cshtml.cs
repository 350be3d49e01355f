using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Campaign.Public;

[AllowAnonymous]
[OutputCache(PolicyName = CampaignFeature.CachePolicy)]
public sealed class StoriesModel(ContentService content, IStringLocalizer<SharedResource> t) : CampaignPageModel
{
    public List<ContentView> Stories { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Stories = await content.ListAsync(Lang, ContentKind.Story, ct);
        Describe(t["Stories"], t["Refugees, migrants and the people who welcome them, in their own words."], "stories");
    }
}
