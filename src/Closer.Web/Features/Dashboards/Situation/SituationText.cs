using System.Text;
using Closer.Web.Infrastructure.Localization;

namespace Closer.Web.Features.Dashboards.Situation;

/// <summary>
/// The highlights are plain text with paragraphs: nothing a coordinator writes is ever read as markup (the page encodes it,
/// the PDF draws it), so there is nothing to sanitise beyond control characters.
/// </summary>
public static class SituationText
{
    /// <summary>Line ends made \n, control characters (other than line breaks and tabs) removed, trailing space trimmed.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var s = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (c == '\n' || c == '\t' || !char.IsControl(c))
            {
                sb.Append(c == '\t' ? ' ' : c);
            }
        }
        return string.Join('\n', sb.ToString().Split('\n').Select(l => l.TrimEnd())).Trim();
    }

    /// <summary>Paragraphs (separated by a blank line), each as its lines.</summary>
    public static IReadOnlyList<string[]> Paragraphs(string text) =>
        Normalize(text).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('\n', StringSplitOptions.TrimEntries)).ToList();

    /// <summary>The highlights in the reader's language, else along the fallback chain (pap → es → en, pt → es → en), else any.</summary>
    public static (string Text, string Language) Pick(SituationReport? row, string language)
    {
        if (row is null)
        {
            return ("", language);
        }
        foreach (var l in Languages.FallbackChain(language).Concat(Languages.All))
        {
            if (row.Highlights(l).Length > 0)
            {
                return (row.Highlights(l), l);
            }
        }
        return ("", language);
    }
}
