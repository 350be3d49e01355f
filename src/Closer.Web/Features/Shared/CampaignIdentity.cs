using Closer.Web.Infrastructure.Localization;

namespace Closer.Web.Features.Shared;

/// <summary>
/// The campaign the public site carries: its name per language and its mark. "Closer" is the platform; a deployment
/// that runs another campaign sets <c>Campaign:Name:{lang}</c> and <c>Campaign:MarkUrl</c> (an SVG or PNG it serves)
/// instead of changing code. Without them the site shows One Step Closer and its own mark.
/// </summary>
public sealed class CampaignIdentity(IConfiguration configuration)
{
    public const string Platform = "Closer";

    private static readonly Dictionary<string, string> Defaults = new(StringComparer.Ordinal)
    {
        [Languages.English] = "One Step Closer",
        [Languages.Spanish] = "Acortemos Distancias",
        [Languages.Portuguese] = "Reduzindo a Distância",
        [Languages.Papiamentu] = "Un Paso Mas Serka",
    };

    /// <summary>The campaign's name in a language; a configured name wins, then the configured English one, then the default.</summary>
    public string Name(string language) =>
        Configured($"Campaign:Name:{language}") ?? (HasConfiguredName ? Configured($"Campaign:Name:{Languages.English}") : null)
        ?? Defaults.GetValueOrDefault(language, Defaults[Languages.English]);

    /// <summary>The address of a configured mark, or null for the built-in one (drawn inline: no extra request).</summary>
    public string? MarkUrl => Configured("Campaign:MarkUrl");

    private bool HasConfiguredName => configuration.GetSection("Campaign:Name").GetChildren().Any();

    private string? Configured(string key) => configuration[key] is { Length: > 0 and <= 80 } value ? value.Trim() : null;
}
