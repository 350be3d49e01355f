using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Plan;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Coordination;

/// <summary>The seeded reference data covers every country of the plan: admin1 areas with P-codes, and demo targets with their basis.</summary>
public abstract class ReferenceDataSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The 17 countries of the regional plan (shared/data/countries.csv), written out so a dropped country fails here.
    private static readonly string[] PlanCountries =
        ["ARG", "ABW", "BOL", "BRA", "CHL", "COL", "CRI", "CUW", "DOM", "ECU", "GUY", "MEX", "PAN", "PRY", "PER", "TTO", "URY"];

    private static readonly Dictionary<string, string> Iso2 = new(StringComparer.Ordinal)
    {
        ["ARG"] = "AR", ["ABW"] = "AW", ["BOL"] = "BO", ["BRA"] = "BR", ["CHL"] = "CL", ["COL"] = "CO", ["CRI"] = "CR", ["CUW"] = "CW", ["DOM"] = "DO",
        ["ECU"] = "EC", ["GUY"] = "GY", ["MEX"] = "MX", ["PAN"] = "PA", ["PRY"] = "PY", ["PER"] = "PE", ["TTO"] = "TT", ["URY"] = "UY",
    };

    [Fact]
    public async Task EveryPlanCountry_HasAdmin1Areas_WithUniqueCountryPrefixedPCodes()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var areas = await db.Admin1Areas.AsNoTracking().ToListAsync(Ct);
        foreach (var iso3 in PlanCountries)
        {
            var mine = areas.Where(a => a.CountryIso3 == iso3).ToList();
            Assert.True(mine.Count >= 3, $"{iso3} has {mine.Count} admin1 areas");
            Assert.All(mine, a => Assert.Matches($"^{Iso2[iso3]}[0-9]{{1,2}}$", a.PCode));
            Assert.Equal(mine.Count, mine.Select(a => a.Name).Distinct(StringComparer.Ordinal).Count());
        }
        Assert.Equal(areas.Count, areas.Select(a => a.PCode).Distinct(StringComparer.Ordinal).Count());
        // Codes reports already carry stay as they were (a sample across the five countries seeded first).
        foreach (var (pcode, name) in new[] { ("CO05", "Antioquia"), ("CO54", "Norte de Santander"), ("PE15", "Lima"), ("EC17", "Pichincha"), ("BR14", "Roraima"), ("CL13", "Región Metropolitana de Santiago") })
        {
            Assert.Contains(areas, a => a.PCode == pcode && a.Name == name);
        }
        Assert.Equal(127 + 166, areas.Count);
        // Names in the UI languages where they differ; the official name otherwise.
        var mexicoCity = areas.Single(a => a.PCode == "MX09");
        Assert.Equal(("Mexico City", "Ciudad de México"), (mexicoCity.LocalName("en"), mexicoCity.LocalName("es")));
    }

    [Fact]
    public async Task EveryPlanCountry_HasDemoTargets_ForEveryIndicatorAndGroup_WithTheirBasis()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var year = TimeProvider.System.GetUtcNow().Year;
        var targets = await db.PlanTargets.AsNoTracking().Where(t => t.Year == year && t.Source == DemoTargets.Source).ToListAsync(Ct);
        var indicators = CoordinationReferenceSeeder.IndicatorList.Length;
        foreach (var iso3 in PlanCountries)
        {
            var mine = targets.Where(t => t.CountryIso3 == iso3).ToList();
            Assert.True(mine.Count >= indicators * 3 - 3, $"{iso3} has {mine.Count} targets");
            Assert.Contains(mine, t => t.Target > 0);
            Assert.All(mine, t => Assert.True(t.Target <= t.PeopleInNeed || t.PeopleInNeed == 0, $"{t.IndicatorCode} target above need"));
        }
        // Bigger populations get bigger targets: Colombia (2.86 M) against Paraguay (5,300).
        long Food(string c) => targets.Single(t => t.CountryIso3 == c && t is { IndicatorCode: "FSC-01", PopulationGroup: PopulationGroups.InDestination }).Target;
        Assert.True(Food("COL") > 100 * Food("PRY"));
        // Curaçao has no Jul 2024 figure: its latest (14,200, Nov 2021) sizes it. 14,200 × 0.7 × 2.59/4.16 → 6,200 in need → 3,400.
        Assert.Equal(3_400, Food("CUW"));
    }

    [Fact]
    public void DemoTargets_FollowThe2020PlanRatios()
    {
        var plan = new Dictionary<string, (long, long, long)>(StringComparer.Ordinal) { ["FSC"] = (2_590_000, 1_420_000, 211_870_000) };
        var food = DemoTargets.For("COL", 1_000_000, plan).Single(t => t is { IndicatorCode: "FSC-01", PopulationGroup: PopulationGroups.InDestination });
        // 1 M × 0.7 × 2.59 M / 4.16 M = 435,817 in need → 435,800; × 1.42/2.59 = 238,934 → 238,900 targeted.
        Assert.Equal(435_800, food.PeopleInNeed);
        Assert.Equal(238_900, food.Target);
        Assert.Equal(35_644, food.RequirementUsd / 1000);
        Assert.Equal(0, DemoTargets.Round(0.4));
        Assert.Equal(120, DemoTargets.Round(123));
    }
}

public sealed class ReferenceDataSqlite(SqliteApp app) : ReferenceDataSuite<SqliteApp>(app);
public sealed class ReferenceDataPostgres(PostgresApp app) : ReferenceDataSuite<PostgresApp>(app);

/// <summary>Issue 15 for this room: the countries, plan and audit handlers declare what they answer (see TypedResultsAuditTests).</summary>
public sealed class CoordinationTypedResultsTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public void CountriesPlanAndAuditHandlers_AreTyped()
    {
        string[] rooms = ["Closer.Web.Features.Coordination.Countries", "Closer.Web.Features.Coordination.Plan", "Closer.Web.Features.Coordination.Audit"];
        var handlers = Closer.Tests.Security.EndpointAuditTests.AppEndpoints(app.Services)
            .Select(e => e.Metadata.GetMetadata<System.Reflection.MethodInfo>())
            .Where(m => rooms.Contains(m?.DeclaringType?.Namespace, StringComparer.Ordinal)).ToList();
        Assert.True(handlers.Count >= 7, $"only {handlers.Count} handlers found");
        Assert.All(handlers, m => Assert.NotEqual(typeof(Task<IResult>), m!.ReturnType));
        Assert.All(handlers, m => Assert.NotEqual(typeof(IResult), m!.ReturnType));
    }
}
