using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Campaign.Public;

[AllowAnonymous]
[OutputCache(PolicyName = CampaignFeature.CachePolicy)]
public sealed class PressModel(ContentService content, CloserDbContext db, IStringLocalizer<SharedResource> t) : CampaignPageModel
{
    public List<ContentView> Releases { get; private set; } = [];
    public List<ContentView> Contacts { get; private set; } = [];
    public Dictionary<string, string> CountryNames { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Releases = await content.ListAsync(Lang, ContentKind.PressRelease, ct);
        CountryNames = (await db.Countries.AsNoTracking().ToListAsync(ct)).ToDictionary(c => c.Iso3.Trim(), c => c.Name(Lang), StringComparer.Ordinal);
        Contacts = (await content.ListAsync(Lang, ContentKind.MediaContact, ct))
            .OrderBy(c => CountryNames.GetValueOrDefault(c.Item.CountryIso3 ?? "", ""), StringComparer.Create(System.Globalization.CultureInfo.CurrentCulture, false))
            .ThenBy(c => c.Item.ContactName, StringComparer.Ordinal).ToList();
        Describe(t["Press room"], t["Press releases, media contacts and the briefing kit."], "press");
    }
}
