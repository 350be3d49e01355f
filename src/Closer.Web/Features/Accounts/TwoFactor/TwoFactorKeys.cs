namespace Closer.Web.Features.Accounts.TwoFactor;

/// <summary>How an authenticator key is shown to a person and handed to their app.</summary>
public static class TwoFactorKeys
{
    /// <summary>Groups of four, lower case: easier to type into an app than one 32-letter run.</summary>
    public static string Readable(string key) =>
        string.Join(' ', key.ToLowerInvariant().Chunk(4).Select(c => new string(c)));

    /// <summary>The key URI format authenticator apps read from the QR code.</summary>
    public static string Uri(string issuer, string account, string key) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(issuer)}:{System.Uri.EscapeDataString(account)}"
        + $"?secret={key}&issuer={System.Uri.EscapeDataString(issuer)}&digits=6";
}
