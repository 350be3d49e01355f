using System.Text;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Accounts;

[AllowAnonymous]
public sealed class ResetPasswordModel(UserManager<AppUser> users, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Email { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string Code { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    public bool Done { get; private set; }
    public List<string> Errors { get; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = string.IsNullOrWhiteSpace(Email) ? null : await users.FindByEmailAsync(Email);
        string? token = null;
        try
        {
            token = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(Code ?? ""));
        }
        catch (FormatException)
        {
        }
        if (user is null || token is null)
        {
            Errors.Add(t["This link is not valid or has expired. Ask for a new one."]);
            return Page();
        }
        var result = await users.ResetPasswordAsync(user, token, Password ?? "");
        if (result.Succeeded)
        {
            // A reset also ends a lockout: the owner of the mailbox has proved who they are.
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
            Done = true;
            return Page();
        }
        foreach (var e in result.Errors)
        {
            Errors.Add(e.Code == "InvalidToken"
                ? t["This link is not valid or has expired. Ask for a new one."]
                : e.Code.StartsWith("Password", StringComparison.Ordinal)
                    ? t["The password must have at least 12 characters."]
                    : t["The password could not be changed."]);
        }
        return Page();
    }
}
