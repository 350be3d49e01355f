namespace Closer.Tests.Infrastructure.Text;

/// <summary>Text that breaks code which treats a UTF-16 unit as a character: every text field is fed this.</summary>
public static class UnicodeCorpus
{
    public static readonly string[] Samples =
    [
        "😀",
        "Historias 😀 de vecinos",
        "👩🏽‍💻 programadora",                 // skin tone and zero-width joiner
        "🇨🇴🇻🇪 fronteras",                    // regional-indicator flags
        "Cafe\u0301 cone\u0301ctate",          // combining acute accents
        "a\u0308\u0304\u0301 stacked marks",   // several marks on one letter
        "\u202Egnp.exe\u202C reversed",        // right-to-left override
        "مرحبا بالجيران",                      // right-to-left script
        "zero\u200Bwidth\u200Cjoin\u200Dthe\uFEFFend",
        "𝔐𝔞𝔱𝔥 letters 𐍈",                   // letters outside the BMP
        string.Concat(Enumerable.Repeat("😀", 120)), // 240 UTF-16 units: past most limits
    ];

    /// <summary>True when <paramref name="text"/> holds a surrogate that is not half of a pair (broken text).</summary>
    public static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }
        return false;
    }
}
