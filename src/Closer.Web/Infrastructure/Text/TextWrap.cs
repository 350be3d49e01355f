using System.Globalization;
using SkiaSharp;

namespace Closer.Web.Infrastructure.Text;

/// <summary>Lines of drawn text (images and PDFs made with SkiaSharp): one wrapping rule for every picture and page.</summary>
public static class TextWrap
{
    /// <summary>Wraps on spaces and line breaks; a word wider than a line is cut by letters (text elements, so accents stay with their letter).</summary>
    public static List<string> Lines(string text, SKFont font, float maxWidth)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (font.MeasureText(candidate) <= maxWidth)
            {
                current = candidate;
                continue;
            }
            if (current.Length > 0)
            {
                lines.Add(current);
            }
            current = word;
            while (font.MeasureText(current) > maxWidth)
            {
                var cut = Cut(current, font, maxWidth);
                lines.Add(current[..cut]);
                current = current[cut..];
            }
        }
        if (current.Length > 0)
        {
            lines.Add(current);
        }
        return lines;
    }

    private static int Cut(string word, SKFont font, float maxWidth)
    {
        var e = StringInfo.GetTextElementEnumerator(word);
        var end = 0;
        while (e.MoveNext())
        {
            var next = e.ElementIndex + e.GetTextElement().Length;
            if (end > 0 && font.MeasureText(word[..next]) > maxWidth)
            {
                break;
            }
            end = next;
        }
        return Math.Max(1, end);
    }
}
