using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Markdown;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Public;

[AllowAnonymous]
[OutputCache(PolicyName = CampaignFeature.CachePolicy)]
public sealed class StoryModel(ContentService content, MarkdownRenderer markdown, CloserDbContext db) : ArticlePageModel(content, markdown, ContentKind.Story)
{
    public string? CountryName { get; private set; }

    public static string AnonymisationLabel(Anonymisation a) => a switch
    {
        Anonymisation.FirstNameOnly => "Only the first name is shown.",
        Anonymisation.Pseudonym => "The name is a pseudonym.",
        Anonymisation.BlurredPhoto => "The photo is blurred to protect the person.",
        _ => "",
    };

    protected override async Task LoadMoreAsync(ContentView view, CancellationToken ct)
    {
        if (view.Item.CountryIso3 is { } iso3)
        {
            CountryName = (await db.Countries.AsNoTracking().FirstOrDefaultAsync(c => c.Iso3 == iso3, ct))?.Name(Lang);
        }
    }
}
