using Microsoft.Playwright;

namespace Closer.BrowserTests;

[Collection(BrowserGroup.Name)]
public sealed class JourneyTests(BrowserFixture browser)
{
    public static TheoryData<string> Viewports => new() { "phone", "desktop" };

    private static BrowserNewContextOptions Options(string viewport, string locale) =>
        viewport == "phone" ? BrowserFixture.Phone(locale) : BrowserFixture.Desktop(locale);

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task Reader_LandsInTheirLanguage_AndSwitchesLanguage(string viewport)
    {
        var (page, problems) = await browser.OpenAsync(Options(viewport, "es-CO"));
        await page.GotoAsync("/");
        Assert.EndsWith("/es/", page.Url);
        Assert.Equal("es", await page.GetAttributeAsync("html", "lang"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Papiamentu" }).ClickAsync();
        await page.WaitForURLAsync("**/pap/");
        Assert.Equal("pap", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Un paso mas serka", await page.Locator("h1").InnerTextAsync());
        Assert.Empty(problems);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reader_WithJavaScriptOff_ReadsAndSwitchesLanguage()
    {
        var options = BrowserFixture.Phone("pt-BR");
        options.JavaScriptEnabled = false;
        var (page, _) = await browser.OpenAsync(options);
        await page.GotoAsync("/");
        Assert.EndsWith("/pt/", page.Url);
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await page.WaitForURLAsync("**/en/");
        Assert.Equal("One step closer", await page.Locator("h1").InnerTextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Page_FitsA360PxScreen_WithoutHorizontalScroll()
    {
        var (page, _) = await browser.OpenAsync(BrowserFixture.Phone());
        foreach (var path in new[] { "/en/", "/pap/", "/account/login" })
        {
            await page.GotoAsync(path);
            var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= 360, $"{path} is {scrollWidth}px wide on a 360px screen");
        }
        await page.Context.CloseAsync();
    }

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task Staff_SignsIn_AndReachesTheBackOffice(string viewport)
    {
        var (page, problems) = await browser.OpenAsync(Options(viewport, "en"));
        await browser.SignInAsync(page);
        Assert.Contains(browser.App.AdminEmail, await page.Locator("main").InnerTextAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Organisations" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/organisations");
        Assert.True(await page.Locator("table tbody tr").CountAsync() >= 30);
        Assert.Empty(problems);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SkipLink_IsTheFirstTabStop_AndMovesFocusToMain()
    {
        var (page, _) = await browser.OpenAsync(BrowserFixture.Desktop());
        await page.GotoAsync("/en/");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("document.activeElement.textContent.trim()"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Context.CloseAsync();
    }
}
