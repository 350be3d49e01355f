using System.Globalization;
using System.Net;
using Closer.Web.Features.Notifications;
using Closer.Web.Features.Shared;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Email;
using Closer.Web.Infrastructure.Jobs;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Campaign.Pledges;

/// <summary>What a signed supporter link does.</summary>
public enum SupporterAction
{
    Confirm,
    Unsubscribe,
}

public sealed record SourceCount(string? Source, long Pledges);

public sealed record SupporterCounts(long Pending, long Confirmed, long Unsubscribed);

/// <summary>
/// Supporters: pledges that kept an e-mail address with consent. Double opt-in — the address is used for nothing but
/// the confirmation message until its owner follows the link; the confirmation records when, and which version of the
/// consent text in which language was shown. Unconfirmed addresses are erased after <see cref="ConfirmWithin"/>; an
/// unsubscribe erases the address at once and keeps only its date. The pledge itself (country, count) stays.
/// </summary>
public static class Supporters
{
    /// <summary>The version of <see cref="ConsentText"/>: change it whenever the text changes, so each confirmation says what was agreed to.</summary>
    public const string ConsentVersion = "2026-12-v1";

    /// <summary>The consent text ({0}: the campaign's name), shown on the form and again on the confirmation page.</summary>
    public const string ConsentText = "I agree to receive news from {0} by e-mail, and that it keeps my address for that. I can unsubscribe at any time with one click.";

    public static readonly TimeSpan ConfirmWithin = TimeSpan.FromDays(7);

    public static string NewKey() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>Confirms the address a key names (idempotent); false when no kept, subscribed address has that key.</summary>
    public static async Task<bool> ConfirmAsync(CloserDbContext db, string key, string language, DateTimeOffset now, CancellationToken ct)
    {
        var pledge = await db.Pledges.FirstOrDefaultAsync(p => p.SupporterKey == key && p.Email != null && p.UnsubscribedAt == null, ct);
        if (pledge is null)
        {
            return false;
        }
        if (pledge.ConfirmedAt is null)
        {
            pledge.ConfirmedAt = now;
            pledge.ConsentVersion = ConsentVersion;
            pledge.ConsentLanguage = language;
            await db.SaveChangesAsync(ct);
        }
        return true;
    }

    /// <summary>Unsubscribes the address a key names: the address is erased, the date kept. Idempotent; false for an unknown key.</summary>
    public static async Task<bool> UnsubscribeAsync(CloserDbContext db, string key, DateTimeOffset now, CancellationToken ct)
    {
        var pledge = await db.Pledges.FirstOrDefaultAsync(p => p.SupporterKey == key, ct);
        if (pledge is null)
        {
            return false;
        }
        if (pledge.UnsubscribedAt is null)
        {
            pledge.UnsubscribedAt = now;
            pledge.Email = null;
            pledge.EmailConsent = false;
            await db.SaveChangesAsync(ct);
        }
        return true;
    }

    /// <summary>Erases the addresses not confirmed within <see cref="ConfirmWithin"/>; the pledges stay counted. Returns how many.</summary>
    public static Task<int> EraseUnconfirmedAsync(CloserDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var before = now - ConfirmWithin;
        return db.Pledges.Where(p => p.Email != null && p.ConfirmedAt == null && p.CreatedAt < before)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Email, (string?)null).SetProperty(p => p.EmailConsent, false)
                .SetProperty(p => p.SupporterKey, (string?)null), ct);
    }

    /// <summary>The address list campaign staff may use: confirmed and not unsubscribed, oldest first.</summary>
    public static async Task<List<Pledge>> ConfirmedAsync(CloserDbContext db, CancellationToken ct) =>
        (await db.Pledges.AsNoTracking().Where(p => p.Email != null && p.ConfirmedAt != null && p.UnsubscribedAt == null).ToListAsync(ct))
            .OrderBy(p => p.ConfirmedAt).ThenBy(p => p.Id).ToList();

    public static async Task<SupporterCounts> CountsAsync(CloserDbContext db, CancellationToken ct) => new(
        await db.Pledges.LongCountAsync(p => p.Email != null && p.ConfirmedAt == null, ct),
        await db.Pledges.LongCountAsync(p => p.Email != null && p.ConfirmedAt != null && p.UnsubscribedAt == null, ct),
        await db.Pledges.LongCountAsync(p => p.UnsubscribedAt != null, ct));

    /// <summary>The CSV of <see cref="ConfirmedAsync"/>: formula-guarded cells, ISO dates, UTF-8 with a byte-order mark.</summary>
    public static byte[] Csv(IEnumerable<Pledge> supporters)
    {
        IReadOnlyList<string?> header = ["email", "first_name", "country", "language", "confirmed_at", "consent_version", "consent_language", "source"];
        var rows = supporters.Select(p => (IReadOnlyList<string?>)new[]
        {
            p.Email, p.FirstName, p.CountryIso3.Trim(), p.Language, TabularCells.Text(p.ConfirmedAt), p.ConsentVersion, p.ConsentLanguage, p.Source,
        }.Select(v => v is null ? null : FormulaGuard.Neutralise(v)).ToList());
        return TabularCsv.WriteRows(rows.Prepend(header));
    }

    /// <summary>Pledges per source (null: none given), most first.</summary>
    public static async Task<List<SourceCount>> SourcesAsync(CloserDbContext db, CancellationToken ct) =>
        (await db.Pledges.AsNoTracking().GroupBy(p => p.Source).Select(g => new SourceCount(g.Key, g.LongCount())).ToListAsync(ct))
            .OrderByDescending(s => s.Pledges).ThenBy(s => s.Source, StringComparer.Ordinal).ToList();

    /// <summary>
    /// A <c>ref</c>/<c>utm_source</c> value as it is counted: lower case, letters, digits, '.', '_' and '-' only, at most
    /// 40 characters; anything else (or nothing) is null — the count is for campaign staff, not a place for free text.
    /// </summary>
    public static string? NormaliseSource(string? raw)
    {
        var s = raw?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(s) || s.Length > 40 || !s.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-'))
        {
            return null;
        }
        return s;
    }
}

