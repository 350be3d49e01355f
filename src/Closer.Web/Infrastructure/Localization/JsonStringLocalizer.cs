using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Infrastructure.Localization;

/// <summary>Marker type for the app's one table of UI strings.</summary>
public sealed class SharedResource;

/// <summary>
/// UI strings: English text is the key; each area of the app has one JSON file per language in
/// Resources/ (<c>{area}.{lang}.json</c>, embedded), so features can add strings without touching each other's files. A missing string falls back along the language's chain
/// and finally to the key itself; a test makes sure nothing is missing.
/// A counted phrase is an object of CLDR plural forms, keyed by its English "other" form:
/// <c>"{0} replies": { "one": "{0} reply", "other": "{0} replies" }</c> (see <see cref="PluralExtensions.Plural"/>).
/// </summary>
public sealed class StringTable
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byLanguage;
    private readonly FrozenDictionary<string, FrozenDictionary<string, FrozenDictionary<PluralCategory, string>>> _plurals;

    public StringTable()
    {
        var assembly = typeof(StringTable).Assembly;
        var tables = Languages.All.ToDictionary(l => l, _ => new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var plurals = Languages.All.ToDictionary(l => l, _ => new Dictionary<string, FrozenDictionary<PluralCategory, string>>(StringComparer.Ordinal), StringComparer.Ordinal);
        var files = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        // Resources/{area}.{lang}.json: one file per area of the app and language, merged into one table per language.
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var parts = name[Prefix.Length..].Split('.');
            if (parts is not [var area, var language, "json"] || !tables.TryGetValue(language, out var table))
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(name)!;
            foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(stream) ?? [])
            {
                if (value.ValueKind == JsonValueKind.Object)
                {
                    var forms = PluralForms(name, key, value);
                    plurals[language][key] = forms;
                    // Plain look-ups (and the completeness tests) see a counted phrase by its "other" form.
                    table[key] = forms[PluralCategory.Other];
                }
                else
                {
                    table[key] = value.GetString() ?? throw new InvalidOperationException($"{name}: '{key}' is not a string.");
                    plurals[language].Remove(key);
                }
            }
            if (!files.TryGetValue(area, out var languages))
            {
                files[area] = languages = new HashSet<string>(StringComparer.Ordinal);
            }
            languages.Add(language);
        }
        Areas = files.ToDictionary(f => f.Key, f => (IReadOnlySet<string>)f.Value, StringComparer.Ordinal);
        _byLanguage = tables.ToFrozenDictionary(t => t.Key, t => t.Value.ToFrozenDictionary(StringComparer.Ordinal), StringComparer.Ordinal);
        _plurals = plurals.ToFrozenDictionary(t => t.Key, t => t.Value.ToFrozenDictionary(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    private const string Prefix = "Closer.Resources.";

    private static readonly FrozenDictionary<string, PluralCategory> CategoryNames =
        Enum.GetValues<PluralCategory>().ToFrozenDictionary(c => c.ToString().ToLowerInvariant(), StringComparer.Ordinal);

    private static FrozenDictionary<PluralCategory, string> PluralForms(string file, string key, JsonElement value)
    {
        var forms = new Dictionary<PluralCategory, string>();
        foreach (var form in value.EnumerateObject())
        {
            if (!CategoryNames.TryGetValue(form.Name, out var category) || form.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidOperationException($"{file}: '{key}' has '{form.Name}', which is not a CLDR plural category (zero, one, two, few, many, other) with a string.");
            }
            forms[category] = form.Value.GetString()!;
        }
        if (!forms.ContainsKey(PluralCategory.Other))
        {
            throw new InvalidOperationException($"{file}: '{key}' has no 'other' form.");
        }
        return forms.ToFrozenDictionary();
    }

    /// <summary>The resource areas found, each with the languages it has a file for.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Areas { get; }

    /// <summary>Every entry of a language; a counted phrase by its "other" form.</summary>
    public IReadOnlyDictionary<string, string> Entries(string language) => _byLanguage[language];

    /// <summary>The counted phrases of a language, each with its plural forms.</summary>
    public IReadOnlyDictionary<string, FrozenDictionary<PluralCategory, string>> Plurals(string language) => _plurals[language];

    public (string Value, bool Found) Lookup(string key, string language)
    {
        foreach (var candidate in Languages.FallbackChain(language))
        {
            if (_byLanguage[candidate].TryGetValue(key, out var value))
            {
                return (value, candidate == language);
            }
        }
        return (key, false);
    }

    /// <summary>
    /// The form of a counted phrase for <paramref name="count"/>, chosen by the rules of the language it is found in
    /// (a fallback language's forms follow its own rules); null when no language of the chain has the phrase.
    /// </summary>
    public (string Value, bool Found)? LookupPlural(string key, long count, string language)
    {
        foreach (var candidate in Languages.FallbackChain(language))
        {
            if (_plurals[candidate].TryGetValue(key, out var forms))
            {
                var value = forms.TryGetValue(PluralRules.Category(candidate, count), out var form) ? form : forms[PluralCategory.Other];
                return (value, candidate == language);
            }
        }
        return null;
    }
}

public sealed class JsonStringLocalizer(StringTable table) : IPluralStringLocalizer
{
    public LocalizedString this[string name]
    {
        get
        {
            var (value, found) = table.Lookup(name, Languages.Current);
            return new LocalizedString(name, value, resourceNotFound: !found);
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var s = this[name];
            return new LocalizedString(name, string.Format(System.Globalization.CultureInfo.CurrentCulture, s.Value, arguments), s.ResourceNotFound);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        table.Entries(Languages.Current).Select(e => new LocalizedString(e.Key, e.Value));

    public LocalizedString Plural(long count, string one, string other, object[] arguments)
    {
        var (value, found) = table.LookupPlural(other, count, Languages.Current)
            ?? (PluralRules.Category(Languages.English, count) == PluralCategory.One ? one : other, false);
        return new LocalizedString(other, string.Format(System.Globalization.CultureInfo.CurrentCulture, value, arguments), !found);
    }
}

/// <summary>The app's localizer as <see cref="IStringLocalizer{T}"/>, so that pages and services can ask it for plural forms.</summary>
public sealed class JsonStringLocalizer<T>(JsonStringLocalizer inner) : IStringLocalizer<T>, IPluralStringLocalizer
{
    public LocalizedString this[string name] => inner[name];
    public LocalizedString this[string name, params object[] arguments] => inner[name, arguments];
    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => inner.GetAllStrings(includeParentCultures);
    public LocalizedString Plural(long count, string one, string other, object[] arguments) => inner.Plural(count, one, other, arguments);
}

public sealed class JsonStringLocalizerFactory(JsonStringLocalizer localizer) : IStringLocalizerFactory
{
    public IStringLocalizer Create(Type resourceSource) => localizer;
    public IStringLocalizer Create(string baseName, string location) => localizer;
}
