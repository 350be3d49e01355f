using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Campaign.Identity;

/// <summary>
/// One saved state of the campaign's identity: its name in the four languages and its mark (a sanitised SVG, or null for
/// the built-in one). The newest revision is the one the public site carries; nothing is edited in place, so every
/// earlier state stays and can be restored (restoring writes a new revision that copies it).
/// </summary>
public sealed class IdentityRevision
{
    public const int MaxName = 80;
    public const int MaxMark = 20_000;

    public int Id { get; set; }
    public string NameEn { get; set; } = "";
    public string NameEs { get; set; } = "";
    public string NamePt { get; set; } = "";
    public string NamePap { get; set; } = "";
    /// <summary>The mark as stored: the output of <see cref="MarkSanitizer"/>, never what was pasted.</summary>
    public string? MarkSvg { get; set; }
    /// <summary>The revision this one restored, if it was a restore.</summary>
    public int? RestoredFrom { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";

    public string Name(string language) => language switch
    {
        "es" => NameEs,
        "pt" => NamePt,
        "pap" => NamePap,
        _ => NameEn,
    };
}

internal sealed class IdentityRevisionConfiguration : IEntityTypeConfiguration<IdentityRevision>
{
    public void Configure(EntityTypeBuilder<IdentityRevision> b)
    {
        b.ToTable("CampaignIdentityRevisions");
        b.Property(r => r.NameEn).HasMaxLength(IdentityRevision.MaxName);
        b.Property(r => r.NameEs).HasMaxLength(IdentityRevision.MaxName);
        b.Property(r => r.NamePt).HasMaxLength(IdentityRevision.MaxName);
        b.Property(r => r.NamePap).HasMaxLength(IdentityRevision.MaxName);
        b.Property(r => r.MarkSvg).HasMaxLength(IdentityRevision.MaxMark);
        b.Property(r => r.CreatedBy).HasMaxLength(256);
    }
}
