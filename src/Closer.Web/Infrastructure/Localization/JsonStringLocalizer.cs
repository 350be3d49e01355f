using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Infrastructure.Localization;

/// <summary>Marker type for the app's one table of UI strings.</summary>
public sealed class SharedResource;

/// <summary>
/// UI strings: English text is the key; each language has one JSON file in Resources/
/// (<c>strings.{lang}.json</c>, embedded). A missing string falls back along the language's chain
/// and finally to the key itself; a test makes sure nothing is missing.
/// </summary>
public sealed class StringTable
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byLanguage;

    public StringTable()
    {
        var assembly = typeof(StringTable).Assembly;
        var tables = new Dictionary<string, FrozenDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var language in Languages.All)
        {
            using var stream = assembly.GetManifestResourceStream($"Closer.Resources.strings.{language}.json")
                ?? throw new InvalidOperationException($"Resources/strings.{language}.json is not embedded.");
            var entries = JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
            tables[language] = entries.ToFrozenDictionary(StringComparer.Ordinal);
        }
        _byLanguage = tables.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, string> Entries(string language) => _byLanguage[language];

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
}

public sealed class JsonStringLocalizer(StringTable table) : IStringLocalizer
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
}

public sealed class JsonStringLocalizerFactory(StringTable table) : IStringLocalizerFactory
{
    private readonly JsonStringLocalizer _localizer = new(table);
    public IStringLocalizer Create(Type resourceSource) => _localizer;
    public IStringLocalizer Create(string baseName, string location) => _localizer;
}
