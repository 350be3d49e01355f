namespace Closer.Web.Features.Search;

/// <summary>
/// A reader's query, parsed once for both engines: words (all required), phrases in double quotes, and prefix matching
/// on the last word when it is not inside quotes ("venezol" finds "venezolanos" while typing). Everything is folded; what
/// reaches the database is built from letters and digits only, so no input can change the query's syntax.
/// </summary>
public sealed record SearchQuery(IReadOnlyList<IReadOnlyList<string>> Parts, bool LastIsPrefix)
{
    public const int MaxLength = 200;
    public const int MaxWords = 8;

    // Words that match nearly everything; dropped from a query outside quotes when something else remains.
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "of", "and", "in", "to", "a", "an", "for", "on", "is", "are", "with", "by", "at", "from",
        "el", "la", "los", "las", "de", "del", "y", "en", "un", "una", "que", "por", "para", "con", "se", "al",
        "o", "os", "as", "da", "do", "das", "dos", "e", "em", "no", "na", "nos", "nas", "um", "uma",
        "di", "i", "ku", "pa", "nan", "den", "ta",
    };

    private static readonly string[] StemLanguages = ["en", "es", "pt", "pap"];

    public bool IsEmpty => Parts.Count == 0;

    /// <summary>Every folded word of the query (for passages and suggestions).</summary>
    public IEnumerable<string> Words => Parts.SelectMany(p => p);

    /// <summary>The query as understood, for showing back (phrases in quotes).</summary>
    public string Display => string.Join(' ', Parts.Select(p => p.Count > 1 ? "\"" + string.Join(' ', p) + "\"" : p[0]));

    public static SearchQuery Parse(string? text)
    {
        text ??= "";
        if (text.Length > MaxLength)
        {
            text = text[..MaxLength];
        }
        var parts = new List<IReadOnlyList<string>>();
        var pieces = text.Split('"');
        var endsInQuote = false;
        for (var i = 0; i < pieces.Length; i++)
        {
            // Odd pieces are inside quotes (an unclosed quote runs to the end).
            var words = SearchWords.Split(pieces[i]).Select(w => w.Folded).ToList();
            if (i % 2 == 1)
            {
                if (words.Count > 0)
                {
                    parts.Add(words);
                    endsInQuote = i == pieces.Length - 1 || string.IsNullOrWhiteSpace(string.Concat(pieces.Skip(i + 1)));
                }
            }
            else
            {
                parts.AddRange(words.Select(w => (IReadOnlyList<string>)[w]));
                if (words.Count > 0)
                {
                    endsInQuote = false;
                }
            }
        }
        var loose = parts.Where(p => p.Count == 1).ToList();
        if (loose.Any(p => !StopWords.Contains(p[0])) || parts.Any(p => p.Count > 1))
        {
            parts = parts.Where(p => p.Count > 1 || !StopWords.Contains(p[0])).ToList();
        }
        var kept = new List<IReadOnlyList<string>>();
        var count = 0;
        foreach (var p in parts.DistinctBy(p => string.Join(' ', p)))
        {
            if (count + p.Count > MaxWords)
            {
                break;
            }
            kept.Add(p);
            count += p.Count;
        }
        var prefix = kept.Count > 0 && kept[^1].Count == 1 && !endsInQuote && kept[^1][0].Length >= 3;
        return new SearchQuery(kept, prefix);
    }

    /// <summary>Known words a prefix is expanded into at most (Elasticsearch's <c>max_expansions</c> is 50).</summary>
    public const int MaxExpansions = 32;

    /// <summary>
    /// The last word when it is matched as a prefix and the vocabulary can expand it (letters only, at most 30: the
    /// vocabulary's words), else null: then FTS5's own prefix query is used.
    /// </summary>
    public string? ExpandablePrefix => LastIsPrefix && Parts[^1][0] is { Length: <= 30 } w && w.All(char.IsLetter) ? w : null;

    /// <summary>
    /// The FTS5 MATCH expression over the stemmed columns: each part in every language's form, all parts required.
    /// <paramref name="expansions"/>: the known words starting with <see cref="ExpandablePrefix"/>; when given, the prefix
    /// is matched as those words (each in every form), which FTS5 reads lazily in rowid order like any word, instead of a
    /// <c>"prefix"*</c> term, for which FTS5 merges the whole doclist of every term with the prefix before the first row
    /// (for a common word on the benchmark's full-size data, 15–45 ms against 0.2).
    /// </summary>
    public string ToFts5(IReadOnlyCollection<string>? expansions = null) => string.Join(" AND ", Fts5Parts(expansions));

    private IEnumerable<string> Fts5Parts(IReadOnlyCollection<string>? expansions)
    {
        for (var i = 0; i < Parts.Count; i++)
        {
            var part = Parts[i];
            var forms = new List<string>();
            if (part.Count == 1)
            {
                forms.AddRange(SearchWords.Forms(part[0]).Select(f => $"\"{f}\""));
            }
            else
            {
                forms.AddRange(StemLanguages
                    .Select(l => "\"" + string.Join(' ', part.Select(w => SearchWords.Stem(w, l))) + "\"").Distinct(StringComparer.Ordinal));
            }
            if (i == Parts.Count - 1 && expansions is not null && ExpandablePrefix is not null)
            {
                forms.AddRange(expansions.SelectMany(SearchWords.Forms).Select(f => $"\"{f}\""));
            }
            else if (i == Parts.Count - 1 && LastIsPrefix)
            {
                forms.Add($"\"{part[0]}\"*");
            }
            yield return "(" + string.Join(" OR ", forms.Distinct(StringComparer.Ordinal)) + ")";
        }
    }

    /// <summary>The text given to PostgreSQL's to_tsquery under each language's configuration (which stems and unaccents it).</summary>
    public string ToTsQuery()
    {
        var parts = Parts.Select((p, i) => p.Count == 1
            ? $"'{p[0]}'" + (i == Parts.Count - 1 && LastIsPrefix ? ":*" : "")
            : "(" + string.Join(" <-> ", p.Select(w => $"'{w}'")) + ")");
        return string.Join(" & ", parts);
    }
}
