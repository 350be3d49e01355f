using System.Globalization;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Imports.Kobo;

/// <summary>
/// Builds the 5W form as an XLSForm for a caller: their organisation(s) and countries, the plan's sectors and
/// indicators, the population groups and the countries' admin1 areas as choices, and constraints that mirror
/// <see cref="ReportRows.Parse"/> (required columns, whole non-negative numbers, the total as the breakdown's sum,
/// a cash value only for cash-based assistance, the partner's 200 characters).
/// </summary>
public static class XlsFormBuilder
{
    private const string Sum = "coalesce(${girls}, 0) + coalesce(${boys}, 0) + coalesce(${women}, 0) + coalesce(${men}, 0) + coalesce(${other}, 0)";

    public static async Task<XlsForm> BuildAsync(CloserDbContext db, Actor actor, IStringLocalizer t, TimeProvider time, CancellationToken ct)
    {
        Localized L(string key) => new(
            Languages.InCulture(Languages.English, () => t[key].Value), Languages.InCulture(Languages.Spanish, () => t[key].Value),
            Languages.InCulture(Languages.Portuguese, () => t[key].Value), Languages.InCulture(Languages.Papiamentu, () => t[key].Value));
        static Localized H(TabularColumn c) => new(c.En, c.Es, c.Pt, c.Pap);

        var orgs = await db.Organisations.AsNoTracking()
            .Where(o => actor.IsAdmin || actor.Scope.OrganisationId == null || o.Id == actor.Scope.OrganisationId)
            .OrderBy(o => o.Acronym).Select(o => o.Acronym).ToListAsync(ct);
        var countries = await db.Countries.AsNoTracking().OrderBy(c => c.Iso3).ToListAsync(ct);
        if (!actor.IsAdmin && actor.Scope.Countries.Count > 0)
        {
            countries = countries.Where(c => actor.Scope.Countries.Contains(c.Iso3)).ToList();
        }
        var iso3 = countries.Select(c => c.Iso3).ToHashSet(StringComparer.Ordinal);
        var admin1 = (await db.Admin1Areas.AsNoTracking().Where(a => a.RetiredAt == null).OrderBy(a => a.CountryIso3).ThenBy(a => a.PCode).ToListAsync(ct))
            .Where(a => iso3.Contains(a.CountryIso3)).ToList();
        var sectors = await db.Sectors.AsNoTracking().OrderBy(s => s.SortOrder).ToListAsync(ct);
        var indicators = await db.Indicators.AsNoTracking().OrderBy(i => i.Code).ToListAsync(ct);
        var periods = await db.ReportingPeriods.AsNoTracking().Select(p => p.Month).ToListAsync(ct);

        var choices = new List<FormChoice>();
        choices.AddRange(orgs.Select(o => new FormChoice("org", o, new Localized(o, o, o, o))));
        choices.AddRange(countries.Select(c => new FormChoice("country", c.Iso3, new Localized(c.NameEn, c.NameEs, c.NamePt, c.NamePap))));
        choices.AddRange(admin1.Select(a => new FormChoice("admin1", a.PCode,
            new Localized(a.LocalName(Languages.English), a.LocalName(Languages.Spanish), a.LocalName(Languages.Portuguese), a.LocalName(Languages.Papiamentu)),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["country"] = a.CountryIso3 })));
        choices.AddRange(sectors.Select(s => new FormChoice("sector", s.Code, new Localized(s.NameEn, s.NameEs, s.NamePt, s.NamePap))));
        choices.AddRange(indicators.Select(i => new FormChoice("indicator", i.Code,
            new Localized($"{i.Code} — {i.NameEn}", $"{i.Code} — {i.NameEs}", $"{i.Code} — {i.NamePt}", $"{i.Code} — {i.NamePap}"),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["sector"] = i.SectorCode })));
        choices.AddRange(PopulationGroups.All.Select(g => new FormChoice("population_group", g, L(PopulationGroups.Label(g)))));
        choices.Add(new FormChoice("yes_no", "yes", L("yes")));
        choices.Add(new FormChoice("yes_no", "no", L("no")));

        var negative = L("Numbers may not be negative.");
        FormQuestion Count(TabularColumn c, bool required, string hint) =>
            new("integer", c.Key, c, H(c), L(hint), required, ". >= 0", negative);
        // Countries without admin1 areas on record take none (the import refuses one): the question only shows for the others.
        var withAdmin1 = admin1.Select(a => a.CountryIso3).Distinct(StringComparer.Ordinal).ToList();
        var admin1Relevant = withAdmin1.Count == countries.Count ? null : $"selected('{string.Join(' ', withAdmin1)}', ${{country}})";
        var (first, last) = periods.Count == 0 ? ("2000-01", "2100-12") : (periods.Min(StringComparer.Ordinal)!, periods.Max(StringComparer.Ordinal)!);
        var lastDay = DateTime.ParseExact(last + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture).AddMonths(1).AddDays(-1);

        var survey = new List<FormQuestion>
        {
            new("start", "start"),
            new("end", "end"),
            new("begin_group", "grp_activity", Label: L("What and where")),
            new("select_one org", "org", ReportColumns.Org, H(ReportColumns.Org), Required: true, Default: orgs.Count == 1 ? orgs[0] : null),
            new("text", "partner", ReportColumns.Partner, H(ReportColumns.Partner), L("The local organisation that carried the activity out, if any."),
                Constraint: "string-length(.) <= 200", ConstraintMessage: L("The implementing partner is limited to 200 characters.")),
            new("select_one country", "country", ReportColumns.Country, H(ReportColumns.Country), Required: true,
                Default: countries.Count == 1 ? countries[0].Iso3 : null),
            new("select_one admin1", "admin1", ReportColumns.Admin1, L("Admin1 area"), Required: true, Relevant: admin1Relevant, ChoiceFilter: "country=${country}"),
            new("select_one sector", "sector", ReportColumns.Sector, H(ReportColumns.Sector), Required: true),
            new("select_one indicator", "indicator", ReportColumns.Indicator, H(ReportColumns.Indicator), Required: true, ChoiceFilter: "sector=${sector}"),
            new("date", "month", ReportColumns.Month, L("Month reported"), L("The month the people were reached in (one report per month)."), true,
                $". >= date('{first}-01') and . <= date('{lastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}')",
                L("There is no reporting period for this month."), Appearance: "month-year"),
            new("select_one population_group", "group", ReportColumns.Group, H(ReportColumns.Group), Required: true),
            new("end_group", "grp_activity"),
            new("begin_group", "grp_reached", Label: L("People reached this month"),
                Hint: L("A monthly figure: people reached in this month, each counted once.")),
            Count(ReportColumns.Girls, true, "Under 18."),
            Count(ReportColumns.Boys, true, "Under 18."),
            Count(ReportColumns.Women, true, "18 and over."),
            Count(ReportColumns.Men, true, "18 and over."),
            Count(ReportColumns.Other, false, "Sex or age not known."),
            // The total is the breakdown's sum by construction: the import checks exactly that.
            new("calculate", "total", ReportColumns.Total, Calculation: Sum),
            new("note", "total_note", Label: L("Total reached: ${total}")),
            new("integer", "todate", ReportColumns.ToDate, H(ReportColumns.ToDate),
                L("Optional: people reached since the start of the year, each counted once (never a sum of months)."), Constraint: ". >= 0",
                ConstraintMessage: negative),
            new("end_group", "grp_reached"),
            new("begin_group", "grp_cash", Label: L("Cash-based assistance")),
            new("select_one yes_no", "cash", ReportColumns.Cash, L("Cash-based assistance?"), Required: true, Default: "no"),
            new("integer", "cashusd", ReportColumns.CashUsd, H(ReportColumns.CashUsd), L("Whole US dollars."), Constraint: ". >= 0",
                ConstraintMessage: negative, Relevant: "${cash} = 'yes'"),
            new("end_group", "grp_cash"),
        };
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["form_title"] = L("Closer 5W monthly report").En,
            ["form_id"] = XlsForm.FormId,
            // The version moves with the choices (a new admin1 area, indicator or period): Kobo and ODK keep both.
            ["version"] = time.GetUtcNow().ToString("yyyyMMddHH", CultureInfo.InvariantCulture),
            ["default_language"] = XlsForm.LanguageColumns[0].Column,
        };
        return new XlsForm(survey, choices, settings);
    }
}