/// <summary>Signed, non-expiring supporter links: they name one pledge's random key and one action, and nobody can forge one.</summary>
public sealed class SupporterTokens(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Closer.Campaign.Supporters.v1");

    public string Create(SupporterAction action, string key) => SignedTokens.Create(_protector, action.ToString(), key);

    /// <summary>The key a genuine token for this action names, else null.</summary>
    public string? Read(SupporterAction action, string? token) =>
        SignedTokens.Read(_protector, token) is [var a, var key] && a == action.ToString() && key.Length == 32 ? key : null;
}

/// <summary>The double opt-in message, in the supporter's language, with a one-click unsubscribe (also as List-Unsubscribe, RFC 8058).</summary>
public sealed class SupporterMail(IStringLocalizer<SharedResource> t, SupporterTokens tokens, CampaignIdentity identity, IConfiguration configuration)
{
    private string Base => PublicSite.BaseUrl(configuration);

    public string Link(SupporterAction action, string language, string key) =>
        $"{Base}/{language}/pledge/{(action == SupporterAction.Confirm ? "confirm" : "unsubscribe")}?token={Uri.EscapeDataString(tokens.Create(action, key))}";

    public EmailMessage Confirmation(string to, string language, string key) => Languages.InCulture(language, () =>
    {
        var name = identity.Name(language);
        var confirm = Link(SupporterAction.Confirm, language, key);
        var unsubscribe = Link(SupporterAction.Unsubscribe, language, key);
        var subject = string.Format(CultureInfo.CurrentCulture, t["Confirm your e-mail address for {0}"], name);
        var intro = t["Thank you for taking a step closer. You asked to hear from the campaign: please confirm your e-mail address with the link below."].Value;
        var why = t["If you did not ask for this, ignore this message: without confirmation we send nothing else and delete the address after 7 days."].Value;
        var confirmLabel = t["Confirm my address"].Value;
        var stop = t["Unsubscribe"].Value;
        var text = $"{intro}\n\n{confirmLabel}: {confirm}\n\n{why}\n\n-- \n{stop}: {unsubscribe}\n";
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = $"<!DOCTYPE html><html lang=\"{E(language)}\"><head><meta charset=\"utf-8\"><title>{E(subject)}</title></head><body>"
            + $"<p>{E(intro)}</p><p><a href=\"{E(confirm)}\">{E(confirmLabel)}</a></p><p>{E(why)}</p><hr>"
            + $"<p><a href=\"{E(unsubscribe)}\">{E(stop)}</a></p></body></html>";
        return new EmailMessage(to, subject, text, html, unsubscribe);
    });
}

/// <summary>Erases unconfirmed supporter addresses once they are <see cref="Supporters.ConfirmWithin"/> old, every hour, on every node (erasing twice erases nothing).</summary>
public sealed class SupporterCleanup(IServiceProvider services, TimeProvider time, ILogger<SupporterCleanup> logger) : HostedJob(services, time, logger)
{
    public override string Name => "supporter-cleanup";
    protected override TimeSpan Interval => TimeSpan.FromHours(1);
    protected override JobStart Start => JobStart.AfterInterval;

    protected override Task<int> RunAsync(IServiceProvider scope, CancellationToken ct) =>
        Supporters.EraseUnconfirmedAsync(scope.GetRequiredService<CloserDbContext>(), Time.GetUtcNow(), ct);
}

public static class SupporterOutbox
{
    /// <summary>Adds the confirmation message to the pledge's unit of work: it exists if and only if the pledge does.</summary>
    public static void EnqueueConfirmation(this CloserDbContext db, SupporterMail mail, TimeProvider time, Pledge pledge) =>
        db.Enqueue(mail.Confirmation(pledge.Email!, pledge.Language, pledge.SupporterKey!), time);
}
