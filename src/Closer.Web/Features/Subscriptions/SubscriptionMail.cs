using System.Globalization;
using System.Net;
using System.Text;
using Closer.Web.Infrastructure.Email;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Subscriptions;

public sealed class SubscriptionOptions
{
    /// <summary>The site's public address in e-mails (links, unsubscribe). Use https in production: RFC 8058 requires it.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";
    /// <summary>Run the digest and reminder job on this node (every node may: dedup keys keep them apart).</summary>
    public bool SchedulerEnabled { get; set; } = true;
    public int SchedulerIntervalMinutes { get; set; } = 15;
    public ReminderOptions Reminders { get; set; } = new();
}

/// <summary>What an unsubscribe link stops: followed updates (documents, forum) or reporting reminders.</summary>
public enum UnsubscribeKind
{
    Updates,
    Reminders,
}

public sealed record UnsubscribeRequest(string UserId, UnsubscribeKind Kind);

/// <summary>Signed, non-expiring unsubscribe tokens: they name one person and one kind of mail, and nobody can forge one.</summary>
public sealed class SubscriptionTokens(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Closer.Subscriptions.Unsubscribe.v1");

    public string Create(string userId, UnsubscribeKind kind) => SignedTokens.Create(_protector, userId, kind.ToString());

    public UnsubscribeRequest? Read(string? token) =>
        SignedTokens.Read(_protector, token) is [var user, var k] && Enum.TryParse<UnsubscribeKind>(k, out var kind)
            ? new UnsubscribeRequest(user, kind)
            : null;
}

/// <summary>One entry of an e-mail: a linked title, a line of detail and, for one thing in several files, its other links (a situation report's four PDFs).</summary>
public sealed record MailItem(string Title, string Url, string? Detail = null, IReadOnlyList<MailLink>? Links = null);

public sealed record MailLink(string Label, string Url);

public sealed record MailContent(string Subject, string Intro, IReadOnlyList<MailItem> Items, string Why);

/// <summary>
/// Writes every subscription e-mail the same way: in the recipient's language, a plain-text and an HTML part,
/// a link to the preferences page and a one-click unsubscribe link (also as the List-Unsubscribe header).
/// </summary>
public sealed class SubscriptionMail(IStringLocalizer<SharedResource> t, SubscriptionTokens tokens, IOptions<SubscriptionOptions> options)
{
    public string Base => options.Value.PublicBaseUrl.TrimEnd('/');

    public string UnsubscribeUrl(string language, string userId, UnsubscribeKind kind) =>
        $"{Base}/{language}/subscriptions/unsubscribe?token={Uri.EscapeDataString(tokens.Create(userId, kind))}";

    public static string LanguageOf(SubscriptionSettings? settings, string? preferred) =>
        Languages.IsSupported(settings?.Language) ? settings!.Language! : Languages.IsSupported(preferred) ? preferred! : Languages.Default;

    /// <summary>A UI string in the current (recipient's) culture.</summary>
    public string S(string key) => t[key];

    /// <summary>A counted phrase in the current (recipient's) culture: {0} is the count, {1}… the arguments.</summary>
    public string Plural(long count, string one, string other, params object[] args) => t.Plural(count, one, other, args);

    /// <summary>Formats a localized pattern (from <see cref="S"/>) with the current culture.</summary>
    public static string F(string format, params object[] args) => string.Format(CultureInfo.CurrentCulture, format, args);

    /// <summary>Builds the message with the recipient's culture current, so strings, dates and numbers are theirs.</summary>
    public EmailMessage Compose(string to, string language, string userId, UnsubscribeKind kind, Func<MailContent> build) => Languages.InCulture(language, () =>
    {
        var content = build();
        var unsubscribe = UnsubscribeUrl(language, userId, kind);
        var manage = $"{Base}/account/subscriptions?lang={language}";
        var stop = kind == UnsubscribeKind.Reminders ? S("Stop reporting reminders") : S("Stop these e-mails");
        var text = new StringBuilder().AppendLine(content.Intro).AppendLine();
        foreach (var item in content.Items)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {item.Title}");
            if (item.Detail is { Length: > 0 } d)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {d}");
            }
            text.AppendLine(CultureInfo.InvariantCulture, $"  {item.Url}");
            foreach (var link in item.Links ?? [])
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {link.Label}: {link.Url}");
            }
        }
        text.AppendLine().AppendLine("-- ").AppendLine(content.Why)
            .AppendLine(CultureInfo.InvariantCulture, $"{S("Manage your e-mail")}: {manage}")
            .AppendLine(CultureInfo.InvariantCulture, $"{stop}: {unsubscribe}");

        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"{E(language)}\"><head><meta charset=\"utf-8\"><title>{E(content.Subject)}</title></head><body>")
            .Append(CultureInfo.InvariantCulture, $"<p>{E(content.Intro)}</p><ul>");
        foreach (var item in content.Items)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{E(item.Url)}\">{E(item.Title)}</a>");
            if (item.Detail is { Length: > 0 } d)
            {
                html.Append(CultureInfo.InvariantCulture, $"<br>{E(d)}");
            }
            if (item.Links is { Count: > 0 } links)
            {
                html.Append("<br>").AppendJoin(" · ", links.Select(l => $"<a href=\"{E(l.Url)}\">{E(l.Label)}</a>"));
            }
            html.Append("</li>");
        }
        html.Append(CultureInfo.InvariantCulture, $"</ul><hr><p>{E(content.Why)}</p>")
            .Append(CultureInfo.InvariantCulture, $"<p><a href=\"{E(manage)}\">{E(S("Manage your e-mail"))}</a> · <a href=\"{E(unsubscribe)}\">{E(stop)}</a></p></body></html>");
        return new EmailMessage(to, content.Subject, text.ToString(), html.ToString(), unsubscribe);
    });

}
