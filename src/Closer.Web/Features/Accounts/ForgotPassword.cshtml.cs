using System.Text;
using Closer.Web.Features.Notifications;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Email;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Closer.Web.Features.Accounts;

[AllowAnonymous]
public sealed class ForgotPasswordModel(UserManager<AppUser> users, CloserDbContext db, TimeProvider time, StringTable strings, IConfiguration configuration) : PageModel
{
    [BindProperty]
    public string Email { get; set; } = "";

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = string.IsNullOrWhiteSpace(Email) ? null : await users.FindByEmailAsync(Email.Trim());
        if (user?.Email is not null)
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
            // Never the request's Host: a client writes that header, and the link would carry the code to its site.
            var link = $"{PublicSite.BaseUrl(configuration)}/account/reset-password?email={Uri.EscapeDataString(user.Email)}&code={code}&lang={user.PreferredLanguage}";
            string S(string key) => strings.Lookup(key, user.PreferredLanguage).Value;
            var text = $"{S("Someone asked to reset the password of your Closer account.")}\n\n"
                + $"{S("To choose a new password, open this link (it works once, for two hours):")}\n{link}\n\n"
                + $"{S("If you did not ask for this, ignore this message: your password stays the same.")}\n";
            // Through the outbox: sent by the background worker, retried if SMTP is down, never lost.
            db.Enqueue(new EmailMessage(user.Email, S("Reset your Closer password"), text), time);
            await db.SaveChangesAsync(ct);
        }
        // The same answer whether or not the account exists.
        Sent = true;
        return Page();
    }
}
