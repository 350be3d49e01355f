using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>
/// One monthly figure to check: its series (organisation, country, admin1, indicator, group and implementing partner, "" for
/// none: the partner is part of a report's key, so each partner's figures are a series of their own) and month.
/// </summary>
public sealed record OutlierFigure(int OrganisationId, string Country, string Admin1, string Indicator, string Group, string Month, long Total, string Partner = "");

/// <summary>
/// Why a figure looks odd. <see cref="Message"/> is an English UI string with {0} the figure and {1} the limit it passes,
/// localized where it is shown.
/// </summary>
public sealed record OutlierHint(string Code, string Message, long Figure, long Limit);

/// <summary>
/// The outlier hints of review and import (<c>ReportImporter</c>: warnings beside the rows of a stored file), in one place. They are warnings, never errors (a big month can be true): a
/// monthly figure more than <see cref="Factor"/>× the median of the same series' previous months (the organisation's own
/// earlier reports, any status), above the plan year's target for the country, indicator and group, or above the
/// country's refugee and migrant population (the latest figure as of that month).
/// Use: <c>var rule = await OutlierRule.LoadAsync(db, figures, ct)</c> once for a set, then <c>rule.Check(figure)</c> per row.
/// </summary>
public sealed class OutlierRule
{
    public const int Factor = 3;

    private readonly ILookup<(int, string, string, string, string, string), (string Month, long Total)> _history;
    private readonly Dictionary<(int, string, string, string), long> _targets;
    private readonly Dictionary<string, List<(string AsOf, long People)>> _population;

    private OutlierRule(ILookup<(int, string, string, string, string, string), (string, long)> history, Dictionary<(int, string, string, string), long> targets,
        Dictionary<string, List<(string AsOf, long People)>> population) => (_history, _targets, _population) = (history, targets, population);

    /// <summary>Reads what the checks of <paramref name="figures"/> need, in three queries.</summary>
    public static async Task<OutlierRule> LoadAsync(CloserDbContext db, IReadOnlyCollection<OutlierFigure> figures, CancellationToken ct)
    {
        var orgs = figures.Select(f => f.OrganisationId).Distinct().ToList();
        var countries = figures.Select(f => f.Country).Distinct().ToList();
        var indicators = figures.Select(f => f.Indicator).Distinct().ToList();
        // Narrowed by every part of a series' key a column of its own can match: an import of 50 rows of as many partners
        // read most of the response's reports otherwise.
        var admin1 = figures.Select(f => f.Admin1).Distinct().ToList();
        var groups = figures.Select(f => f.Group).Distinct().ToList();
        var history = await db.ActivityReports.AsNoTracking()
            .Where(r => r.DeletedAt == null && orgs.Contains(r.OrganisationId) && countries.Contains(r.CountryIso3) && indicators.Contains(r.IndicatorCode)
                && admin1.Contains(r.Admin1PCode) && groups.Contains(r.PopulationGroup))
            .Select(r => new { r.OrganisationId, r.CountryIso3, r.Admin1PCode, r.IndicatorCode, r.PopulationGroup, r.ImplementingPartner, r.Month, r.Total }).ToListAsync(ct);
        var years = figures.Select(f => Year(f.Month)).Distinct().ToList();
        var targets = await db.PlanTargets.AsNoTracking().Where(t => years.Contains(t.Year) && countries.Contains(t.CountryIso3) && indicators.Contains(t.IndicatorCode))
            .Select(t => new { t.Year, t.CountryIso3, t.IndicatorCode, t.PopulationGroup, t.Target }).ToListAsync(ct);
        var population = await db.PopulationFigures.AsNoTracking().Where(p => countries.Contains(p.CountryIso3))
            .Select(p => new { p.CountryIso3, p.AsOf, p.RefugeesAndMigrants }).ToListAsync(ct);
        return new OutlierRule(
            history.ToLookup(r => (r.OrganisationId, r.CountryIso3.Trim(), r.Admin1PCode, r.IndicatorCode, r.PopulationGroup, r.ImplementingPartner), r => (r.Month, r.Total)),
            targets.Where(t => t.Target > 0).GroupBy(t => (t.Year, t.CountryIso3.Trim(), t.IndicatorCode, t.PopulationGroup)).ToDictionary(g => g.Key, g => g.First().Target),
            // Each country's figures sorted once, oldest first, for the per-row look-up of the one in force.
            population.GroupBy(p => p.CountryIso3.Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key,
                g => g.OrderBy(p => p.AsOf, StringComparer.Ordinal).Select(p => (p.AsOf, p.RefugeesAndMigrants)).ToList(), StringComparer.Ordinal));
    }

    private static int Year(string month) => month.Length >= 4 && int.TryParse(month.AsSpan(0, 4), System.Globalization.CultureInfo.InvariantCulture, out var y) ? y : 0;

    /// <summary>The hints of one figure (none when it looks ordinary).</summary>
    public IReadOnlyList<OutlierHint> Check(OutlierFigure f)
    {
        var hints = new List<OutlierHint>();
        var country = f.Country.Trim();
        var previous = _history[(f.OrganisationId, country, f.Admin1, f.Indicator, f.Group, f.Partner)]
            .Where(h => string.CompareOrdinal(h.Month, f.Month) < 0).Select(h => h.Total).ToList();
        if (Median(previous) is { } median && median > 0 && f.Total > Factor * median)
        {
            hints.Add(new OutlierHint("median", "{0} is more than 3 times this series' median of its previous months ({1})", f.Total, median));
        }
        if (_targets.TryGetValue((Year(f.Month), country, f.Indicator, f.Group), out var target) && f.Total > target)
        {
            hints.Add(new OutlierHint("target", "{0} is above the plan's target for the year ({1})", f.Total, target));
        }
        // The latest figure as of the month, else the oldest one there is.
        long? people = null;
        if (_population.TryGetValue(country, out var figures))
        {
            people = figures.Where(p => string.CompareOrdinal(p.AsOf, f.Month) <= 0).Select(p => (long?)p.People).LastOrDefault() ?? figures[0].People;
        }
        if (people is { } population && population > 0 && f.Total > population)
        {
            hints.Add(new OutlierHint("population", "{0} is above the country's refugee and migrant population ({1})", f.Total, population));
        }
        return hints;
    }

    /// <summary>The median (the lower middle of an even count, so it is always a reported figure); null for none.</summary>
    public static long? Median(IReadOnlyCollection<long> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        var sorted = values.Order().ToList();
        return sorted[(sorted.Count - 1) / 2];
    }
}
