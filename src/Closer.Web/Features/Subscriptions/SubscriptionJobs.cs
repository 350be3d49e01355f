using System.Globalization;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Documents;
using Closer.Web.Features.Forum;
using Closer.Web.Features.Notifications;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Jobs;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Subscriptions;

/// <summary>
/// The scheduled work: daily and weekly digests, reporting reminders and coordinators' weekly summaries. Every
/// message is claimed by its dedup key in the outbox (<see cref="Outbox.EnqueueOnceAsync"/>), so a run repeated,
/// or racing on another node, adds nothing twice; the outbox worker then sends each message once.
/// </summary>
public sealed class SubscriptionJobs(IServiceProvider services, CloserDbContext db, SubscriptionMail mail, SubscriptionNotifier notifier,
    IOptions<SubscriptionOptions> options)
{
    public sealed record RunResult(int Digests, int Reminders, int Summaries);

    public async Task<RunResult> RunAsync(DateTimeOffset now, CancellationToken ct) =>
        new(await DigestsAsync(now, ct), await RemindersAsync(now, ct), await SummariesAsync(now, ct));

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>Daily digests of yesterday (UTC) and weekly digests of last ISO week.</summary>
    public async Task<int> DigestsAsync(DateTimeOffset now, CancellationToken ct)
    {
        var today = Today(now);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var yesterday = today.AddDays(-1);
        var lastWeek = monday.AddDays(-7);
        return await DigestAsync(DeliveryFrequency.Daily, yesterday, today, $"digest:{{0}}:{yesterday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", ct)
            + await DigestAsync(DeliveryFrequency.Weekly, lastWeek, monday, $"weekly:{{0}}:{ReminderPlanner.IsoWeek(lastWeek)}", ct);
    }

    private async Task<int> DigestAsync(DeliveryFrequency frequency, DateOnly fromDay, DateOnly toDay, string keyPattern, CancellationToken ct)
    {
        var recipients = await SubscriptionNotifier.RecipientsAsync(db, frequency, ct);
        if (recipients.Count == 0)
        {
            return 0;
        }
        var from = new DateTimeOffset(fromDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = new DateTimeOffset(toDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var docs = await db.Documents.AsNoTracking().Include(d => d.Translations)
            .Where(d => d.DeletedAt == null && d.CreatedAt >= from && d.CreatedAt < to).OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).ToListAsync(ct);
        var situations = await SituationReportsAsync(docs, ct);
        var posts = await db.ForumPosts.AsNoTracking().Include(p => p.Thread).ThenInclude(t => t!.Space)
            .Where(p => p.Status == PostStatus.Published && p.CreatedAt >= from && p.CreatedAt < to).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync(ct);
        // New population figures: the audit log says when each was created.
        var figureKeys = await db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == "figure" && a.Action == "create" && a.At >= from && a.At < to).Select(a => a.EntityKey).ToListAsync(ct);
        var figures = new List<(Geography.Country Country, Geography.PopulationFigure Figure)>();
        if (figureKeys.Count > 0)
        {
            var countries = await db.Countries.AsNoTracking().ToDictionaryAsync(c => c.Iso3.Trim(), StringComparer.Ordinal, ct);
            foreach (var k in figureKeys.Distinct(StringComparer.Ordinal))
            {
                if (k.Split('|') is [var iso3, var asOf] && countries.TryGetValue(iso3, out var c)
                    && await db.PopulationFigures.AsNoTracking().FirstOrDefaultAsync(f => f.CountryIso3 == iso3 && f.AsOf == asOf, ct) is { } f)
                {
                    figures.Add((c, f));
                }
            }
        }
        // Validated reports, per country and month (one line, not one per report): also from the audit log.
        var validated = (await db.AuditEntries.AsNoTracking()
                .Where(a => a.EntityType == "report" && a.Action == "validate" && a.At >= from && a.At < to && a.CountryIso3 != null)
                .Select(a => new { a.EntityKey, a.CountryIso3 }).ToListAsync(ct))
            .Select(a => (Country: a.CountryIso3!.Trim(), Parts: a.EntityKey.Split('|')))
            .Where(a => a.Parts.Length >= 5)
            .GroupBy(a => (a.Country, Month: a.Parts[4]))
            .Select(g => (g.Key.Country, g.Key.Month, Reports: g.Count(), Orgs: g.Select(a => a.Parts[0]).Distinct(StringComparer.Ordinal).Count()))
            .OrderBy(v => v.Country, StringComparer.Ordinal).ThenBy(v => v.Month, StringComparer.Ordinal).ToList();
        var countryRows = validated.Count + situations.Count == 0 ? [] : await db.Countries.AsNoTracking().ToListAsync(ct);
        var sent = 0;
        foreach (var r in recipients)
        {
            var key = string.Format(CultureInfo.InvariantCulture, keyPattern, r.UserId);
            var myValidated = validated.Where(v => r.Countries.Contains(v.Country)).ToList();
            var myFigures = figures.Where(f => r.Countries.Contains(f.Country.Iso3.Trim())).ToList();
            var myDocs = docs.Where(d => r.Follows(d) && r.MaySee(d)).ToList();
            var mySituations = situations.Where(s => r.FollowsSituationReport(s.Scope)).ToList();
            var myPosts = posts.Where(p => r.Spaces.Contains(p.Thread!.SpaceId) && r.MaySee(p.Thread.Space!) && p.AuthorId != r.UserId).ToList();
            if (mySituations.Count + myDocs.Count + myPosts.Count + myFigures.Count + myValidated.Count == 0 || await db.EmailOutbox.AnyAsync(m => m.DedupKey == key, ct))
            {
                continue;
            }
            var message = mail.Compose(r.Email, r.Language, r.UserId, UnsubscribeKind.Updates, () =>
            {
                var items = mySituations.Select(s => notifier.SituationItem(s.Scope, s.Month, countryRows.FirstOrDefault(c => c.Iso3.Trim() == s.Scope), s.Documents, r.Language))
                    .Concat(myDocs.Select(d => notifier.DocumentItem(d, r.Language)))
                    .Concat(myPosts.Select(p => notifier.PostItem(p, p.Thread!)))
                    .Concat(myFigures.Select(f => notifier.FigureItem(f.Country, f.Figure.AsOf, f.Figure.RefugeesAndMigrants, f.Figure.Source, r.Language)))
                    .Concat(myValidated.Select(v => new MailItem(
                        mail.Plural(v.Reports, "{1}: {0} report of {2} validated, from {3}", "{1}: {0} reports of {2} validated, from {3}",
                            countryRows.FirstOrDefault(c => c.Iso3.Trim() == v.Country)?.Name(r.Language) ?? v.Country,
                            Months.Label(v.Month), mail.Plural(v.Orgs, "{0} organisation", "{0} organisations")),
                        $"{mail.Base}/{r.Language}/countries/{v.Country}"))).ToList();
                var subject = frequency == DeliveryFrequency.Daily
                    ? SubscriptionMail.F(mail.S("Your daily digest for {0}"), fromDay.ToString("D", CultureInfo.CurrentCulture))
                    : SubscriptionMail.F(mail.S("Your weekly digest: week of {0}"), fromDay.ToString("D", CultureInfo.CurrentCulture));
                var intro = mail.Plural(items.Count, "{0} new item matches what you follow.", "{0} new items match what you follow.");
                return new MailContent(subject, intro, items, frequency == DeliveryFrequency.Daily
                    ? mail.S("You get this daily digest because you follow things on Closer.")
                    : mail.S("You get this weekly digest because you follow things on Closer."));
            });
            if (await Outbox.EnqueueOnceAsync(services, message, key, ct))
            {
                sent++;
            }
        }
        return sent;
    }

    /// <summary>
    /// The situation reports first published among <paramref name="docs"/> (a publication archives its PDF in each language as a
    /// library document): taken out of the list and returned as one entry each, with every language's document.
    /// </summary>
    private async Task<List<(string Scope, string Month, IReadOnlyDictionary<string, int> Documents)>> SituationReportsAsync(List<Document> docs, CancellationToken ct)
    {
        var candidates = docs.Where(d => d.Type == DocumentType.SituationReport && d.Visibility == DocumentVisibility.Public).Select(d => d.Id).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }
        var reports = await db.SituationReportDocuments.AsNoTracking().Where(s => candidates.Contains(s.DocumentId)).Select(s => s.ReportId).Distinct().ToListAsync(ct);
        var archived = await db.SituationReportDocuments.AsNoTracking().Where(s => reports.Contains(s.ReportId))
            .Join(db.SituationReports.Where(r => r.PublishedAt != null), s => s.ReportId, r => r.Id, (s, r) => new { s.ReportId, r.Scope, r.Month, s.Language, s.DocumentId })
            .ToListAsync(ct);
        var ids = archived.Select(a => a.DocumentId).ToHashSet();
        docs.RemoveAll(d => ids.Contains(d.Id));
        return archived.GroupBy(a => (a.ReportId, a.Scope, a.Month)).OrderBy(g => g.Key.Month, StringComparer.Ordinal).ThenBy(g => g.Key.Scope, StringComparer.Ordinal)
            .Select(g => (g.Key.Scope.Trim(), g.Key.Month, (IReadOnlyDictionary<string, int>)g.ToDictionary(a => a.Language, a => a.DocumentId, StringComparer.Ordinal)))
            .ToList();
    }

    /// <summary>Reads what the reminder rules need for the months around today.</summary>
    public async Task<ReminderData> ReminderDataAsync(DateOnly today, CancellationToken ct)
    {
        var first = new DateOnly(today.Year, today.Month, 1);
        var months = Enumerable.Range(-3, 4).Select(i => first.AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture)).ToList();
        var periods = await db.ReportingPeriods.AsNoTracking().Where(p => months.Contains(p.Month)).ToDictionaryAsync(p => p.Month, p => p.Deadline, ct);
        var reportingMonths = months.Select(m => new ReportingMonth(m, periods.TryGetValue(m, out var d) ? d : null)).ToList();
        var operations = (await db.OrganisationCountries.AsNoTracking()
                .Join(db.Organisations, c => c.OrganisationId, o => o.Id, (c, o) => new { o.Id, o.Acronym, c.CountryIso3 }).ToListAsync(ct))
            .Select(x => new Operation(x.Id, x.Acronym, x.CountryIso3.Trim())).ToList();
        var submitted = (await db.ActivityReports.AsNoTracking()
                .Where(r => months.Contains(r.Month) && r.DeletedAt == null && (r.Status == ReportStatus.Submitted || r.Status == ReportStatus.Validated))
                .Select(r => new { r.OrganisationId, r.CountryIso3, r.Month }).Distinct().ToListAsync(ct))
            .Select(x => (x.OrganisationId, x.CountryIso3.Trim(), x.Month)).ToHashSet();
        var locked = (await db.PeriodLocks.AsNoTracking().Where(l => months.Contains(l.Month)).Select(l => new { l.CountryIso3, l.Month }).ToListAsync(ct))
            .Select(x => (x.CountryIso3.Trim(), x.Month)).ToHashSet();
        async Task<List<(string UserId, int? Org, List<string> Countries)>> InRoleAsync(string role)
        {
            var rows = await db.UserRoles.AsNoTracking().Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
                .Where(x => x.Name == role)
                .Join(db.Users, x => x.UserId, u => u.Id, (x, u) => new { u.Id, u.OrganisationId, u.Email })
                .Where(u => u.Email != null).ToListAsync(ct);
            var ids = rows.Select(r => r.Id).ToList();
            var scopes = (await db.UserCountryScopes.AsNoTracking().Where(s => ids.Contains(s.UserId)).ToListAsync(ct)).ToLookup(s => s.UserId);
            return rows.Select(r => (r.Id, r.OrganisationId, scopes[r.Id].Select(s => s.CountryIso3.Trim()).ToList())).ToList();
        }
        var focal = (await InRoleAsync(Roles.OrgFocalPoint)).Where(f => f.Org is not null)
            .Select(f => new FocalPoint(f.UserId, f.Org!.Value, f.Countries)).ToList();
        var coordinators = (await InRoleAsync(Roles.CountryCoordinator)).Select(c => new Coordinator(c.UserId, c.Countries)).ToList();
        var optedOut = (await db.SubscriptionSettings.AsNoTracking().Where(s => s.RemindersOff).Select(s => s.UserId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        return new ReminderData(today, reportingMonths, operations, submitted, locked, focal, coordinators, optedOut);
    }

    public async Task<int> RemindersAsync(DateTimeOffset now, CancellationToken ct)
    {
        var data = await ReminderDataAsync(Today(now), ct);
        var due = ReminderPlanner.Reminders(data, options.Value.Reminders);
        var sent = 0;
        foreach (var r in due)
        {
            if (await db.EmailOutbox.AnyAsync(m => m.DedupKey == r.DedupKey, ct) || await AddressAsync(r.UserId, ct) is not { } to)
            {
                continue;
            }
            var message = mail.Compose(to.Email, to.Language, r.UserId, UnsubscribeKind.Reminders, () =>
            {
                var country = CountryName(to.Language, r.Country);
                var month = Months.Label(r.Month);
                var deadline = r.Deadline.ToString("D", CultureInfo.CurrentCulture);
                var subject = r.Before
                    ? SubscriptionMail.F(mail.S("Reminder: {0}'s report for {1} in {2} is due on {3}"), r.OrgAcronym, month, country, deadline)
                    : SubscriptionMail.F(mail.S("Overdue: {0}'s report for {1} in {2} was due on {3}"), r.OrgAcronym, month, country, deadline);
                var intro = r.Before
                    ? SubscriptionMail.F(mail.S("{0} has not yet submitted its activities of {1} in {2}. The deadline is {3}."), r.OrgAcronym, month, country, deadline)
                    : SubscriptionMail.F(mail.S("{0} has not submitted its activities of {1} in {2}. The deadline was {3}; please submit as soon as you can."),
                        r.OrgAcronym, month, country, deadline);
                return new MailContent(subject, intro,
                    [new MailItem(mail.S("Open the monthly report"), $"{mail.Base}/admin/reporting?month={r.Month}&org={Uri.EscapeDataString(r.OrgAcronym)}")],
                    mail.S("You get this reminder because you are your organisation's reporting focal point in this country."));
            });
            if (await Outbox.EnqueueOnceAsync(services, message, r.DedupKey, ct))
            {
                sent++;
            }
        }
        return sent;
    }

    public async Task<int> SummariesAsync(DateTimeOffset now, CancellationToken ct)
    {
        var data = await ReminderDataAsync(Today(now), ct);
        var sent = 0;
        foreach (var s in ReminderPlanner.Summaries(data, options.Value.Reminders))
        {
            if (await db.EmailOutbox.AnyAsync(m => m.DedupKey == s.DedupKey, ct) || await AddressAsync(s.UserId, ct) is not { } to)
            {
                continue;
            }
            var message = mail.Compose(to.Email, to.Language, s.UserId, UnsubscribeKind.Reminders, () => new MailContent(
                mail.Plural(s.Missing.Count, "Weekly summary: {0} missing report in your countries", "Weekly summary: {0} missing reports in your countries"),
                mail.S("These organisations have not submitted a month whose deadline has passed:"),
                s.Missing.Select(m => new MailItem(
                    $"{m.OrgAcronym} — {CountryName(to.Language, m.Country)} — {Months.Label(m.Month)}",
                    $"{mail.Base}/admin/status?month={m.Month}&country={m.Country}",
                    SubscriptionMail.F(mail.S("Deadline: {0}"), m.Deadline.ToString("D", CultureInfo.CurrentCulture)))).ToList(),
                mail.S("You get this summary because you coordinate reporting in these countries.")));
            if (await Outbox.EnqueueOnceAsync(services, message, s.DedupKey, ct))
            {
                sent++;
            }
        }
        return sent;
    }

    private Dictionary<string, Geography.Country>? _countries;

    private string CountryName(string language, string iso3)
    {
        _countries ??= db.Countries.AsNoTracking().AsEnumerable().ToDictionary(c => c.Iso3.Trim(), StringComparer.OrdinalIgnoreCase);
        return _countries.TryGetValue(iso3, out var c) ? c.Name(language) : iso3;
    }

    private async Task<(string Email, string Language)?> AddressAsync(string userId, CancellationToken ct)
    {
        var u = await db.Users.AsNoTracking().Where(x => x.Id == userId).Select(x => new { x.Email, x.PreferredLanguage }).FirstOrDefaultAsync(ct);
        if (u?.Email is null)
        {
            return null;
        }
        var settings = await db.SubscriptionSettings.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == userId, ct);
        return (u.Email, SubscriptionMail.LanguageOf(settings, u.PreferredLanguage));
    }
}

/// <summary>
/// Runs <see cref="SubscriptionJobs"/> every <c>Subscriptions:SchedulerIntervalMinutes</c> on every node that enables it
/// (<c>Subscriptions:SchedulerEnabled</c>); idempotent by design: dedup keys make a repeated or racing run add nothing.
/// </summary>
public sealed class SubscriptionScheduler(IServiceProvider services, TimeProvider time, IOptions<SubscriptionOptions> options, ILogger<SubscriptionScheduler> logger)
    : HostedJob(services, time, logger)
{
    public override string Name => "subscriptions";
    protected override bool Enabled => options.Value.SchedulerEnabled;
    protected override TimeSpan Interval => TimeSpan.FromMinutes(Math.Max(1, options.Value.SchedulerIntervalMinutes));

    protected override async Task<int> RunAsync(IServiceProvider scope, CancellationToken ct)
    {
        var run = await scope.GetRequiredService<SubscriptionJobs>().RunAsync(Time.GetUtcNow(), ct);
        return run.Digests + run.Reminders + run.Summaries;
    }
}
