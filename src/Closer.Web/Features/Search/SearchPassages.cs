namespace Closer.Web.Features.Search;

/// <summary>A piece of a passage: plain text, or a word that matched. Rendered with encoding, never as markup.</summary>
public sealed record PassagePart(string Text, bool Match);

/// <summary>
/// The passage shown under a result: the window of words holding the most query words, matched words marked. The
/// parts are plain text (the page encodes them; the API returns them as data), so no text from a writer is ever
/// rendered as HTML.
/// </summary>
public static class SearchPassages
{
    private const int Window = 28;
    private const int FirstScan = 4_000;
    // A window of 28 words is about 200 characters of prose; the slice around the chosen stretch leaves room for the
    // few words of context before it and the whole window after it.
    private const int SpanChars = 200;
    private const int SliceBefore = 160;
    private const int SliceAfter = 600;
    private const int MaxHits = 20_000;

    /// <summary>
    /// The passage of a text of any length. A short text is read whole. In a long one (a 50 KB document) the matched words
    /// are first located in the folded text with ordinal searches for their stems' leading letters (vectorized, no
    /// splitting into words), the densest stretch of them is chosen (most distinct query words, then most matches, the
    /// earliest on a tie), and only a slice around it is split into words for the passage: splitting and stemming a whole
    /// 50 KB text, up to three times in growing slices, was most of a three-word query's time.
    /// </summary>
    public static List<PassagePart> Build(string text, SearchQuery query, string language)
    {
        if (text.Length <= FirstScan)
        {
            return Build(text, query, language, false, false).Parts;
        }
        // Folded into a pooled buffer: a 50 KB document's folded copy would be a new large-object-heap string per result.
        var buffer = System.Buffers.ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var folded = buffer.AsSpan(0, text.Length);
            Infrastructure.Text.SearchText.Fold(text, folded);
            var at = Locate(folded, query, language);
            if (at < 0)
            {
                // Matched in the title only: the opening of the text.
                var opening = text[..Infrastructure.Text.TextLimits.Boundary(text, FirstScan)];
                return Build(opening, query, language, true, false).Parts;
            }
            var from = Math.Max(0, at - SliceBefore);
            while (from > 0 && from < at && char.IsLetterOrDigit(folded[from - 1]))
            {
                from++;
            }
            if (from < text.Length && char.IsLowSurrogate(text[from]))
            {
                from++;
            }
            var to = Infrastructure.Text.TextLimits.Boundary(text, Math.Min(text.Length, at + SliceAfter));
            while (to < text.Length && to > at && char.IsLetterOrDigit(folded[to - 1]) && char.IsLetterOrDigit(folded[to]))
            {
                to--;
            }
            return Build(text[from..to], query, language, to < text.Length, from > 0).Parts;
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Where the densest stretch of matched words starts in a long text (a character index), or -1 when none is in it.
    /// A word matches when it or its stem is a query word or a query word's stem (or starts with the prefix); every
    /// word whose stem is <c>s</c> starts with <c>s</c> less its last two letters (the stemmers only cut endings or change
    /// at most two letters before them), so searching for that start finds every candidate, which is then checked whole.
    /// </summary>
    private static int Locate(ReadOnlySpan<char> folded, SearchQuery query, string language)
    {
        var wanted = query.Words.ToList();
        var stems = wanted.SelectMany(w => new[] { SearchWords.Stem(w, language), w }).ToHashSet(StringComparer.Ordinal);
        var prefix = query.LastIsPrefix ? query.Parts[^1][0] : null;
        var probes = stems.Select(s => s.Length > 3 ? s[..(s.Length - 2)] : s[..Math.Min(s.Length, 2)])
            .Concat(prefix is null ? [] : [prefix]).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var hits = new SortedDictionary<int, string>();
        foreach (var probe in probes)
        {
            for (var i = folded.IndexOf(probe, StringComparison.Ordinal); i >= 0 && hits.Count < MaxHits;
                 i = Next(folded, probe, i + 1))
            {
                if ((i > 0 && char.IsLetterOrDigit(folded[i - 1])) || hits.ContainsKey(i))
                {
                    continue;
                }
                var end = i;
                while (end < folded.Length && char.IsLetterOrDigit(folded[end]))
                {
                    end++;
                }
                var word = new string(folded.Slice(i, Math.Min(end - i, SearchWords.MaxWordLength)));
                var stem = SearchWords.Stem(word, language);
                if (stems.Contains(word) || stems.Contains(stem) || (prefix is not null && word.StartsWith(prefix, StringComparison.Ordinal)))
                {
                    hits[i] = stem;
                }
            }
        }
        if (hits.Count == 0)
        {
            return -1;
        }
        // The stretch of at most SpanChars characters with the most distinct words, then the most words; the earliest wins a tie.
        var list = hits.ToList();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int best = 0, bestScore = -1, left = 0;
        for (var right = 0; right < list.Count; right++)
        {
            counts[list[right].Value] = counts.GetValueOrDefault(list[right].Value) + 1;
            while (list[right].Key - list[left].Key > SpanChars)
            {
                if (--counts[list[left].Value] == 0)
                {
                    counts.Remove(list[left].Value);
                }
                left++;
            }
            var score = counts.Count * 100_000 + (right - left + 1);
            if (score > bestScore)
            {
                bestScore = score;
                best = list[left].Key;
            }
        }
        return best;
    }

    /// <summary>The next place of <paramref name="probe"/> at or after <paramref name="from"/>, or -1.</summary>
    private static int Next(ReadOnlySpan<char> folded, string probe, int from)
    {
        if (from >= folded.Length)
        {
            return -1;
        }
        var at = folded[from..].IndexOf(probe, StringComparison.Ordinal);
        return at < 0 ? -1 : from + at;
    }

    private static (List<PassagePart> Parts, int Found) Build(string text, SearchQuery query, string language, bool more, bool before)
    {
        var words = SearchWords.Split(text).ToList();
        if (words.Count == 0)
        {
            return ([], 0);
        }
        var wanted = query.Words.ToList();
        var stems = wanted.SelectMany(w => new[] { SearchWords.Stem(w, language), w }).ToHashSet(StringComparer.Ordinal);
        var prefix = query.LastIsPrefix ? query.Parts[^1][0] : null;
        // A long document repeats its words: each distinct word is stemmed once (stemming every occurrence was most of
        // a search's time on 50 KB documents).
        var stemOf = new Dictionary<string, string>(StringComparer.Ordinal);
        string StemOf(string folded)
        {
            if (!stemOf.TryGetValue(folded, out var stem))
            {
                stem = SearchWords.Stem(folded, language);
                stemOf[folded] = stem;
            }
            return stem;
        }
        var match = words.Select(w => stems.Contains(w.Folded) || stems.Contains(StemOf(w.Folded))
            || (prefix is not null && w.Folded.StartsWith(prefix, StringComparison.Ordinal))).ToArray();
        // The window with the most matched words (distinct first, then count).
        var best = 0;
        var bestScore = -1;
        var bestDistinct = 0;
        for (var start = 0; start < words.Count; start += Math.Max(1, Window / 4))
        {
            var end = Math.Min(words.Count, start + Window);
            var distinct = new HashSet<string>(StringComparer.Ordinal);
            var count = 0;
            for (var i = start; i < end; i++)
            {
                if (match[i])
                {
                    distinct.Add(StemOf(words[i].Folded));
                    count++;
                }
            }
            var score = distinct.Count * 100 + count;
            if (score > bestScore)
            {
                bestScore = score;
                bestDistinct = distinct.Count;
                best = start;
            }
            if (end == words.Count)
            {
                break;
            }
        }
        // Start a little before the first match of the window, for context.
        var first = Enumerable.Range(best, Math.Min(Window, words.Count - best)).FirstOrDefault(i => match[i], best);
        var from = Math.Max(0, Math.Min(first - 6, words.Count - Window));
        var to = Math.Min(words.Count, from + Window);
        var parts = new List<PassagePart>();
        var at = words[from].Start;
        if (from > 0 || before)
        {
            parts.Add(new PassagePart("… ", false));
        }
        for (var i = from; i < to; i++)
        {
            var w = words[i];
            if (w.Start > at)
            {
                parts.Add(new PassagePart(Squash(text[at..w.Start]), false));
            }
            parts.Add(new PassagePart(text.Substring(w.Start, w.Length), match[i]));
            at = w.Start + w.Length;
        }
        if (to < words.Count || more)
        {
            parts.Add(new PassagePart(" …", false));
        }
        // Merge neighbours of the same kind: fewer elements on the page.
        var merged = new List<PassagePart>();
        foreach (var p in parts)
        {
            if (merged.Count > 0 && merged[^1].Match == p.Match && !p.Match)
            {
                merged[^1] = merged[^1] with { Text = merged[^1].Text + p.Text };
            }
            else
            {
                merged.Add(p);
            }
        }
        return (merged, bestDistinct);
    }

    /// <summary>Whitespace runs (line breaks of a PDF's text) as one space.</summary>
    private static string Squash(string between)
    {
        var sb = new System.Text.StringBuilder(between.Length);
        foreach (var c in between)
        {
            if (!char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
            else if (sb.Length == 0 || sb[^1] != ' ')
            {
                sb.Append(' ');
            }
        }
        return sb.ToString();
    }
}
