using Microsoft.Extensions.Options;

namespace Closer.Web.Features.OpenData.Disclosure;

/// <summary>
/// One figure of an aggregated output, by a key of the caller's choosing. <paramref name="Sensitive"/>: it counts people of a
/// sensitive sector; <paramref name="Known"/>: the audience may see it unsuppressed (its own scope), so it is never hidden and
/// counts as published when protecting the others.
/// </summary>
public sealed record DisclosureCell(string Key, long Value, bool Sensitive, bool Known = false);

/// <summary>A published total and the figures it adds up: <c>Total = Σ Parts</c>. Every margin an output shows is one group.</summary>
public sealed record DisclosureGroup(string Total, IReadOnlyList<string> Parts);

/// <summary>The cells to hide. <see cref="Applied"/> says the output must tell its reader that suppression was applied.</summary>
public sealed record DisclosureResult(IReadOnlySet<string> Suppressed, int Threshold)
{
    public static DisclosureResult None(int threshold) => new(new HashSet<string>(StringComparer.Ordinal), threshold);

    public bool Applied => Suppressed.Count > 0;

    public bool IsSuppressed(string key) => Suppressed.Contains(key);

    /// <summary>The value to publish: null when suppressed.</summary>
    public long? Show(string key, long value) => Suppressed.Contains(key) ? null : value;
}

/// <summary>
/// Statistical disclosure control for every public output (issue 21; rules in Features/OpenData/README.md). The one
/// service pages, the API, downloads, live figures and the OData feed call:
/// <list type="number">
/// <item>primary suppression: a cell of a sensitive sector with 1 to threshold − 1 people;</item>
/// <item>complementary suppression: in every published group (a total and its parts) holding exactly one hidden figure, the
/// next-smallest figure is hidden too (or the total, when no part is left), until no group has exactly one;</item>
/// <item>a linear check: a hidden sensitive cell that the published figures still determine (through any chain of totals)
/// gets one more complement, until none is determined.</item>
/// </list>
/// Row-level outputs (5W activities) are rolled up first (<see cref="ActivityDisclosure"/>); what stays small is suppressed.
/// </summary>
public sealed class DisclosureControl(IOptions<DisclosureOptions> options)
{
    private readonly IReadOnlyList<string> _sensitive = options.Value.SensitiveSectorCodes;

    public int Threshold { get; } = Math.Max(1, options.Value.Threshold);

    public IReadOnlyList<string> SensitiveSectors => _sensitive;

    /// <summary>Whether a sector or sub-sector code is sensitive (listed, or a sub-code of one listed).</summary>
    public bool IsSensitiveSector(string? code) =>
        code is not null && _sensitive.Any(s => string.Equals(code, s, StringComparison.OrdinalIgnoreCase)
            || code.StartsWith(s + "-", StringComparison.OrdinalIgnoreCase));

    /// <summary>A count that could identify someone: more than nobody, fewer than the threshold.</summary>
    public bool IsSmall(long value) => value > 0 && value < Threshold;

