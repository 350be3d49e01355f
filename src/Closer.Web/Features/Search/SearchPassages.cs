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
    private const int MaxScan = 200_000;
    private const int FirstScan = 4_000;

    /// <summary>
    /// The passage of a text of any length: the opening 4,000 characters first, then eight times more each round, until a
    /// window holds every query word or <see cref="MaxScan"/> is read. Most results show their words early, so a 50 KB
    /// document costs a few thousand characters instead of all of them (the text was read whole every time before).
    /// </summary>
    public static List<PassagePart> Build(string text, SearchQuery query, string language)
    {
        var needed = query.Words.Select(w => SearchWords.Stem(w, language)).Distinct(StringComparer.Ordinal).Count();
        for (var scan = FirstScan; ; scan *= 8)
        {
            var whole = text.Length <= scan || scan >= MaxScan;
            var part = text.Length <= Math.Min(scan, MaxScan) ? text : text[..Infrastructure.Text.TextLimits.Boundary(text, Math.Min(scan, MaxScan))];
            var (parts, found) = Build(part, query, language, text.Length > part.Length);
            if (whole || found >= needed)
            {
                return parts;
            }
        }
    }

    private static (List<PassagePart> Parts, int Found) Build(string text, SearchQuery query, string language, bool more)
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
        if (from > 0)
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
