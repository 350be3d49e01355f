using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Campaign.Pledges;

/// <summary>"I take a step closer": one pledge. E-mail is kept only with explicit consent.</summary>
public sealed class Pledge
{
    public long Id { get; set; }
    public required string CountryIso3 { get; set; }
    public string? FirstName { get; set; }
    public string? Email { get; set; }
    public bool EmailConsent { get; set; }
    public required string Language { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The random id of the form token this pledge was sent with: unique, so a token counts once on any node.</summary>
    public string? FormTokenId { get; set; }
}

internal sealed class PledgeConfiguration : IEntityTypeConfiguration<Pledge>
{
    public void Configure(EntityTypeBuilder<Pledge> b)
    {
        b.ToTable("CampaignPledges");
        b.Property(p => p.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.HasOne<Geography.Country>().WithMany().HasForeignKey(p => p.CountryIso3).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => p.CountryIso3);
        b.Property(p => p.FirstName).HasMaxLength(50);
        b.Property(p => p.Email).HasMaxLength(256);
        b.Property(p => p.Language).HasMaxLength(3);
        b.Property(p => p.FormTokenId).HasMaxLength(32);
        b.HasIndex(p => p.FormTokenId).IsUnique();
    }
}
