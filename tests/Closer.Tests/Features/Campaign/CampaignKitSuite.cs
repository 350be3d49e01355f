using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;

namespace Closer.Tests.Features.Campaign;

/// <summary>The campaign kit images and the schema.org JSON-LD of facts and stories, on the demo content.</summary>
public abstract partial class CampaignKitSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => Html.Ct;

    internal static List<JsonElement> JsonLdBlocks(string html) =>
        JsonLdPattern().Matches(html).Select(m => JsonDocument.Parse(m.Groups[1].Value).RootElement.Clone()).ToList();

    internal static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    private static List<string> KitLinks(string html) =>
        Regex.Matches(html, "<a href=\"(/[a-z]+/kit/[^\"]+)\" download=\"[^\"]+\" type=\"image/png\">").Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public async Task FactsPage_CarriesAClaimReviewPerFact_WithTheMythTheFactItsSourceAndDate()
    {
        var html = await app.Client().GetStringAsync("/es/facts", Ct);
        var reviews = JsonLdBlocks(html).Where(j => j.GetProperty("@type").GetString() == "ClaimReview").ToList();
        Assert.Equal(8, reviews.Count);
        Assert.All(reviews, r =>
        {
            Assert.Equal("https://schema.org", r.GetProperty("@context").GetString());
            Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("claimReviewed").GetString()));
            Assert.Equal(r.GetProperty("claimReviewed").GetString(), r.GetProperty("itemReviewed").GetProperty("name").GetString());
            Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("reviewBody").GetString()));
            Assert.DoesNotContain("<", r.GetProperty("reviewBody").GetString(), StringComparison.Ordinal);
            Assert.Equal("Acortemos Distancias", r.GetProperty("author").GetProperty("name").GetString());
            Assert.Equal("Falso", r.GetProperty("reviewRating").GetProperty("alternateName").GetString());
            Assert.StartsWith("http://localhost/es/facts#", r.GetProperty("url").GetString(), StringComparison.Ordinal);
            Assert.Matches("^\\d{4}-\\d{2}-\\d{2}$", r.GetProperty("datePublished").GetString()!);
        });
        var venezuela = Assert.Single(reviews, r => r.GetProperty("reviewBody").GetString()!.Contains("7.774.494", StringComparison.Ordinal));
        Assert.Equal("R4V via dnoticias.pt", venezuela.GetProperty("isBasedOn").GetProperty("name").GetString());
        Assert.Equal("2024-07", venezuela.GetProperty("isBasedOn").GetProperty("datePublished").GetString());
        Assert.Equal("es", venezuela.GetProperty("inLanguage").GetString());
    }

    [Fact]
    public async Task StoryPage_CarriesAnArticle_WhoseImageIsTheKitsLinkPreview_AlsoTheOgImage()
    {
        var html = await app.Client().GetStringAsync("/pap/stories/e-panaderia-di-ana-na-cucuta", Ct);
        var article = Assert.Single(JsonLdBlocks(html), j => j.GetProperty("@type").GetString() == "Article");
        Assert.Equal("pap", article.GetProperty("inLanguage").GetString());
        Assert.Equal("Un Paso Mas Serka", article.GetProperty("publisher").GetProperty("name").GetString());
        Assert.StartsWith("E panaderia di Ana", article.GetProperty("headline").GetString(), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(article.GetProperty("datePublished").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        var og = Assert.Single(Html.Meta(html, "og:image"));
        Assert.Matches("^http://localhost/pap/kit/\\d+/link-[0-9a-f]{12}\\.png$", og);
        Assert.Equal(og, article.GetProperty("image").GetString());
    }

    [Theory]
    [InlineData("en", "stories/ana-s-bakery-in-cucuta")]
    [InlineData("pap", "stories/e-panaderia-di-ana-na-cucuta")]
    public async Task StoryKit_OffersThreeImages_InTheirSizes_CachedForAYear(string lang, string page)
    {
        var html = await app.Client().GetStringAsync($"/{lang}/{page}", Ct);
        var links = KitLinks(html);
        Assert.Equal(3, links.Count);
        var expected = new Dictionary<string, (int, int)> { ["feed"] = (1080, 1080), ["status"] = (1080, 1920), ["link"] = (1200, 630) };
        foreach (var link in links)
        {
            var response = await app.Client().GetAsync(link, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("immutable", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
            var etag = response.Headers.ETag!;
            var format = Regex.Match(link, "/(feed|status|link)-").Groups[1].Value;
            Assert.Equal(expected[format], PngSize(await response.Content.ReadAsByteArrayAsync(Ct)));

            using var again = new HttpRequestMessage(HttpMethod.Get, link);
            again.Headers.IfNoneMatch.Add(etag);
            Assert.Equal(HttpStatusCode.NotModified, (await app.Client().SendAsync(again, Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task FactsPage_OffersEachFactsKit_AndImagesDifferBetweenFacts()
    {
        var html = await app.Client().GetStringAsync("/pt/facts", Ct);
        var links = KitLinks(html);
        Assert.Equal(24, links.Count);
        var feeds = links.Where(l => l.Contains("/feed-", StringComparison.Ordinal)).Take(2).ToList();
        var first = await app.Client().GetByteArrayAsync(feeds[0], Ct);
        var second = await app.Client().GetByteArrayAsync(feeds[1], Ct);
        Assert.Equal((1080, 1080), PngSize(first));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task KitImage_AtAnOldVersion_RedirectsToTheCurrentOne_AndUnknownOnesAre404()
    {
        var html = await app.Client().GetStringAsync("/en/stories/ana-s-bakery-in-cucuta", Ct);
        var link = KitLinks(html).First(l => l.Contains("/status-", StringComparison.Ordinal));
        var old = Regex.Replace(link, "-[0-9a-f]{12}\\.png$", "-000000000000.png");
        var response = await app.Client().GetAsync(old, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(link, response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync(link.Replace("/status-", "/banner-", StringComparison.Ordinal), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/en/kit/999999/feed-000000000000.png", Ct)).StatusCode);
    }

    [Fact]
    public async Task KitImages_DrawTheMarkSavedInTheBackOffice_AndGetANewAddressWhenItChanges()
    {
        const string story = "/en/stories/ana-s-bakery-in-cucuta";
        var before = KitLinks(await app.Client().GetStringAsync(story, Ct)).First(l => l.Contains("/feed-", StringComparison.Ordinal));
        var builtIn = await app.Client().GetByteArrayAsync(before, Ct);
        var admin = await app.SignedInClientAsync(R.Admin);
        // A plain green disc: nothing of the built-in mark (white tile, orange arch, two teal figures) is green.
        const string green = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><circle cx=\"5\" cy=\"5\" r=\"5\" fill=\"#00a000\"/></svg>";
        try
        {
            Assert.Equal(HttpStatusCode.Redirect, (await SaveIdentityAsync(admin, green)).StatusCode);
            var after = KitLinks(await app.Client().GetStringAsync(story, Ct)).First(l => l.Contains("/feed-", StringComparison.Ordinal));
            Assert.NotEqual(before, after);
            var saved = await app.Client().GetByteArrayAsync(after, Ct);
            Assert.NotEqual(builtIn, saved);
            // The mark sits top left: a tile of 96 px at a margin of 1080/14 px; its centre is the disc's.
            Assert.True(IsGreen(MarkCentre(saved)), $"The kit image's mark is {MarkCentre(saved)}, not the saved green disc.");
            Assert.False(IsGreen(MarkCentre(builtIn)));
            // The old address still finds the current image.
            var old = await app.Client().GetAsync(before, Ct);
            Assert.Equal(HttpStatusCode.Redirect, old.StatusCode);
            Assert.Equal(after, old.Headers.Location!.OriginalString);
        }
        finally
        {
            Assert.Equal(HttpStatusCode.Redirect, (await SaveIdentityAsync(admin, "")).StatusCode);
        }
        Assert.Equal(before, KitLinks(await app.Client().GetStringAsync(story, Ct)).First(l => l.Contains("/feed-", StringComparison.Ordinal)));

        static SkiaSharp.SKColor MarkCentre(byte[] png)
        {
            using var bitmap = SkiaSharp.SKBitmap.Decode(png);
            var centre = (int)(1080 / 14f + 48);
            return bitmap.GetPixel(centre, centre);
        }
        static bool IsGreen(SkiaSharp.SKColor c) => c.Green > 120 && c.Red < 60 && c.Blue < 60;
    }

    /// <summary>Saves the campaign identity with today's names and <paramref name="mark"/> (empty: the built-in mark), as an admin does.</summary>
    private static async Task<HttpResponseMessage> SaveIdentityAsync(HttpClient admin, string mark)
    {
        const string page = "/admin/content/identity";
        var fields = new Dictionary<string, string>
        {
            ["NameEn"] = "One Step Closer", ["NameEs"] = "Acortemos Distancias", ["NamePt"] = "Reduzindo a Distância", ["NamePap"] = "Un Paso Mas Serka",
            ["MarkSvg"] = mark, ["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(admin, page),
        };
        return await admin.PostAsync(page, new FormUrlEncodedContent(fields), Ct);
    }

    [Fact]
    public async Task BriefingKit_HoldsTheKitOfEveryStoryAndFact()
    {
        using var zip = new ZipArchive(await app.Client().GetStreamAsync("/es/press/briefing-kit.zip", Ct));
        var kit = zip.Entries.Where(e => e.FullName.StartsWith("kit/", StringComparison.Ordinal)).ToList();
        Assert.Equal((6 + 8) * 3, kit.Count);
        var feed = kit.First(e => e.FullName.EndsWith("-feed.png", StringComparison.Ordinal));
        using var stream = feed.Open();
        using var ms = new MemoryStream();
        await stream.CopyToAsync(ms, Ct);
        Assert.Equal((1080, 1080), PngSize(ms.ToArray()));
        Assert.Contains(kit, e => e.FullName == "kit/la-panaderia-de-ana-en-cucuta-status.png");
    }

    [Theory]
    [InlineData("en", "One Step Closer", "Source")]
    [InlineData("es", "Acortemos Distancias", "Fuente")]
    [InlineData("pt", "Reduzindo a Distância", "Fonte")]
    [InlineData("pap", "Un Paso Mas Serka", "Fuente")]
    public async Task BriefingKit_HoldsAPdfFactSheet_InItsLanguage_ListingEveryFactWithSourceAndDate(string lang, string campaign, string source)
    {
        using var zip = new ZipArchive(await app.Client().GetStreamAsync($"/{lang}/press/briefing-kit.zip", Ct));
        var entry = zip.GetEntry($"fact-sheet-{lang}.pdf");
        Assert.NotNull(entry);
        using var ms = new MemoryStream();
        await using (var s = entry.Open())
        {
            await s.CopyToAsync(ms, Ct);
        }
        var bytes = ms.ToArray();
        Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(bytes);
        Assert.InRange(pdf.NumberOfPages, 1, 20);
        Assert.StartsWith(campaign + " — ", pdf.Information.Title, StringComparison.Ordinal);
        var text = string.Join(" ", pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
        Assert.Equal(8, Regex.Count(text, $"{source}:"));
        var facts = await app.Client().GetStringAsync($"/{lang}/facts", Ct);
        var myths = JsonLdBlocks(facts).Where(j => j.GetProperty("@type").GetString() == "ClaimReview").Select(j => j.GetProperty("claimReviewed").GetString()!).ToList();
        Assert.Equal(8, myths.Count);
        // Words of every myth appear in the sheet (the sheet wraps lines, so compare word by word).
        Assert.All(myths, m => Assert.Contains(m.Split(' ')[0], text, StringComparison.Ordinal));
        Assert.Contains("R4V via dnoticias.pt", text, StringComparison.Ordinal);
        Assert.Contains("2024", text, StringComparison.Ordinal);
    }

    [GeneratedRegex("<script type=\"application/ld\\+json\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex JsonLdPattern();
}

public sealed class CampaignKitSqlite(CampaignSqliteApp app) : CampaignKitSuite<CampaignSqliteApp>(app);
public sealed class CampaignKitPostgres(CampaignPostgresApp app) : CampaignKitSuite<CampaignPostgresApp>(app);
