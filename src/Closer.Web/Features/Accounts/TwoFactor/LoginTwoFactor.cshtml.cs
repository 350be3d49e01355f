using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Accounts.TwoFactor;

/// <summary>The second step of sign-in: the authenticator app's code, or one recovery code.</summary>
[AllowAnonymous]
public sealed class LoginTwoFactorModel(SignInManager<AppUser> signIn, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public string? ErrorMessage { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToLogin() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return RedirectToLogin();
        }
        var code = new string((Code ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray());
        if (code.Length == 0)
        {
            ErrorMessage = t["Enter the code from your authenticator app or a recovery code."];
            return Page();
        }
        var result = code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/admin/");
        }
        ErrorMessage = result.IsLockedOut
            ? t["Too many wrong codes. Try again in a few minutes."]
            : t["That code is not right. Enter the six digits your app shows now, or a recovery code."];
        return Page();
    }

    private RedirectResult RedirectToLogin() =>
        Redirect("/account/login" + (Url.IsLocalUrl(ReturnUrl) ? "?returnUrl=" + Uri.EscapeDataString(ReturnUrl) : ""));
}
