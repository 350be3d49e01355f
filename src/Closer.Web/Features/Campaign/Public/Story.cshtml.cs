using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Campaign.Sharing;
using Closer.Web.Features.Shared;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Markdown;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Public;

[AllowAnonymous]
[OutputCache(PolicyName = CampaignFeature.CachePolicy)]
public sealed class StoryModel(ContentService content, MarkdownRenderer markdown, CloserDbContext db, CampaignKit kit, CampaignIdentity identity)
    : ArticlePageModel(content, markdown, ContentKind.Story)
{
    public string? CountryName { get; private set; }
    public IReadOnlyList<KitLink> Kit { get; private set; } = [];
    /// <summary>schema.org Article as a JSON-LD data block (encoded so no text can close the element).</summary>
    public string JsonLdScript { get; private set; } = "";

    public static string AnonymisationLabel(Anonymisation a) => a switch
    {
        Anonymisation.FirstNameOnly => "Only the first name is shown.",
        Anonymisation.Pseudonym => "The name is a pseudonym.",
        Anonymisation.BlurredPhoto => "The photo is blurred to protect the person.",
        _ => "",
    };

    protected override async Task LoadMoreAsync(ContentView view, CancellationToken ct)
    {
        // The link preview of the campaign kit is the story's og:image.
        Kit = await kit.LinksAsync(view, Lang, ct);
        var preview = Kit.Single(k => k.Format == KitFormat.Link).Url;
        if (ViewData[PublicPageModel.SocialKey] is SocialCard card)
        {
            ViewData[PublicPageModel.SocialKey] = card with { Image = preview };
        }
        JsonLdScript = JsonLd.Script(JsonLd.Article(view, PageLinks.Absolute(HttpContext, ""), identity.Name(Lang), preview));
        if (view.Item.CountryIso3 is { } iso3)
        {
            CountryName = (await db.Countries.AsNoTracking().FirstOrDefaultAsync(c => c.Iso3 == iso3, ct))?.Name(Lang);
        }
    }
}
