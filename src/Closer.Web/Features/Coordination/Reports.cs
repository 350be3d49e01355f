using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination;

/// <summary>Who is acting: for the rules and for the audit log.</summary>
public sealed record Actor(string? UserId, string? Email, ScopeUser Scope)
{
    public static Actor From(ClaimsPrincipal principal) => new(
        principal.FindFirstValue(ClaimTypes.NameIdentifier),
        principal.FindFirstValue(ClaimTypes.Email) ?? principal.Identity?.Name,
        ScopeUser.From(principal));

    public bool IsAdmin => Scope.Roles.Contains(Roles.PlatformAdmin);
}

/// <summary>The values of one report row, parsed and checked.</summary>
public sealed record ReportValues(
    int OrganisationId, string OrgAcronym, string CountryIso3, string Admin1PCode, string IndicatorCode, string Month,
    string PopulationGroup, string? ImplementingPartner, long Girls, long Boys, long Women, long Men, long Other,
    long? ReachedToDate, bool IsCash, long? CashUsd)
{
    private string? _key;

    public long Total => Girls + Boys + Women + Men + Other;
    /// <summary>The report's natural key (organisation id, country, admin1, indicator, month, group), built once.</summary>
    public string Key => _key ??= string.Join('|', OrganisationId.ToString(CultureInfo.InvariantCulture), CountryIso3, Admin1PCode, IndicatorCode, Month, PopulationGroup);
}

/// <summary>The codes a report row is checked against, read once per request.</summary>
public sealed class ReportReference
{
    public required Dictionary<string, int> OrgIds { get; init; }
    public required Dictionary<int, string> OrgAcronyms { get; init; }
    public required HashSet<string> Countries { get; init; }
    public required Dictionary<string, string> Admin1Country { get; init; }
    public required HashSet<string> CountriesWithAdmin1 { get; init; }
    public required Dictionary<string, string> IndicatorSector { get; init; }
    public required Dictionary<string, string> SectorByName { get; init; }
    public required HashSet<string> Periods { get; init; }
    public required HashSet<(string Country, string Month)> Locks { get; init; }

    private Dictionary<string, string>? _codes;

    /// <summary>
    /// The one stored instance of a code equal to <paramref name="text"/> (a country, admin1, indicator, month or
    /// population group), or the text itself: a big import keeps one copy of each code instead of one per row.
    /// </summary>
    public string Shared(string text)
    {
        var codes = _codes ??= Countries.Concat(Admin1Country.Keys).Concat(IndicatorSector.Keys).Concat(Periods).Concat(PopulationGroups.All)
            .Distinct(StringComparer.Ordinal).ToDictionary(c => c, StringComparer.Ordinal);
        return codes.TryGetValue(text, out var shared) ? shared : text;
    }

    public static async Task<ReportReference> LoadAsync(CloserDbContext db, CancellationToken ct)
    {
        var orgs = await db.Organisations.AsNoTracking().Select(o => new { o.Id, o.Acronym }).ToListAsync(ct);
        var admin1 = await db.Admin1Areas.AsNoTracking().Select(a => new { a.PCode, a.CountryIso3 }).ToListAsync(ct);
        var sectors = await db.Sectors.AsNoTracking().ToListAsync(ct);
        var sectorByName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in sectors)
        {
            foreach (var n in new[] { s.Code, s.NameEn, s.NameEs, s.NamePt, s.NamePap })
            {
                sectorByName.TryAdd(n, s.Code);
            }
        }
        return new ReportReference
        {
            OrgIds = orgs.ToDictionary(o => o.Acronym, o => o.Id, StringComparer.OrdinalIgnoreCase),
            OrgAcronyms = orgs.ToDictionary(o => o.Id, o => o.Acronym),
            Countries = (await db.Countries.AsNoTracking().Select(c => c.Iso3).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal),
            Admin1Country = admin1.ToDictionary(a => a.PCode, a => a.CountryIso3, StringComparer.OrdinalIgnoreCase),
            CountriesWithAdmin1 = admin1.Select(a => a.CountryIso3).ToHashSet(StringComparer.Ordinal),
            IndicatorSector = await db.Indicators.AsNoTracking().ToDictionaryAsync(i => i.Code, i => i.SectorCode, StringComparer.OrdinalIgnoreCase, ct),
            SectorByName = sectorByName,
            Periods = (await db.ReportingPeriods.AsNoTracking().Select(p => p.Month).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal),
            Locks = (await db.PeriodLocks.AsNoTracking().Select(l => new { l.CountryIso3, l.Month }).ToListAsync(ct))
                .Select(l => (l.CountryIso3, l.Month)).ToHashSet(),
        };
    }
}

