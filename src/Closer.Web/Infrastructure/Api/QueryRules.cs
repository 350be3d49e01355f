using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Closer.Web.Infrastructure.Api;

/// <summary>The directories a code parameter may name.</summary>
public enum CodeList
{
    /// <summary>The response's countries (ISO 3166-1 alpha-3).</summary>
    Countries,
    /// <summary>Sectors and sub-sectors of the plan (EDU, PRO, PRO-CP…).</summary>
    Sectors,
}

/// <summary>Endpoint metadata: the values a query parameter takes (compared ignoring case), documented as the parameter's enum.</summary>
public sealed record QueryValues(string Name, IReadOnlyList<string> Values);

/// <summary>Endpoint metadata: a query parameter written in one shape (<paramref name="Shape"/> says which, e.g. YYYY-MM), documented as its pattern.</summary>
public sealed record QueryPattern(string Name, string Pattern, string Shape);

/// <summary>
/// Endpoint metadata: a query parameter that names codes of a directory (comma-separated or repeated), plus
/// <paramref name="Also"/> (words the endpoint takes besides codes, such as REGIONAL). A code the directory does not know is
/// a 400; a code it knows that has no data is an empty answer. <paramref name="Description"/> is the parameter's text in the
/// OpenAPI document.
/// </summary>
public sealed record QueryCodes(string Name, CodeList List, string Description, IReadOnlyList<string> Also);

/// <summary>The codes of the directories (<see cref="CodeList"/>); the feature that owns them registers it.</summary>
public interface ICodeDirectory
{
    /// <summary>The first of <paramref name="codes"/> that <paramref name="list"/> does not hold (ignoring case), or null.</summary>
    Task<string?> FirstUnknownAsync(CodeList list, IReadOnlyList<string> codes, CancellationToken ct);
}

/// <summary>
/// What an endpoint declares about its query parameters beyond their names: a closed list of values, a shape, codes of a
/// directory. <see cref="ApiContract"/> refuses anything else with a 400 problem before the handler runs, and the OpenAPI
/// document describes the same metadata, so the two cannot drift.
/// </summary>
public static class QueryRules
{
    /// <summary>The parameter takes one of <paramref name="values"/> (ignoring case).</summary>
    public static TBuilder OneOf<TBuilder>(this TBuilder builder, string name, IEnumerable<string> values) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new QueryValues(name, [.. values]));

    /// <summary>The parameter is written as <paramref name="pattern"/> (a regular expression of the whole value), described as <paramref name="shape"/>.</summary>
    public static TBuilder Shaped<TBuilder>(this TBuilder builder, string name, string pattern, string shape) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new QueryPattern(name, pattern, shape));

    /// <summary>The parameter names countries of the directory (comma-separated or repeated), or one of <paramref name="also"/>.</summary>
    public static TBuilder CountryCodes<TBuilder>(this TBuilder builder, string name = "country", params string[] also) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new QueryCodes(name, CodeList.Countries,
            "Country, its ISO 3166-1 alpha-3 code (such as COL); a code that is not one of the response's countries is a 400"
            + (also.Length > 0 ? $"; also {string.Join(", ", also)}" : ""), also));

    /// <summary>The parameter names sectors of the directory; <paramref name="withSubSectors"/>: a main sector includes its sub-sectors.</summary>
    public static TBuilder SectorCodes<TBuilder>(this TBuilder builder, bool withSubSectors, string name = "sector") where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new QueryCodes(name, CodeList.Sectors,
            "Sector, its code (such as HEA or PRO-CP)"
            + (withSubSectors ? "; a main sector (such as PRO) includes its sub-sectors (PRO-CP, PRO-GBV, PRO-HTS)" : "")
            + "; a code that is not a sector of the plan is a 400", []));

    /// <summary>Month of a report, YYYY-MM.</summary>
    public const string MonthPattern = @"^\d{4}-(0[1-9]|1[0-2])$";

    private static readonly ConcurrentDictionary<Type, Func<string, bool>?> Parsers = new();

    /// <summary>
    /// Whether <paramref name="value"/> binds to a query parameter of <paramref name="type"/> as minimal APIs bind it
    /// (the type's TryParse with the invariant culture; an empty value is no value). Types without a parser are taken.
    /// </summary>
    public static bool Binds(Type type, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }
        var t = type.IsArray ? type.GetElementType()! : type;
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t == typeof(string) || t == typeof(object) || t == typeof(Microsoft.Extensions.Primitives.StringValues))
        {
            return true;
        }
        return Parsers.GetOrAdd(t, Parser) is not { } parse || parse(value);
    }

    private static Func<string, bool>? Parser(Type t)
    {
        if (t.IsEnum)
        {
            return v => Enum.TryParse(t, v, ignoreCase: true, out _);
        }
        var withProvider = t.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(IFormatProvider), t.MakeByRefType()]);
        if (withProvider is not null && withProvider.ReturnType == typeof(bool))
        {
            return v => (bool)withProvider.Invoke(null, [v, CultureInfo.InvariantCulture, null])!;
        }
        var plain = t.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), t.MakeByRefType()]);
        return plain is not null && plain.ReturnType == typeof(bool) ? v => (bool)plain.Invoke(null, [v, null])! : null;
    }

    /// <summary>The codes of one value of a code parameter: comma-separated, trimmed, empty ones left out.</summary>
    public static IEnumerable<string> Codes(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Whether <paramref name="value"/> has the shape of <paramref name="rule"/> (trimmed; empty is no value).</summary>
    public static bool Matches(QueryPattern rule, string? value) =>
        string.IsNullOrWhiteSpace(value) || Regex.IsMatch(value.Trim(), rule.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
