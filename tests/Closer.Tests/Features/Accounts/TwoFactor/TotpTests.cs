using System.Text;
using Closer.Web.Features.Accounts.TwoFactor;

namespace Closer.Tests.Features.Accounts.TwoFactor;

public sealed class TotpTests
{
    // RFC 6238 appendix B (SHA-1 secret "12345678901234567890"), last six of the eight digits given there.
    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1111111111L, "050471")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    public void Code_MatchesTheRfcVectors(long unixSeconds, string expected)
    {
        var secret = Encoding.ASCII.GetBytes("12345678901234567890");
        Assert.Equal(expected, Totp.Code(secret, Totp.CurrentStep(DateTimeOffset.FromUnixTimeSeconds(unixSeconds))));
    }

    [Fact]
    public void Base32_DecodesWhatAppsRead_AndRefusesOtherLetters()
    {
        Assert.True(Base32.TryDecode("gezd gnbv gy3t qojq", out var bytes));
        Assert.Equal("1234567890", Encoding.ASCII.GetString(bytes));
        Assert.False(Base32.TryDecode("GEZD1", out _));
    }

    [Fact]
    public void Key_IsShownInGroupsOfFour_AndTheUriCarriesIssuerAndAccount()
    {
        Assert.Equal("abcd efgh ij", TwoFactorKeys.Readable("ABCDEFGHIJ"));
        Assert.Equal("otpauth://totp/Closer:ana%40example.org?secret=ABCD&issuer=Closer&digits=6",
            TwoFactorKeys.Uri("Closer", "ana@example.org", "ABCD"));
    }
}