/// <summary>The rules of a 5W row, shared by the form, the JSON API and the spreadsheet import.</summary>
public static partial class ReportRows
{
    /// <summary>
    /// Parses one row given as text cells keyed by column key. Adds every problem to <paramref name="errors"/>
    /// (with <paramref name="line"/>) and returns null when there is any.
    /// </summary>
    public static ReportValues? Parse(IReadOnlyDictionary<string, string?> cells, int? line, ReportReference reference, Actor actor,
        IStringLocalizer t, List<FieldError> errors)
    {
        var before = errors.Count;
        string Cell(ReportColumn c) => cells.TryGetValue(c.Key, out var v) && v is not null ? v.Trim() : "";

        var orgText = Cell(ReportColumns.Org);
        var orgId = 0;
        if (orgText.Length == 0)
        {
            errors.Add(new FieldError(line, ReportColumns.Org.Key, t["The organisation is required."]));
        }
        else if (!reference.OrgIds.TryGetValue(orgText, out orgId))
        {
            errors.Add(new FieldError(line, ReportColumns.Org.Key, t["Unknown organisation code."]));
        }
        else if (!actor.IsAdmin && orgId != actor.Scope.OrganisationId)
        {
            errors.Add(new FieldError(line, ReportColumns.Org.Key, t["You may only report for your own organisation."]));
        }

        var country = Cell(ReportColumns.Country).ToUpperInvariant();
        if (!reference.Countries.Contains(country))
        {
            errors.Add(new FieldError(line, ReportColumns.Country.Key, t["Unknown country code (ISO3 expected)."]));
        }
        else if (orgId != 0 && !ReportRules.Allows(actor.Scope, new ReportResource(orgId, country, false), ReportAction.Write))
        {
            errors.Add(new FieldError(line, ReportColumns.Country.Key, t["You may not report for this country."]));
        }

        var admin1 = Cell(ReportColumns.Admin1).ToUpperInvariant();
        if (reference.CountriesWithAdmin1.Contains(country))
        {
            if (!reference.Admin1Country.TryGetValue(admin1, out var adminCountry))
            {
                errors.Add(new FieldError(line, ReportColumns.Admin1.Key, t["Unknown admin1 P-code."]));
            }
            else if (!string.Equals(adminCountry, country, StringComparison.Ordinal))
            {
                errors.Add(new FieldError(line, ReportColumns.Admin1.Key, t["This admin1 area is not in the country."]));
            }
        }
        else if (admin1.Length > 0 && reference.Countries.Contains(country))
        {
            errors.Add(new FieldError(line, ReportColumns.Admin1.Key, t["This country has no admin1 areas on record; leave the P-code empty."]));
        }

        var indicator = Cell(ReportColumns.Indicator).ToUpperInvariant();
        if (!reference.IndicatorSector.TryGetValue(indicator, out var indicatorSector))
        {
            errors.Add(new FieldError(line, ReportColumns.Indicator.Key, t["Unknown indicator code."]));
        }
        var sector = Cell(ReportColumns.Sector);
        if (sector.Length > 0)
        {
            if (!reference.SectorByName.TryGetValue(sector, out var sectorCode))
            {
                errors.Add(new FieldError(line, ReportColumns.Sector.Key, t["Unknown sector."]));
            }
            else if (indicatorSector is not null && !string.Equals(sectorCode, indicatorSector, StringComparison.Ordinal))
            {
                errors.Add(new FieldError(line, ReportColumns.Sector.Key, t["The indicator belongs to another sector."]));
            }
        }

        var month = Cell(ReportColumns.Month);
        if (!MonthPattern().IsMatch(month))
        {
            errors.Add(new FieldError(line, ReportColumns.Month.Key, t["The month must be written YYYY-MM."]));
        }
        else if (!reference.Periods.Contains(month))
        {
            errors.Add(new FieldError(line, ReportColumns.Month.Key, t["There is no reporting period for this month."]));
        }
        else if (reference.Locks.Contains((country, month)))
        {
            errors.Add(new FieldError(line, ReportColumns.Month.Key, t["This month is locked for this country."]));
        }

        var group = Cell(ReportColumns.Group).ToLowerInvariant();
        if (!PopulationGroups.All.Contains(group, StringComparer.Ordinal))
        {
            errors.Add(new FieldError(line, ReportColumns.Group.Key, t["Unknown population group (destination, transit, pendular, returnees, host)."]));
        }

        long Number(ReportColumn c, bool optional = false)
        {
            var text = Cell(c);
            if (text.Length == 0)
            {
                return optional ? -1 : 0;
            }
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                errors.Add(new FieldError(line, c.Key, text.StartsWith('-') && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                    ? t["Numbers may not be negative."]
                    : t["Not a whole number."]));
                return 0;
            }
            return n;
        }
        var (girls, boys, women, men, other) = (Number(ReportColumns.Girls), Number(ReportColumns.Boys), Number(ReportColumns.Women),
            Number(ReportColumns.Men), Number(ReportColumns.Other));
        var total = Number(ReportColumns.Total, optional: true);
        if (total >= 0 && total != girls + boys + women + men + other)
        {
            errors.Add(new FieldError(line, ReportColumns.Total.Key, t["The total is not the sum of girls, boys, women, men and other."]));
        }
        var toDate = Number(ReportColumns.ToDate, optional: true);
        var cashText = Cell(ReportColumns.Cash).ToLowerInvariant();
        bool cash;
        switch (cashText)
        {
            case "" or "no" or "false" or "0" or "não" or "nao" or "n":
                cash = false;
                break;
            case "yes" or "true" or "1" or "sí" or "si" or "sim" or "y" or "s":
                cash = true;
                break;
            default:
                cash = false;
                errors.Add(new FieldError(line, ReportColumns.Cash.Key, t["Write yes or no."]));
                break;
        }
        var cashUsd = Number(ReportColumns.CashUsd, optional: true);
        if (!cash && cashUsd > 0)
        {
            errors.Add(new FieldError(line, ReportColumns.CashUsd.Key, t["A cash value is only given for cash-based assistance."]));
        }
        var partner = Cell(ReportColumns.Partner);
        if (partner.Length > 200)
        {
            errors.Add(new FieldError(line, ReportColumns.Partner.Key, t["The implementing partner is limited to 200 characters."]));
        }

