using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Accounts;

[AllowAnonymous]
public sealed class LoginModel(SignInManager<AppUser> signIn, IStringLocalizer<SharedResource> t) : PageModel
{
    public sealed class InputModel
    {
        public string Email { get; set; } = "";
        public string Password { get; set; } = "";
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? ErrorMessage { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Input.Email) || string.IsNullOrEmpty(Input.Password))
        {
            ErrorMessage = t["Enter your e-mail and password."];
            return Page();
        }
        var user = await signIn.UserManager.FindByEmailAsync(Input.Email.Trim());
        if (user is not null)
        {
            var result = await signIn.PasswordSignInAsync(user, Input.Password, isPersistent: false, lockoutOnFailure: true);
            if (result.Succeeded)
            {
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/admin/");
            }
            if (result.RequiresTwoFactor)
            {
                var back = Url.IsLocalUrl(ReturnUrl) ? "?returnUrl=" + Uri.EscapeDataString(ReturnUrl) : "";
                return Redirect(TwoFactor.TwoFactorSetup.SignInPath + back);
            }
            if (result.IsLockedOut)
            {
                ErrorMessage = t["This account is locked after too many failed attempts. Try again later or reset your password."];
                return Page();
            }
        }
        // The same answer whether or not the account exists.
        ErrorMessage = t["The e-mail or password is not correct."];
        return Page();
    }
}