    /// <summary>
    /// The cells to hide among <paramref name="cells"/>, given the totals published with them. <paramref name="alsoPrimary"/>:
    /// cells to protect as if they were small (a figure whose difference to one published before is small, see
    /// <see cref="CountrySectorToDate"/>), complements included.
    /// </summary>
    public DisclosureResult Suppress(IReadOnlyList<DisclosureCell> cells, IReadOnlyList<DisclosureGroup> groups, IReadOnlySet<string>? alsoPrimary = null)
    {
        var byKey = cells.ToDictionary(c => c.Key, StringComparer.Ordinal);
        var primary = cells.Where(c => !c.Known && ((c.Sensitive && IsSmall(c.Value)) || alsoPrimary?.Contains(c.Key) == true)).Select(c => c.Key).ToList();
        var hidden = new HashSet<string>(primary, StringComparer.Ordinal);
        if (hidden.Count == 0)
        {
            return DisclosureResult.None(Threshold);
        }
        var live = groups.Select(g => (g.Total, Parts: g.Parts.Where(byKey.ContainsKey).ToList()))
            .Where(g => byKey.ContainsKey(g.Total)).ToList();
        bool Eligible(string key) => !hidden.Contains(key) && !byKey[key].Known;
        // Smallest first, non-zero parts before zeros (a hidden zero protects little), the total last.
        string? Complement(IEnumerable<string> parts, string? total) =>
            parts.Where(Eligible).OrderBy(k => byKey[k].Value == 0 ? 1 : 0).ThenBy(k => byKey[k].Value).ThenBy(k => k, StringComparer.Ordinal)
                .FirstOrDefault() ?? (total is not null && Eligible(total) ? total : null);
        for (var round = 0; round <= cells.Count; round++)
        {
            var changed = true;
            while (changed)
            {
                changed = false;
                foreach (var (total, parts) in live)
                {
                    if ((hidden.Contains(total) ? 1 : 0) + parts.Count(hidden.Contains) == 1 && Complement(parts, total) is { } extra)
                    {
                        hidden.Add(extra);
                        changed = true;
                    }
                }
            }
            var determined = LinearCheck.Determined(hidden, live.Select(g => (g.Total, (IReadOnlyList<string>)g.Parts)).ToList())
                .Where(primary.Contains).ToList();
            if (determined.Count == 0)
            {
                break;
            }
            var near = live.Where(g => g.Total == determined[0] || g.Parts.Contains(determined[0])).ToList();
            var more = Complement(near.SelectMany(g => g.Parts), null)
                ?? near.Select(g => g.Total).FirstOrDefault(Eligible)
                ?? Complement(live.Where(g => hidden.Contains(g.Total) || g.Parts.Any(hidden.Contains)).SelectMany(g => g.Parts), null);
            if (more is null)
            {
                break;
            }
            hidden.Add(more);
        }
        return new DisclosureResult(hidden, Threshold);
    }

    /// <summary>
    /// Reached per country × sector of a plan year, as every public output shows it (cells, country totals, sector totals,
    /// main-sector totals with their sub-sectors, per country and for the region, and the grand total), suppressed for
    /// <paramref name="audience"/>. Keys: <see cref="CountrySectorKeys"/>.
    /// </summary>
    public DisclosureResult CountrySector(IEnumerable<(string Country, string Sector, string? Parent, long Reached)> figures, DisclosureAudience audience,
        IReadOnlySet<string>? alsoPrimary = null)
    {
        var list = figures.ToList();
        if (audience.CoversAll)
        {
            return DisclosureResult.None(Threshold);
        }
        var cells = new Dictionary<string, DisclosureCell>(StringComparer.Ordinal);
        var groups = new List<DisclosureGroup>();
        void Margin(string key, IReadOnlyList<string> parts, bool known)
        {
            var value = parts.Sum(p => cells[p].Value);
            cells[key] = new DisclosureCell(key, value, parts.Any(p => cells[p].Sensitive && cells[p].Value > 0), known);
            groups.Add(new DisclosureGroup(key, parts));
        }
        foreach (var f in list)
        {
            var key = CountrySectorKeys.Cell(f.Country, f.Sector);
            cells[key] = new DisclosureCell(key, f.Reached, IsSensitiveSector(f.Sector), audience.CoversCountry(f.Country));
        }
        var countries = list.Select(f => f.Country).Distinct(StringComparer.Ordinal).ToList();
        var sectors = list.Select(f => f.Sector).Distinct(StringComparer.Ordinal).ToList();
        var mains = list.Where(f => f.Parent is not null).Select(f => f.Parent!).Distinct(StringComparer.Ordinal).ToList();
        foreach (var c in countries)
        {
            Margin(CountrySectorKeys.Cell(c, null), list.Where(f => f.Country == c).Select(f => CountrySectorKeys.Cell(c, f.Sector)).ToList(), audience.CoversCountry(c));
            foreach (var m in mains)
            {
                var parts = list.Where(f => f.Country == c && (f.Sector == m || f.Parent == m)).Select(f => CountrySectorKeys.Cell(c, f.Sector)).ToList();
                if (parts.Count > 0)
                {
                    Margin(CountrySectorKeys.MainSector(c, m), parts, audience.CoversCountry(c));
                }
            }
        }
        foreach (var s in sectors)
        {
            Margin(CountrySectorKeys.Cell(null, s), list.Where(f => f.Sector == s).Select(f => CountrySectorKeys.Cell(f.Country, s)).ToList(), false);
        }
        foreach (var m in mains)
        {
            var byCountry = countries.Select(c => CountrySectorKeys.MainSector(c, m)).Where(cells.ContainsKey).ToList();
            Margin(CountrySectorKeys.MainSector(null, m), byCountry, false);
            // The same regional figure is also the sum of the main sector's and its sub-sectors' regional totals.
            groups.Add(new DisclosureGroup(CountrySectorKeys.MainSector(null, m),
                sectors.Where(s => s == m || list.Any(f => f.Sector == s && f.Parent == m)).Select(s => CountrySectorKeys.Cell(null, s)).ToList()));
        }
        if (countries.Count > 0)
        {
            Margin(CountrySectorKeys.Cell(null, null), countries.Select(c => CountrySectorKeys.Cell(c, null)).ToList(), false);
            groups.Add(new DisclosureGroup(CountrySectorKeys.Cell(null, null), sectors.Select(s => CountrySectorKeys.Cell(null, s)).ToList()));
        }
        return Suppress(cells.Values.ToList(), groups, alsoPrimary);
    }

