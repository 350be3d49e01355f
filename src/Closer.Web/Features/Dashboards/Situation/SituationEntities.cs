using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Dashboards.Situation;

/// <summary>
/// A month's situation report of a country (ISO3) or of the region: the coordinator's highlights in four languages and its
/// publication state. The figures are not stored: they are computed from validated reports when the page or PDF is made.
/// </summary>
public sealed class SituationReport
{
    public int Id { get; set; }
    /// <summary>ISO3, or <see cref="SituationScope.Region"/>.</summary>
    public required string Scope { get; set; }
    /// <summary>YYYY-MM.</summary>
    public required string Month { get; set; }
    public string HighlightsEn { get; set; } = "";
    public string HighlightsEs { get; set; } = "";
    public string HighlightsPt { get; set; } = "";
    public string HighlightsPap { get; set; } = "";
    /// <summary>The number of the latest revision (every save of the highlights adds one).</summary>
    public int Revision { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedByUserId { get; set; }
    /// <summary>Set when first published; the report is public from then on.</summary>
    public DateTimeOffset? PublishedAt { get; set; }
    public string? PublishedByUserId { get; set; }
    /// <summary>The last time the PDFs in the library were (re)made from the figures and highlights.</summary>
    public DateTimeOffset? ArchivedAt { get; set; }
    public List<SituationReportRevision> Revisions { get; set; } = [];
    public List<SituationReportDocument> Documents { get; set; } = [];

    public string Highlights(string language) => language switch
    {
        "es" => HighlightsEs,
        "pt" => HighlightsPt,
        "pap" => HighlightsPap,
        _ => HighlightsEn,
    };
}

/// <summary>The highlights as they were after one save: nothing written is ever lost.</summary>
public sealed class SituationReportRevision
{
    public long Id { get; set; }
    public int ReportId { get; set; }
    public int Number { get; set; }
    public string HighlightsEn { get; set; } = "";
    public string HighlightsEs { get; set; } = "";
    public string HighlightsPt { get; set; } = "";
    public string HighlightsPap { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string? UserId { get; set; }
    public string? UserEmail { get; set; }
}

/// <summary>The library document holding a published report's PDF in one language.</summary>
public sealed class SituationReportDocument
{
    public int ReportId { get; set; }
    public required string Language { get; set; }
    public int DocumentId { get; set; }
}

internal sealed class SituationReportConfiguration : IEntityTypeConfiguration<SituationReport>
{
    public void Configure(EntityTypeBuilder<SituationReport> b)
    {
        b.Property(r => r.Scope).HasMaxLength(6);
        b.Property(r => r.Month).HasMaxLength(7);
        foreach (var p in new[] { nameof(SituationReport.HighlightsEn), nameof(SituationReport.HighlightsEs), nameof(SituationReport.HighlightsPt), nameof(SituationReport.HighlightsPap) })
        {
            b.Property(p).HasMaxLength(SituationScope.MaxHighlights);
        }
        b.HasIndex(r => new { r.Scope, r.Month }).IsUnique();
        b.HasMany(r => r.Revisions).WithOne().HasForeignKey(v => v.ReportId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(r => r.Documents).WithOne().HasForeignKey(d => d.ReportId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SituationReportRevisionConfiguration : IEntityTypeConfiguration<SituationReportRevision>
{
    public void Configure(EntityTypeBuilder<SituationReportRevision> b)
    {
        b.HasIndex(v => new { v.ReportId, v.Number }).IsUnique();
        foreach (var p in new[] { nameof(SituationReportRevision.HighlightsEn), nameof(SituationReportRevision.HighlightsEs), nameof(SituationReportRevision.HighlightsPt), nameof(SituationReportRevision.HighlightsPap) })
        {
            b.Property(p).HasMaxLength(SituationScope.MaxHighlights);
        }
        b.Property(v => v.UserEmail).HasMaxLength(256);
    }
}

internal sealed class SituationReportDocumentConfiguration : IEntityTypeConfiguration<SituationReportDocument>
{
    public void Configure(EntityTypeBuilder<SituationReportDocument> b)
    {
        b.HasKey(d => new { d.ReportId, d.Language });
        b.Property(d => d.Language).HasMaxLength(5);
    }
}
