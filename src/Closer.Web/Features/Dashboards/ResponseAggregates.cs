using System.Globalization;
using Closer.Web.Features.Coordination;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Dashboards;

/// <summary>A unit of recomputation: every report of one organisation in one country in one plan year.</summary>
public readonly record struct AggregateKey(int Year, int OrganisationId, string CountryIso3)
{
    public string Partition => Of(Year, OrganisationId, CountryIso3);

    public static string Of(int year, int organisationId, string country) =>
        string.Create(CultureInfo.InvariantCulture, $"{year}|{organisationId}|{country}");

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
    /// Recomputes the aggregate rows of exactly the given keys from the raw reports (which must be written already),
    /// replacing what was there, and bumps the dashboards' stamp. Runs in the caller's transaction when one is open.
    /// </summary>
    public static async Task RefreshAsync(CloserDbContext db, IReadOnlyCollection<AggregateKey> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return;
        }
        var indicators = await db.Indicators.AsNoTracking()
            .Select(i => new { i.Code, i.SectorCode, i.Unit }).ToDictionaryAsync(i => i.Code, StringComparer.Ordinal, ct);
        foreach (var byYear in keys.GroupBy(k => k.Year))
        {
            var year = byYear.Key;
            foreach (var chunk in byYear.GroupBy(k => k.OrganisationId).Chunk(OrgsPerQuery))
            {
                var partitions = chunk.SelectMany(g => g).Select(k => k.Partition).ToHashSet(StringComparer.Ordinal);
                var orgs = chunk.Select(g => g.Key).ToList();
                var countries = chunk.SelectMany(g => g).Select(k => k.CountryIso3).Distinct(StringComparer.Ordinal).ToList();
                var prefix = year.ToString("D4", CultureInfo.InvariantCulture) + "-";
                var sums = await db.ActivityReports.AsNoTracking()
                    .Where(r => r.DeletedAt == null && orgs.Contains(r.OrganisationId) && countries.Contains(r.CountryIso3) && r.Month.StartsWith(prefix))
                    .GroupBy(r => new { r.OrganisationId, r.CountryIso3, r.IndicatorCode, r.Month, r.PopulationGroup, r.Status })
                    .Select(g => new
                    {
                        g.Key.OrganisationId, g.Key.CountryIso3, g.Key.IndicatorCode, g.Key.Month, g.Key.PopulationGroup, g.Key.Status,
                        Reports = g.Count(),
                        Girls = g.Sum(r => r.Girls), Boys = g.Sum(r => r.Boys), Women = g.Sum(r => r.Women), Men = g.Sum(r => r.Men),
                        Other = g.Sum(r => r.Other), Total = g.Sum(r => r.Total), Reached = g.Sum(r => r.ReachedToDate ?? r.Total),
                    })
                    .ToListAsync(ct);
                var months = new List<ResponseMonth>();
                foreach (var s in sums)
                {
                    var partition = AggregateKey.Of(year, s.OrganisationId, s.CountryIso3);
                    if (!partitions.Contains(partition) || !indicators.TryGetValue(s.IndicatorCode, out var indicator))
                    {
                        continue;
                    }
                    months.Add(new ResponseMonth
                    {
                        Year = year, CountryIso3 = s.CountryIso3, SectorCode = indicator.SectorCode, IndicatorCode = s.IndicatorCode, Month = s.Month,
                        PopulationGroup = s.PopulationGroup, OrganisationId = s.OrganisationId, Status = s.Status, IsPeople = indicator.Unit == IndicatorUnit.People,
                        Partition = partition, Reports = s.Reports, Girls = s.Girls, Boys = s.Boys, Women = s.Women, Men = s.Men, Other = s.Other,
                        Total = s.Total, Reached = s.Reached,
                    });
                }
                var partitionList = partitions.ToList();
                foreach (var part in partitionList.Chunk(500))
                {
                    await db.ResponseMonths.Where(m => part.Contains(m.Partition)).ExecuteDeleteAsync(ct);
                    await db.ResponseYears.Where(m => part.Contains(m.Partition)).ExecuteDeleteAsync(ct);
                }
                var years = Series(months);
                await InsertAsync(db, months, years, ct);
            }
        }
        await db.DashboardStamps.Where(s => s.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.Version, x => x.Version + 1), ct);
    }

    /// <summary>Marks dashboard data as changed (figures, targets): the public pages' cache moves on.</summary>
    public static Task TouchAsync(CloserDbContext db, CancellationToken ct) =>
        db.DashboardStamps.Where(s => s.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.Version, x => x.Version + 1), ct);

    /// <summary>Recomputes every aggregate from the raw reports (demo seeding, repairs, benchmarks).</summary>
    public static async Task RebuildAllAsync(CloserDbContext db, CancellationToken ct)
    {
        await db.ResponseMonths.ExecuteDeleteAsync(ct);
        await db.ResponseYears.ExecuteDeleteAsync(ct);
        var series = await db.ActivityReports.AsNoTracking().Where(r => r.DeletedAt == null)
            .Select(r => new { r.OrganisationId, r.CountryIso3, r.Month }).Distinct().ToListAsync(ct);
        await RefreshAsync(db, KeysOf(series.Select(s => (s.OrganisationId, s.CountryIso3, s.Month))), ct);
    }

    /// <summary>The year figures of the series in <paramref name="months"/>: the maximum over months, never a sum of months.</summary>
    internal static List<ResponseYear> Series(IEnumerable<ResponseMonth> months)
    {
        var result = new List<ResponseYear>();
        foreach (var g in months.GroupBy(m => (m.Year, m.CountryIso3, m.IndicatorCode, m.PopulationGroup, m.OrganisationId)))
        {
            var first = g.First();
            var validated = g.Where(m => m.Status == ReportStatus.Validated).ToList();
            result.Add(new ResponseYear
            {
                Year = g.Key.Year, CountryIso3 = g.Key.CountryIso3, SectorCode = first.SectorCode, IndicatorCode = g.Key.IndicatorCode,
                PopulationGroup = g.Key.PopulationGroup, OrganisationId = g.Key.OrganisationId, IsPeople = first.IsPeople, Partition = first.Partition,
                ReachedValidated = validated.GroupBy(m => m.Month).Select(x => x.Sum(m => m.Reached)).DefaultIfEmpty(0).Max(),
                ReportsValidated = validated.Sum(m => m.Reports),
                ReachedAll = g.GroupBy(m => m.Month).Select(x => x.Sum(m => m.Reached)).DefaultIfEmpty(0).Max(),
                ReportsAll = g.Sum(m => m.Reports),
            });
        }
        return result;
    }

    private static async Task InsertAsync(CloserDbContext db, List<ResponseMonth> months, List<ResponseYear> years, CancellationToken ct)
    {
        if (months.Count == 0 && years.Count == 0)
        {
            return;
        }
        db.ResponseMonths.AddRange(months);
        db.ResponseYears.AddRange(years);
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        // The caller has saved its own changes; no need to scan its (maybe large) change tracker again.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
        foreach (var m in months)
        {
            db.Entry(m).State = EntityState.Detached;
        }
        foreach (var y in years)
        {
            db.Entry(y).State = EntityState.Detached;
        }
    }
}
