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
                // Only integers and checked country codes are inlined.
                var partition = $" AND \"OrganisationId\" IN ({orgs}) AND \"CountryIso3\" IN ({countries})";
                var raw = $" AND r.\"OrganisationId\" IN ({orgs}) AND r.\"CountryIso3\" IN ({countries})";
                foreach (var table in PartitionTables)
                {
                    yield return $"DELETE FROM \"{table}\" WHERE \"Year\" = {year}{partition}";
                }
                foreach (var sql in YearStatements(year, partition, raw))
                {
                    yield return sql;
                }
            }
            var allCountries = string.Join(',', byYear.Select(k => Code(k.CountryIso3)).Distinct(StringComparer.Ordinal).Select(c => $"'{c}'"));
            yield return $"DELETE FROM \"ResponseTotals\" WHERE \"Year\" = {year} AND \"CountryIso3\" IN ({allCountries})";
            yield return TotalsStatement(year, $" AND \"CountryIso3\" IN ({allCountries})");
        }
    }

    /// <summary>The tables kept per organisation × country × year (the totals are per country × sector).</summary>
    private static readonly string[] PartitionTables = ["ResponseMonths", "ResponseYears", "ResponseToDates", "ResponseAreaToDates"];

    /// <summary>
    /// The INSERTs of one plan year's partition (<paramref name="partition"/>: a filter on an aggregate table's organisation
    /// and country, <paramref name="raw"/> the same on the reports as r; both empty for the whole year): the month rows from
    /// the reports, the series from the month rows, and the "to date" tables (<see cref="ToDateSql"/>).
    /// </summary>
    private static IEnumerable<string> YearStatements(string year, string partition, string raw)
    {
        // The indicator (sector, unit) is joined to the grouped rows, not to every report.
        yield return $"""
            INSERT INTO "ResponseMonths" ("Year", "CountryIso3", "SectorCode", "IndicatorCode", "Month", "PopulationGroup", "OrganisationId", "Status",
                "IsPeople", "Reports", "Girls", "Boys", "Women", "Men", "Other", "Total", "Reached")
            SELECT {year}, m."CountryIso3", i."SectorCode", m."IndicatorCode", m."Month", m."PopulationGroup", m."OrganisationId", m."Status",
                i."Unit" = 'People', m."Reports", m."Girls", m."Boys", m."Women", m."Men", m."Other", m."Total", m."Reached"
            FROM (
                SELECT r."CountryIso3", r."IndicatorCode", r."Month", r."PopulationGroup", r."OrganisationId", r."Status", COUNT(*) AS "Reports",
                    SUM(r."Girls") AS "Girls", SUM(r."Boys") AS "Boys", SUM(r."Women") AS "Women", SUM(r."Men") AS "Men", SUM(r."Other") AS "Other",
                    SUM(r."Total") AS "Total", SUM(COALESCE(r."ReachedToDate", r."Total")) AS "Reached"
                FROM "ActivityReports" r
                WHERE r."DeletedAt" IS NULL{raw} AND r."Month" LIKE '{year}-%'
                GROUP BY r."CountryIso3", r."IndicatorCode", r."Month", r."PopulationGroup", r."OrganisationId", r."Status") m
            JOIN "Indicators" i ON i."Code" = m."IndicatorCode"
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
                FROM "ResponseMonths" WHERE "Year" = {year}{partition}
                GROUP BY "Year", "CountryIso3", "SectorCode", "IndicatorCode", "PopulationGroup", "OrganisationId", "IsPeople", "Month") m
            GROUP BY m."Year", m."CountryIso3", m."SectorCode", m."IndicatorCode", m."PopulationGroup", m."OrganisationId", m."IsPeople"
            """;
        yield return ToDateSql.Organisations(year, partition);
        yield return ToDateSql.Areas(year, raw);
    }

    private static string TotalsStatement(string year, string countries) => $"""
        INSERT INTO "ResponseTotals" ("Year", "CountryIso3", "SectorCode", "ReachedValidated", "PartnersValidated", "LastMonthValidated")
        SELECT "Year", "CountryIso3", "SectorCode", SUM(CASE WHEN "IsPeople" THEN "ReachedValidated" ELSE 0 END), COUNT(DISTINCT "OrganisationId"),
            MAX(CASE WHEN "IsPeople" THEN "LastMonthValidated" END)
        FROM "ResponseYears" WHERE "Year" = {year}{countries} AND "ReportsValidated" > 0
        GROUP BY "Year", "CountryIso3", "SectorCode"
        """;

    private const string Touch = "UPDATE \"DashboardStamps\" SET \"Version\" = \"Version\" + 1 WHERE \"Id\" = 1";

    /// <summary>A country code as stored: three capital letters (anything else cannot name a report's country).</summary>
    private static string Code(string iso3) =>
        iso3.Length == 3 && iso3.All(char.IsAsciiLetterUpper) ? iso3 : throw new ArgumentException("Not an ISO3 code.", nameof(iso3));

    /// <summary>
    /// Recomputes every aggregate from the raw reports (demo seeding, the backfill, repairs, benchmarks): every table
    /// emptied, then per plan year one INSERT … SELECT per table over the whole year (<see cref="YearStatements"/> without
    /// a partition filter). One set-based pass per table and year, instead of the write path's per-organisation chunks:
    /// no key list is read first and no statement is repeated per chunk.
    /// </summary>
    public static async Task RebuildAllAsync(CloserDbContext db, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync(Touch, ct);
        await db.ResponseMonths.ExecuteDeleteAsync(ct);
        await db.ResponseYears.ExecuteDeleteAsync(ct);
        await db.ResponseTotals.ExecuteDeleteAsync(ct);
        await db.ResponseToDates.ExecuteDeleteAsync(ct);
        await db.ResponseAreaToDates.ExecuteDeleteAsync(ct);
        // Deleted reports' years too (an index-only read); a year left with no live report only gets empty INSERTs.
        var prefixes = await db.ActivityReports.AsNoTracking().Select(r => r.Month.Substring(0, 4)).Distinct().ToListAsync(ct);
        var years = prefixes.Select(p => p.Length == 4 && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : (int?)null)
            .OfType<int>().Distinct().Order();
        foreach (var y in years)
        {
            var year = y.ToString(CultureInfo.InvariantCulture);
            foreach (var sql in YearStatements(year, "", ""))
            {
                await db.Database.ExecuteSqlRawAsync(sql, ct);
            }
            await db.Database.ExecuteSqlRawAsync(TotalsStatement(year, ""), ct);
        }
    }
}
