using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Geography;

/// <summary>A first-level administrative division (department, state, province, region), keyed by its P-code (e.g. CO11 Bogotá).</summary>
public sealed class Admin1Area
{
    public required string PCode { get; set; }
    public required string CountryIso3 { get; set; }
    /// <summary>The official name, in the country's own language.</summary>
    public required string Name { get; set; }
    /// <summary>The name in a UI language where it differs from the official one (null: the official name).</summary>
    public string? NameEn { get; set; }
    public string? NameEs { get; set; }
    public string? NamePt { get; set; }
    public string? NamePap { get; set; }
    /// <summary>When the area was retired (merged, split, renamed with a new P-code); old reports keep pointing at it.</summary>
    public DateTimeOffset? RetiredAt { get; set; }

    public string LocalName(string language) => (language switch
    {
        "en" => NameEn,
        "es" => NameEs,
        "pt" => NamePt,
        "pap" => NamePap,
        _ => null,
    }) is { Length: > 0 } n ? n : Name;
}

internal sealed class Admin1AreaConfiguration : IEntityTypeConfiguration<Admin1Area>
{
    public void Configure(EntityTypeBuilder<Admin1Area> b)
    {
        b.HasKey(a => a.PCode);
        b.Property(a => a.PCode).HasMaxLength(12);
        b.Property(a => a.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.Property(a => a.Name).HasMaxLength(120);
        b.Property(a => a.NameEn).HasMaxLength(120);
        b.Property(a => a.NameEs).HasMaxLength(120);
        b.Property(a => a.NamePt).HasMaxLength(120);
        b.Property(a => a.NamePap).HasMaxLength(120);
        b.HasOne<Country>().WithMany().HasForeignKey(a => a.CountryIso3).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.CountryIso3, a.Name });
    }
}

/// <summary>
/// How many refugees and migrants a country hosts at a date: a time series, each figure with its source and precision.
/// </summary>
public sealed class PopulationFigure
{
    public int Id { get; set; }
    public required string CountryIso3 { get; set; }
    /// <summary>Month of the figure, YYYY-MM.</summary>
    public required string AsOf { get; set; }
    public long RefugeesAndMigrants { get; set; }
    public long? AsylumSeekers { get; set; }
    public long? RecognisedRefugees { get; set; }
    public long? RegularStayPermits { get; set; }
    public required string Source { get; set; }
    /// <summary>exact, rounded or estimate.</summary>
    public required string Precision { get; set; }
}

internal sealed class PopulationFigureConfiguration : IEntityTypeConfiguration<PopulationFigure>
{
    public void Configure(EntityTypeBuilder<PopulationFigure> b)
    {
        b.Property(f => f.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.Property(f => f.AsOf).HasMaxLength(7);
        b.Property(f => f.Source).HasMaxLength(300);
        b.Property(f => f.Precision).HasMaxLength(20);
        b.HasOne<Country>().WithMany().HasForeignKey(f => f.CountryIso3).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(f => new { f.CountryIso3, f.AsOf }).IsUnique();
    }
}
