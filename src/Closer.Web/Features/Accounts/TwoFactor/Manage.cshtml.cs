using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Accounts.TwoFactor;

/// <summary>Set up, review and turn off sign-in with an authenticator app; recovery codes are shown once.</summary>
[Authorize]
public sealed class ManageModel(
    UserManager<AppUser> users, SignInManager<AppUser> signIn, TwoFactorPolicy policy,
    IStringLocalizer<SharedResource> t, ILogger<ManageModel> log) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public bool Enabled { get; private set; }
    public bool Required { get; private set; }
    public string? ReadableKey { get; private set; }
    public string? QrCode { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public IReadOnlyList<string> NewRecoveryCodes { get; private set; } = [];
    public string? Error { get; private set; }
    public string? Message { get; private set; }

    public string ContinueUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/admin/";

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        if (!user.TwoFactorEnabled)
        {
            if (string.IsNullOrWhiteSpace(Code)
                || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Code))
            {
                Error = t["That code is not right. Enter the six digits your app shows now."];
                await LoadAsync(user);
                return Page();
            }
            await users.SetTwoFactorEnabledAsync(user, true);
            NewRecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, TwoFactorSetup.RecoveryCodeCount) ?? []];
            log.LogInformation("Two-factor sign-in turned on for user {UserId}", user.Id);
            // The security stamp changed: this session carries on with the new one, every other session ends.
            await signIn.RefreshSignInAsync(user);
            Message = t["Two-factor sign-in is on."];
        }
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        if (user.TwoFactorEnabled)
        {
            NewRecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, TwoFactorSetup.RecoveryCodeCount) ?? []];
            log.LogInformation("New recovery codes made for user {UserId}", user.Id);
            Message = t["New recovery codes are below; the old ones no longer work."];
        }
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        var required = policy.IsRequiredFor(await users.GetRolesAsync(user));
        if (required)
        {
            Error = t["Your role needs two-factor sign-in, so it cannot be turned off."];
        }
        else if (user.TwoFactorEnabled)
        {
            await users.SetTwoFactorEnabledAsync(user, false);
            // A new key, so a phone that still holds the old one can never be used again.
            await users.ResetAuthenticatorKeyAsync(user);
            log.LogInformation("Two-factor sign-in turned off for user {UserId}", user.Id);
            await signIn.RefreshSignInAsync(user);
            Message = t["Two-factor sign-in is off."];
        }
        await LoadAsync(user, required);
        return Page();
    }

    private async Task LoadAsync(AppUser user, bool? required = null)
    {
        Enabled = user.TwoFactorEnabled;
        Required = required ?? policy.IsRequiredFor(await users.GetRolesAsync(user));
        if (Enabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return;
        }
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
            // A new key changes the security stamp, which every request checks: this session takes the new one.
            await signIn.RefreshSignInAsync(user);
        }
        ReadableKey = TwoFactorKeys.Readable(key!);
        var account = user.Email ?? user.UserName ?? user.Id;
        QrCode = QrSvg.Render(TwoFactorKeys.Uri("Closer", account, key!), t["QR code with the key for your authenticator app"]);
    }
}