        if (errors.Count > before)
        {
            return null;
        }
        return new ReportValues(orgId, reference.OrgAcronyms[orgId], reference.Shared(country), reference.CountriesWithAdmin1.Contains(country) ? reference.Shared(admin1) : "",
            reference.Shared(indicator), reference.Shared(month), reference.Shared(group), partner.Length == 0 ? null : partner, girls, boys, women, men, other,
            toDate < 0 ? null : toDate, cash, cashUsd < 0 ? null : cashUsd);
    }

    [GeneratedRegex(@"^\d{4}-(0[1-9]|1[0-2])$")]
    private static partial Regex MonthPattern();

    public static Dictionary<string, string?> Snapshot(ActivityReport r) => new(StringComparer.Ordinal)
    {
        ["partner"] = r.ImplementingPartner,
        ["girls"] = Str(r.Girls),
        ["boys"] = Str(r.Boys),
        ["women"] = Str(r.Women),
        ["men"] = Str(r.Men),
        ["other"] = Str(r.Other),
        ["total"] = Str(r.Total),
        ["todate"] = r.ReachedToDate is { } d ? Str(d) : null,
        ["cash"] = r.IsCash ? "yes" : "no",
        ["cashusd"] = r.CashUsd is { } u ? Str(u) : null,
        ["status"] = r.Status.ToString(),
        ["returnReason"] = r.ReturnReason,
        ["deleted"] = r.DeletedAt is null ? null : "yes",
    };

    private static string Str(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>A new draft report of the values, at version 0: recording its creation makes it version 1.</summary>
    public static ActivityReport New(ReportValues v, DateTimeOffset now)
    {
        var r = new ActivityReport
        {
            OrganisationId = v.OrganisationId, CountryIso3 = v.CountryIso3, Admin1PCode = v.Admin1PCode, IndicatorCode = v.IndicatorCode,
            Month = v.Month, PopulationGroup = v.PopulationGroup, Status = ReportStatus.Draft, Version = 0, CreatedAt = now, UpdatedAt = now,
        };
        Apply(r, v);
        return r;
    }

    /// <summary>
    /// Edits an existing report with the values: a deleted report is restored and a returned one goes back to draft.
    /// Returns the audit action, "restore" or "update" (the caller records the version, revision and audit entry).
    /// </summary>
    public static string Change(ActivityReport r, ReportValues v, DateTimeOffset now)
    {
        var action = r.DeletedAt is null ? "update" : "restore";
        Apply(r, v);
        r.DeletedAt = null;
        if (r.Status == ReportStatus.Returned)
        {
            r.Status = ReportStatus.Draft;
        }
        r.UpdatedAt = now;
        return action;
    }

    public static void Apply(ActivityReport r, ReportValues v)
    {
        r.ImplementingPartner = v.ImplementingPartner;
        (r.Girls, r.Boys, r.Women, r.Men, r.Other, r.Total) = (v.Girls, v.Boys, v.Women, v.Men, v.Other, v.Total);
        r.ReachedToDate = v.ReachedToDate;
        r.IsCash = v.IsCash;
        r.CashUsd = v.CashUsd;
    }

    /// <summary>Whether applying the values would change the report's figures.</summary>
    public static bool Differs(ActivityReport r, ReportValues v) =>
        r.DeletedAt is not null || r.ImplementingPartner != v.ImplementingPartner || r.Girls != v.Girls || r.Boys != v.Boys
        || r.Women != v.Women || r.Men != v.Men || r.Other != v.Other || r.ReachedToDate != v.ReachedToDate
        || r.IsCash != v.IsCash || r.CashUsd != v.CashUsd;

    public static string KeyOf(ActivityReport r) =>
        string.Join('|', r.OrganisationId.ToString(CultureInfo.InvariantCulture), r.CountryIso3, r.Admin1PCode, r.IndicatorCode, r.Month, r.PopulationGroup);
}

