using System.Globalization;
using System.Text;
using Closer.Web.Features.Notifications;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Email;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>
/// The e-mail the reporting workflow owes people: a returned report (to its organisation's focal points, with the reason
/// and a link), a validated month (a summary, once all of an organisation's reports of the month are validated) and a
/// locked or unlocked month (to the country's focal points). Only outbox rows are added to the caller's context, so a
/// message exists if and only if the change that caused it is saved.
/// </summary>
public sealed class ReportMail(IStringLocalizer<SharedResource> t, IConfiguration configuration, TimeProvider time)
{
    internal sealed record Person(string UserId, string Email, string Language);

    // The same public address the other features' e-mails link to.
    private string Base => PublicSite.BaseUrl(configuration);

    private string F(string key, params object[] args) => string.Format(CultureInfo.CurrentCulture, t[key], args);

    /// <summary>
    /// Focal points of <paramref name="organisationId"/> (any organisation when null) who work in <paramref name="country"/>:
    /// those whose country list holds it, or who have no list and whose organisation operates there.
    /// </summary>
    private static async Task<List<Person>> FocalPointsAsync(CloserDbContext db, string? role, int? organisationId, string country, CancellationToken ct)
    {
        var people = db.UserRoles.AsNoTracking().Where(ur => ur.RoleId == role).Join(db.Users, ur => ur.UserId, u => u.Id, (_, u) => u)
            .Where(u => u.Email != null && u.OrganisationId != null);
        if (organisationId is { } org)
        {
            people = people.Where(u => u.OrganisationId == org);
        }
        people = people.Where(u => u.Countries.Any(c => c.CountryIso3 == country)
            || (!u.Countries.Any() && db.OrganisationCountries.Any(oc => oc.OrganisationId == u.OrganisationId && oc.CountryIso3 == country)));
        return (await people.Select(u => new { u.Id, u.Email, u.PreferredLanguage }).ToListAsync(ct))
            .Select(u => new Person(u.Id, u.Email!, Languages.IsSupported(u.PreferredLanguage) ? u.PreferredLanguage : Languages.Default)).ToList();
    }

    /// <summary>The focal-point role's id, looked up once per message batch rather than once per group.</summary>
    private static Task<string?> FocalPointRoleAsync(CloserDbContext db, CancellationToken ct) =>
        db.Roles.AsNoTracking().Where(r => r.Name == Roles.OrgFocalPoint).Select(r => r.Id).FirstOrDefaultAsync(ct);

    private EmailMessage Compose(Person to, Func<(string Subject, string Body)> build) => Languages.InCulture(to.Language, () =>
    {
        var (subject, body) = build();
        var text = new StringBuilder(body).AppendLine().AppendLine().Append(t["You get this e-mail because you are a focal point of your organisation on Closer."]).ToString();
        return new EmailMessage(to.Email, subject, text);
    });

    /// <summary>
    /// Reports were returned with <paramref name="reason"/>: each organisation's focal points in the reports' country hear why,
    /// with a link to each report (one e-mail per person for a bulk return).
    /// </summary>
    public async Task ReturnedAsync(CloserDbContext db, IReadOnlyCollection<ActivityReport> reports, string reason, CancellationToken ct)
    {
        var stamp = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var role = await FocalPointRoleAsync(db, ct);
        foreach (var g in reports.GroupBy(r => (r.OrganisationId, r.CountryIso3)))
        {
            var list = g.OrderBy(r => r.Month, StringComparer.Ordinal).ThenBy(r => r.Id).ToList();
            foreach (var p in await FocalPointsAsync(db, role, g.Key.OrganisationId, g.Key.CountryIso3, ct))
            {
                db.Enqueue(Compose(p, () => (
                    t.Plural(list.Count, "{0} report returned by your coordinator ({1})", "{0} reports returned by your coordinator ({1})", g.Key.CountryIso3),
                    string.Join('\n', list.Select(r => $"- {Months.Label(r.Month)} · {r.Admin1PCode} · {r.IndicatorCode} · {r.PopulationGroup}: {Base}/admin/reports/{r.Id}?lang={p.Language}")
                        .Prepend(F("Reason: {0}", reason)).Prepend(t["A coordinator returned these reports to your organisation:"].Value)
                        .Append(t["Correct them and submit them again."].Value)))), time,
                    $"returned:{g.Key.OrganisationId}:{g.Key.CountryIso3}:{list[0].Id}:{stamp}:{p.UserId}");
            }
        }
    }

