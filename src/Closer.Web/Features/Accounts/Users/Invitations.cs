using Closer.Web.Features.Notifications;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Email;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Accounts.Users;

public sealed class InvitationTokenProviderOptions : DataProtectionTokenProviderOptions
{
    public InvitationTokenProviderOptions()
    {
        Name = InvitationTokenProvider.ProviderName;
        TokenLifespan = TimeSpan.FromDays(7);
    }
}

/// <summary>
/// Invitation links: protected with the shared data-protection keys and bound to the person's security stamp, so a link
/// works once (setting the password changes the stamp), stops working when a new invitation is sent (so does resending)
/// and expires after <c>Security:InvitationDays</c> (7).
/// </summary>
public sealed class InvitationTokenProvider(IDataProtectionProvider dataProtection, IOptions<InvitationTokenProviderOptions> options,
    ILogger<DataProtectorTokenProvider<AppUser>> logger) : DataProtectorTokenProvider<AppUser>(dataProtection, options, logger)
{
    public const string ProviderName = "Invitation";
    public const string Purpose = "invitation";
}

/// <summary>Writes invitation e-mails (through the outbox, in the caller's unit of work) with links on the public address.</summary>
public sealed class InvitationMail(UserManager<AppUser> users, CloserDbContext db, StringTable strings, TimeProvider time, IConfiguration configuration)
{
    // A counted phrase (one/other forms per language); the code that checks used strings finds it here.
    private const string DaysKey = "To choose your password and open your account, follow this link (it works once, for {0} days):";

    public static int Days(IConfiguration configuration) => configuration.GetValue("Security:InvitationDays", 7);

    /// <summary>Adds the invitation message for <paramref name="user"/> (whose security stamp is already the new one).</summary>
    public async Task EnqueueAsync(AppUser user, string? invitedBy)
    {
        var code = await users.GenerateUserTokenAsync(user, InvitationTokenProvider.ProviderName, InvitationTokenProvider.Purpose);
        var link = $"{PublicSite.BaseUrl(configuration)}/account/invitation?id={Uri.EscapeDataString(user.Id)}&code={Uri.EscapeDataString(code)}&lang={user.PreferredLanguage}";
        var language = user.PreferredLanguage;
        string S(string key) => strings.Lookup(key, language).Value;
        var days = Days(configuration);
        var text = $"{string.Format(Languages.Culture(language), S("{0} invited you to Closer, the platform where partners of the response for refugees and migrants coordinate their work."), invitedBy ?? "Closer")}\n\n"
            + $"{string.Format(Languages.Culture(language), strings.LookupPlural(DaysKey, days, language)?.Value ?? DaysKey, days)}\n{link}\n\n"
            + $"{S("If you did not expect this invitation, ignore this message: no account is opened without you.")}\n";
        db.Enqueue(new EmailMessage(user.Email!, S("You are invited to Closer"), text), time);
    }
}
