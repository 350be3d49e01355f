using System.Globalization;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>The rules of a 5W row, shared by the form, the JSON API and the spreadsheet import.</summary>
public static class ReportRows
{
    /// <summary>
    /// Parses one row given as text cells keyed by column key. Adds every problem to <paramref name="errors"/>
    /// (with <paramref name="line"/>) and returns null when there is any.
    /// </summary>
    public static ReportValues? Parse(IReadOnlyDictionary<string, string?> cells, int? line, ReportReference reference, Actor actor,
        IStringLocalizer t, List<FieldError> errors)
    {
        var before = errors.Count;
        string Cell(TabularColumn c) => cells.TryGetValue(c.Key, out var v) && v is not null ? v.Trim() : "";

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
        else if (reference.InactiveOrgIds.Contains(orgId))
        {
            errors.Add(new FieldError(line, ReportColumns.Org.Key, t["This organisation is deactivated and reports nothing new; a coordinator can reactivate it."]));
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

        var admin1Text = Cell(ReportColumns.Admin1);
        var admin1 = reference.Admin1Code(country, admin1Text) ?? admin1Text.ToUpperInvariant();
        if (reference.CountriesWithAdmin1.Contains(country))
        {
            if (!reference.Admin1Country.TryGetValue(admin1, out var adminCountry))
            {
                errors.Add(new FieldError(line, ReportColumns.Admin1.Key, t["Unknown admin1: give its P-code or its name."]));
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

        var indicatorText = Cell(ReportColumns.Indicator);
        var indicator = reference.IndicatorCode(indicatorText) ?? indicatorText.ToUpperInvariant();
        if (!reference.IndicatorSector.TryGetValue(indicator, out var indicatorSector))
        {
            errors.Add(new FieldError(line, ReportColumns.Indicator.Key, t["Unknown indicator: give its code or its name."]));
        }
        var sector = Cell(ReportColumns.Sector);
        if (sector.Length > 0)
        {
            if (!reference.SectorByName.TryGetValue(sector, out var sectorCode) && !reference.SectorByName.TryGetValue(HeaderMatcher.Normalize(sector), out sectorCode))
            {
                errors.Add(new FieldError(line, ReportColumns.Sector.Key, t["Unknown sector."]));
            }
            else if (indicatorSector is not null && !string.Equals(sectorCode, indicatorSector, StringComparison.Ordinal))
            {
                errors.Add(new FieldError(line, ReportColumns.Sector.Key, t["The indicator belongs to another sector."]));
            }
        }

        var month = MonthText.Parse(Cell(ReportColumns.Month)) ?? "";
        if (month.Length == 0)
        {
            errors.Add(new FieldError(line, ReportColumns.Month.Key, t["Not a month: write it YYYY-MM (2026-10), or as 10/2026, Oct 2026 or a date."]));
        }
        else if (!reference.Periods.Contains(month))
        {
            errors.Add(new FieldError(line, ReportColumns.Month.Key, t["There is no reporting period for this month."]));
        }
        else if (reference.Locks.Contains((country, month)))
        {
            errors.Add(new FieldError(line, ReportColumns.Month.Key, t["This month is locked for this country."]));
        }

        var groupText = Cell(ReportColumns.Group);
        var group = reference.GroupCode(groupText, t) ?? "";
        if (group.Length == 0)
        {
            errors.Add(new FieldError(line, ReportColumns.Group.Key, t["Unknown population group (destination, transit, pendular, returnees, host)."]));
        }

        var breakdownValid = true;
        long Number(TabularColumn c, bool optional = false)
        {
            var text = Cell(c);
            if (text.Length == 0)
            {
                return optional ? -1 : 0;
            }
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                breakdownValid = false;
                errors.Add(new FieldError(line, c.Key, text.StartsWith('-') && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                    ? t["Numbers may not be negative."]
                    : t["Not a whole number."]));
                return 0;
            }
            return n;
        }
        var (girls, boys, women, men, other) = (Number(ReportColumns.Girls), Number(ReportColumns.Boys), Number(ReportColumns.Women),
            Number(ReportColumns.Men), Number(ReportColumns.Other));
        // An empty total is the breakdown's sum; one that disagrees is one error, and only when the breakdown itself is valid.
        var breakdown = breakdownValid;
        var total = Number(ReportColumns.Total, optional: true);
        if (breakdown && total >= 0 && total != girls + boys + women + men + other)
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
            reference.Shared(indicator), reference.Shared(month), reference.Shared(group), partner, girls, boys, women, men, other,
            toDate < 0 ? null : toDate, cash, cashUsd < 0 ? null : cashUsd);
    }

    public static Dictionary<string, string?> Snapshot(ActivityReport r) => new(StringComparer.Ordinal)
    {
        ["partner"] = r.ImplementingPartner.Length == 0 ? null : r.ImplementingPartner,
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

    /// <summary>The report of the values' key, deleted or not (the unique index holds deleted reports too).</summary>
    public static IQueryable<ActivityReport> OfKey(IQueryable<ActivityReport> q, ReportValues v) =>
        q.Where(r => r.OrganisationId == v.OrganisationId && r.CountryIso3 == v.CountryIso3 && r.Admin1PCode == v.Admin1PCode && r.IndicatorCode == v.IndicatorCode
            && r.Month == v.Month && r.PopulationGroup == v.PopulationGroup && r.ImplementingPartner == v.ImplementingPartner);

    public static string KeyOf(ActivityReport r) =>
        Key(r.OrganisationId, r.CountryIso3, r.Admin1PCode, r.IndicatorCode, r.Month, r.PopulationGroup, r.ImplementingPartner);

    /// <summary>
    /// A report's natural key: organisation id, country, admin1, indicator, month, population group and implementing partner
    /// (exactly as stored, "" for none). Two implementing partners of one organisation for the same activity, place, month
    /// and group are two reports.
    /// </summary>
    public static string Key(int organisationId, string country, string admin1, string indicator, string month, string group, string partner) =>
        string.Join('|', organisationId.ToString(CultureInfo.InvariantCulture), country, admin1, indicator, month, group, partner);
}
