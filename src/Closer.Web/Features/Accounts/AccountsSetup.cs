using System.Globalization;
using System.Security.Claims;
using Closer.Web.Features.Accounts.TwoFactor;
using Closer.Web.Features.Accounts.Users;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Accounts;

public static class AccountsSetup
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddIdentity<AppUser, IdentityRole>(o =>
            {
                // Long passphrases over composition rules (NIST SP 800-63B).
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                // Above the per-client throttle (SignInThrottle): one stranger's guesses are stopped before they lock the account.
                o.Lockout.MaxFailedAccessAttempts = configuration.GetValue("Security:Lockout:MaxFailedAttempts", 10);
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(configuration.GetValue("Security:Lockout:Minutes", 15));
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<CloserDbContext>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<Users.InvitationTokenProvider>(Users.InvitationTokenProvider.ProviderName)
            .AddSignInManager<CloserSignInManager>()
            .AddClaimsPrincipalFactory<CloserClaimsPrincipalFactory>()
            .AddCloserTwoFactor(configuration);
        services.AddUserAdministration(configuration);

        // Password-reset links are single-use (the security stamp changes on reset) and expire.
        services.Configure<DataProtectionTokenProviderOptions>(o =>
            o.TokenLifespan = TimeSpan.FromMinutes(configuration.GetValue("Security:PasswordResetMinutes", 120)));

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = ".Closer.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/denied";
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.Events.OnValidatePrincipal = AccountSessions.ValidateCookieAsync;
            o.Events.OnRedirectToLogin = async ctx =>
            {
                // A back-office form posted after the session ended keeps what was typed across the sign-in (issue 16).
                if (!ctx.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && await KeptForms.KeepAsync(ctx) is { } login)
                {
                    ctx.Response.Redirect(login);
                    return;
                }
                await ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
            };
            o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden);
        });
        services.AddSingleton<SignInThrottle>();
        return services;
    }

    /// <summary>The API answers 401/403 as problem details; pages redirect to sign-in.</summary>
    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>Adds organisation, countries and preferred language to the principal, so scope checks need no query.</summary>
public sealed class CloserClaimsPrincipalFactory(
    UserManager<AppUser> userManager, IOptions<IdentityOptions> options, CloserDbContext db)
    : UserClaimsPrincipalFactory<AppUser>(userManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        // The roles by name only: Closer keeps no role claims, so the role-aware base class's two look-ups per role
        // (on every API call, which builds its principal here) would find nothing.
        foreach (var role in await UserManager.GetRolesAsync(user))
        {
            identity.AddClaim(new Claim(Options.ClaimsIdentity.RoleClaimType, role));
        }
        if (user.OrganisationId is { } org)
        {
            identity.AddClaim(new Claim(CloserClaims.Organisation, org.ToString(CultureInfo.InvariantCulture)));
        }
        var countries = await db.UserCountryScopes.AsNoTracking()
            .Where(c => c.UserId == user.Id).Select(c => c.CountryIso3).ToListAsync();
        foreach (var iso3 in countries)
        {
            identity.AddClaim(new Claim(CloserClaims.Country, iso3));
        }
        identity.AddClaim(new Claim(LanguageExtensions.ClaimType, user.PreferredLanguage));
        if (user.TwoFactorEnabled)
        {
            identity.AddClaim(new Claim(CloserClaims.TwoFactor, "on"));
        }
        if (!string.IsNullOrEmpty(user.DisplayName))
        {
            identity.AddClaim(new Claim("name", user.DisplayName));
        }
        return identity;
    }
}
