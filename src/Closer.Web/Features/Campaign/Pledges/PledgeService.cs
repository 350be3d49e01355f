using System.Globalization;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Pledges;

public sealed record PledgeSummary(long Total, IReadOnlyDictionary<string, long> ByCountry);

/// <summary>
/// The pledge form's proof of origin without a cookie: a token signed with the data-protection keys (shared by every
/// node) carrying the time it was issued and a random id. A post without a valid, recent token counts nothing; the id
/// is stored with the pledge under a unique index, so a token counts once, whichever node receives it again.
/// </summary>
public sealed class PledgeFormToken(IDataProtectionProvider provider, TimeProvider time)
{
    public const string FieldName = "__PledgeToken";
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(2);
    private readonly IDataProtector _protector = provider.CreateProtector("Closer.Campaign.PledgeForm.v2");

    public string Issue() =>
        _protector.Protect("pledge:" + time.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture) + ":"
            + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));

    /// <summary>The token's id when it is genuine and recent, else null.</summary>
    public string? Validate(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        try
        {
            var parts = _protector.Unprotect(token).Split(':');
            if (parts is not ["pledge", var issued, var id] || id.Length != 32
                || !long.TryParse(issued, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return null;
            }
            var age = time.GetUtcNow() - new DateTimeOffset(ticks, TimeSpan.Zero);
            return age >= TimeSpan.Zero - TimeSpan.FromMinutes(1) && age <= MaxAge ? id : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>
    /// A browser names the page a form was sent from (Origin, else Referer): it must be this site. A post naming
    /// another site is a form planted elsewhere with a harvested token; a post naming none (a script) still needs a
    /// fresh single-use token.
    /// </summary>
    public static bool IsSameOrigin(HttpRequest request, string? publicBaseUrl)
    {
        var named = request.Headers.Origin.ToString() is { Length: > 0 } origin ? origin
            : request.Headers.Referer.ToString() is { Length: > 0 } referer ? referer : null;
        if (named is null)
        {
            return true;
        }
        if (!Uri.TryCreate(named, UriKind.Absolute, out var from))
        {
            return false;
        }
        bool Same(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u)
            && string.Equals(u.Scheme, from.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(u.Authority, from.Authority, StringComparison.OrdinalIgnoreCase);
        return Same($"{request.Scheme}://{request.Host}") || (publicBaseUrl is not null && Same(publicBaseUrl));
    }
}

public sealed class PledgeService(CloserDbContext db)
{
    public async Task<PledgeSummary> SummaryAsync(CancellationToken ct)
    {
        var byCountry = await db.Pledges.AsNoTracking().GroupBy(p => p.CountryIso3)
            .Select(g => new { Country = g.Key, Count = g.LongCount() })
            .ToListAsync(ct);
        var dict = byCountry.OrderBy(x => x.Country, StringComparer.Ordinal).ToDictionary(x => x.Country, x => x.Count, StringComparer.Ordinal);
        return new PledgeSummary(dict.Values.Sum(), dict);
    }
}