    /// <summary>
    /// After <paramref name="validated"/> are marked validated (not yet saved): for each organisation × month of them whose
    /// reports are now all validated, a summary to the organisation's focal points (once per organisation, month and person).
    /// </summary>
    public async Task ValidatedAsync(CloserDbContext db, IReadOnlyCollection<ActivityReport> validated, CancellationToken ct)
    {
        var ids = validated.Select(r => r.Id).ToList();
        var role = await FocalPointRoleAsync(db, ct);
        foreach (var g in validated.GroupBy(r => (r.OrganisationId, r.Month)))
        {
            var (org, month) = g.Key;
            var all = db.ActivityReports.AsNoTracking().Where(r => r.OrganisationId == org && r.Month == month && r.DeletedAt == null);
            if (await all.AnyAsync(r => r.Status != ReportStatus.Validated && !ids.Contains(r.Id), ct))
            {
                continue;
            }
            var byCountry = await all.GroupBy(r => r.CountryIso3).Select(x => new { Country = x.Key, N = x.Count(), People = x.Sum(r => r.Total) })
                .OrderBy(x => x.Country).ToListAsync(ct);
            var people = new Dictionary<string, Person>(StringComparer.Ordinal);
            foreach (var c in byCountry)
            {
                foreach (var p in await FocalPointsAsync(db, role, org, c.Country, ct))
                {
                    people.TryAdd(p.UserId, p);
                }
            }
            var keys = people.Values.Select(p => $"month-validated:{org}:{month}:{p.UserId}").ToList();
            var sent = (await db.EmailOutbox.AsNoTracking().Where(m => keys.Contains(m.DedupKey!)).Select(m => m.DedupKey!).ToListAsync(ct))
                .Concat(db.EmailOutbox.Local.Select(m => m.DedupKey)).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var p in people.Values)
            {
                var key = $"month-validated:{org}:{month}:{p.UserId}";
                if (sent.Contains(key))
                {
                    continue;
                }
                db.Enqueue(Compose(p, () => (
                    F("All your reports of {0} are validated", Months.Label(month)),
                    string.Join('\n', byCountry.Select(c => (string)t.Plural(c.N, "{1}: {0} report validated, {2} people reached in the month (a monthly figure, not summed across months)",
                            "{1}: {0} reports validated, {2} people reached in the month (a monthly figure, not summed across months)",
                            c.Country, c.People.ToString("N0", CultureInfo.CurrentCulture)))
                        .Prepend(F("Every report of your organisation for {0} is validated.", Months.Label(month)))
                        .Append(F("See them: {0}", $"{Base}/admin/reporting?month={month}&lang={p.Language}"))))), time, key);
            }
        }
    }

    /// <summary>A month was locked or unlocked: the country's focal points hear it, with the reason when one was given.</summary>
    public async Task LockChangedAsync(CloserDbContext db, string country, string month, bool locked, string? reason, CancellationToken ct)
    {
        var stamp = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        foreach (var p in await FocalPointsAsync(db, await FocalPointRoleAsync(db, ct), null, country, ct))
        {
            db.Enqueue(Compose(p, () =>
            {
                var subject = locked ? F("{0}: {1} is locked", country, Months.Label(month)) : F("{0}: {1} is open again", country, Months.Label(month));
                var lines = new List<string>
                {
                    locked ? F("The coordinators locked {1} for {0}: its reports can no longer change.", country, Months.Label(month))
                        : F("The coordinators unlocked {1} for {0}: its reports can be changed again.", country, Months.Label(month)),
                };
                if (!string.IsNullOrWhiteSpace(reason))
                {
                    lines.Add(F("Reason: {0}", reason));
                }
                return (subject, string.Join('\n', lines));
            }), time, $"{(locked ? "lock" : "unlock")}:{country}:{month}:{stamp}:{p.UserId}");
        }
    }
}
