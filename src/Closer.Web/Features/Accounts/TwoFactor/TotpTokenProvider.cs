using System.Buffers.Binary;
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
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

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
        var now = CurrentStep(clock.GetUtcNow());
        // One step either side for phones whose clocks drift.
        for (var step = now - 1; step <= now + 1; step++)
        {
            if (step > last && CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.ASCII.GetBytes(Code(secret, step)), System.Text.Encoding.ASCII.GetBytes(code)))
            {
                await manager.SetAuthenticationTokenAsync(user, StoreName, LastStepToken, step.ToString(CultureInfo.InvariantCulture));
                return true;
            }
        }
        return false;
    }

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<AppUser> manager, AppUser user) =>
        Task.FromResult(user.TwoFactorEnabled);

    public static long CurrentStep(DateTimeOffset now) => now.ToUnixTimeSeconds() / (long)Step.TotalSeconds;

    /// <summary>The six-digit code of one time step (RFC 4226 dynamic truncation).</summary>
    public static string Code(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // RFC 6238 authenticator apps use HMAC-SHA1; its use here is not a collision-resistance need.
        HMACSHA1.HashData(secret, counter, hash);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7fffffff) % 1_000_000;
        return binary.ToString("D6", CultureInfo.InvariantCulture);
    }
}

/// <summary>RFC 4648 base32, the alphabet authenticator apps read keys in.</summary>
public static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static bool TryDecode(string text, out byte[] bytes)
    {
        var output = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            if (c is '=' or ' ' or '-')
            {
                continue;
            }
            var value = Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (value < 0)
            {
                bytes = [];
                return false;
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }
        bytes = [.. output];
        return bytes.Length > 0;
    }
}
