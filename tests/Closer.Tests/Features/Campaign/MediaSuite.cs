using System.Net;
using System.Net.Http.Headers;
using System.Text;
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

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] bytes, string name, string contentType)
    {
        var token = await AppFixture.AntiforgeryTokenAsync(client, "/admin/media");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
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
        Assert.Equal([320, 600], asset.Renditions.Select(r => r.Width).Order());

        foreach (var width in new[] { 320, 600 })
        {
            var served = await app.Client().GetAsync($"/media/{asset.Id}/{width}.jpg", Ct);
            Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
            Assert.Contains("immutable", served.Headers.CacheControl?.ToString());
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
}

public sealed class MediaSqlite(CampaignSqliteApp app) : MediaSuite<CampaignSqliteApp>(app);
public sealed class MediaPostgres(CampaignPostgresApp app) : MediaSuite<CampaignPostgresApp>(app);
