using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Geography;

/// <summary>A country of the response plan, keyed by its ISO 3166 alpha-3 code.</summary>
public sealed class Country
{
    public required string Iso3 { get; set; }
    public required string NameEn { get; set; }
    public required string NameEs { get; set; }
    public required string NamePt { get; set; }
    public required string NamePap { get; set; }
    public required Platform Platform { get; set; }

    public string Name(string language) => language switch
    {
        "es" => NameEs,
        "pt" => NamePt,
        "pap" => NamePap,
        _ => NameEn,
    };
}

/// <summary>The national or sub-regional platform a country belongs to.</summary>
public enum Platform
{
    Brazil,
    Chile,
    Colombia,
    Ecuador,
    Peru,
    Caribbean,
    CentralAmericaAndMexico,
    SouthernCone,
}

internal sealed class CountryConfiguration : IEntityTypeConfiguration<Country>
{
    public void Configure(EntityTypeBuilder<Country> b)
    {
        b.HasKey(c => c.Iso3);
        b.Property(c => c.Iso3).HasMaxLength(3).IsFixedLength();
        b.Property(c => c.NameEn).HasMaxLength(100);
        b.Property(c => c.NameEs).HasMaxLength(100);
        b.Property(c => c.NamePt).HasMaxLength(100);
        b.Property(c => c.NamePap).HasMaxLength(100);
        b.Property(c => c.Platform).HasConversion<string>().HasMaxLength(40);
    }
}
