using System.Globalization;
using Closer.Web.Features.Coordination;
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
/// Keeps <see cref="ResponseMonth"/> and <see cref="ResponseYear"/> equal to a recomputation from the raw reports.
/// Every write path of reports saves through <see cref="SaveChangesAsync"/> (or calls <see cref="RefreshAsync"/> itself,
/// inside its transaction, after its rows are written).
/// </summary>
public static class ResponseAggregates
{
    private const int OrgsPerQuery = 100;

    /// <summary>
    /// Saves the context and refreshes the aggregates of every report it changed, in one transaction (the caller's
    /// when one is open, else its own). A one-line replacement for <c>db.SaveChangesAsync(ct)</c> on report writes.
    /// </summary>
    public static async Task<int> SaveChangesAsync(CloserDbContext db, CancellationToken ct)
    {
        var keys = PendingKeys(db);
        if (keys.Count == 0)
        {
            return await db.SaveChangesAsync(ct);
        }
        if (db.Database.CurrentTransaction is not null)
        {
            var saved = await db.SaveChangesAsync(ct);
            await RefreshAsync(db, keys, ct);
            return saved;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var n = await db.SaveChangesAsync(ct);
        await RefreshAsync(db, keys, ct);
        await tx.CommitAsync(ct);
        return n;
    }

    /// <summary>The keys of the reports the context is about to add, change or delete.</summary>
    public static HashSet<AggregateKey> PendingKeys(CloserDbContext db)
    {
        if (db.ChangeTracker.AutoDetectChangesEnabled)
        {
            db.ChangeTracker.DetectChanges();
        }
        var keys = new HashSet<AggregateKey>();
        foreach (var e in db.ChangeTracker.Entries<ActivityReport>())
        {
            if (e.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            if (AggregateKey.For(e.Entity.OrganisationId, e.Entity.CountryIso3, e.Entity.Month) is { } k)
            {
                keys.Add(k);
            }
            if (e.State != EntityState.Added
                && AggregateKey.For(e.OriginalValues.GetValue<int>(nameof(ActivityReport.OrganisationId)),
                    e.OriginalValues.GetValue<string>(nameof(ActivityReport.CountryIso3)),
                    e.OriginalValues.GetValue<string>(nameof(ActivityReport.Month))) is { } o)
            {
                keys.Add(o);
            }
        }
        return keys;
    }

    /// <summary>The keys of reports given by organisation, country and month (for writers that bypass the change tracker).</summary>
    public static HashSet<AggregateKey> KeysOf(IEnumerable<(int OrganisationId, string CountryIso3, string Month)> reports) =>
        reports.Select(r => AggregateKey.For(r.OrganisationId, r.CountryIso3, r.Month)).OfType<AggregateKey>().ToHashSet();

    /// <summary>
    /// Recomputes the aggregate rows of the given keys from the raw reports (which must be written already), replacing
    /// what was there, and bumps the dashboards' stamp. Runs in the caller's transaction when one is open. The work is
    /// done by the database (DELETE, then INSERT … SELECT … GROUP BY), per plan year and up to 100 organisations at a
    /// time; the partitions recomputed are those organisations × the countries of their keys (a superset of the keys
    /// is recomputed exactly too).
    /// </summary>
    public static async Task RefreshAsync(CloserDbContext db, IReadOnlyCollection<AggregateKey> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return;
        }
        // First: the stamp's row lock (held to the commit) serialises refreshes across transactions on PostgreSQL, so
        // each one's statements see the previous one's results (SQLite serialises writers anyway).
        await TouchAsync(db, ct);
        foreach (var byYear in keys.GroupBy(k => k.Year))
        {
            var year = byYear.Key.ToString(CultureInfo.InvariantCulture);
            foreach (var chunk in byYear.GroupBy(k => k.OrganisationId).Chunk(OrgsPerQuery))
            {
                var orgs = string.Join(',', chunk.Select(g => g.Key.ToString(CultureInfo.InvariantCulture)));
                var countries = string.Join(',', chunk.SelectMany(g => g).Select(k => Code(k.CountryIso3)).Distinct(StringComparer.Ordinal).Select(c => $"'{c}'"));
                var where = $"\"Year\" = {year} AND \"OrganisationId\" IN ({orgs}) AND \"CountryIso3\" IN ({countries})";
#pragma warning disable EF1002 // only integers and checked country codes are inlined
                await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"ResponseMonths\" WHERE {where}", ct);
                await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"ResponseYears\" WHERE {where}", ct);
                await db.Database.ExecuteSqlRawAsync($"""
                    INSERT INTO "ResponseMonths" ("Year", "CountryIso3", "SectorCode", "IndicatorCode", "Month", "PopulationGroup", "OrganisationId", "Status",
                        "IsPeople", "Reports", "Girls", "Boys", "Women", "Men", "Other", "Total", "Reached")
                    SELECT {year}, r."CountryIso3", i."SectorCode", r."IndicatorCode", r."Month", r."PopulationGroup", r."OrganisationId", r."Status",
                        i."Unit" = 'People', COUNT(*), SUM(r."Girls"), SUM(r."Boys"), SUM(r."Women"), SUM(r."Men"), SUM(r."Other"), SUM(r."Total"),
                        SUM(COALESCE(r."ReachedToDate", r."Total"))
                    FROM "ActivityReports" r JOIN "Indicators" i ON i."Code" = r."IndicatorCode"
                    WHERE r."DeletedAt" IS NULL AND r."OrganisationId" IN ({orgs}) AND r."CountryIso3" IN ({countries}) AND r."Month" LIKE '{year}-%'
                    GROUP BY r."CountryIso3", i."SectorCode", r."IndicatorCode", r."Month", r."PopulationGroup", r."OrganisationId", r."Status", i."Unit"
                    """, ct);
                await db.Database.ExecuteSqlRawAsync($"""
                    INSERT INTO "ResponseYears" ("Year", "CountryIso3", "SectorCode", "IndicatorCode", "PopulationGroup", "OrganisationId", "IsPeople",
                        "ReachedValidated", "ReportsValidated", "ReachedAll", "ReportsAll")
                    SELECT m."Year", m."CountryIso3", m."SectorCode", m."IndicatorCode", m."PopulationGroup", m."OrganisationId", m."IsPeople",
                        MAX(m."V"), SUM(m."VR"), MAX(m."A"), SUM(m."AR")
                    FROM (
                        SELECT "Year", "CountryIso3", "SectorCode", "IndicatorCode", "PopulationGroup", "OrganisationId", "IsPeople", "Month",
                            SUM(CASE WHEN "Status" = 'Validated' THEN "Reached" ELSE 0 END) AS "V",
                            SUM(CASE WHEN "Status" = 'Validated' THEN "Reports" ELSE 0 END) AS "VR",
                            SUM("Reached") AS "A", SUM("Reports") AS "AR"
                        FROM "ResponseMonths" WHERE {where}
                        GROUP BY "Year", "CountryIso3", "SectorCode", "IndicatorCode", "PopulationGroup", "OrganisationId", "IsPeople", "Month") m
                    GROUP BY m."Year", m."CountryIso3", m."SectorCode", m."IndicatorCode", m."PopulationGroup", m."OrganisationId", m."IsPeople"
                    """, ct);
            }
            var allCountries = string.Join(',', byYear.Select(k => Code(k.CountryIso3)).Distinct(StringComparer.Ordinal).Select(c => $"'{c}'"));
            await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"ResponseTotals\" WHERE \"Year\" = {year} AND \"CountryIso3\" IN ({allCountries})", ct);
            await db.Database.ExecuteSqlRawAsync($"""
                INSERT INTO "ResponseTotals" ("Year", "CountryIso3", "SectorCode", "ReachedValidated", "PartnersValidated")
                SELECT "Year", "CountryIso3", "SectorCode", SUM(CASE WHEN "IsPeople" THEN "ReachedValidated" ELSE 0 END), COUNT(DISTINCT "OrganisationId")
                FROM "ResponseYears" WHERE "Year" = {year} AND "CountryIso3" IN ({allCountries}) AND "ReportsValidated" > 0
                GROUP BY "Year", "CountryIso3", "SectorCode"
                """, ct);
#pragma warning restore EF1002
        }
    }

    /// <summary>A country code as stored: three capital letters (anything else cannot name a report's country).</summary>
    private static string Code(string iso3) =>
        iso3.Length == 3 && iso3.All(char.IsAsciiLetterUpper) ? iso3 : throw new ArgumentException("Not an ISO3 code.", nameof(iso3));

    /// <summary>
    /// Takes the stamp row's lock (held to the commit): refreshes take turns on PostgreSQL, so each one's statements
    /// see the previous one's results. Caches are evicted by the open-data data stamps, not by this row.
    /// </summary>
    private static Task<int> TouchAsync(CloserDbContext db, CancellationToken ct) =>
        db.DashboardStamps.Where(s => s.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.Version, x => x.Version + 1), ct);

    /// <summary>Recomputes every aggregate from the raw reports (demo seeding, repairs, benchmarks).</summary>
    public static async Task RebuildAllAsync(CloserDbContext db, CancellationToken ct)
    {
        await TouchAsync(db, ct);
        await db.ResponseMonths.ExecuteDeleteAsync(ct);
        await db.ResponseYears.ExecuteDeleteAsync(ct);
        await db.ResponseTotals.ExecuteDeleteAsync(ct);
        var series = await db.ActivityReports.AsNoTracking().Where(r => r.DeletedAt == null)
            .Select(r => new { r.OrganisationId, r.CountryIso3, r.Month }).Distinct().ToListAsync(ct);
        await RefreshAsync(db, KeysOf(series.Select(s => (s.OrganisationId, s.CountryIso3, s.Month))), ct);
    }
}
