using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace Closer.Web.Infrastructure.Security;

/// <summary>
/// Signed, non-expiring link tokens (e.g. one-click unsubscribe): a few fields protected with the data-protection keys
/// every node shares, URL-safe. Nobody can forge or alter one; a damaged or foreign token reads as null.
/// </summary>
public static class SignedTokens
{
    public static string Create(IDataProtector protector, params string[] fields) =>
        WebEncoders.Base64UrlEncode(protector.Protect(Encoding.UTF8.GetBytes(string.Join('|', fields))));

    /// <summary>The fields of a token made by <see cref="Create"/> with the same protector, or null.</summary>
    public static string[]? Read(IDataProtector protector, string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 2000)
        {
            return null;
        }
        try
        {
            return Encoding.UTF8.GetString(protector.Unprotect(WebEncoders.Base64UrlDecode(token))).Split('|');
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
