using Microsoft.Playwright;

namespace Closer.BrowserTests;

/// <summary>
/// On a 360 px phone: the press room's contacts fit the screen in every language (no sideways scroll, numbers and
/// addresses wrap), and a story's share block works — "Copy link" copies, the kit's images are there.
/// Set CLOSER_SCREENSHOT_DIR to keep the screenshots (docs/screenshots/ holds the ones in the repo).
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class SharingAndPressTests(BrowserFixture browser)
{
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("CLOSER_SCREENSHOT_DIR") is { Length: > 0 } dir)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name), FullPage = true });
        }
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("pt")]
    [InlineData("pap")]
    public async Task PressRoom_FitsA360PxScreen_InEachLanguage(string lang)
    {
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Phone(lang));
        await page.GotoAsync($"/{lang}/press");
        Assert.Equal(17, await page.Locator(".press-contacts > li").CountAsync());
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360, "The press room scrolls sideways at 360 px.");
        Assert.True(await page.EvaluateAsync<int>("() => document.body.scrollWidth") <= 360);
        // Every phone number and address ends inside the screen.
        var rights = await page.EvaluateAsync<double[]>("() => [...document.querySelectorAll('.press-contacts a')].map(a => a.getBoundingClientRect().right)");
        Assert.Equal(17 * 2, rights.Length);
        Assert.All(rights, r => Assert.True(r <= 360, $"A contact link ends at {r} px."));
        await ScreenshotAsync(page, $"press-{lang}-360.png");
        Assert.Empty(problems);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task StoryShareBlock_CopiesTheLink_AndOffersTheKit_At360Px()
    {
        var options = BrowserFixture.Phone("en");
        var (page, problems) = await browser.OpenAsync(options);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var requests = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        await page.GotoAsync("/en/stories/ana-s-bakery-in-cucuta");
        var block = page.Locator(".campaign-share-block");
        foreach (var name in new[] { "WhatsApp", "Telegram", "Facebook", "X", "E-mail", "Copy link" })
        {
            Assert.Equal(1, await block.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).CountAsync());
        }
        await block.GetByRole(AriaRole.Link, new() { Name = "Copy link", Exact = true }).ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('.share-status').textContent === 'Link copied.'");
        Assert.EndsWith("/en/stories/ana-s-bakery-in-cucuta?ref=link", await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"), StringComparison.Ordinal);
        Assert.EndsWith("/en/stories/ana-s-bakery-in-cucuta", page.Url, StringComparison.Ordinal);
        Assert.Equal(3, await page.Locator(".campaign-kit a[download]").CountAsync());
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360);
        var origin = new Uri(browser.App.BaseAddress.ToString()).Authority;
        Assert.All(requests, u => Assert.Equal(origin, new Uri(u).Authority));
        await page.Locator(".campaign-end").ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(page, "story-share-en-360.png");
        Assert.Empty(problems);
        await page.Context.CloseAsync();
    }
}
