using System.Security.Claims;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Accounts.TwoFactor;

/// <summary>
/// Two-factor sign-in with an authenticator app. Roles named in <c>Security:TwoFactor:RequiredRoles</c>
/// (PlatformAdmin and CountryCoordinator unless configured otherwise) cannot use the back office or the API with
/// their cookie until they have set it up: they are sent to the set-up page first.
/// </summary>
public static class TwoFactorSetup
{
    public const string SetupPath = "/account/two-factor";
    public const string SignInPath = "/account/login-2fa";
    public const int RecoveryCodeCount = 10;

    public static IdentityBuilder AddCloserTwoFactor(this IdentityBuilder identity, IConfiguration configuration)
    {
        identity.AddTokenProvider<TotpTokenProvider>(TotpTokenProvider.Name);
        identity.Services.Configure<IdentityOptions>(o => o.Tokens.AuthenticatorTokenProvider = TotpTokenProvider.Name);
        identity.Services.AddSingleton(new TwoFactorPolicy(RequiredRolesOf(configuration)));
        return identity;
    }

    /// <summary>Comma-separated in configuration, so a deployment (or the demo) can narrow it to nothing.</summary>
    public static IReadOnlyList<string> RequiredRolesOf(IConfiguration configuration) =>
        (configuration["Security:TwoFactor:RequiredRoles"] ?? $"{Roles.PlatformAdmin},{Roles.CountryCoordinator}")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Roles.Normalize).OfType<string>().ToList();

    /// <summary>Sends a signed-in person whose role needs a second factor, and who has none, to set one up.</summary>
    public static IApplicationBuilder UseTwoFactorRequirement(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var policy = context.RequestServices.GetRequiredService<TwoFactorPolicy>();
        var endpoint = context.GetEndpoint();
        var guarded = endpoint?.Metadata.GetMetadata<IAuthorizeData>() is not null
            && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;
        if (!guarded || !policy.IsMissing(context.User) || context.Request.Path.StartsWithSegments("/account", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            var t = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                title: t["Two-factor sign-in is required for your role. Set it up first."],
                detail: SetupPath).ExecuteAsync(context);
            return;
        }
        var back = context.Request.Path + context.Request.QueryString;
        context.Response.Redirect($"{SetupPath}?returnUrl={Uri.EscapeDataString(back)}");
    });
}

/// <summary>Which roles must sign in with a second factor.</summary>
public sealed class TwoFactorPolicy(IReadOnlyList<string> requiredRoles)
{
    public IReadOnlyList<string> RequiredRoles { get; } = requiredRoles;

    public bool IsRequiredFor(IEnumerable<string> roles) => roles.Any(r => RequiredRoles.Contains(r, StringComparer.Ordinal));

    /// <summary>A cookie session of a role that needs the second factor, for an account that has none. API tokens are
    /// their own credential and are not asked.</summary>
    public bool IsMissing(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
        && !user.HasClaim(c => c.Type == CloserClaims.Token)
        && !user.HasClaim(CloserClaims.TwoFactor, "on")
        && RequiredRoles.Any(user.IsInRole);
}
