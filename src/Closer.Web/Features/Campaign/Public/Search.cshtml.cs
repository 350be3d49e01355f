using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Campaign.Public;

[AllowAnonymous]
public sealed class SearchModel(ContentService content, IStringLocalizer<SharedResource> t) : CampaignPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public List<ContentView> Results { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Q is { Length: > 200 })
        {
            Q = TextLimits.Truncate(Q, 200);
        }
        if (!string.IsNullOrWhiteSpace(Q))
        {
            Results = await content.SearchAsync(Lang, Q, ct);
        }
        Describe(t["Search"], t["Search stories, facts and press releases"], "search");
    }
}
