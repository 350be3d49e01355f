using Closer.Web.Infrastructure.Localization;

namespace Closer.Web.Features.Shared;

/// <summary>
/// The campaign the public site carries: its name per language and its mark. "Closer" is the platform. The name and
/// mark set in the back office (a <see cref="ICampaignIdentitySource"/>, the campaign's identity revisions) win; then a
/// deployment's configuration (<c>Campaign:Name:{lang}</c>, <c>Campaign:MarkUrl</c>); without either the site shows
/// One Step Closer and its own mark.
/// </summary>
public sealed class CampaignIdentity(IConfiguration configuration, IEnumerable<ICampaignIdentitySource> sources)
{
    public const string Platform = "Closer";

    private readonly ICampaignIdentitySource? _source = sources.FirstOrDefault();

    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Languages.English] = "One Step Closer",
        [Languages.Spanish] = "Acortemos Distancias",
        [Languages.Portuguese] = "Reduzindo a Distância",
        [Languages.Papiamentu] = "Un Paso Mas Serka",
    };

    /// <summary>The campaign's name in a language: the back office's, else a configured name (then the configured English one), else the default.</summary>
    public string Name(string language) =>
        _source?.Current?.Names.GetValueOrDefault(language) is { Length: > 0 } stored ? stored : ConfiguredName(language);

    /// <summary>The name from configuration or the defaults, ignoring the back office (what a new identity starts from).</summary>
    public string ConfiguredName(string language) =>
        Configured($"Campaign:Name:{language}") ?? (HasConfiguredName ? Configured($"Campaign:Name:{Languages.English}") : null)
        ?? Defaults.GetValueOrDefault(language, Defaults[Languages.English]);

    /// <summary>The address of the mark the back office set or the configuration names, or null for the built-in one (drawn inline: no extra request).</summary>
    public string? MarkUrl => _source?.Current is { } current ? current.MarkUrl : Configured("Campaign:MarkUrl");

    private bool HasConfiguredName => configuration.GetSection("Campaign:Name").GetChildren().Any();

    private string? Configured(string key) => configuration[key] is { Length: > 0 and <= 80 } value ? value.Trim() : null;
}

/// <summary>Where the name and mark set in the back office come from (the campaign feature), so this foundation type does not depend on it.</summary>
public interface ICampaignIdentitySource
{
    /// <summary>The identity set in the back office, or null when none was ever saved.</summary>
    CampaignIdentityValues? Current { get; }
}

/// <summary>A saved identity: the names per language and the mark's address (null: the built-in mark).</summary>
public sealed record CampaignIdentityValues(IReadOnlyDictionary<string, string> Names, string? MarkUrl);
