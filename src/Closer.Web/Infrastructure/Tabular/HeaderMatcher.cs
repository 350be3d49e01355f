using Closer.Web.Infrastructure.Text;

namespace Closer.Web.Infrastructure.Tabular;

/// <summary>A header cell that named no column (or a column already named further left), kept for the caller to report.</summary>
public sealed record UnmatchedHeader(int Position, string Text);

/// <summary>
/// Which column of the file holds which known column (<see cref="Positions"/>, by key), the header cells that named
/// nothing known (<see cref="Unknown"/>) or a column already taken (<see cref="Duplicates"/>, the leftmost one wins),
/// and the required columns the file lacks (<see cref="Missing"/>). <see cref="DataStart"/> is the index of the first data
/// row: 1 after a header row, 2 when an HXL row follows it.
/// </summary>
public sealed record HeaderMap(IReadOnlyDictionary<string, int> Positions, IReadOnlyList<UnmatchedHeader> Unknown,
    IReadOnlyList<UnmatchedHeader> Duplicates, IReadOnlyList<TabularColumn> Missing, int DataStart);

/// <summary>
/// The header matcher of every import: a header cell names a column by its HXL hashtag (attributes in any order), by
/// its header in any of the four languages, or by its key; case, accents, spaces and punctuation do not matter.
/// </summary>
public static class HeaderMatcher
{
    /// <summary>The column of <paramref name="columns"/> that <paramref name="cell"/> names, or null.</summary>
    public static TColumn? Match<TColumn>(string? cell, IReadOnlyList<TColumn> columns) where TColumn : TabularColumn
    {
        if (string.IsNullOrWhiteSpace(cell))
        {
            return null;
        }
        var text = cell.Trim();
        if (text.StartsWith('#'))
        {
            var tag = HxlKey(text);
            return columns.FirstOrDefault(c => string.Equals(HxlKey(c.Hxl), tag, StringComparison.Ordinal));
        }
        var norm = Normalize(text);
        return norm.Length == 0 ? null : columns.FirstOrDefault(c => norm == Normalize(c.Key) || norm == Normalize(c.En) || norm == Normalize(c.Es)
            || norm == Normalize(c.Pt) || norm == Normalize(c.Pap));
    }

    /// <summary>A row of HXL hashtags: at least one cell, and every non-blank cell starts with '#'.</summary>
    public static bool IsHxlRow(IReadOnlyList<string?> cells) =>
        cells.Any(c => !string.IsNullOrWhiteSpace(c)) && cells.All(c => string.IsNullOrWhiteSpace(c) || c.TrimStart().StartsWith('#'));

    /// <summary>
    /// Maps the columns of a file from its header row and, when the second row is an HXL row, from that row first
    /// (hashtags are the stable names); a column whose hashtag is unknown may still be named by its header.
    /// </summary>
    public static HeaderMap Map<TColumn>(IReadOnlyList<string?> header, IReadOnlyList<string?>? secondRow, IReadOnlyList<TColumn> columns)
        where TColumn : TabularColumn
    {
        var hxl = secondRow is not null && IsHxlRow(secondRow) ? secondRow : null;
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var unknown = new List<UnmatchedHeader>();
        var duplicates = new List<UnmatchedHeader>();
        var width = Math.Max(header.Count, hxl?.Count ?? 0);
        for (var i = 0; i < width; i++)
        {
            var headerCell = i < header.Count ? header[i] : null;
            var hxlCell = hxl is not null && i < hxl.Count ? hxl[i] : null;
            var column = Match(hxlCell, columns) ?? Match(headerCell, columns);
            var named = !string.IsNullOrWhiteSpace(headerCell) ? headerCell.Trim() : hxlCell?.Trim();
            if (column is null)
            {
                if (!string.IsNullOrEmpty(named))
                {
                    unknown.Add(new UnmatchedHeader(i, named));
                }
            }
            else if (!positions.TryAdd(column.Key, i))
            {
                duplicates.Add(new UnmatchedHeader(i, named ?? column.Key));
            }
        }
        var missing = columns.Where(c => c.Required && !positions.ContainsKey(c.Key)).Cast<TabularColumn>().ToList();
        return new HeaderMap(positions, unknown, duplicates, missing, hxl is null ? 1 : 2);
    }

    private static string HxlKey(string tag)
    {
        var parts = tag.Trim().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).Split('+');
        return parts[0] + string.Concat(parts.Skip(1).Order(StringComparer.Ordinal).Select(a => "+" + a));
    }

    /// <summary>A header folded for matching: accents, case, spaces and punctuation ignored.</summary>
    private static string Normalize(string text) => string.Concat(SearchText.Fold(text).Where(char.IsLetterOrDigit));
}
