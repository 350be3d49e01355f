using Closer.Web.Features.Accounts;
using Closer.Web.Features.Documents;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Subscriptions;

/// <summary>
/// Demo subscribers, one per language, so the demo shows follows, digests and reminders at work (their mail goes to
/// the pickup folder). They are people without a password — nobody can sign in as them, and the foundation's rule
/// "no account with a known password is ever seeded" holds; their addresses are under the reserved .invalid domain.
/// </summary>
internal sealed class DemoSubscriptions(TimeProvider time) : IDemoSeeder
{
    public int Order => 40;

    private sealed record Person(string Email, string Name, string Language, string Role, string? Org, string[] Countries,
        DeliveryFrequency Frequency, string[] FollowCountries, string[] FollowSectors, DocumentType[] FollowTypes);

    private static readonly Person[] People =
    [
        new("ana.focal.demo@closer.invalid", "Ana (demo focal point)", "es", Roles.OrgFocalPoint, "CAMPO", ["COL"],
            DeliveryFrequency.Daily, ["COL", "ECU"], ["Health", "Protection"], [DocumentType.SituationReport]),
        new("joao.coord.demo@closer.invalid", "João (demo coordinator)", "pt", Roles.CountryCoordinator, null, ["BRA"],
            DeliveryFrequency.Weekly, ["BRA"], [], [DocumentType.Minutes, DocumentType.Guidance]),
        new("shaira.viewer.demo@closer.invalid", "Shaira (demo reader)", "pap", Roles.Viewer, null, [],
            DeliveryFrequency.Immediate, ["CUW", "ABW"], ["Integration"], []),
        new("sam.donor.demo@closer.invalid", "Sam (demo donor liaison)", "en", Roles.Viewer, null, [],
            DeliveryFrequency.Weekly, [], [], [DocumentType.PlanChapter, DocumentType.Infographic]),
    ];

    public async Task SeedAsync(CloserDbContext db, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(u => u.Email != null && u.Email.EndsWith(".demo@closer.invalid"), ct))
        {
            return;
        }
        var now = time.GetUtcNow();
        var roles = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Name!, r => r.Id, ct);
        var orgs = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Acronym, o => o.Id, ct);
        var sectors = DocumentSectors.All.ToHashSet(StringComparer.Ordinal);
        foreach (var p in People)
        {
            var user = new AppUser
            {
                UserName = p.Email, NormalizedUserName = p.Email.ToUpperInvariant(), Email = p.Email, NormalizedEmail = p.Email.ToUpperInvariant(),
                EmailConfirmed = true, DisplayName = p.Name, PreferredLanguage = p.Language, CreatedAt = now,
                OrganisationId = p.Org is not null && orgs.TryGetValue(p.Org, out var org) ? org : null,
                SecurityStamp = Guid.NewGuid().ToString("N"), LockoutEnabled = true,
                // No PasswordHash: a password sign-in can never succeed.
            };
            db.Users.Add(user);
            if (roles.TryGetValue(p.Role, out var roleId))
            {
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleId });
            }
            user.Countries.AddRange(p.Countries.Select(c => new UserCountryScope { UserId = user.Id, CountryIso3 = c }));
            db.SubscriptionSettings.Add(new SubscriptionSettings { UserId = user.Id, Frequency = p.Frequency, Language = p.Language, UpdatedAt = now });
            db.Follows.AddRange(p.FollowCountries.Select(c => new Follow { UserId = user.Id, Kind = FollowKind.Country, Key = c, CreatedAt = now }));
            db.Follows.AddRange(p.FollowSectors.Where(sectors.Contains).Select(s => new Follow { UserId = user.Id, Kind = FollowKind.Sector, Key = s, CreatedAt = now }));
            db.Follows.AddRange(p.FollowTypes.Select(t => new Follow { UserId = user.Id, Kind = FollowKind.DocumentType, Key = t.ToString(), CreatedAt = now }));
        }
        await db.SaveChangesAsync(ct);
    }
}
