using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Accounts;

[AllowAnonymous]
public sealed class LoginModel(SignInManager<AppUser> signIn, SignInThrottle throttle, IStringLocalizer<SharedResource> t) : PageModel
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

    /// <summary>A wrong password and a locked account answer alike, so the answer says how to end a lockout.</summary>
    public bool ShowLockoutHint { get; private set; }

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
        var email = Input.Email.Trim();
        var client = SecuritySetup.ClientKey(HttpContext);
        if (throttle.IsThrottled(client, email))
        {
            // Before any check of the password: what this client guesses now changes nothing, not even the lockout.
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            ErrorMessage = t["Too many failed attempts from here for this address. Try again later, or reset your password."];
            return Page();
        }
        var users = signIn.UserManager;
        var user = await users.FindByEmailAsync(email);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            // The same hash work as a real check, so an unknown or a locked account answers in the same time as a
            // wrong password; Identity skips the hash in both cases.
            users.PasswordHasher.VerifyHashedPassword(user ?? new AppUser(), user?.PasswordHash ?? UnknownAccountHash(users), Input.Password);
        }
        else
        {
            var result = await signIn.PasswordSignInAsync(user, Input.Password, isPersistent: false, lockoutOnFailure: true);
            if (result.Succeeded)
            {
                throttle.Clear(client, email);
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/admin/");
            }
            if (result.RequiresTwoFactor)
            {
                // The password was right: the second step has its own lockout.
                throttle.Clear(client, email);
                var back = Url.IsLocalUrl(ReturnUrl) ? "?returnUrl=" + Uri.EscapeDataString(ReturnUrl) : "";
                return Redirect(TwoFactor.TwoFactorSetup.SignInPath + back);
            }
        }
        throttle.RecordFailure(client, email);
        // The same answer whether the account exists, the password is wrong or the account is locked.
        ErrorMessage = t["The e-mail or password is not correct."];
        ShowLockoutHint = true;
        return Page();
    }

    private static string? _unknownAccountHash;

    /// <summary>A hash of a random password made once by the configured hasher, checked when there is no account.</summary>
    private static string UnknownAccountHash(UserManager<AppUser> users) =>
        _unknownAccountHash ??= users.PasswordHasher.HashPassword(new AppUser(), Guid.NewGuid().ToString("N"));
}
