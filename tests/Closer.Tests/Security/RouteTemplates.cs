using System.Text.RegularExpressions;

namespace Closer.Tests.Security;

/// <summary>Turns an endpoint's route template into a path the security suites can request.</summary>
public static partial class RouteTemplates
{
    /// <summary>Fills every {parameter}: the language with "en", any other with <paramref name="value"/> (given the parameter text).</summary>
    public static string Fill(string template, Func<string, string> value) =>
        "/" + Parameter().Replace(template.TrimStart('/'), m =>
            m.Groups[1].Value.StartsWith("lang", StringComparison.Ordinal) ? "en" : value(m.Groups[1].Value));

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex Parameter();
}
