using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Closer.Web.Features.Accounts;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.ApiTokens;

/// <summary>Creates, checks and revokes API tokens. A token is <c>clo_</c> + 43 url-safe characters (256 random bits).</summary>
public sealed class ApiTokenService(CloserDbContext db, TimeProvider time)
{
    public const string TokenPrefix = "clo_";

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Creates a token for a user; the returned plain token is never stored and cannot be shown again.</summary>
    public async Task<(ApiToken Token, string Plain)> CreateAsync(string userId, string name, CancellationToken ct = default)
    {
        var plain = TokenPrefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var stamp = await db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).FirstOrDefaultAsync(ct);
        var token = new ApiToken
        {
            UserSecurityStamp = stamp,
            UserId = userId,
            Name = name.Trim(),
            Prefix = plain[..10],
            Hash = Hash(plain),
            CreatedAt = time.GetUtcNow(),
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return (token, plain);
    }

    public async Task<bool> RevokeAsync(int id, string revokedBy, CancellationToken ct = default)
    {
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (token is null || token.RevokedAt is not null)
        {
            return false;
        }
        token.RevokedAt = time.GetUtcNow();
        token.RevokedByUserId = revokedBy;
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Revokes every live token of a person (tracked; the caller saves, with the change that caused it).</summary>
    public async Task RevokeAllAsync(string userId, string? revokedBy, DateTimeOffset at, CancellationToken ct)
    {
        foreach (var token in await db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAt == null).ToListAsync(ct))
        {
            token.RevokedAt = at;
            token.RevokedByUserId = revokedBy;
        }
    }

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Authenticates <c>Authorization: Bearer clo_...</c> against the stored hashes.</summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    CloserDbContext db, IUserClaimsPrincipalFactory<AppUser> claimsFactory, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var plain = header["Bearer ".Length..].Trim();
        if (!plain.StartsWith(ApiTokenService.TokenPrefix, StringComparison.Ordinal) || plain.Length > 100)
        {
            return AuthenticateResult.Fail("Malformed token.");
        }
        var hash = ApiTokenService.Hash(plain);
        var token = await db.ApiTokens.Include(t => t.User).FirstOrDefaultAsync(t => t.Hash == hash, Context.RequestAborted);
        if (token?.User is null || token.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("Unknown or revoked token.");
        }
        if (token.User.DeactivatedAt is not null)
        {
            return AuthenticateResult.Fail("Account deactivated.");
        }
        var now = time.GetUtcNow();
        // A changed stamp (password reset, deactivation) ends the token. The short lockout after failed sign-ins does
        // not: anyone can cause that by guessing, and it must not cut the owner's tools off too.
        if (!AccountSessions.IsCurrent(token.UserSecurityStamp, token.User.SecurityStamp, token.User.LockoutEnd, now))
        {
            return AuthenticateResult.Fail("Token ended by a change to its account.");
        }
        // Record use, at most every few minutes, so busy tools do not write on every call.
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(5))
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(Context.RequestAborted);
        }
        var principal = await claimsFactory.CreateAsync(token.User);
        var identity = new ClaimsIdentity(principal.Claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(CloserClaims.Token, token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
