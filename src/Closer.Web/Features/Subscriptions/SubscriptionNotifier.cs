using System.Globalization;
using Closer.Web.Features.Documents;
using Closer.Web.Features.Forum;
using Closer.Web.Features.Notifications;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Markdown;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Subscriptions;

/// <summary>A follower's address, language and what they follow.</summary>
internal sealed record Recipient(string UserId, string Email, string Language, bool Partner, HashSet<string> Countries, HashSet<string> Sectors,
    HashSet<string> Types, HashSet<int> Spaces)
{
    public bool Follows(Document d) =>
        d.CountryCodes.Any(Countries.Contains) || d.SectorNames.Any(Sectors.Contains) || Types.Contains(d.Type.ToString());

    public bool MaySee(Document d) => d.Visibility == DocumentVisibility.Public || Partner;

    /// <summary>
    /// A country's situation report reaches the country's followers; the region's, everyone who follows any country; both
    /// reach those who follow situation reports as a document type.
    /// </summary>
    public bool FollowsSituationReport(string scope) =>
        Types.Contains(nameof(DocumentType.SituationReport)) || (scope == "region" ? Countries.Count > 0 : Countries.Contains(scope));

    public bool MaySee(ForumSpace s) => s.Visibility == SpaceVisibility.Public || Partner;
}

/// <summary>Immediate e-mail about followed things, written into the outbox in the transaction of the change.</summary>
public sealed class SubscriptionNotifier(SubscriptionMail mail, MarkdownRenderer markdown, TimeProvider time) : IChangeNotifications
{
    public async Task DocumentCreatedAsync(CloserDbContext db, int documentId, CancellationToken ct)
    {
        var doc = await db.Documents.AsNoTracking().Include(d => d.Translations).FirstOrDefaultAsync(d => d.Id == documentId && d.DeletedAt == null, ct);
        if (doc is null)
        {
            return;
        }
        foreach (var r in await RecipientsAsync(db, DeliveryFrequency.Immediate, ct))
        {
            if (r.Follows(doc) && r.MaySee(doc))
            {
                db.Enqueue(mail.Compose(r.Email, r.Language, r.UserId, UnsubscribeKind.Updates, () =>
                {
                    var item = DocumentItem(doc, r.Language);
                    return new MailContent(SubscriptionMail.F(mail.S("New document: {0}"), item.Title), mail.S("A new document matches what you follow:"),
                        [item], mail.S("You get this e-mail because you follow countries, sectors or document types on Closer."));
                }), time, $"doc:{doc.Id}:{r.UserId}");
            }
        }
    }

    public async Task ForumPostPublishedAsync(CloserDbContext db, long postId, CancellationToken ct)
    {
        var post = await db.ForumPosts.AsNoTracking().Include(p => p.Thread).ThenInclude(t => t!.Space).FirstOrDefaultAsync(p => p.Id == postId, ct);
        if (post?.Thread?.Space is not { } space)
        {
            return;
        }
        foreach (var r in await RecipientsAsync(db, DeliveryFrequency.Immediate, ct))
        {
            if (r.Spaces.Contains(space.Id) && r.MaySee(space) && r.UserId != post.AuthorId)
            {
                db.Enqueue(mail.Compose(r.Email, r.Language, r.UserId, UnsubscribeKind.Updates, () => new MailContent(
                    SubscriptionMail.F(mail.S("{0}: new post in “{1}”"), space.Title, post.Thread.Title),
                    SubscriptionMail.F(mail.S("{0} wrote in the forum space “{1}”:"), post.AuthorName, space.Title),
                    [PostItem(post, post.Thread)],
                    mail.S("You get this e-mail because you follow this forum space on Closer.")
                )), time, $"forum:{post.Id}:{r.UserId}");
            }
        }
    }

    public async Task PopulationFigureAddedAsync(CloserDbContext db, string iso3, string asOf, long refugeesAndMigrants, string source, CancellationToken ct)
    {
        var country = await db.Countries.AsNoTracking().FirstOrDefaultAsync(c => c.Iso3 == iso3, ct);
        if (country is null)
        {
            return;
        }
        foreach (var r in await RecipientsAsync(db, DeliveryFrequency.Immediate, ct))
        {
            if (r.Countries.Contains(iso3))
            {
                db.Enqueue(mail.Compose(r.Email, r.Language, r.UserId, UnsubscribeKind.Updates, () =>
                {
                    var item = FigureItem(country, asOf, refugeesAndMigrants, source, r.Language);
                    return new MailContent(item.Title, mail.S("A new population figure for a country you follow:"), [item],
                        mail.S("You get this e-mail because you follow countries, sectors or document types on Closer."));
                }), time, $"figure:{iso3}:{asOf}:{r.UserId}");
            }
        }
    }

