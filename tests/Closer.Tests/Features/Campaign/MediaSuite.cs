using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace Closer.Tests.Features.Campaign;

/// <summary>The media library: type sniffed, size capped, EXIF (and GPS) stripped, orientation kept, responsive widths.</summary>
public abstract class MediaSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => Html.Ct;
    private const string GpsMarker = "GPS-SECRET-10.4806N-66.9036W";

    /// <summary>An 800×600 JPEG carrying an EXIF block: orientation 6 (rotate 90°) and a recognisable location string.</summary>
    private static byte[] JpegWithExif()
    {
        using var bitmap = new SKBitmap(800, 600);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.OrangeRed);
        }
        using var image = SKImage.FromBitmap(bitmap);
        var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray();
        var tiff = new List<byte>();
        tiff.AddRange("MM\0*"u8.ToArray());
        tiff.AddRange([0, 0, 0, 8]);               // first IFD at offset 8
        tiff.AddRange([0, 1]);                     // one entry
        tiff.AddRange([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]); // Orientation = 6
        tiff.AddRange([0, 0, 0, 0]);               // no next IFD
        tiff.AddRange(Encoding.ASCII.GetBytes(GpsMarker));
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var length = payload.Length + 2;
        var app1 = new byte[] { 0xFF, 0xE1, (byte)(length >> 8), (byte)(length & 0xFF) }.Concat(payload);
        return jpeg.Take(2).Concat(app1).Concat(jpeg.Skip(2)).ToArray();
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] bytes, string name, string contentType, string? regions = null)
    {
        var token = await AppFixture.AntiforgeryTokenAsync(client, "/admin/media");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        if (regions is not null)
        {
            form.Add(new StringContent(regions), "regions");
            form.Add(new StringContent("Pixelate"), "mode");
        }
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "File", name);
        return await client.PostAsync("/admin/media", form, Ct);
    }

    private async Task<int> MediaCountAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CloserDbContext>().CampaignMedia.CountAsync(Ct);
    }

    [Fact]
    public async Task UploadedJpeg_IsStoredUpright_AtResponsiveWidths_WithoutExif()
    {
        var original = JpegWithExif();
        Assert.Contains(GpsMarker, Encoding.ASCII.GetString(original));
        var editor = await app.SignedInClientAsync(R.Editor);
        var response = await UploadAsync(editor, original, "maria.jpg", "image/jpeg");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Uploaded.", await response.Content.ReadAsStringAsync(Ct));

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var asset = await db.CampaignMedia.AsNoTracking().Include(a => a.Renditions).OrderByDescending(a => a.Id).FirstAsync(Ct);
        // Orientation 6 turned the 800×600 picture upright (600×800) before the tag was dropped.
        Assert.Equal((600, 800), (asset.Width, asset.Height));
        // Each width as JPEG (the fallback) and WebP.
        Assert.Equal([320, 600], asset.Renditions.Where(r => r.Format == "jpeg").Select(r => r.Width).Order());
        Assert.Equal([320, 600], asset.Renditions.Where(r => r.Format == "webp").Select(r => r.Width).Order());

        foreach (var (width, ext, type) in new[] { (320, "jpg", "image/jpeg"), (600, "jpg", "image/jpeg"), (320, "webp", "image/webp"), (600, "webp", "image/webp") })
        {
            var served = await app.Client().GetAsync($"/media/{asset.Id}/{width}.{ext}", Ct);
            Assert.Equal(type, served.Content.Headers.ContentType?.MediaType);
            // A day, no longer "immutable": an editor may still blur a face in a picture already published.
            Assert.Equal("public, max-age=86400", served.Headers.CacheControl?.ToString());
            var bytes = await served.Content.ReadAsByteArrayAsync(Ct);
            var text = Encoding.ASCII.GetString(bytes);
            Assert.DoesNotContain("Exif", text);
            Assert.DoesNotContain(GpsMarker, text);
            using var decoded = SKBitmap.Decode(bytes);
            Assert.Equal(width, decoded.Width);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync($"/media/{asset.Id}/999.jpg", Ct)).StatusCode);
    }

    [Fact]
    public async Task FileThatIsNotAnImage_IsRefused_WhateverItsNameAndType()
    {
        var editor = await app.SignedInClientAsync(R.Editor);
        var before = await MediaCountAsync();
        var response = await UploadAsync(editor, Encoding.UTF8.GetBytes("<?php echo 'not a picture'; ?>"), "photo.jpg", "image/jpeg");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Only JPEG, PNG and WebP images are accepted.", await response.Content.ReadAsStringAsync(Ct));
        var broken = await UploadAsync(editor, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4], "broken.png", "image/png");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, broken.StatusCode);
        Assert.Equal(before, await MediaCountAsync());
    }

    [Fact]
    public async Task TooLargeFile_IsRefused()
    {
        var editor = await app.SignedInClientAsync(R.Editor);
        var before = await MediaCountAsync();
        var big = JpegWithExif().Concat(new byte[400_000]).ToArray();
        var response = await UploadAsync(editor, big, "big.jpg", "image/jpeg");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("The file is too large.", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(before, await MediaCountAsync());
    }

    [Fact]
    public async Task Translator_MayBrowseButNotUpload()
    {
        var translator = await app.SignedInClientAsync(R.Translator);
        Assert.Equal(HttpStatusCode.OK, (await translator.GetAsync("/admin/media", Ct)).StatusCode);
        var editor = await app.SignedInClientAsync(R.Editor);
        // A translator sees no upload form; they take their own antiforgery token from a draft they may edit.
        var create = await editor.PostAsync("/admin/content", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Kind"] = "Story", ["Language"] = "en", ["Title"] = "Draft " + Guid.NewGuid().ToString("N")[..6],
            ["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(editor, "/admin/content"),
        }), Ct);
        var draftPage = create.Headers.Location!.OriginalString;
        var token = await AppFixture.AntiforgeryTokenAsync(translator, draftPage);
        using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { new ByteArrayContent(JpegWithExif()), "File", "x.jpg" } };
        var before = await MediaCountAsync();
        var response = await translator.PostAsync("/admin/media", form, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/denied", response.Headers.Location!.OriginalString);
        Assert.Equal(before, await MediaCountAsync());
    }

    [Fact]
    public async Task StoryPhotoFromTheLibrary_IsServedWithSrcset()
    {
        var editor = await app.SignedInClientAsync(R.Editor);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(editor, JpegWithExif(), "ana.jpg", "image/jpeg")).StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var assetId = await db.CampaignMedia.MaxAsync(a => a.Id, Ct);
        var story = await db.CampaignItems.FirstAsync(i => i.Translations.Any(t => t.Slug == "de-pacaraima-a-manaos"), Ct);
        story.PhotoPath = $"/media/{assetId}";
        await db.SaveChangesAsync(Ct);

        var html = await app.Client().GetStringAsync("/es/stories/de-pacaraima-a-manaos", Ct);
        Assert.Contains($"srcset=\"/media/{assetId}/320.jpg 320w, /media/{assetId}/600.jpg 600w\"", html);
        Assert.Contains("alt=\"Un hombre, con el rostro difuminado, repara un teléfono en un puesto de mercado.\"", html);
        Assert.Contains("class=\"campaign-blurred\"", html);
    }

    /// <summary>A 1000×500 PNG of a 16 px checkerboard with gradients: any averaging shows, and no two neighbours match.</summary>
    private static SKBitmap Pattern()
    {
        var bitmap = new SKBitmap(1000, 500);
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var on = ((x / 16) + (y / 16)) % 2 == 0;
                bitmap.SetPixel(x, y, on ? new SKColor(250, 250, (byte)(x % 256)) : new SKColor(10, (byte)(y % 200), 20));
            }
        }
        return bitmap;
    }

    private static byte[] Png(SKBitmap bitmap)
    {
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    /// <summary>Mean absolute difference per channel between the stored rendition and the original scaled the same way, inside a rectangle.</summary>
    private static double Difference(SKBitmap original, SKBitmap stored, SKRectI rect)
    {
        using var scaled = original.Resize(new SKImageInfo(stored.Width, stored.Height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        double sum = 0;
        var n = 0;
        for (var y = rect.Top; y < rect.Bottom; y++)
        {
            for (var x = rect.Left; x < rect.Right; x++)
            {
                var (a, b) = (scaled.GetPixel(x, y), stored.GetPixel(x, y));
                sum += Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue);
                n += 3;
            }
        }
        return sum / n;
    }

    private async Task AssertRegionUnrecognisableAsync(int assetId, SKBitmap original)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var renditions = await scope.ServiceProvider.GetRequiredService<CloserDbContext>().CampaignMediaRenditions.AsNoTracking()
            .Where(r => r.AssetId == assetId).ToListAsync(Ct);
        Assert.Equal(6, renditions.Count); // 320, 640, 1000 px; JPEG and WebP
        foreach (var r in renditions)
        {
            using var stored = SKBitmap.Decode(r.Bytes);
            var f = stored.Width / 1000.0;
            // The region 400,100 200×200 of the full picture; a margin of 2 px keeps the comparison off its edge.
            var inside = SKRectI.Create((int)(402 * f), (int)(102 * f), (int)(196 * f), (int)(196 * f));
            var outside = SKRectI.Create((int)(40 * f), (int)(100 * f), (int)(200 * f), (int)(200 * f));
            var changed = Difference(original, stored, inside);
            var kept = Difference(original, stored, outside);
            Assert.True(changed > 40, $"{r.Width} {r.Format}: the region differs from the original by only {changed:F1} per channel.");
            Assert.True(kept < 20, $"{r.Width} {r.Format}: outside the region the picture changed by {kept:F1} per channel.");
        }
    }

    [Fact]
    public async Task RegionsMarkedAtUpload_ArePixelatedInEverySize_BeforeAnythingIsStored()
    {
        using var original = Pattern();
        var editor = await app.SignedInClientAsync(R.Editor);
        var response = await UploadAsync(editor, Png(original), "faces.png", "image/png", "400, 100, 200, 200");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<CloserDbContext>().CampaignMedia.MaxAsync(a => a.Id, Ct);
        await AssertRegionUnrecognisableAsync(id, original);
    }

    [Fact]
    public async Task RegionsMarkedLater_AreBlurredInEveryStoredSize_AndBadRegionsChangeNothing()
    {
        using var original = Pattern();
        var editor = await app.SignedInClientAsync(R.Editor);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(editor, Png(original), "plate.png", "image/png")).StatusCode);
        int id;
        byte[] before;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            id = await db.CampaignMedia.MaxAsync(a => a.Id, Ct);
            before = await db.CampaignMediaRenditions.Where(r => r.AssetId == id && r.Width == 640 && r.Format == "jpeg").Select(r => r.Bytes).SingleAsync(Ct);
        }
        async Task<HttpResponseMessage> AnonymiseAsync(string regions) =>
            await editor.PostAsync("/admin/media?handler=Anonymise", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["regions"] = regions, ["mode"] = "Blur",
                ["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(editor, "/admin/media"),
            }), Ct);

        var outside = await AnonymiseAsync("900, 400, 200, 200");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, outside.StatusCode);
        Assert.Contains("A region lies outside the picture.", await outside.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await AnonymiseAsync("400, 100, two, 200")).StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var unchanged = await scope.ServiceProvider.GetRequiredService<CloserDbContext>().CampaignMediaRenditions
                .Where(r => r.AssetId == id && r.Width == 640 && r.Format == "jpeg").Select(r => r.Bytes).SingleAsync(Ct);
            Assert.Equal(before, unchanged);
        }

        var done = await AnonymiseAsync("400, 100, 200, 200");
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("The marked regions are now unrecognisable in every size.", await done.Content.ReadAsStringAsync(Ct));
        await AssertRegionUnrecognisableAsync(id, original);

        var translator = await app.SignedInClientAsync(R.Translator);
        var token = await AppFixture.AntiforgeryTokenAsync(translator, "/admin/media");
        var denied = await translator.PostAsync("/admin/media?handler=Anonymise", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["regions"] = "0, 0, 10, 10", ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);
    }

    [Fact]
    public async Task DemoStories_HaveIllustrations_AsPictureWithWebpAndJpeg()
    {
        var html = await app.Client().GetStringAsync("/pap/", Ct);
        Assert.Contains("<picture>", html);
        Assert.Matches("<source type=\"image/webp\" srcset=\"/media/\\d+/320.webp 320w, /media/\\d+/640.webp 640w, /media/\\d+/1024.webp 1024w\"", html);
        Assert.Matches("width=\"640\" height=\"427\"", html);
        Assert.Contains("loading=\"lazy\"", html);
        Assert.Contains("Un Paso Mas Serka", html);
        // Another story than the one StoryPhotoFromTheLibrary changes behind the output cache's back.
        var story = await app.Client().GetStringAsync("/es/stories/aprendiendo-papiamento-en-willemstad", Ct);
        Assert.Contains("href=\"/es/pledge\"", story[story.IndexOf("campaign-end", StringComparison.Ordinal)..]);
        // Plain share links carrying the title and the address (no script from the networks).
        Assert.Contains("https://wa.me/?text=Aprendiendo%20papiamento%20en%20Willemstad%20http", story);
        Assert.Contains("https://t.me/share/url?url=http", story);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("pt")]
    [InlineData("pap")]
    public async Task FactCards_HavePicturesOnTheFactsPage_NotOnTheHome(string lang)
    {
        var facts = await app.Client().GetStringAsync($"/{lang}/facts", Ct);
        var cards = Regex.Matches(facts, "<li class=\"campaign-fact\"[\\s\\S]*?</li>\\s*(?=<li class=\"campaign-fact\"|</ul>)").Select(m => m.Value).ToList();
        Assert.True(cards.Count >= 3, $"{cards.Count} fact cards");
        foreach (var (card, i) in cards.Select((c, i) => (c, i)))
        {
            // WebP with a JPEG fallback in the sizes the server made, sized for the card, with width and height set.
            Assert.Matches("<source type=\"image/webp\" srcset=\"/media/\\d+/320.webp 320w, [^\"]+\" sizes=\"\\(min-width: 60rem\\) 19rem", card);
            Assert.Matches("<img src=\"/media/\\d+/\\d+.jpg\" srcset=\"/media/\\d+/320.jpg 320w, [^\"]+\"", card);
            Assert.Matches("width=\"\\d+\" height=\"\\d+\"", card);
            Assert.Matches("alt=\"[^\"]{10,}\"", card);
            Assert.Contains(i == 0 ? "loading=\"eager\"" : "loading=\"lazy\"", card);
        }
        // The home's first view keeps its budget: its fact cards carry no picture.
        var home = await app.Client().GetStringAsync($"/{lang}/", Ct);
        var homeFacts = home[home.IndexOf("campaign-facts", StringComparison.Ordinal)..];
        Assert.DoesNotContain("<picture>", homeFacts[..homeFacts.IndexOf("</ul>", StringComparison.Ordinal)]);
    }
}

public sealed class MediaSqlite(CampaignSqliteApp app) : MediaSuite<CampaignSqliteApp>(app);
public sealed class MediaPostgres(CampaignPostgresApp app) : MediaSuite<CampaignPostgresApp>(app);
