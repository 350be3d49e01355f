using Microsoft.Playwright;

namespace Closer.BrowserTests;

/// <summary>
/// The demo videos really play in Debian's Chromium on a phone: the reader presses play, the lightest rendition (H.264/AAC
/// from the app itself, nothing from another host) loads and time advances; nothing was fetched before the press.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class VideoPlaybackTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("en")]
    [InlineData("pap")]
    public async Task DemoVideo_PlaysFromTheApp_AfterThePress(string lang)
    {
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Phone(lang));
        var requests = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        await page.GotoAsync($"/{lang}/videos");
        var video = page.Locator("video[poster='/video/demo-spot/poster.jpg']");
        Assert.Equal("none", await video.GetAttributeAsync("preload"));
        Assert.DoesNotContain(requests, u => u.Contains(".mp4", StringComparison.Ordinal));

        // Muted so that no autoplay policy gets in the way of a script-driven press; the reader's own press needs none.
        await video.EvaluateAsync("v => { v.muted = true; return v.play(); }");
        await page.WaitForFunctionAsync(
            "() => { const v = document.querySelector(\"video[poster='/video/demo-spot/poster.jpg']\"); return v.readyState >= 2 && v.currentTime > 0.5; }",
            null, new PageWaitForFunctionOptions { Timeout = 90_000 });
        Assert.Equal("/video/demo-spot/240p.mp4", new Uri(await video.EvaluateAsync<string>("v => v.currentSrc")).AbsolutePath);
        Assert.True(await video.EvaluateAsync<int>("v => v.videoHeight") == 240);
        var origin = new Uri(browser.App.BaseAddress.ToString()).Authority;
        Assert.All(requests, u => Assert.Equal(origin, new Uri(u).Authority));
        Assert.Empty(problems);
        await page.Context.CloseAsync();
    }
}
