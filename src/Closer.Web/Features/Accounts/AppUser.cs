using Closer.Web.Features.Geography;
using Closer.Web.Features.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Accounts;

/// <summary>A person who signs in: staff of a partner organisation, an editor, a moderator...</summary>
public sealed class AppUser : IdentityUser
{
    public string? DisplayName { get; set; }
    /// <summary>The language of the back office and of e-mails to this person: en, es, pt or pap.</summary>
    public string PreferredLanguage { get; set; } = "en";
    public int? OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    public List<UserCountryScope> Countries { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the latest invitation was sent (null for accounts made by the CLI). Invited until a password is set.</summary>
    public DateTimeOffset? InvitedAt { get; set; }
    /// <summary>Set while the account is deactivated: no sign-in, no session, no API token.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }
    public DateTimeOffset? LastSignInAt { get; set; }
}

/// <summary>A country a user's role applies to (a coordinator's countries, a focal point's countries).</summary>
public sealed class UserCountryScope
{
    public required string UserId { get; set; }
    public required string CountryIso3 { get; set; }
    public Country? Country { get; set; }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.Property(u => u.PreferredLanguage).HasMaxLength(5);
        b.HasOne(u => u.Organisation).WithMany().HasForeignKey(u => u.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(u => u.Countries).WithOne().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserCountryScopeConfiguration : IEntityTypeConfiguration<UserCountryScope>
{
    public void Configure(EntityTypeBuilder<UserCountryScope> b)
    {
        b.HasKey(s => new { s.UserId, s.CountryIso3 });
        b.Property(s => s.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.HasOne(s => s.Country).WithMany().HasForeignKey(s => s.CountryIso3).OnDelete(DeleteBehavior.Restrict);
    }
}
