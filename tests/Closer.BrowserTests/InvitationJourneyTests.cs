using System.Text;
using System.Text.RegularExpressions;
using Closer.Web.Features.Accounts.TwoFactor;
using Microsoft.Playwright;

namespace Closer.BrowserTests;

/// <summary>
/// A new colleague's whole way in and out, as people do it: an administrator invites a focal point, the focal point
/// opens the e-mail, sets a password and a second factor, signs in and reports; the administrator deactivates them
/// and the session still open on the focal point's phone ends on its next request.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed partial class InvitationJourneyTests(BrowserFixture browser)
{
    [Fact]
    public async Task Invited_FocalPoint_SetsPasswordAndSecondFactor_Reports_AndIsSignedOutWhenDeactivated()
    {
        var app = browser.App;
        var email = $"invited-{Guid.NewGuid():N}@browser.test";
        const string password = "an invited colleague's passphrase";

        // The administrator invites a focal point of FPUENTE for Colombia.
        var (admin, adminProblems) = await browser.OpenAsync(BrowserFixture.Desktop());
        await browser.SignInAsync(admin);
        await admin.GotoAsync("/admin/users/invite");
        await admin.Locator("#name").FillAsync("Marisol Invitada");
        await admin.Locator("#email").FillAsync(email);
        await admin.GetByLabel("Organisation focal point").CheckAsync();
        await admin.Locator("#organisation").SelectOptionAsync("FPUENTE");
        await admin.Locator("input[name=Countries][value=COL]").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();
        await admin.WaitForLoadStateAsync();
        Assert.Equal(0, await admin.Locator("[role=alert]").CountAsync());

        // The e-mail lands in the pickup folder; the focal point opens its link on a phone.
        var link = await InvitationLinkAsync(app.MailDirectory, email);
        var (phone, problems) = await browser.OpenAsync(BrowserFixture.Phone());
        await phone.GotoAsync(link.PathAndQuery);
        await phone.GetByLabel("New password (at least 12 characters)").FillAsync(password);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Set my password" }).ClickAsync();
        await phone.Locator("[role=status]").WaitForAsync();

        // Signs in and turns on the second factor (optional for focal points, chosen here).
        await BrowserFixture.SignInAsync(phone, email, password);
        await phone.GotoAsync("/account/two-factor");
        var key = await phone.Locator("code.totp-key").InnerTextAsync();
        await phone.GetByLabel("The six-digit code your app shows").FillAsync(CodeAt(key, 0));
        await phone.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }).ClickAsync();
        Assert.Equal(10, await phone.Locator("ul.recovery-codes li").CountAsync());
        await phone.Context.CloseAsync();

        // A fresh session: password, then the next code.
        var (field, fieldProblems) = await browser.OpenAsync(BrowserFixture.Phone());
        await field.GotoAsync("/account/login");
        await field.GetByLabel("E-mail").FillAsync(email);
        await field.GetByLabel("Password").FillAsync(password);
        await field.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await field.WaitForURLAsync("**/account/login-2fa*", new() { Timeout = 90_000 });
        await field.GetByLabel("Code").FillAsync(CodeAt(key, 1));
        await field.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await field.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal), new() { Timeout = 90_000 });

        // Reports a month's activity.
        await field.GotoAsync("/admin/reporting");
        await field.Locator("#new-country").SelectOptionAsync("COL");
        // The last area and the second indicator: other journeys on the same installation report the first of each.
        await field.Locator("#new-admin1").SelectOptionAsync((await field.Locator("#new-admin1 option").Last.GetAttributeAsync("value"))!);
        await field.Locator("#new-indicator").SelectOptionAsync((await field.Locator("#new-indicator option").Nth(2).GetAttributeAsync("value"))!);
        await field.GetByLabel("Women", new() { Exact = true }).Last.FillAsync("7");
        await field.GetByLabel("Men", new() { Exact = true }).Last.FillAsync("5");
        await field.GetByRole(AriaRole.Button, new() { Name = "Save and submit for review" }).ClickAsync();
        await field.WaitForLoadStateAsync();
        var alerts = field.Locator("[role=alert]");
        Assert.True(await alerts.CountAsync() == 0, await alerts.CountAsync() > 0 ? await alerts.First.InnerTextAsync() : "");
        Assert.True(await field.Locator("[role=status]").CountAsync() > 0);

        // The administrator deactivates the account.
        await admin.GotoAsync("/admin/users?organisation=FPUENTE&role=OrgFocalPoint&status=active");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Marisol Invitada" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
        await admin.WaitForLoadStateAsync();
        Assert.Equal(0, await admin.Locator("[role=alert]").CountAsync());
        Assert.Equal(1, await admin.GetByRole(AriaRole.Button, new() { Name = "Reactivate" }).CountAsync());

        // The session still open on the phone ends on its very next request, and the password no longer opens one.
        await field.GotoAsync("/admin/reporting");
        Assert.Contains("/account/login", field.Url, StringComparison.Ordinal);
        await field.GetByLabel("E-mail").FillAsync(email);
        await field.GetByLabel("Password").FillAsync(password);
        await field.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await field.WaitForLoadStateAsync();
        Assert.Contains("/account/login", field.Url, StringComparison.Ordinal);
        Assert.True(await field.Locator("[role=alert]").CountAsync() > 0);

        Assert.Empty(adminProblems);
        Assert.Empty(problems);
        Assert.Empty(fieldProblems);
        await admin.Context.CloseAsync();
        await field.Context.CloseAsync();
    }

    /// <summary>Waits for the invitation to the address (the outbox sends in the background) and returns its link.</summary>
    private static async Task<Uri> InvitationLinkAsync(string mailDirectory, string email)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            if (Directory.Exists(mailDirectory))
            {
                foreach (var file in Directory.EnumerateFiles(mailDirectory, "*.eml"))
                {
                    var raw = await File.ReadAllTextAsync(file);
                    var text = raw.Contains("quoted-printable", StringComparison.OrdinalIgnoreCase) ? QuotedPrintable(raw) : raw;
                    if (text.Contains(email, StringComparison.OrdinalIgnoreCase) && InvitationLink().Match(text) is { Success: true } m)
                    {
                        return new Uri(m.Value);
                    }
                }
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"No invitation e-mail to {email} within 60 s.");
    }

    /// <summary>Undoes quoted-printable soft breaks and escapes, enough to read a link out of a text part.</summary>
    private static string QuotedPrintable(string raw)
    {
        var joined = raw.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=\n", "", StringComparison.Ordinal);
        var bytes = new List<byte>(joined.Length);
        for (var i = 0; i < joined.Length; i++)
        {
            if (joined[i] == '=' && i + 2 < joined.Length && Uri.IsHexDigit(joined[i + 1]) && Uri.IsHexDigit(joined[i + 2]))
            {
                bytes.Add(Convert.ToByte(joined.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(joined[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static string CodeAt(string readableKey, int stepsAhead)
    {
        Assert.True(Base32.TryDecode(readableKey, out var secret));
        return Totp.Code(secret, Totp.CurrentStep(TimeProvider.System.GetUtcNow()) + stepsAhead);
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/account/invitation\?[^\s""<>]+")]
    private static partial Regex InvitationLink();
}