    public async Task SituationReportPublishedAsync(CloserDbContext db, string scope, string month, IReadOnlyDictionary<string, int> documents, CancellationToken ct)
    {
        var region = scope == "region";
        var country = region ? null : await db.Countries.AsNoTracking().FirstOrDefaultAsync(c => c.Iso3 == scope, ct);
        if (!region && country is null)
        {
            return;
        }
        foreach (var r in await RecipientsAsync(db, DeliveryFrequency.Immediate, ct))
        {
            if (!r.FollowsSituationReport(scope))
            {
                continue;
            }
            db.Enqueue(mail.Compose(r.Email, r.Language, r.UserId, UnsubscribeKind.Updates, () =>
            {
                var item = SituationItem(scope, month, country, documents, r.Language);
                return new MailContent(item.Title, mail.S("A new situation report has been published:"), [item],
                    mail.S("You get this e-mail because you follow countries, sectors or document types on Closer."));
            }), time, $"sitrep:{scope}:{month}:{r.UserId}");
        }
    }

    /// <summary>
    /// One published situation report as one entry: its page in the reader's language and its PDF in each of the four
    /// languages (archived as four library documents, which must not reach a follower as four separate entries).
    /// </summary>
    internal MailItem SituationItem(string scope, string month, Geography.Country? country, IReadOnlyDictionary<string, int> documents, string language)
    {
        var label = Months.Label(month);
        var title = country is null ? SubscriptionMail.F(mail.S("Regional situation report, {0}"), label)
            : SubscriptionMail.F(mail.S("Situation report: {0}, {1}"), country.Name(language), label);
        var links = Languages.All.Where(documents.ContainsKey)
            .Select(l => new MailLink(SubscriptionMail.F(mail.S("PDF in {0}"), Infrastructure.PageLinks.NativeName(l)), $"{mail.Base}/{l}/documents/{documents[l]}"))
            .ToList();
        return new MailItem(title, $"{mail.Base}/{language}/data/situation/{scope}/{month}",
            mail.S("Key figures, people reached against targets by sector, partners, funding and the coordinator's highlights, from validated reports."), links);
    }

    internal MailItem FigureItem(Geography.Country country, string asOf, long value, string source, string language)
    {
        var month = Months.Label(asOf);
        return new MailItem(
            mail.Plural(value, "{1}: {0} refugee or migrant from Venezuela ({2})", "{1}: {0} refugees and migrants from Venezuela ({2})", country.Name(language), month),
            $"{mail.Base}/{language}/countries/{country.Iso3.Trim()}",
            SubscriptionMail.F(mail.S("Source: {0}"), source));
    }

    internal MailItem DocumentItem(Document doc, string language)
    {
        var (text, _) = DocumentService.Pick(doc.Translations, language);
        var detail = string.Join(" · ", new[] { mail.S(DocumentsFeature.Label(doc.Type)), doc.Date.ToString("D", CultureInfo.CurrentCulture), Excerpt(text.Summary) }
            .Where(s => s.Length > 0));
        return new MailItem(text.Title, $"{mail.Base}/{language}/documents/{doc.Id}", detail);
    }

    internal MailItem PostItem(ForumPost post, ForumThread thread) =>
        new(thread.Title, $"{mail.Base}/{Languages.Current}/forum/threads/{thread.Id}", $"{post.AuthorName}: {Excerpt(markdown.ToPlainText(post.Body))}");

    private static string Excerpt(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 197), "…");

    /// <summary>Everyone enrolled with the given frequency and an address, with their follows and whether they are partners.</summary>
    internal static async Task<List<Recipient>> RecipientsAsync(CloserDbContext db, DeliveryFrequency frequency, CancellationToken ct)
    {
        var people = await db.SubscriptionSettings.AsNoTracking().Where(s => s.Frequency == frequency)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { Settings = s, u.Email, u.PreferredLanguage, u.OrganisationId })
            .Where(x => x.Email != null).ToListAsync(ct);
        if (people.Count == 0)
        {
            return [];
        }
        var ids = people.Select(p => p.Settings.UserId).ToList();
        var follows = (await db.Follows.AsNoTracking().Where(f => ids.Contains(f.UserId)).ToListAsync(ct)).ToLookup(f => f.UserId);
        var spaces = (await db.ForumFollows.AsNoTracking().Where(f => ids.Contains(f.UserId)).ToListAsync(ct)).ToLookup(f => f.UserId);
        var roles = (await db.UserRoles.AsNoTracking().Where(r => ids.Contains(r.UserId)).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(ct)).ToLookup(r => r.UserId, r => r.Name ?? "", StringComparer.Ordinal);
        HashSet<string> Keys(string user, FollowKind kind) => follows[user].Where(f => f.Kind == kind).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        return people.Select(p => new Recipient(p.Settings.UserId, p.Email!, SubscriptionMail.LanguageOf(p.Settings, p.PreferredLanguage),
                Partners.Is(roles[p.Settings.UserId], p.OrganisationId), Keys(p.Settings.UserId, FollowKind.Country), Keys(p.Settings.UserId, FollowKind.Sector),
                Keys(p.Settings.UserId, FollowKind.DocumentType), spaces[p.Settings.UserId].Select(f => f.SpaceId).ToHashSet()))
            .ToList();
    }
}
