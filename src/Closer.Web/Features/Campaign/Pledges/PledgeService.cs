using System.Globalization;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Pledges;

public sealed record PledgeSummary(long Total, IReadOnlyDictionary<string, long> ByCountry);

/// <summary>
/// The pledge form's proof of origin without a cookie: a token signed with the data-protection keys
/// (shared by every node) carrying the time it was issued. A post without a valid, recent token counts nothing.
/// </summary>
public sealed class PledgeFormToken(IDataProtectionProvider provider, TimeProvider time)
{
    public const string FieldName = "__PledgeToken";
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(2);
    private readonly IDataProtector _protector = provider.CreateProtector("Closer.Campaign.PledgeForm.v1");

    public string Issue() =>
        _protector.Protect("pledge:" + time.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture));

    public bool IsValid(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }
        try
        {
            var value = _protector.Unprotect(token);
            if (!value.StartsWith("pledge:", StringComparison.Ordinal)
                || !long.TryParse(value.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return false;
            }
            var age = time.GetUtcNow() - new DateTimeOffset(ticks, TimeSpan.Zero);
            return age >= TimeSpan.Zero - TimeSpan.FromMinutes(1) && age <= MaxAge;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
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
