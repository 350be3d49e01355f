using Microsoft.Playwright;

namespace Closer.BrowserTests;

/// <summary>The users and roles pages on a 360 px phone in the four languages: nothing wider than the screen.</summary>
[Collection(BrowserGroup.Name)]
public sealed class UsersPageTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("pt")]
    [InlineData("pap")]
    public async Task UsersPages_FitA360PxPhone_InEveryLanguage(string language)
    {
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Phone());
        await browser.SignInAsync(page);
        foreach (var (name, path) in new[] { ("list", "/admin/users"), ("invite", "/admin/users/invite") })
        {
            var response = await page.GotoAsync($"{path}?lang={language}");
            Assert.Equal(200, response!.Status);
            Assert.Equal(language, await page.Locator("html").GetAttributeAsync("lang"));
            // Tables scroll inside their own box; the page itself never scrolls sideways.
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 360, $"{path} in {language} is {width} px wide");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"closer-users-{name}-{language}.png"), FullPage = true });
        }
        Assert.Empty(problems);
        await page.Context.CloseAsync();
    }
}
