using Closer.Web.Features.Accounts.TwoFactor;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Closer.BrowserTests;

/// <summary>An administrator on a phone, on an installation that requires a second factor for their role.</summary>
[Collection(BrowserGroup.Name)]
public sealed class TwoFactorJourneyTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_IsSentToSetUp_ScansOrTypesTheKey_ThenSignsInWithTheCode()
    {
        await using var app = await AppProcess.StartAsync(new() { ["Security__TwoFactor__RequiredRoles"] = "PlatformAdmin,CountryCoordinator" });
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Phone(), app);
        await SignInWithPasswordAsync(page, app.AdminEmail, app.AdminPassword);
        await page.WaitForURLAsync("**/account/two-factor?returnUrl=*", new() { Timeout = 90_000 });

        foreach (var lang in new[] { "en", "es", "pt", "pap" })
        {
            await page.GotoAsync($"/account/two-factor?returnUrl=%2Fadmin%2F&lang={lang}");
            Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 360, $"{lang}: wider than 360 px");
            var axe = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
            Assert.True(axe.Violations.Length == 0, string.Join("\n", axe.Violations.Select(v => $"{lang} {v.Id}: {v.Help}")));
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "closer-shots", $"two-factor-360-{lang}.png"), FullPage = true });
        }

        await page.GotoAsync("/account/two-factor?returnUrl=%2Fadmin%2F");
        Assert.True(await page.Locator("svg.qr[role=img]").IsVisibleAsync());
        var key = await page.Locator("code.totp-key").InnerTextAsync();
        await page.GetByLabel("The six-digit code your app shows").FillAsync(CodeAt(key, 0));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }).ClickAsync();
        Assert.Equal(10, await page.Locator("ul.recovery-codes li").CountAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/");

        // A new session: password, then the code of the next step (the one just used is spent).
        var (second, _) = await browser.OpenAsync(BrowserFixture.Phone(), app);
        await SignInWithPasswordAsync(second, app.AdminEmail, app.AdminPassword);
        await second.WaitForURLAsync("**/account/login-2fa*", new() { Timeout = 90_000, WaitUntil = WaitUntilState.Commit });
        await second.GetByLabel("Code").FillAsync(CodeAt(key, 1));
        await second.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await second.WaitForURLAsync("**/admin/", new() { Timeout = 90_000 });
        Assert.Empty(problems);
    }

    private static string CodeAt(string readableKey, int stepsAhead)
    {
        Assert.True(Base32.TryDecode(readableKey, out var secret));
        return Totp.Code(secret, Totp.CurrentStep(TimeProvider.System.GetUtcNow()) + stepsAhead);
    }

    private static async Task SignInWithPasswordAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
