using System.Globalization;
using Closer.Web.Features.Coordination;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Funding;

/// <summary>
/// Demo funding for the current plan year: fictional donors of every kind (governments, the EU, pooled funds,
/// foundations, the private sector), each marked "(demo)", giving to partners in the five national-platform countries
/// in amounts drawn from the demo plan's requirements (about a third to two thirds received), plus regional and
/// unearmarked contributions and pledges not yet committed.
/// </summary>
internal sealed class DemoFunding(TimeProvider time) : IDemoSeeder
{
    public int Order => 30;

    private static readonly (string Name, string Type)[] Donors =
    [
        ("Government of Northmark (demo)", "government"),
        ("Valdoria Ministry of Foreign Affairs (demo)", "government"),
        ("Alderan Development Agency (demo)", "government"),
        ("EU humanitarian aid (demo)", "eu"),
        ("Regional Humanitarian Pooled Fund (demo)", "pooled-fund"),
        ("Fundación Puentes Abiertos (demo)", "foundation"),
        ("Horizon Children's Foundation (demo)", "foundation"),
        ("Andes Business Coalition (demo)", "private"),
    ];

    public async Task SeedAsync(CloserDbContext db, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var year = now.Year;
        if (!await db.ResponsePlans.AnyAsync(p => p.Year == year, ct))
        {
            return;
        }
        var orgs = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Acronym, o => o.Id, StringComparer.Ordinal, ct);
        if (orgs.Count == 0)
        {
            return;
        }
        var sectorOf = CoordinationReferenceSeeder.SectorList.ToDictionary(s => s.Code, s => s.Parent ?? s.Code, StringComparer.Ordinal);
        var indicatorSector = CoordinationReferenceSeeder.IndicatorList.ToDictionary(i => i.Code, i => sectorOf[i.Sector], StringComparer.Ordinal);
        var requirements = (await db.PlanTargets.AsNoTracking().Where(t => t.Year == year).Select(t => new { t.CountryIso3, t.IndicatorCode, t.RequirementUsd }).ToListAsync(ct))
            .GroupBy(t => (t.CountryIso3, Sector: indicatorSector[t.IndicatorCode]))
            .ToDictionary(g => g.Key, g => g.Sum(t => t.RequirementUsd));
        // Dates between the first of January and today, never in the future.
        var first = new DateOnly(year, 1, 1);
        var days = Math.Max(1, DateOnly.FromDateTime(now.UtcDateTime).DayNumber - first.DayNumber + 1);
        var n = 0;

        Contribution Make(string donor, string type, string org, string? country, string? sector, long usd, ContributionStatus status, string reference)
        {
            n++;
            var date = first.AddDays(n * 37 % days);
            return new Contribution
            {
                Year = year, Donor = donor, DonorType = type, RecipientOrganisationId = orgs[org], CountryIso3 = country, SectorCode = sector,
                AmountCents = usd * 100, Status = status, Date = date, Reference = reference, Version = 1, CreatedAt = now, UpdatedAt = now, IsDemo = true,
            };
        }

        foreach (var ((country, sector), requirement) in requirements.OrderBy(r => r.Key.CountryIso3, StringComparer.Ordinal).ThenBy(r => r.Key.Sector, StringComparer.Ordinal))
        {
            var recipients = DemoCoordination.CountriesOfOperation.Where(kv => kv.Value.Contains(country) && orgs.ContainsKey(kv.Key))
                .Select(kv => kv.Key).OrderBy(a => a, StringComparer.Ordinal).ToList();
            if (recipients.Count == 0)
            {
                continue;
            }
            // A coverage between 15 % and 70 %, different per country and sector; Support Services and Nutrition lag behind.
            var h = (country[0] * 31 + country[2] * 7 + sector.Length * 13 + sector[0] * 3) % 56;
            var share = (15 + h) / 100m * (sector is "SUP" or "NUT" ? 0.5m : 1m);
            var funded = (long)(requirement * share) / 1000 * 1000;
            var donorA = Donors[(country[1] + sector[0]) % Donors.Length];
            var donorB = Donors[(country[0] + sector[1] * 3) % Donors.Length];
            var orgA = recipients[(sector[0] + country[2]) % recipients.Count];
            var orgB = recipients[(sector[1] + country[0]) % recipients.Count];
            var refNo = string.Create(CultureInfo.InvariantCulture, $"DEMO-{year}-{country}-{sector}");
            db.Contributions.Add(Make(donorA.Name, donorA.Type, orgA, country, sector, funded * 55 / 100 / 1000 * 1000, ContributionStatus.Paid, refNo + "-1"));
            db.Contributions.Add(Make(donorB.Name, donorB.Type, orgB, country, sector, funded * 45 / 100 / 1000 * 1000, ContributionStatus.Committed, refNo + "-2"));
            if (h % 3 == 0)
            {
                // A pledge not yet committed: shown apart, not counted as received.
                db.Contributions.Add(Make(donorB.Name, donorB.Type, orgA, country, sector, requirement / 10 / 1000 * 1000, ContributionStatus.Pledged, refNo + "-3"));
            }
        }

        // Regional money (no single country) and unearmarked money (no sector): counted in the whole plan's coverage only.
        var total = requirements.Values.Sum();
        db.Contributions.Add(Make(Donors[4].Name, Donors[4].Type, "AREF", null, "PRO", total / 60 / 1000 * 1000, ContributionStatus.Paid, $"DEMO-{year}-REG-PRO"));
        db.Contributions.Add(Make(Donors[3].Name, Donors[3].Type, "OIMR", null, "HTR", total / 120 / 1000 * 1000, ContributionStatus.Committed, $"DEMO-{year}-REG-HTR"));
        db.Contributions.Add(Make(Donors[0].Name, Donors[0].Type, "AREF", null, null, total / 40 / 1000 * 1000, ContributionStatus.Paid, $"DEMO-{year}-REG-FLEX"));
        db.Contributions.Add(Make(Donors[1].Name, Donors[1].Type, "OIMR", null, null, total / 50 / 1000 * 1000, ContributionStatus.Pledged, $"DEMO-{year}-REG-PLEDGE"));
        await db.SaveChangesAsync(ct);
        foreach (var c in db.Contributions.Local.Where(c => c.IsDemo))
        {
            db.ContributionRevisions.Add(new ContributionRevision
            {
                ContributionId = c.Id, Version = 1, ChangedAt = now, ChangedBy = "demo",
                Snapshot = System.Text.Json.JsonSerializer.Serialize(FundingRows.Snapshot(c, orgs.First(o => o.Value == c.RecipientOrganisationId).Key)),
            });
        }
        await db.SaveChangesAsync(ct);
    }
}
