namespace Closer.Web.Features.Campaign.Sharing;

/// <summary>What one share block offers: the page (or anchor) to share, its title, and the heading above the links.</summary>
/// <param name="Path">Site-relative address, possibly with a #fragment (facts and videos live as anchors on a list page).</param>
/// <param name="Heading">The English key of what the block says ("Share this story", …).</param>
/// <param name="Id">Unique per page, so several blocks (one per fact) keep their ids and status regions apart.</param>
/// <param name="Compact">No heading element (a fact card has no heading level to sit under): the list is labelled instead.</param>
public sealed record ShareView(string Path, string Title, string Heading, string Id, bool Compact = false)
{
    /// <summary>The networks, in the order shown, with the <c>ref</c> each link adds so a visit can say where it came from (no cookie).</summary>
    public static readonly IReadOnlyList<string> Networks = ["whatsapp", "telegram", "facebook", "x", "email"];

    /// <summary>The absolute address to share: <paramref name="origin"/> + path, with <c>ref=</c> before the fragment.</summary>
    public string Url(string origin, string via)
    {
        var hash = Path.IndexOf('#', StringComparison.Ordinal);
        var (path, fragment) = hash < 0 ? (Path, "") : (Path[..hash], Path[hash..]);
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{origin}{path}{separator}ref={Uri.EscapeDataString(via)}{fragment}";
    }

    /// <summary>The plain link of a network: the address and title go in its own sharing URL; nothing of theirs loads on our page.</summary>
    public string Link(string origin, string network)
    {
        var url = Uri.EscapeDataString(Url(origin, network));
        var title = Uri.EscapeDataString(Title);
        return network switch
        {
            "whatsapp" => $"https://wa.me/?text={title}%20{url}",
            "telegram" => $"https://t.me/share/url?url={url}&text={title}",
            "facebook" => $"https://www.facebook.com/sharer/sharer.php?u={url}",
            "x" => $"https://x.com/intent/post?url={url}&text={title}",
            "email" => $"mailto:?subject={title}&body={title}%0A%0A{url}",
            _ => throw new ArgumentOutOfRangeException(nameof(network), network, "Unknown network."),
        };
    }

    public static string Label(string network) => network switch
    {
        "whatsapp" => "WhatsApp",
        "telegram" => "Telegram",
        "facebook" => "Facebook",
        "x" => "X",
        _ => "",
    };
}