    /// <summary>
    /// The decision for the last of a plan year's months (<paramref name="months"/>: January first, each month's table of
    /// figures to date, as the situation reports publish them), made so that two months' public figures cannot be
    /// subtracted to a small count: month after month, a sensitive figure (a country's, or the region's total of a sensitive
    /// sector) that differs from its last published one (or from nothing, before it was first published) by 1 to
    /// threshold − 1 is hidden like a small count, with its complements. Figures to date never fall, so any two published figures of a cell then differ by 0 or by the
    /// threshold at least; within a month the usual rules (and the linear check) keep hidden figures from being worked out.
    /// </summary>
    public DisclosureResult CountrySectorToDate(IReadOnlyList<IReadOnlyList<(string Country, string Sector, string? Parent, long Reached)>> months,
        DisclosureAudience audience)
    {
        if (audience.CoversAll || months.Count == 0)
        {
            return DisclosureResult.None(Threshold);
        }
        var published = new Dictionary<string, long>(StringComparer.Ordinal);
        var result = DisclosureResult.None(Threshold);
        foreach (var month in months)
        {
            // A sensitive sector's figures: per country, and for the region (the sector's total over the countries).
            var figures = month.Where(f => IsSensitiveSector(f.Sector))
                .Select(f => (Key: CountrySectorKeys.Cell(f.Country, f.Sector), f.Reached, Known: audience.CoversCountry(f.Country)))
                .Concat(month.Where(f => IsSensitiveSector(f.Sector)).GroupBy(f => f.Sector, StringComparer.Ordinal)
                    .Select(g => (Key: CountrySectorKeys.Cell(null, g.Key), Reached: g.Sum(f => f.Reached), Known: false)))
                .ToList();
            var moved = figures.Where(f => !f.Known && IsSmall(f.Reached - published.GetValueOrDefault(f.Key))).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
            result = CountrySector(month, audience, moved);
            foreach (var f in figures.Where(f => !result.IsSuppressed(f.Key)))
            {
                published[f.Key] = f.Reached;
            }
        }
        return result;
    }
}

/// <summary>The keys of <see cref="DisclosureControl.CountrySector"/>: a null country or sector is "all of them".</summary>
public static class CountrySectorKeys
{
    public static string Cell(string? country, string? sector) => $"cs|{country ?? "*"}|{sector ?? "*"}";

    /// <summary>A main sector with its sub-sectors.</summary>
    public static string MainSector(string? country, string mainSector) => $"main|{country ?? "*"}|{mainSector}";
}