/// <summary>Writes to reports with their revisions and audit entries; callers save (one transaction).</summary>
public sealed class ReportWriter(CloserDbContext db, TimeProvider time)
{
    public DateTimeOffset Now { get; } = time.GetUtcNow();

    /// <summary>Creates or updates the report of the values' key. Returns "created", "updated" or "unchanged".</summary>
    public string Upsert(ActivityReport? existing, ReportValues v, Actor actor)
    {
        if (existing is null)
        {
            var r = ReportRows.New(v, Now);
            db.ActivityReports.Add(r);
            Record(r, "create", null, actor, v.OrgAcronym);
            return "created";
        }
        if (!ReportRows.Differs(existing, v))
        {
            return "unchanged";
        }
        var old = ReportRows.Snapshot(existing);
        Record(existing, ReportRows.Change(existing, v, Now), old, actor, v.OrgAcronym);
        return "updated";
    }

    /// <summary>Changes a report's status (submit, validate, return) or soft-deletes it, with revision and audit.</summary>
    public void Transition(ActivityReport r, string action, Actor actor, string orgAcronym, string? reason = null)
    {
        var old = ReportRows.Snapshot(r);
        switch (action)
        {
            case "submit":
                r.Status = ReportStatus.Submitted;
                r.ReturnReason = null;
                break;
            case "validate":
                r.Status = ReportStatus.Validated;
                r.ReturnReason = null;
                break;
            case "return":
                r.Status = ReportStatus.Returned;
                r.ReturnReason = reason;
                break;
            case "delete":
                r.DeletedAt = Now;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action));
        }
        r.UpdatedAt = Now;
        Record(r, action, old, actor, orgAcronym);
    }

    private void Record(ActivityReport r, string action, Dictionary<string, string?>? old, Actor actor, string orgAcronym)
    {
        r.Version++;
        var now = ReportRows.Snapshot(r);
        db.ReportRevisions.Add(new ReportRevision
        {
            Report = r, Version = r.Version, Snapshot = JsonSerializer.Serialize(now), ChangedAt = Now, ChangedBy = actor.Email,
        });
        AuditLog.Add(db, Now, actor, action, "report", r.NaturalKey(orgAcronym), r.CountryIso3, r.OrganisationId, AuditLog.Diff(old, now));
    }
}

public static class AuditLog
{
    public static void Add(CloserDbContext db, DateTimeOffset at, Actor actor, string action, string entityType, string entityKey,
        string? country, int? organisationId, IReadOnlyDictionary<string, string?[]>? changes)
    {
        db.AuditEntries.Add(new AuditEntry
        {
            At = at, UserId = actor.UserId, UserEmail = actor.Email, Action = action, EntityType = entityType, EntityKey = entityKey,
            CountryIso3 = country, OrganisationId = organisationId,
            Changes = changes is null || changes.Count == 0 ? null : JsonSerializer.Serialize(changes),
        });
    }

    /// <summary>Field → [old, new] for every field that differs (all fields, old null, on create).</summary>
    public static Dictionary<string, string?[]> Diff(IReadOnlyDictionary<string, string?>? old, IReadOnlyDictionary<string, string?> now)
    {
        var d = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        foreach (var (k, v) in now)
        {
            var o = old is not null && old.TryGetValue(k, out var x) ? x : null;
            if (!string.Equals(o, v, StringComparison.Ordinal))
            {
                d[k] = [o, v];
            }
        }
        return d;
    }
}
