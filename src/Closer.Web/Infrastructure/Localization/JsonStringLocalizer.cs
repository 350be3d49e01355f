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
/// </summary>
public sealed class StringTable
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byLanguage;

    public StringTable()
    {
        var assembly = typeof(StringTable).Assembly;
        var tables = Languages.All.ToDictionary(l => l, _ => new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
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
            foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [])
            {
                table[key] = value;
            }
            if (!files.TryGetValue(area, out var languages))
            {
                files[area] = languages = new HashSet<string>(StringComparer.Ordinal);
            }
            languages.Add(language);
        }
        Areas = files.ToDictionary(f => f.Key, f => (IReadOnlySet<string>)f.Value, StringComparer.Ordinal);
        _byLanguage = tables.ToFrozenDictionary(t => t.Key, t => t.Value.ToFrozenDictionary(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    private const string Prefix = "Closer.Resources.";

    /// <summary>The resource areas found, each with the languages it has a file for.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Areas { get; }

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
