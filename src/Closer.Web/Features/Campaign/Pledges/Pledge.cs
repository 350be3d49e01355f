using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Campaign.Pledges;

/// <summary>
/// "I take a step closer": one pledge. "Sign only" keeps no e-mail; an address is kept only with explicit consent and
/// becomes a supporter's only once confirmed (double opt-in, <see cref="Supporters"/>).
/// </summary>
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
    /// <summary>Where the pledge came from (a <c>ref</c>/<c>utm_source</c> parameter carried in the form), normalised; null when unknown.</summary>
    public string? Source { get; set; }
    /// <summary>Random id the signed confirm and unsubscribe links name; set only while an address is kept.</summary>
    public string? SupporterKey { get; set; }
    /// <summary>When the address was confirmed (double opt-in), with the consent text's version and language shown then.</summary>
    public DateTimeOffset? ConfirmedAt { get; set; }
    public string? ConsentVersion { get; set; }
    public string? ConsentLanguage { get; set; }
    /// <summary>When the supporter unsubscribed; the address is erased then, the date kept as proof.</summary>
    public DateTimeOffset? UnsubscribedAt { get; set; }
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
        b.Property(p => p.Source).HasMaxLength(40);
        b.Property(p => p.SupporterKey).HasMaxLength(32);
        b.HasIndex(p => p.SupporterKey).IsUnique();
        b.Property(p => p.ConsentVersion).HasMaxLength(20);
        b.Property(p => p.ConsentLanguage).HasMaxLength(3);
    }
}
