// The baseline of the rebuild's timing: the full aggregates rebuild as it is on main before the "to date" tables (issue 20,
// commit 663808d): every (organisation, country, month) key read first, then per plan year and 100 organisations the
// DELETE + INSERT … SELECT of ResponseMonths and ResponseYears, then ResponseTotals. The statements are copied from
// there so the same run can time the old rebuild and the current one on the same rows.
using System.Diagnostics;
using System.Globalization;
using Closer.Web.Features.Dashboards;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

internal static class MainRebuild
{
    private const int OrgsPerQuery = 100;

    /// <summary>Empties the aggregates and rebuilds ResponseMonths/Years/Totals the way main does; returns the time taken.</summary>
    public static async Task<TimeSpan> RunAsync(CloserDbContext db)
    {
        await db.ResponseToDates.ExecuteDeleteAsync();
        await db.ResponseAreaToDates.ExecuteDeleteAsync();
        var sw = Stopwatch.StartNew();
        await db.ResponseMonths.ExecuteDeleteAsync();
        await db.ResponseYears.ExecuteDeleteAsync();
        await db.ResponseTotals.ExecuteDeleteAsync();
        var series = await db.ActivityReports.AsNoTracking().Where(r => r.DeletedAt == null)
            .Select(r => new { r.OrganisationId, r.CountryIso3, r.Month }).Distinct().ToListAsync();
        foreach (var sql in Statements(ResponseAggregates.KeysOf(series.Select(s => (s.OrganisationId, s.CountryIso3, s.Month)))))
        {
            await db.Database.ExecuteSqlRawAsync(sql);
        }
        return sw.Elapsed;
    }

    private static IEnumerable<string> Statements(HashSet<AggregateKey> keys)
    {
        if (keys.Count == 0)
        {
            yield break;
        }
        foreach (var byYear in keys.GroupBy(k => k.Year))
        {
            var year = byYear.Key.ToString(CultureInfo.InvariantCulture);
            foreach (var chunk in byYear.GroupBy(k => k.OrganisationId).Chunk(OrgsPerQuery))
            {
                var orgs = string.Join(',', chunk.Select(g => g.Key.ToString(CultureInfo.InvariantCulture)));
                var countries = string.Join(',', chunk.SelectMany(g => g).Select(k => k.CountryIso3).Distinct(StringComparer.Ordinal).Select(c => $"'{c}'"));
                var where = $"\"Year\" = {year} AND \"OrganisationId\" IN ({orgs}) AND \"CountryIso3\" IN ({countries})";
                // Only integers and checked country codes are inlined.
                yield return $"DELETE FROM \"ResponseMonths\" WHERE {where}";
                yield return $"DELETE FROM \"ResponseYears\" WHERE {where}";
                yield return $"""
                    INSERT INTO "ResponseMonths" ("Year", "CountryIso3", "SectorCode", "IndicatorCode", "Month", "PopulationGroup", "OrganisationId", "Status",
                        "IsPeople", "Reports", "Girls", "Boys", "Women", "Men", "Other", "Total", "Reached")
                    SELECT {year}, r."CountryIso3", i."SectorCode", r."IndicatorCode", r."Month", r."PopulationGroup", r."OrganisationId", r."Status",
                        i."Unit" = 'People', COUNT(*), SUM(r."Girls"), SUM(r."Boys"), SUM(r."Women"), SUM(r."Men"), SUM(r."Other"), SUM(r."Total"),
                        SUM(COALESCE(r."ReachedToDate", r."Total"))
                    FROM "ActivityReports" r JOIN "Indicators" i ON i."Code" = r."IndicatorCode"
                    WHERE r."DeletedAt" IS NULL AND r."OrganisationId" IN ({orgs}) AND r."CountryIso3" IN ({countries}) AND r."Month" LIKE '{year}-%'
                    GROUP BY r."CountryIso3", i."SectorCode", r."IndicatorCode", r."Month", r."PopulationGroup", r."OrganisationId", r."Status", i."Unit"
                    """;
                yield return $"""
                    INSERT INTO "ResponseYears" ("Year", "CountryIso3", "SectorCode", "IndicatorCode", "PopulationGroup", "OrganisationId", "IsPeople",
                        "ReachedValidated", "ReportsValidated", "ReachedAll", "ReportsAll", "LastMonthValidated")
                    SELECT m."Year", m."CountryIso3", m."SectorCode", m."IndicatorCode", m."PopulationGroup", m."OrganisationId", m."IsPeople",
                        MAX(m."V"), SUM(m."VR"), MAX(m."A"), SUM(m."AR"), MAX(CASE WHEN m."VR" > 0 THEN m."Month" END)
                    FROM (
                        SELECT "Year", "CountryIso3", "SectorCode", "IndicatorCode", "PopulationGroup", "OrganisationId", "IsPeople", "Month",
                            SUM(CASE WHEN "Status" = 'Validated' THEN "Reached" ELSE 0 END) AS "V",
                            SUM(CASE WHEN "Status" = 'Validated' THEN "Reports" ELSE 0 END) AS "VR",
                            SUM("Reached") AS "A", SUM("Reports") AS "AR"
                        FROM "ResponseMonths" WHERE {where}
                        GROUP BY "Year", "CountryIso3", "SectorCode", "IndicatorCode", "PopulationGroup", "OrganisationId", "IsPeople", "Month") m
                    GROUP BY m."Year", m."CountryIso3", m."SectorCode", m."IndicatorCode", m."PopulationGroup", m."OrganisationId", m."IsPeople"
                    """;
            }
            var allCountries = string.Join(',', byYear.Select(k => k.CountryIso3).Distinct(StringComparer.Ordinal).Select(c => $"'{c}'"));
            yield return $"DELETE FROM \"ResponseTotals\" WHERE \"Year\" = {year} AND \"CountryIso3\" IN ({allCountries})";
            yield return $"""
                INSERT INTO "ResponseTotals" ("Year", "CountryIso3", "SectorCode", "ReachedValidated", "PartnersValidated", "LastMonthValidated")
                SELECT "Year", "CountryIso3", "SectorCode", SUM(CASE WHEN "IsPeople" THEN "ReachedValidated" ELSE 0 END), COUNT(DISTINCT "OrganisationId"),
                    MAX(CASE WHEN "IsPeople" THEN "LastMonthValidated" END)
                FROM "ResponseYears" WHERE "Year" = {year} AND "CountryIso3" IN ({allCountries}) AND "ReportsValidated" > 0
                GROUP BY "Year", "CountryIso3", "SectorCode"
                """;
        }
    }
}
