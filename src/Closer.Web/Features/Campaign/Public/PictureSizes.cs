using Closer.Web.Features.Campaign.Media;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Public;

/// <summary>
/// The stored JPEG widths of library pictures, for <c>_Picture.cshtml</c>. A page that lists cards primes it with all its
/// pictures first (one query instead of one per card); a lone picture asks for itself. Only sizes are read, never bytes.
/// </summary>
public sealed class PictureSizes(CloserDbContext db)
{
    private readonly Dictionary<int, List<(int W, int H)>> _sizes = [];

    public static int? AssetId(string? path) =>
        path is not null && path.StartsWith("/media/", StringComparison.Ordinal)
        && int.TryParse(path.AsSpan(7), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id : null;

    /// <summary>Reads the sizes of every library picture among <paramref name="paths"/> not read yet, in one query.</summary>
    public async Task PrimeAsync(IEnumerable<string?> paths)
    {
        var ids = paths.Select(AssetId).OfType<int>().Where(id => !_sizes.ContainsKey(id)).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }
        var rows = await db.CampaignMediaRenditions.AsNoTracking().Where(r => ids.Contains(r.AssetId) && r.Format == MediaRendition.Jpeg)
            .OrderBy(r => r.Width).Select(r => new { r.AssetId, r.Width, r.Height }).ToListAsync();
        foreach (var id in ids)
        {
            _sizes[id] = rows.Where(r => r.AssetId == id).Select(r => (r.Width, r.Height)).ToList();
        }
    }

    /// <summary>The widths and heights of <paramref name="path"/>'s stored sizes, narrowest first; none for a path outside the library.</summary>
    public async Task<IReadOnlyList<(int W, int H)>> ForAsync(string path)
    {
        if (AssetId(path) is not { } id)
        {
            return [];
        }
        await PrimeAsync([path]);
        return _sizes[id];
    }
}
