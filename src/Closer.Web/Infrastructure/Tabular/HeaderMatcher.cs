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
            // The vocabulary knows the older spellings of each tag (partners' files keep them for years).
            return columns.FirstOrDefault(c => Hxl.Names(text, c.Hxl));
        }
        var norm = Normalize(text);
        return norm.Length == 0 ? null : columns.FirstOrDefault(c => Names(c).Contains(norm, StringComparer.Ordinal));
    }

    /// <summary>
    /// Every name a column answers to, folded: its key, its header in each language, and each header without its
    /// bracketed hint ("Month (YYYY-MM)" is also "Month", "Basado en efectivo (sí/no)" also "Basado en efectivo").
    /// </summary>
    public static IEnumerable<string> Names(TabularColumn column)
    {
        yield return Normalize(column.Key);
        foreach (var header in new[] { column.En, column.Es, column.Pt, column.Pap })
        {
            yield return Normalize(header);
            var bracket = header.IndexOf('(', StringComparison.Ordinal);
            if (bracket > 0)
            {
                yield return Normalize(header[..bracket]);
            }
        }
    }

    /// <summary>
    /// The known column a header that named nothing was probably meant to name, or null when none is close: one whose
    /// name holds every word of the header ("Valor efectivo USD" → "Valor del efectivo (USD)"), else the nearest
    /// name by edit distance (at most a third of the header's letters apart).
    /// </summary>
    public static TColumn? Closest<TColumn>(string text, IReadOnlyList<TColumn> columns) where TColumn : TabularColumn
    {
        var words = Words(text);
        if (words.Count > 0)
        {
            var holding = columns.FirstOrDefault(c => new[] { c.En, c.Es, c.Pt, c.Pap }.Any(h => words.IsSubsetOf(Words(h))));
            if (holding is not null)
            {
                return holding;
            }
        }
        var norm = Normalize(text);
        if (norm.Length == 0)
        {
            return null;
        }
        var limit = Math.Max(2, norm.Length / 3);
        var best = columns.Select(c => (Column: c, Distance: Names(c).Min(n => EditDistance.Of(norm, n, limit)))).MinBy(c => c.Distance);
        return best.Column is not null && best.Distance <= limit ? best.Column : null;
    }

    /// <summary>The spreadsheet letter of a zero-based column position: 0 → A, 25 → Z, 26 → AA.</summary>
    public static string Letter(int position)
    {
        var letters = "";
        for (var n = position + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }
        return letters;
    }

    /// <summary>The zero-based position of a column letter ("H" → 7), or null when the text is not one.</summary>
    public static int? Position(string text)
    {
        var letters = text.Trim();
        if (letters.Length is 0 or > 3 || !letters.All(char.IsAsciiLetter))
        {
            return null;
        }
        var n = 0;
        foreach (var c in letters.ToUpperInvariant())
        {
            n = (n * 26) + (c - 'A' + 1);
        }
        return n - 1;
    }

    private static HashSet<string> Words(string text) =>
        new string(SearchText.Fold(text).Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 1).ToHashSet(StringComparer.Ordinal);

    /// <summary>How many known columns a row names for it to be taken as the header row.</summary>
    public const int HeaderMinimum = 3;

    /// <summary>How many cells of <paramref name="cells"/> name a known column (to find the header row below title rows).</summary>
    public static int Known<TColumn>(IReadOnlyList<string?> cells, IReadOnlyList<TColumn> columns) where TColumn : TabularColumn =>
        cells.Count(c => Match(c, columns) is not null);

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

    /// <summary>A header folded for matching: accents, case, spaces and punctuation ignored.</summary>
    public static string Normalize(string text) => string.Concat(SearchText.Fold(text).Where(char.IsLetterOrDigit));
}
