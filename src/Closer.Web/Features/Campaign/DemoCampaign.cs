using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Text;

namespace Closer.Web.Features.Campaign;

/// <summary>
/// Demo campaign content, original and marked as demo: stories across the region, fact cards with figures from
/// shared/data (year and source shown), two videos with subtitles in four languages, press releases, media
/// contacts for three countries. A story and a press release are deliberately left without Papiamentu to show the fallback.
/// </summary>
public sealed partial class DemoCampaign(TimeProvider time) : IDemoSeeder
{
    public int Order => 30;

    /// <summary>The text of one language version.</summary>
    private sealed record Tx(string Title, string Summary, string Body = "", string? Alt = null, string? Vtt = null);

    public async Task SeedAsync(CloserDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var day = 0;
        ContentItem Add(ContentKind kind, string? country, Dictionary<string, Tx> texts, Action<ContentItem>? configure = null, string? key = null)
        {
            day += 3;
            var published = now.AddDays(-60 + day);
            var item = new ContentItem { Kind = kind, CountryIso3 = country, CreatedAt = published.AddDays(-2), IsDemo = true, Key = key };
            configure?.Invoke(item);
            foreach (var (lang, tx) in texts)
            {
                var body = tx.Body.Length > 0 ? tx.Body + "\n\n" + DemoNote[lang] : tx.Body;
                item.Translations.Add(new ContentTranslation
                {
                    Language = lang, Title = tx.Title, Slug = Slugs.Slugify(tx.Title), Summary = tx.Summary, Body = body,
                    // Every demo story has a picture (DemoIllustrations), so every version says what it shows.
                    PhotoAlt = tx.Alt ?? (kind is ContentKind.Story or ContentKind.Fact ? IllustrationAlt[lang] : null), SubtitleVtt = tx.Vtt, Status = TranslationStatus.Published, PublishedAt = published,
                    UpdatedAt = published, UpdatedBy = "demo", Translator = lang == Languages.English ? null : "demo",
                    SearchText = Slugs.SearchText(tx.Title, tx.Summary, body),
                });
            }
            db.CampaignItems.Add(item);
            return item;
        }

        foreach (var (kind, country, texts, configure, key) in Content())
        {
            Add(kind, country, texts, configure, key);
        }
        await db.SaveChangesAsync(cancellationToken);
        var stories = db.CampaignItems.Local.Where(i => i.Kind == ContentKind.Story).OrderBy(i => i.Id).ToList();
        var pictures = stories.Select((_, index) => DemoIllustrations.Asset(index, now)).ToList();
        db.CampaignMedia.AddRange(pictures);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (story, picture) in stories.Zip(pictures))
        {
            story.PhotoPath = $"/media/{picture.Id}";
        }
        // Fact cards get illustrations too, drawn smaller (they are shown small): 320 and 640 px renditions.
        var facts = db.CampaignItems.Local.Where(i => i.Kind == ContentKind.Fact).OrderBy(i => i.Id).ToList();
        var factPictures = facts.Select((_, index) => DemoIllustrations.Asset(index + 1, now, 720, 480)).ToList();
        db.CampaignMedia.AddRange(factPictures);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (fact, picture) in facts.Zip(factPictures))
        {
            fact.PhotoPath = $"/media/{picture.Id}";
        }
        foreach (var t in db.CampaignTranslations.Local)
        {
            db.CampaignRevisions.Add(new ContentRevision
            {
                TranslationId = t.Id, CreatedAt = t.UpdatedAt, By = "demo", Note = "Created", Title = t.Title, Slug = t.Slug,
                Summary = t.Summary, Body = t.Body, PhotoAlt = t.PhotoAlt, SubtitleVtt = t.SubtitleVtt, Status = t.Status,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>What a demo illustration shows, for the stories whose text names no picture of their own.</summary>
    private static readonly Dictionary<string, string> IllustrationAlt = new(StringComparer.Ordinal)
    {
        ["en"] = "Demo illustration: two people a step apart under an arch, in a landscape of hills and sun.",
        ["es"] = "Ilustración de demostración: dos personas a un paso de distancia bajo un arco, en un paisaje de colinas y sol.",
        ["pt"] = "Ilustração de demonstração: duas pessoas a um passo de distância sob um arco, numa paisagem de colinas e sol.",
        ["pap"] = "Ilustrashon di demostrashon: dos hende un paso separá bou di un arko, den un paisahe di seru i solo.",
    };

    private static readonly Dictionary<string, string> DemoNote = new(StringComparer.Ordinal)
    {
        ["en"] = "*Demo content: this story is fictional, written to show how Closer works.*",
        ["es"] = "*Contenido de demostración: este texto es ficticio, escrito para mostrar cómo funciona Closer.*",
        ["pt"] = "*Conteúdo de demonstração: este texto é fictício, escrito para mostrar como o Closer funciona.*",
        ["pap"] = "*Kontenido di demostrashon: e teksto aki ta fikshon, skirbí pa mustra kon Closer ta funshoná.*",
    };
}
