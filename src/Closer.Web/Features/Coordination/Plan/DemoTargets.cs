namespace Closer.Web.Features.Coordination.Plan;

/// <summary>
/// Demo plan targets of one country, derived — not official: people in need = the country's refugees and migrants ×
/// population-group share × the 2020 plan's people in need of the sector over its base population; target = in need ×
/// the 2020 plan's targeted/in-need ratio of the sector; requirement = target × the 2020 plan's USD per person
/// targeted. The basis is written into every target's <see cref="PlanTarget.Source"/> (see Infrastructure/Data/Seed/README.md).
/// </summary>
public static class DemoTargets
{
    public const string Source = "Demo (not official): RMRP 2020 sector ratios (plan-2020-sectors.csv) × latest R4V population, Jul 2024 (population-figures.csv)";

    /// <summary>Refugees and migrants in Latin America and the Caribbean the 2020 plan was sized on: 5.2 M (Aug 2020), ~80 % in the region.</summary>
    internal const double Base2020 = 4_160_000;

    // Sectors the 2020 table gives no people for: share of the population in need and coverage assumed.
    private const double AssumedInNeed = 0.10;
    private const double AssumedCoverage = 0.5;

    private static readonly (string Group, double Share)[] Groups =
        [(PopulationGroups.InDestination, 0.7), (PopulationGroups.InTransit, 0.1), (PopulationGroups.HostCommunity, 0.2)];

    // Protection sub-sectors take a part of the Protection figures; support services train staff, not the population.
    private static readonly Dictionary<string, double> SubShare = new(StringComparer.Ordinal)
    {
        ["PRO-CP"] = 0.35, ["PRO-GBV"] = 0.25, ["PRO-HTS"] = 0.15, ["SUP"] = 0.02,
    };

    /// <summary>The targets (year not set) of every indicator × population group of a country of this population.</summary>
    public static IEnumerable<PlanTarget> For(string country, long population,
        IReadOnlyDictionary<string, (long InNeed, long Targeted, long Usd)> plan2020)
    {
        var indicators = CoordinationReferenceSeeder.IndicatorList;
        var parentOf = CoordinationReferenceSeeder.SectorList.ToDictionary(s => s.Code, s => s.Parent ?? s.Code, StringComparer.Ordinal);
        foreach (var i in indicators)
        {
            var root = parentOf[i.Sector];
            var (inNeed2020, targeted2020, usd2020) = plan2020.GetValueOrDefault(root);
            var part = SubShare.GetValueOrDefault(i.Sector, 1.0);
            var inNeedShare = (inNeed2020 > 0 ? inNeed2020 / Base2020 : AssumedInNeed) * part;
            var coverage = inNeed2020 > 0 ? (double)targeted2020 / inNeed2020 : AssumedCoverage;
            var usdPerPerson = usd2020 / Math.Max(1, Base2020 * (inNeed2020 > 0 ? targeted2020 / Base2020 : AssumedInNeed * AssumedCoverage));
            // A sector's requirement is carried once, split over its people indicators (two health indicators count the same people).
            var peopleIndicators = indicators.Count(x => x.Sector == i.Sector && x.Unit == IndicatorUnit.People);
            foreach (var (group, share) in Groups)
            {
                var inNeed = Round(population * share * inNeedShare);
                var people = Round(inNeed * coverage);
                var (target, usd) = i.Unit switch
                {
                    IndicatorUnit.People => (people, (long)(people * usdPerPerson / peopleIndicators)),
                    // Kits: one per child for learning kits, one per household of four for non-food items.
                    IndicatorUnit.Items => (i.Code.StartsWith("NFI", StringComparison.Ordinal) ? Round(people / 4.0) : people, 0L),
                    // Cash transferred: 85 % of the sector's cost per person reaches people as cash.
                    _ => (Round(people * usdPerPerson * 0.85), 0L),
                };
                yield return new PlanTarget
                {
                    CountryIso3 = country, IndicatorCode = i.Code, PopulationGroup = group, Target = target,
                    PeopleInNeed = i.Unit == IndicatorUnit.People ? inNeed : 0, RequirementUsd = usd, Source = Source,
                };
            }
        }
    }

    /// <summary>Hundreds from a thousand, tens from a hundred: a plan does not claim single people.</summary>
    internal static long Round(double x) => x switch
    {
        >= 1000 => (long)Math.Round(x / 100, MidpointRounding.AwayFromZero) * 100,
        >= 100 => (long)Math.Round(x / 10, MidpointRounding.AwayFromZero) * 10,
        _ => (long)Math.Round(x, MidpointRounding.AwayFromZero),
    };
}
