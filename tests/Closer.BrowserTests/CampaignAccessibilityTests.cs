using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Closer.BrowserTests;

/// <summary>
/// axe-core at WCAG 2.2 AA on a 360 px phone, in all four languages, over the campaign pages the general scan does not
/// reach: the press room (media contacts, briefing kit), a story with its campaign kit, every campaign country page, and
/// the supporter pages a pledge's e-mail leads to (confirm and unsubscribe: the form, done, and a link no longer valid).
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed partial class CampaignAccessibilityTests(BrowserFixture browser)
{
    private static readonly string[] Languages = ["en", "es", "pt", "pap"];

    private async Task<IPage> PhoneAsync(string lang)
    {
        var options = BrowserFixture.Phone(lang);
        options.BypassCSP = true; // axe is injected as a script; the app's CSP rightly forbids that
        return (await browser.OpenAsync(options)).Page;
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("pt")]
    [InlineData("pap")]
    public async Task PressRoom_StoryKit_AndEveryCountryPage_HaveNoViolations(string lang)
    {
        var page = await PhoneAsync(lang);
        await page.GotoAsync($"/{lang}/press");
        Assert.True(await page.Locator(".press-contacts > li").CountAsync() > 0);
        await AccessibilityTests.AssertNoViolationsAsync(page, $"/{lang}/press");

        await page.GotoAsync($"/{lang}/stories");
        var story = await page.Locator($"main a[href^='/{lang}/stories/']").First.GetAttributeAsync("href");
        Assert.False(string.IsNullOrEmpty(story));
        await page.GotoAsync(story!);
        Assert.Equal(3, await page.Locator(".campaign-kit a[download]").CountAsync());
        await AccessibilityTests.AssertNoViolationsAsync(page, story!);

        await page.GotoAsync($"/{lang}/countries");
        var countries = (await page.Locator($"main a[href^='/{lang}/countries/']").EvaluateAllAsync<string[]>("as => as.map(a => a.getAttribute('href'))"))
            .Distinct(StringComparer.Ordinal).ToList();
        Assert.Equal(25, countries.Count);
        foreach (var country in countries)
        {
            await page.GotoAsync(country);
            await AccessibilityTests.AssertNoViolationsAsync(page, country);
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ConfirmAndUnsubscribePages_HaveNoViolations_InEveryState()
    {
        // A pledge with an e-mail address and consent: the message brings a confirm and an unsubscribe link.
        var email = $"supporter-{Guid.NewGuid():N}@browser.test";
        var page = await PhoneAsync("en");
        await page.GotoAsync("/en/pledge");
        await page.Locator("#country").SelectOptionAsync("COL");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("input[name=EmailConsent]").CheckAsync();
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.Locator("p[role=status]").WaitForAsync();
        var (confirm, unsubscribe) = await LinksAsync(browser.App.MailDirectory, email);

        foreach (var lang in Languages)
        {
            await page.GotoAsync($"/{lang}/pledge/confirm?token={confirm}");
            Assert.Equal(1, await page.Locator("main form button").CountAsync());
            await AccessibilityTests.AssertNoViolationsAsync(page, $"/{lang}/pledge/confirm (form)");
            await page.GotoAsync($"/{lang}/pledge/unsubscribe?token={unsubscribe}");
            Assert.Equal(1, await page.Locator("main form button").CountAsync());
            await AccessibilityTests.AssertNoViolationsAsync(page, $"/{lang}/pledge/unsubscribe (form)");
            await page.GotoAsync($"/{lang}/pledge/confirm?token=not-a-token");
            await page.Locator("p[role=alert]").WaitForAsync();
            await AccessibilityTests.AssertNoViolationsAsync(page, $"/{lang}/pledge/confirm (not valid)");
            await page.GotoAsync($"/{lang}/pledge/unsubscribe?token=not-a-token");
            await page.Locator("p[role=alert]").WaitForAsync();
            await AccessibilityTests.AssertNoViolationsAsync(page, $"/{lang}/pledge/unsubscribe (not valid)");
        }

        await page.GotoAsync($"/pap/pledge/confirm?token={confirm}");
        await page.Locator("main form button").ClickAsync();
        await page.Locator("p[role=status]").WaitForAsync();
        await AccessibilityTests.AssertNoViolationsAsync(page, "/pap/pledge/confirm (done)");
        await page.GotoAsync($"/es/pledge/unsubscribe?token={unsubscribe}");
        await page.Locator("main form button").ClickAsync();
        await page.Locator("p[role=status]").WaitForAsync();
        await AccessibilityTests.AssertNoViolationsAsync(page, "/es/pledge/unsubscribe (done)");
        await page.Context.CloseAsync();
    }

    /// <summary>Waits for the supporter's message (the outbox sends in the background); returns its two tokens, still escaped.</summary>
    private static async Task<(string Confirm, string Unsubscribe)> LinksAsync(string mailDirectory, string email)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            if (Directory.Exists(mailDirectory))
            {
                foreach (var file in Directory.EnumerateFiles(mailDirectory, "*.eml"))
                {
                    var raw = await File.ReadAllTextAsync(file);
                    var text = raw.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=\n", "", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
                    if (text.Contains(email, StringComparison.OrdinalIgnoreCase)
                        && ConfirmLink().Match(text) is { Success: true } c && UnsubscribeLink().Match(text) is { Success: true } u)
                    {
                        return (c.Groups[1].Value, u.Groups[1].Value);
                    }
                }
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"No confirmation e-mail to {email} within 60 s.");
    }

    [GeneratedRegex(@"/pledge/confirm\?token=([A-Za-z0-9%_\-\.~]+)")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex(@"/pledge/unsubscribe\?token=([A-Za-z0-9%_\-\.~]+)")]
    private static partial Regex UnsubscribeLink();
}
