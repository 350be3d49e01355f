using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Organisations;

/// <summary>A partner organisation of the platform.</summary>
public sealed class Organisation
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Short, unique name used in spreadsheets and the API (<c>#org</c>).</summary>
    public required string Acronym { get; set; }
    public required OrganisationType Type { get; set; }
    public string? Website { get; set; }
    /// <summary>An http(s) address of the organisation's logo.</summary>
    public string? LogoUrl { get; set; }
    /// <summary>The countries the organisation operates in.</summary>
    public List<OrganisationCountry> Countries { get; set; } = [];
    /// <summary>Demo organisations are fictional and marked as such wherever they are shown.</summary>
    public bool IsDemo { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the organisation was deactivated (null: active). It stays on record with its reports; it can be reactivated.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }
}

public enum OrganisationType
{
    UnAgency,
    InternationalNgo,
    NationalNgo,
    RedCross,
    FaithBased,
    Academia,
    RefugeeMigrantLed,
}

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> b)
    {
        b.Property(o => o.Name).HasMaxLength(200);
        b.Property(o => o.Acronym).HasMaxLength(30);
        b.HasIndex(o => o.Acronym).IsUnique();
        b.Property(o => o.Type).HasConversion<string>().HasMaxLength(30);
        b.Property(o => o.Website).HasMaxLength(300);
        b.Property(o => o.LogoUrl).HasMaxLength(300);
        b.HasMany(o => o.Countries).WithOne().HasForeignKey(c => c.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>A country an organisation operates in.</summary>
public sealed class OrganisationCountry
{
    public int OrganisationId { get; set; }
    public required string CountryIso3 { get; set; }
}

internal sealed class OrganisationCountryConfiguration : IEntityTypeConfiguration<OrganisationCountry>
{
    public void Configure(EntityTypeBuilder<OrganisationCountry> b)
    {
        b.HasKey(c => new { c.OrganisationId, c.CountryIso3 });
        b.Property(c => c.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.HasOne<Closer.Web.Features.Geography.Country>().WithMany().HasForeignKey(c => c.CountryIso3).OnDelete(DeleteBehavior.Restrict);
    }
}
