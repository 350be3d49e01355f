using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Closer.Web.Features.Coordination;

/// <summary>
/// The countries and sectors the API's code parameters are checked against (<see cref="QueryRules"/>). A code found in the
/// kept set costs nothing; a code not found reads the stamps' version of countries and plan and, when it changed, the
/// directory again before the code is refused, so a country or sector added a moment ago is known at once.
/// </summary>
public sealed class CodeDirectory(CloserDbContext db, IMemoryCache cache) : ICodeDirectory
{
    private static readonly string[] Datasets = [OpenData.DataStamps.Countries, OpenData.DataStamps.Plan];

    private sealed record Kept(string Version, IReadOnlySet<string> Countries, IReadOnlySet<string> Sectors);

    private const string CacheKey = "coordination:api-codes";

    public async Task<string?> FirstUnknownAsync(CodeList list, IReadOnlyList<string> codes, CancellationToken ct)
    {
        var kept = cache.Get<Kept>(CacheKey);
        if (kept is not null && codes.All(Of(kept, list).Contains))
        {
            return null;
        }
        var version = await OpenData.DataStamps.VersionAsync(db, Datasets, ct);
        if (kept is null || kept.Version != version)
        {
            var countries = await db.Countries.AsNoTracking().Select(c => c.Iso3).ToListAsync(ct);
            var sectors = await db.Sectors.AsNoTracking().Select(s => s.Code).ToListAsync(ct);
            kept = new Kept(version, countries.ToHashSet(StringComparer.OrdinalIgnoreCase), sectors.ToHashSet(StringComparer.OrdinalIgnoreCase));
            cache.Set(CacheKey, kept, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(30) });
        }
        var known = Of(kept, list);
        return codes.FirstOrDefault(c => !known.Contains(c));
    }

    private static IReadOnlySet<string> Of(Kept kept, CodeList list) => list == CodeList.Countries ? kept.Countries : kept.Sectors;
}
