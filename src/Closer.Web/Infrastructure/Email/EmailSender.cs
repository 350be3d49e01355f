using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Closer.Web.Infrastructure.Email;

/// <summary>An e-mail, always with a plain-text part; HTML is optional.</summary>
public sealed record EmailMessage(string To, string Subject, string Text, string? Html = null, string? UnsubscribeUrl = null)
{
    /// <summary>
    /// A stable identity for the message (the outbox row): the pickup file is named after it and SMTP gets it as
    /// Message-ID, so a message retried after a crash replaces itself rather than arriving twice where that can be told.
    /// </summary>
    public string? MessageId { get; init; }
}

public sealed class EmailOptions
{
    public string From { get; set; } = "Closer <no-reply@closer.invalid>";
    /// <summary>Where messages go when no SMTP host is configured: one .eml file each (relative to the content root).</summary>
    public string PickupDirectory { get; set; } = "data/mail-pickup";
    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? User { get; set; }
    public string? Password { get; set; }
    public bool StartTls { get; set; } = true;
}

public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}

/// <summary>Sends through SMTP (MailKit) when a host is configured, else writes .eml files to the pickup folder.</summary>
public sealed class MailKitEmailSender(
    Microsoft.Extensions.Options.IOptions<EmailOptions> options, IWebHostEnvironment env, TimeProvider time) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var mime = Build(message, o.From, time.GetUtcNow());
        if (string.IsNullOrWhiteSpace(o.Smtp.Host))
        {
            var dir = Path.IsPathRooted(o.PickupDirectory) ? o.PickupDirectory : Path.Combine(env.ContentRootPath, o.PickupDirectory);
            Directory.CreateDirectory(dir);
            var name = message.MessageId is { } id ? $"{id}.eml" : $"{time.GetUtcNow():yyyyMMddHHmmssfff}-{Guid.NewGuid():N}.eml";
            // Written beside, then moved: a reader never sees half a message, and a retry replaces, not duplicates.
            var temp = Path.Combine(dir, name + ".tmp");
            await mime.WriteToAsync(temp, cancellationToken);
            File.Move(temp, Path.Combine(dir, name), overwrite: true);
            return;
        }
        using var client = new SmtpClient();
        await client.ConnectAsync(o.Smtp.Host, o.Smtp.Port, o.Smtp.StartTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, cancellationToken);
        if (!string.IsNullOrEmpty(o.Smtp.User))
        {
            await client.AuthenticateAsync(o.Smtp.User, o.Smtp.Password ?? "", cancellationToken);
        }
        await client.SendAsync(mime, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }

    public static MimeMessage Build(EmailMessage message, string from, DateTimeOffset date)
    {
        var mime = new MimeMessage { Subject = message.Subject, Date = date };
        if (message.MessageId is { } id)
        {
            mime.MessageId = $"{id}@closer.invalid";
        }
        mime.From.Add(MailboxAddress.Parse(from));
        mime.To.Add(MailboxAddress.Parse(message.To));
        if (message.UnsubscribeUrl is not null)
        {
            mime.Headers.Add("List-Unsubscribe", $"<{message.UnsubscribeUrl}>");
            mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        var body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html };
        mime.Body = body.ToMessageBody();
        return mime;
    }
}
