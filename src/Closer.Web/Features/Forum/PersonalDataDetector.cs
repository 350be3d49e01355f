using System.Text.RegularExpressions;

namespace Closer.Web.Features.Forum;

/// <summary>
/// Finds what looks like personal data in a post: e-mail addresses, phone numbers and identity numbers
/// (cédula, DNI, CPF, RUT, passport, PEP/PPT...). A hit holds the post for a moderator; it does not reject it,
/// so a false positive costs a short wait, never a lost post.
/// </summary>
public static partial class PersonalDataDetector
{
    public const string Email = "email";
    public const string Phone = "phone";
    public const string IdNumber = "id-number";

    public static IReadOnlyList<string> Detect(string? text)
    {
        var found = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return found;
        }
        if (EmailPattern().IsMatch(text))
        {
            found.Add(Email);
        }
        if (IdKeywordPattern().IsMatch(text) || VenezuelanIdPattern().IsMatch(text) || CpfPattern().IsMatch(text)
            || RutPattern().IsMatch(text) || PassportPattern().IsMatch(text))
        {
            found.Add(IdNumber);
        }
        if (PhonePattern().Matches(text).Any(m => LooksLikePhone(m.Value)))
        {
            found.Add(Phone);
        }
        return found;
    }

    private static bool LooksLikePhone(string candidate)
    {
        var digits = candidate.Count(char.IsAsciiDigit);
        if (digits < 7 || digits > 15)
        {
            return false;
        }
        // 1.842.390 or 7,774,494 are figures, not phone numbers; a leading + is always a phone.
        if (!candidate.StartsWith('+') && (ThousandsPattern().IsMatch(candidate.Trim()) || DatePattern().IsMatch(candidate.Trim())))
        {
            return false;
        }
        return candidate.StartsWith('+') || digits >= 8 || candidate.Contains('-', StringComparison.Ordinal) || candidate.Contains(' ', StringComparison.Ordinal);
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    // A phone: optional +, then digits with single spaces, dots, dashes or parentheses between them.
    [GeneratedRegex(@"(?<![\w.,])\+?\(?\d(?:[\d]|[ .\-()](?=\(?\d)){6,20}\d?(?![\w])", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    // 2021-11-25, 25.11.2021, 25-11-2021: dates.
    [GeneratedRegex(@"^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ThousandsPattern();

    // "cédula 12345678", "C.I. V-12.345.678", "DNI: 45678912", "pasaporte nº 123456789", "PPT 1234567"...
    [GeneratedRegex(@"\b(?:c[ée]dula|c\.\s?i\.|ci|dni|rut|run|cpf|rg|rnm|crnm|pasaporte|passaporte|passport|pep|ppt|id|identidad|identity|documento|document)\b[^\d\n]{0,15}[A-Za-z]?-?\s?\d[\d.\s-]{4,14}\d", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IdKeywordPattern();

    [GeneratedRegex(@"\b[VvEe]-\s?\d{1,2}\.?\d{3}\.?\d{3}\b", RegexOptions.CultureInvariant)]
    private static partial Regex VenezuelanIdPattern();

    [GeneratedRegex(@"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b", RegexOptions.CultureInvariant)]
    private static partial Regex CpfPattern();

    [GeneratedRegex(@"\b\d{1,2}\.\d{3}\.\d{3}-[\dkK]\b", RegexOptions.CultureInvariant)]
    private static partial Regex RutPattern();

    // Passport-like: one or two capital letters and 6 to 9 digits (AB1234567).
    [GeneratedRegex(@"\b[A-Z]{1,2}\d{6,9}\b", RegexOptions.CultureInvariant)]
    private static partial Regex PassportPattern();
}
