using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Closer.BrowserTests;

/// <summary>axe-core scans at WCAG 2.2 AA: every public page type in all four languages, and the back office.</summary>
[Collection(BrowserGroup.Name)]
public sealed class AccessibilityTests(BrowserFixture browser)
{
    internal static readonly AxeRunOptions Wcag22AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    };

    public static TheoryData<string> PublicPages()
    {
        var data = new TheoryData<string>();
        foreach (var lang in new[] { "en", "es", "pt", "pap" })
        {
            data.Add($"/{lang}/");
            data.Add($"/{lang}/no-such-page");
            data.Add($"/{lang}/documents");
            data.Add($"/{lang}/documents?q=integracion");
            data.Add($"/{lang}/documents/1");
            foreach (var page in new[] { "stories", "facts", "videos", "countries", "countries/COL", "press", "pledge", "search?q=migracion", "forum", "data", "data/downloads" })
            {
                data.Add($"/{lang}/{page}");
            }
        }
        data.Add("/account/login");
        data.Add("/account/forgot-password");
        data.Add("/account/login?lang=pap");
        data.Add("/api/docs");
        return data;
    }

    internal static async Task AssertNoViolationsAsync(IPage page, string path)
    {
        var result = await page.RunAxe(Wcag22AA);
        var violations = result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html).Take(3))}").ToList();
        Assert.True(violations.Count == 0, $"{path}:\n" + string.Join("\n", violations));
    }

    [Theory]
    [MemberData(nameof(PublicPages))]
    public async Task PublicPage_HasNoWcag22AAViolations(string path)
    {
        var options = BrowserFixture.Phone();
        options.BypassCSP = true; // axe is injected as a script; the app's CSP rightly forbids that
        var (page, _) = await browser.OpenAsync(options);
        await page.GotoAsync(path);
        await AssertNoViolationsAsync(page, path);
        await page.Context.CloseAsync();
    }

    /// <summary>Detail pages reached the way a reader reaches them: the first link of each list.</summary>
    [Theory]
    [InlineData("en", "stories", "/stories/")]
    [InlineData("pap", "stories", "/stories/")]
    [InlineData("es", "press", "/press/")]
    [InlineData("pt", "forum", "/forum/spaces/")]
    [InlineData("es", "forum", "/forum/spaces/")]
    public async Task DetailPage_HasNoWcag22AAViolations(string lang, string list, string linkPart)
    {
        var options = BrowserFixture.Phone();
        options.BypassCSP = true;
        var (page, _) = await browser.OpenAsync(options);
        await page.GotoAsync($"/{lang}/{list}");
        var href = await page.Locator($"main a[href*='{linkPart}']:not([href$='.zip'])").First.GetAttributeAsync("href");
        Assert.False(string.IsNullOrEmpty(href), $"no link to {linkPart} on /{lang}/{list}");
        await page.GotoAsync(href!);
        await AssertNoViolationsAsync(page, href!);
        if (linkPart == "/forum/spaces/")
        {
            var thread = await page.Locator("main a[href*='/forum/threads/']").First.GetAttributeAsync("href");
            Assert.False(string.IsNullOrEmpty(thread));
            await page.GotoAsync(thread!);
            await AssertNoViolationsAsync(page, thread!);
        }
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("/admin/")]
    [InlineData("/admin/organisations")]
    [InlineData("/admin/organisations/FPUENTE")]
    [InlineData("/admin/tokens")]
    [InlineData("/admin/documents")]
    [InlineData("/admin/documents/1")]
    [InlineData("/admin/content")]
    [InlineData("/admin/content/missing")]
    [InlineData("/admin/content/analytics")]
    [InlineData("/admin/media")]
    [InlineData("/admin/countries")]
    [InlineData("/admin/countries/COL")]
    [InlineData("/admin/plan")]
    [InlineData("/admin/reporting")]
    [InlineData("/admin/review")]
    [InlineData("/admin/status")]
    [InlineData("/admin/audit")]
    [InlineData("/admin/dashboards")]
    [InlineData("/admin/forum/queue")]
    [InlineData("/admin/forum/spaces")]
    [InlineData("/admin/forum/log")]
    [InlineData("/account/subscriptions")]
    public async Task BackOfficePage_HasNoWcag22AAViolations(string path)
    {
        var options = BrowserFixture.Desktop();
        options.BypassCSP = true;
        var (page, _) = await browser.OpenAsync(options);
        await browser.SignInAsync(page);
        await page.GotoAsync(path);
        await AssertNoViolationsAsync(page, path);
        await page.Context.CloseAsync();
    }
}
