using Microsoft.Playwright;

namespace Closer.BrowserTests;

/// <summary>
/// Issue 20's dashboards on a 360 px phone: axe-core (WCAG 2.2 AA) on the data pages a coordinator uses — a country with its
/// admin1 map, an area chosen, the gap view, a situation report, saved views and the partner dashboard — and the partner
/// dashboard in four languages without sideways scrolling. CLOSER_SCREENSHOT_DIR keeps the screenshots.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class DashboardsAt360PxTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("/en/data?country=COL", false)]
    [InlineData("/en/data?country=COL&admin1=CO05", false)]
    [InlineData("/en/data/gaps", false)]
    [InlineData("situation", false)]
    [InlineData("/en/data/views", true)]
    [InlineData("/admin/dashboards", true)]
    [InlineData("/admin/dashboards?country=COL", true)]
    public async Task DataPage_At360Px_HasNoWcag22AAViolations(string path, bool signedIn)
    {
        var options = BrowserFixture.Phone();
        options.BypassCSP = true; // axe is injected as a script; the app's CSP rightly forbids that
        var (page, _) = await browser.OpenAsync(options);
        if (signedIn)
        {
            await browser.SignInAsync(page);
        }
        if (path == "situation")
        {
            // A published report of Colombia, reached as a reader reaches it: from the index of reports.
            await page.GotoAsync("/en/data/situation?scope=COL");
            path = (await page.Locator("main a[href^='/en/data/situation/COL/']").First.GetAttributeAsync("href"))!;
        }
        await page.GotoAsync(path);
        await AccessibilityTests.AssertNoViolationsAsync(page, path + " at 360 px");
        // The chart tools open: their links, citation and embed field are scanned too.
        foreach (var summary in await page.Locator("main details.dash-tools > summary").AllAsync())
        {
            await summary.ClickAsync();
        }
        await AccessibilityTests.AssertNoViolationsAsync(page, path + " at 360 px, chart tools open");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("pt")]
    [InlineData("pap")]
    public async Task PartnerDashboard_FitsA360PxScreen_InFourLanguages(string lang)
    {
        // Signed in on the English sign-in page; the dashboard then in the language asked for (?lang=, as a person's own choice).
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Phone());
        await browser.SignInAsync(page);
        foreach (var query in new[] { "", "country=COL&rows=Admin1&cols=Month" })
        {
            var path = $"/admin/dashboards?{query}{(query.Length > 0 ? "&" : "")}lang={lang}";
            await page.GotoAsync(path);
            await Assertions.Expect(page.Locator("main h1")).ToBeVisibleAsync();
            await DataPagesTests.ScreenshotAsync(page, $"partner-dashboard-{lang}{(query.Length > 0 ? "-country" : "")}-360.png");
            await DataPagesTests.FitsAsync(page, path);
            // An open "download or cite" block fits too.
            await page.Locator("main details.dash-tools > summary").First.ClickAsync();
            await DataPagesTests.FitsAsync(page, path + " (chart tools open)");
        }
        Assert.Empty(problems);
        await page.Context.CloseAsync();
    }
}
