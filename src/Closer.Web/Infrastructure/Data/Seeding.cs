using Closer.Web.Features.Geography;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Data;

/// <summary>
/// Demo content of one feature. Each feature registers its own; they run in <see cref="Order"/>
/// on an empty database when <c>DemoData:Enabled</c> is true, or on <c>seed-demo</c>.
/// </summary>
public interface IDemoSeeder
{
    int Order { get; }
    Task SeedAsync(CloserDbContext db, CancellationToken cancellationToken);
}

public static class Seeding
{
    /// <summary>
    /// Reference data every installation needs (the 17 countries of the plan), from the embedded copy of
    /// shared/data/countries.csv. Idempotent: adds what is missing, corrects names that changed.
    /// </summary>
    public static async Task SeedReferenceDataAsync(CloserDbContext db, CancellationToken ct = default)
    {
        var existing = await db.Countries.ToDictionaryAsync(c => c.Iso3, ct);
        foreach (var row in EmbeddedCsv.Read("countries.csv"))
        {
            var iso3 = row["iso3"];
            var platform = ParsePlatform(row["platform"]);
            var pap = PapiamentuCountryNames.TryGetValue(iso3, out var p) ? p : row["name_es"];
            if (existing.TryGetValue(iso3, out var c))
            {
                (c.NameEn, c.NameEs, c.NamePt, c.NamePap, c.Platform) = (row["name_en"], row["name_es"], row["name_pt"], pap, platform);
            }
            else
            {
                db.Countries.Add(new Country
                {
                    Iso3 = iso3, NameEn = row["name_en"], NameEs = row["name_es"], NamePt = row["name_pt"], NamePap = pap, Platform = platform,
                });
            }
        }
        var roles = await db.Roles.Select(r => r.Name ?? "").ToListAsync(ct);
        foreach (var role in Security.Roles.All.Except(roles, StringComparer.Ordinal))
        {
            db.Roles.Add(new Microsoft.AspNetCore.Identity.IdentityRole(role) { NormalizedName = role.ToUpperInvariant() });
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Reference data always, and every feature's demo seeder when <paramref name="demo"/> is set and the database
    /// holds no demo data yet, in one transaction under a database-wide lock: nodes starting together seed once.
    /// Returns whether demo data was added.
    /// </summary>
    public static async Task<bool> EnsureSeededAsync(IServiceProvider services, bool demo, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        // SQLite: BEGIN IMMEDIATE (the provider's default) already serialises writers.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
        {
            // As long as the migration lock waits (DatabaseSetup.MigrateAsync): the node that seeds first holds this
            // lock for the whole demo seeding, which on a loaded 2-core machine took longer than the default 30 s
            // (CI, 2026-12-07: the second node gave up and exited).
            var timeout = db.Database.GetCommandTimeout();
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7319001)", ct);
            db.Database.SetCommandTimeout(timeout);
        }
        await SeedReferenceDataAsync(db, ct);
        var seeded = false;
        if (demo && !await db.Organisations.AnyAsync(ct))
        {
            foreach (var seeder in scope.ServiceProvider.GetServices<IDemoSeeder>().OrderBy(s => s.Order))
            {
                await seeder.SeedAsync(db, ct);
            }
            seeded = true;
        }
        await tx.CommitAsync(ct);
        return seeded;
    }

    public static Platform ParsePlatform(string value) => value.Trim() switch
    {
        "Brazil" => Platform.Brazil,
        "Chile" => Platform.Chile,
        "Colombia" => Platform.Colombia,
        "Ecuador" => Platform.Ecuador,
        "Peru" => Platform.Peru,
        "Caribbean" => Platform.Caribbean,
        "Central America and Mexico" => Platform.CentralAmericaAndMexico,
        "Southern Cone" => Platform.SouthernCone,
        _ => throw new FormatException($"Unknown platform '{value}'."),
    };

    /// <summary>Country names in Papiamentu (Curaçao orthography); the source file has none.</summary>
    private static readonly Dictionary<string, string> PapiamentuCountryNames = new(StringComparer.Ordinal)
    {
        ["ARG"] = "Argentina", ["ABW"] = "Aruba", ["BOL"] = "Bolivia", ["BRA"] = "Brazil", ["CHL"] = "Chile",
        ["COL"] = "Colombia", ["CRI"] = "Costa Rica", ["CUW"] = "Kòrsou", ["DOM"] = "Repúblika Dominikana",
        ["ECU"] = "Ecuador", ["GUY"] = "Guyana", ["MEX"] = "Mèxiko", ["PAN"] = "Panamá", ["PRY"] = "Paraguay",
        ["PER"] = "Perú", ["TTO"] = "Trinidad i Tobago", ["URY"] = "Uruguay",
    };
}

/// <summary>Reads the small CSV files embedded from shared/data (no quoted commas in them; '#' rows are HXL).</summary>
public static class EmbeddedCsv
{
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string fileName)
    {
        using var stream = typeof(EmbeddedCsv).Assembly.GetManifestResourceStream($"Closer.Seed.{fileName}")
            ?? throw new InvalidOperationException($"Seed file {fileName} is not embedded.");
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#')).ToList();
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l =>
        {
            var cells = l.Split(',');
            return (IReadOnlyDictionary<string, string>)header.Select((h, i) => (h, v: i < cells.Length ? cells[i] : ""))
                .ToDictionary(x => x.h, x => x.v, StringComparer.Ordinal);
        }).ToList();
    }
}
