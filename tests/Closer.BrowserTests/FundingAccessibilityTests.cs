using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace Closer.BrowserTests;

/// <summary>axe-core scans at WCAG 2.2 AA of the funding pages: the public page in four languages on a phone, the back office on a desktop.</summary>
[Collection(BrowserGroup.Name)]
public sealed class FundingAccessibilityTests(BrowserFixture browser)
{
    private static readonly AxeRunOptions Wcag22AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    };

    [Theory]
    [InlineData("/en/data/funding")]
    [InlineData("/es/data/funding")]
    [InlineData("/pt/data/funding")]
    [InlineData("/pap/data/funding")]
    public async Task PublicFundingPage_HasNoWcag22AAViolations(string path)
    {
        var options = BrowserFixture.Phone();
        options.BypassCSP = true;
        var (page, _) = await browser.OpenAsync(options);
        await page.GotoAsync(path);
        var result = await page.RunAxe(Wcag22AA);
        Assert.True(result.Violations.Length == 0, path + ": " + string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help}")));
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("/admin/funding")]
    [InlineData("/admin/funding/edit/1")]
    [InlineData("/admin/funding/edit")]
    public async Task FundingBackOfficePage_HasNoWcag22AAViolations(string path)
    {
        var options = BrowserFixture.Desktop();
        options.BypassCSP = true;
        var (page, _) = await browser.OpenAsync(options);
        await browser.SignInAsync(page);
        await page.GotoAsync(path);
        var result = await page.RunAxe(Wcag22AA);
        Assert.True(result.Violations.Length == 0, path + ": " + string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help}")));
        await page.Context.CloseAsync();
    }
}
