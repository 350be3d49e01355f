using Closer.Web.Features.Coordination;
using Closer.Web.Features.Geography;
using Closer.Web.Features.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Funding;

/// <summary>Where a contribution stands. Received = committed + paid; a pledge is a promise and is not counted as received.</summary>
public enum ContributionStatus
{
    Pledged,
    Committed,
    Paid,
}

/// <summary>The kinds of donor, as codes spreadsheets carry.</summary>
public static class DonorTypes
{
    public static IReadOnlyList<string> All { get; } = ["government", "eu", "un", "pooled-fund", "foundation", "private", "ngo", "other"];

    /// <summary>The English label (a UI-string key).</summary>
    public static string Label(string? code) => code switch
    {
        "government" => "Government",
        "eu" => "European Union",
        "un" => "UN agency",
        "pooled-fund" => "Pooled fund",
        "foundation" => "Foundation",
        "private" => "Private sector",
        "ngo" => "NGO",
        "other" => "Other donor",
        _ => "",
    };
}

/// <summary>
/// Money given against a plan year: a donor (free text) to a recipient organisation, for a country (none = regional) and
/// a sector (none = unspecified), in US cents so sums stay exact on SQLite and PostgreSQL.
/// </summary>
public sealed class Contribution
{
    public int Id { get; set; }
    public int Year { get; set; }
    public required string Donor { get; set; }
    public string? DonorType { get; set; }
    public int RecipientOrganisationId { get; set; }
    public Organisation? RecipientOrganisation { get; set; }
    /// <summary>Null for a regional contribution (not earmarked to one country).</summary>
    public string? CountryIso3 { get; set; }
    /// <summary>Null when the donor did not earmark a sector.</summary>
    public string? SectorCode { get; set; }
    public long AmountCents { get; set; }
    public ContributionStatus Status { get; set; }
    public DateOnly Date { get; set; }
    /// <summary>Where the figure comes from (a grant number, a report, a web page).</summary>
    public string? Reference { get; set; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public bool IsDemo { get; set; }
}

/// <summary>A contribution as it was after one change (a JSON snapshot).</summary>
public sealed class ContributionRevision
{
    public long Id { get; set; }
    public int ContributionId { get; set; }
    public Contribution? Contribution { get; set; }
    public int Version { get; set; }
    public required string Snapshot { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public string? ChangedBy { get; set; }
}

internal sealed class ContributionConfiguration : IEntityTypeConfiguration<Contribution>
{
    public void Configure(EntityTypeBuilder<Contribution> b)
    {
        b.Property(c => c.Donor).HasMaxLength(200);
        b.Property(c => c.DonorType).HasMaxLength(20);
        b.Property(c => c.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.Property(c => c.SectorCode).HasMaxLength(12);
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(12);
        b.Property(c => c.Reference).HasMaxLength(300);
        b.HasOne(c => c.RecipientOrganisation).WithMany().HasForeignKey(c => c.RecipientOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Country>().WithMany().HasForeignKey(c => c.CountryIso3).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Sector>().WithMany().HasForeignKey(c => c.SectorCode).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ResponsePlan>().WithMany().HasForeignKey(c => c.Year).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => new { c.Year, c.CountryIso3, c.SectorCode });
        b.HasIndex(c => c.RecipientOrganisationId);
    }
}

internal sealed class ContributionRevisionConfiguration : IEntityTypeConfiguration<ContributionRevision>
{
    public void Configure(EntityTypeBuilder<ContributionRevision> b)
    {
        b.HasOne(r => r.Contribution).WithMany().HasForeignKey(r => r.ContributionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => new { r.ContributionId, r.Version });
        b.Property(r => r.ChangedBy).HasMaxLength(256);
    }
}
