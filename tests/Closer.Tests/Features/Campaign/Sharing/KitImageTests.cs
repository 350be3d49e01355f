using System.Text.Json;
using Closer.Tests.Features.Campaign;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Campaign.Public;
using Closer.Web.Features.Campaign.Sharing;
using SkiaSharp;

namespace Closer.Tests.Features.Campaign.Sharing;

/// <summary>The kit renderer and the JSON-LD encoder on their own: text changes, wrapping, no script breakout.</summary>
public sealed class KitImageTests : IDisposable
{
    private readonly SocialImage _fonts = new();

    public void Dispose() => _fonts.Dispose();

    [Fact]
    public void ChangingTheText_ChangesTheImageAndItsVersion_TheSameTextKeepsBoth()
    {
        var kit = new KitImage(_fonts);
        var a = new KitText("One Step Closer", null, "Ana's bakery in Cúcuta", "A neighbour lent her oven.", "DEMO");
        var b = a with { Title = "Ana's bakery in Cúcuta, two years on" };
        Assert.NotEqual(kit.Render(a, KitFormat.Feed), kit.Render(b, KitFormat.Feed));
        Assert.NotEqual(a.Version(), b.Version());
        Assert.Equal(a.Version(), (a with { }).Version());
        Assert.Equal(kit.Render(a, KitFormat.Link), kit.Render(a with { }, KitFormat.Link));
        Assert.NotEqual(a.Version(), (a with { Campaign = "Acortemos Distancias" }).Version());
    }

    [Theory]
    [InlineData("One Step Closer", "The nurse who waits for his papers")]
    [InlineData("Acortemos Distancias", "El enfermero que espera sus papeles: ¿cuánto tiempo más?")]
    [InlineData("Reduzindo a Distância", "O enfermeiro que espera seus documentos — ação, coração, não")]
    [InlineData("Un Paso Mas Serka", "E enfermero ku ta warda su papelnan: kuantu tempu mas?")]
    public void EachLanguagesTitle_RendersEachShape_InItsSize(string campaign, string title)
    {
        var kit = new KitImage(_fonts);
        foreach (var format in KitFormat.All)
        {
            var png = kit.Render(new KitText(campaign, "Myth", title, string.Concat(Enumerable.Repeat(title + " ", 12)), "DEMO"), format);
            Assert.Equal((format.Width, format.Height), CampaignKitSuite<CampaignSqliteApp>.PngSize(png));
            // CLOSER_KIT_DIR keeps the images, to look at them.
            if (Environment.GetEnvironmentVariable("CLOSER_KIT_DIR") is { Length: > 0 } dir)
            {
                File.WriteAllBytes(Path.Combine(dir, $"{campaign.Split(' ')[0]}-{format.Name}.png"), png);
            }
        }
    }

    [Fact]
    public void Wrapping_KeepsEveryLineWithinTheWidth_EvenForAWordLongerThanALine()
    {
        using var font = new SKFont(_fonts.Typeface, 64);
        var text = "Bo ta lesa e vershon na spañó " + string.Concat(Enumerable.Repeat("Kòrsouspañópapiamentu", 8)) + " ãõçéíú";
        var lines = Closer.Web.Infrastructure.Text.TextWrap.Lines(text, font, 900);
        Assert.True(lines.Count > 3);
        Assert.All(lines, l => Assert.True(font.MeasureText(l) <= 900, $"'{l}' is wider than the line."));
        Assert.Equal(text.Replace(" ", "", StringComparison.Ordinal), string.Concat(lines).Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void JsonLd_ATitleThatClosesTheScriptElement_StaysInsideIt_AndParsesBack()
    {
        const string title = "Myth</script><script>alert(1)</script> & <!-- more";
        var item = new ContentItem { Id = 1, Kind = ContentKind.Fact, FigureSource = "Source </script>", FigureDate = "2024-07", CreatedAt = DateTimeOffset.UnixEpoch };
        var shown = new ContentTranslation { Id = 2, ItemId = 1, Item = item, Language = "en", Slug = "s", Title = title, Summary = "</SCRIPT>", UpdatedAt = DateTimeOffset.UnixEpoch };
        var view = new ContentView(item, shown, "en", new Dictionary<string, string>(StringComparer.Ordinal));
        foreach (var script in new[]
        {
            JsonLd.Script(JsonLd.ClaimReview(view, "</script>fact", "http://localhost", "One Step Closer", "False")),
            JsonLd.Script(JsonLd.Article(view with { Item = new ContentItem { Id = 1, Kind = ContentKind.Story } }, "http://localhost", "One Step Closer", "/en/kit/2/link-x.png")),
        })
        {
            Assert.StartsWith("<script type=\"application/ld+json\">", script, StringComparison.Ordinal);
            var inner = script["<script type=\"application/ld+json\">".Length..^"</script>".Length];
            Assert.DoesNotContain("<", inner, StringComparison.Ordinal);
            Assert.DoesNotContain(">", inner, StringComparison.Ordinal);
            var json = JsonDocument.Parse(inner).RootElement;
            var name = json.TryGetProperty("claimReviewed", out var c) ? c : json.GetProperty("headline");
            Assert.Equal(title, name.GetString());
        }
    }
}
