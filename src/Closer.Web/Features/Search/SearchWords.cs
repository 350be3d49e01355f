using Closer.Web.Infrastructure.Text;

namespace Closer.Web.Features.Search;

/// <summary>A word of a text: where it stands in the original and its folded form.</summary>
public readonly record struct Word(int Start, int Length, string Folded);

/// <summary>
/// Words as both engines see them: runs of letters and digits, folded (case and accents, <see cref="SearchText.Fold"/>),
/// and light stemmers for English, Spanish and Portuguese (Papiamentu is matched on folded words). On SQLite the index
/// holds these stems (FTS5 has no Spanish or Portuguese stemmer); on PostgreSQL the stems are the server's Snowball ones
/// and these serve only for highlighting passages.
/// </summary>
public static class SearchWords
{
    public const int MaxWordLength = 40;

    public static IEnumerable<Word> Split(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }
        var folded = SearchText.Fold(text);
        var i = 0;
        while (i < folded.Length)
        {
            while (i < folded.Length && !char.IsLetterOrDigit(folded[i]))
            {
                i++;
            }
            var start = i;
            while (i < folded.Length && char.IsLetterOrDigit(folded[i]))
            {
                i++;
            }
            if (i > start)
            {
                var length = i - start;
                yield return new Word(start, length, folded.Substring(start, Math.Min(length, MaxWordLength)));
            }
        }
    }

    /// <summary>The stem of a folded word in a language; Papiamentu and unknown languages keep the word.</summary>
    public static string Stem(string word, string language) => word.Length <= 3 || !word.All(char.IsAsciiLetter) ? word : language switch
    {
        "en" => English(word),
        "es" => Spanish(word),
        "pt" => Portuguese(word),
        _ => word,
    };

    /// <summary>Every form a query word may take in the index, whatever the language of the text.</summary>
    public static IReadOnlyList<string> Forms(string word) =>
        new[] { Stem(word, "en"), Stem(word, "es"), Stem(word, "pt"), word }.Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The text as the SQLite index stores it: each word replaced by its stem, in order (phrases keep working).</summary>
    public static string Stemmed(string? text, string language) =>
        string.Join(' ', Split(text).Select(w => Stem(w.Folded, language)));

    private static string English(string w)
    {
        if (w.EndsWith("sses", StringComparison.Ordinal))
        {
            w = w[..^2];
        }
        else if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4)
        {
            w = w[..^3] + "y";
        }
        else if (w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal) && w.Length > 3)
        {
            w = w[..^1];
        }
        foreach (var suffix in (string[])["ation", "ing", "ed", "ly", "ment"])
        {
            if (w.EndsWith(suffix, StringComparison.Ordinal) && w.Length - suffix.Length >= 4)
            {
                w = w[..^suffix.Length];
                if (suffix is "ing" or "ed" && w.Length > 4 && w[^1] == w[^2] && w[^1] is not ('l' or 's' or 'z'))
                {
                    w = w[..^1];
                }
                break;
            }
        }
        return w.Length > 4 && w[^1] is 'e' or 'y' ? w[..^1] : w;
    }

    private static string Spanish(string w)
    {
        if (w.EndsWith("mente", StringComparison.Ordinal) && w.Length > 8)
        {
            w = w[..^5];
        }
        if (w.EndsWith("ces", StringComparison.Ordinal) && w.Length > 5)
        {
            w = w[..^3] + "z";
        }
        else if (w.EndsWith("es", StringComparison.Ordinal) && w.Length > 4 && !IsVowel(w[^3]))
        {
            w = w[..^2];
        }
        else if (w.EndsWith('s') && w.Length > 4 && IsVowel(w[^2]))
        {
            w = w[..^1];
        }
        return w.Length > 4 && w[^1] is 'a' or 'o' or 'e' ? w[..^1] : w;
    }

    private static string Portuguese(string w)
    {
        if (w.EndsWith("mente", StringComparison.Ordinal) && w.Length > 8)
        {
            w = w[..^5];
        }
        if (w.EndsWith("oes", StringComparison.Ordinal) || w.EndsWith("aes", StringComparison.Ordinal))
        {
            w = w[..^3] + "ao";
        }
        else if (w.EndsWith("ns", StringComparison.Ordinal) && w.Length > 4)
        {
            w = w[..^2] + "m";
        }
        else if (w.EndsWith("is", StringComparison.Ordinal) && w.Length > 5 && w[^3] is 'a' or 'e' or 'o')
        {
            w = w[..^2] + "l";
        }
        else if (w.EndsWith("es", StringComparison.Ordinal) && w.Length > 4 && w[^3] is 'r' or 's' or 'z')
        {
            w = w[..^2];
        }
        else if (w.EndsWith('s') && w.Length > 4 && IsVowel(w[^2]))
        {
            w = w[..^1];
        }
        return w.Length > 4 && w[^1] is 'a' or 'o' or 'e' && !w.EndsWith("ao", StringComparison.Ordinal) ? w[..^1] : w;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
