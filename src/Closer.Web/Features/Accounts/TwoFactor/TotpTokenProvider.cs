using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Closer.Web.Features.Accounts.TwoFactor;

/// <summary>
/// Authenticator-app codes (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), as Identity's own provider, with two
/// differences: the clock is the app's <see cref="TimeProvider"/> (tests move it), and a code is accepted once — the
/// step it matched is stored on the user, so a code read over someone's shoulder cannot be replayed in its window.
/// </summary>
public sealed class TotpTokenProvider(TimeProvider clock) : IUserTwoFactorTokenProvider<AppUser>
{
    public const string Name = "CloserTotp";
    private const string StoreName = "Closer";
    private const string LastStepToken = "LastTotpStep";

    public Task<string> GenerateAsync(string purpose, UserManager<AppUser> manager, AppUser user) =>
        // Codes come from the person's app; the server never sends one.
        Task.FromResult("");

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<AppUser> manager, AppUser user)
    {
        var code = new string(token.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            return false;
        }
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key) || !Base32.TryDecode(key, out var secret))
        {
            return false;
        }
        var last = long.TryParse(await manager.GetAuthenticationTokenAsync(user, StoreName, LastStepToken),
            NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : long.MinValue;
        var now = Totp.CurrentStep(clock.GetUtcNow());
        // One step either side for phones whose clocks drift.
        for (var step = now - 1; step <= now + 1; step++)
        {
            if (step > last && CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.ASCII.GetBytes(Totp.Code(secret, step)), System.Text.Encoding.ASCII.GetBytes(code)))
            {
                await manager.SetAuthenticationTokenAsync(user, StoreName, LastStepToken, step.ToString(CultureInfo.InvariantCulture));
                return true;
            }
        }
        return false;
    }

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<AppUser> manager, AppUser user) =>
        Task.FromResult(user.TwoFactorEnabled);
}
