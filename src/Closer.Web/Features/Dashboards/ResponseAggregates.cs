using System.Globalization;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Dashboards;

/// <summary>A unit of recomputation: every report of one organisation in one country in one plan year.</summary>
public readonly record struct AggregateKey(int Year, int OrganisationId, string CountryIso3)
{
    /// <summary>The key of a report's organisation, country and month (the plan year is the month's year); null for a malformed month.</summary>
    public static AggregateKey? For(int organisationId, string countryIso3, string month) =>
        month.Length >= 4 && int.TryParse(month.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            ? new AggregateKey(year, organisationId, countryIso3)
            : null;
}

/// <summary>
/// Keeps <see cref="ResponseMonth"/>, <see cref="ResponseYear"/> and <see cref="ResponseTotal"/> equal to a recomputation
/// from the raw reports. No writer calls this: <see cref="AggregatesInterceptor"/> refreshes the keys of every report
/// written (tracked, or recorded in <see cref="CloserDbContext.ReportsWritten"/> by the bulk import) when the write's
/// transaction commits, inside it.
/// </summary>
public static class ResponseAggregates
{
    private const int OrgsPerQuery = 100;

    /// <summary>The keys of reports given by organisation, country and month (for writers that bypass the change tracker).</summary>
    public static HashSet<AggregateKey> KeysOf(IEnumerable<(int OrganisationId, string CountryIso3, string Month)> reports) =>
        reports.Select(r => AggregateKey.For(r.OrganisationId, r.CountryIso3, r.Month)).OfType<AggregateKey>().ToHashSet();

    /// <summary>
    /// Recomputes the aggregate rows of the given keys from the raw reports (which must be written already), replacing
    /// what was there, and bumps the dashboards' stamp, in the caller's transaction when one is open (see
    /// <see cref="RefreshStatements"/>).
    /// </summary>
    public static async Task RefreshAsync(CloserDbContext db, IReadOnlyCollection<AggregateKey> keys, CancellationToken ct)
    {
        foreach (var sql in RefreshStatements(keys))
        {
            await db.Database.ExecuteSqlRawAsync(sql, ct);
        }
    }

    /// <summary>
    /// The statements that recompute the aggregate rows of the given keys (none for no keys). The work is done by the
    /// database (DELETE, then INSERT … SELECT … GROUP BY), per plan year and up to 100 organisations at a time; the
    /// partitions recomputed are those organisations × the countries of their keys (a superset of the keys is
    /// recomputed exactly too). The first statement takes the stamp row's lock (held to the commit): refreshes take
    /// turns on PostgreSQL, so each one's statements see the previous one's results (SQLite serialises writers anyway).
    /// Caches are evicted by the open-data data stamps, not by this row.
    /// </summary>
    internal static IEnumerable<string> RefreshStatements(IReadOnlyCollection<AggregateKey> keys)
    {
        if (keys.Count == 0)
        {
            yield break;
        }
        yield return Touch;
        foreach (var byYear in keys.GroupBy(k => k.Year))
        {
            var year = byYear.Key.ToString(CultureInfo.InvariantCulture);
            foreach (var chunk in byYear.GroupBy(k => k.OrganisationId).Chunk(OrgsPerQuery))
            {
                var orgs = string.Join(',', chunk.Select(g => g.Key.ToString(CultureInfo.InvariantCulture)));
                var countries = string.Join(',', chunk.SelectMany(g => g).Select(k => Code(k.CountryIso3)).Distinct(StringComparer.Ordinal).Select(c => $"'{c}'"));
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
                foreach (var sql in ToDateStatements(year, orgs, countries))
                {
                    yield return sql;
                }
            }
            var allCountries = string.Join(',', byYear.Select(k => Code(k.CountryIso3)).Distinct(StringComparer.Ordinal).Select(c => $"'{c}'"));
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

    /// <summary>
    /// The "to date" rows of a partition (<see cref="ResponseToDate"/>, <see cref="ResponseAreaToDate"/>): per series its
    /// running best month (a window over its months), carried to every month from its own to the series' next one, then
    /// summed per organisation × country × sector (× area) and month. Each series row spreads over the months until the
    /// next, so a partition costs its own rows plus the months it leaves empty, not rows × months.
    /// </summary>
    private static IEnumerable<string> ToDateStatements(string year, string orgs, string countries)
    {
        var monthList = Enumerable.Range(1, 12).Select(m => $"'{year}-{m:D2}'").ToList();
        var months = "(" + string.Join(" UNION ALL ", monthList.Select(m => $"SELECT {m} AS \"M\"")) + ")";
        var where = $"\"Year\" = {year} AND \"OrganisationId\" IN ({orgs}) AND \"CountryIso3\" IN ({countries})";
        yield return $"DELETE FROM \"ResponseToDates\" WHERE {where}";
        yield return $"DELETE FROM \"ResponseAreaToDates\" WHERE {where}";
        yield return $"""
            INSERT INTO "ResponseToDates" ("Year", "Month", "CountryIso3", "SectorCode", "OrganisationId", "PeopleSeries", "Reached", "ReportsInMonth")
            SELECT {year}, mo."M", s."CountryIso3", s."SectorCode", s."OrganisationId", SUM(CASE WHEN s."IsPeople" THEN 1 ELSE 0 END),
                SUM(CASE WHEN s."IsPeople" THEN s."Best" ELSE 0 END), SUM(CASE WHEN mo."M" = s."Month" THEN s."Reports" ELSE 0 END)
            FROM (
                SELECT "CountryIso3", "SectorCode", "OrganisationId", "IsPeople", "Month", "Reports",
                    MAX("Reached") OVER (PARTITION BY "CountryIso3", "IndicatorCode", "PopulationGroup", "OrganisationId" ORDER BY "Month" ROWS UNBOUNDED PRECEDING) AS "Best",
                    LEAD("Month") OVER (PARTITION BY "CountryIso3", "IndicatorCode", "PopulationGroup", "OrganisationId" ORDER BY "Month") AS "Next"
                FROM "ResponseMonths" WHERE {where} AND "Status" = 'Validated') s
            JOIN {months} mo ON mo."M" >= s."Month" AND (s."Next" IS NULL OR mo."M" < s."Next")
            GROUP BY mo."M", s."CountryIso3", s."SectorCode", s."OrganisationId"
            """;
        yield return $"""
            INSERT INTO "ResponseAreaToDates" ("Year", "Month", "CountryIso3", "Admin1PCode", "SectorCode", "OrganisationId", "Reached")
            SELECT {year}, mo."M", s."CountryIso3", s."Admin1PCode", s."SectorCode", s."OrganisationId", SUM(CASE WHEN s."IsPeople" THEN s."Best" ELSE 0 END)
            FROM (
                SELECT x."CountryIso3", x."Admin1PCode", x."SectorCode", x."OrganisationId", x."IsPeople", x."Month",
                    MAX(x."MonthBest") OVER (PARTITION BY x."CountryIso3", x."Admin1PCode", x."IndicatorCode", x."PopulationGroup", x."OrganisationId" ORDER BY x."Month" ROWS UNBOUNDED PRECEDING) AS "Best",
                    LEAD(x."Month") OVER (PARTITION BY x."CountryIso3", x."Admin1PCode", x."IndicatorCode", x."PopulationGroup", x."OrganisationId" ORDER BY x."Month") AS "Next"
                FROM (
                    SELECT r."CountryIso3", r."Admin1PCode", i."SectorCode", r."IndicatorCode", r."PopulationGroup", r."OrganisationId", i."Unit" = 'People' AS "IsPeople",
                        r."Month", MAX(COALESCE(r."ReachedToDate", r."Total")) AS "MonthBest"
                    FROM "ActivityReports" r JOIN "Indicators" i ON i."Code" = r."IndicatorCode"
                    WHERE r."DeletedAt" IS NULL AND r."Status" = 'Validated' AND r."OrganisationId" IN ({orgs}) AND r."CountryIso3" IN ({countries})
                        AND r."Month" IN ({string.Join(',', monthList)})
                    GROUP BY r."CountryIso3", r."Admin1PCode", i."SectorCode", r."IndicatorCode", r."PopulationGroup", r."OrganisationId", i."Unit", r."Month") x) s
            JOIN {months} mo ON mo."M" >= s."Month" AND (s."Next" IS NULL OR mo."M" < s."Next")
            GROUP BY mo."M", s."CountryIso3", s."Admin1PCode", s."SectorCode", s."OrganisationId"
            """;
    }

    private const string Touch = "UPDATE \"DashboardStamps\" SET \"Version\" = \"Version\" + 1 WHERE \"Id\" = 1";

    /// <summary>A country code as stored: three capital letters (anything else cannot name a report's country).</summary>
    private static string Code(string iso3) =>
        iso3.Length == 3 && iso3.All(char.IsAsciiLetterUpper) ? iso3 : throw new ArgumentException("Not an ISO3 code.", nameof(iso3));

    /// <summary>Recomputes every aggregate from the raw reports (demo seeding, repairs, benchmarks).</summary>
    public static async Task RebuildAllAsync(CloserDbContext db, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync(Touch, ct);
        await db.ResponseMonths.ExecuteDeleteAsync(ct);
        await db.ResponseYears.ExecuteDeleteAsync(ct);
        await db.ResponseTotals.ExecuteDeleteAsync(ct);
        await db.ResponseToDates.ExecuteDeleteAsync(ct);
        await db.ResponseAreaToDates.ExecuteDeleteAsync(ct);
        var series = await db.ActivityReports.AsNoTracking().Where(r => r.DeletedAt == null)
            .Select(r => new { r.OrganisationId, r.CountryIso3, r.Month }).Distinct().ToListAsync(ct);
        await RefreshAsync(db, KeysOf(series.Select(s => (s.OrganisationId, s.CountryIso3, s.Month))), ct);
    }
}
