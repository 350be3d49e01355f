using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Documents;

public enum DocumentType
{
    SituationReport,
    PlanChapter,
    Guidance,
    Minutes,
    Infographic,
    Other,
}

public enum DocumentVisibility
{
    Public,
    Partners,
}

/// <summary>A document of the library: metadata, a title and summary per language, and its file versions.</summary>
public sealed class Document
{
    public int Id { get; set; }
    public DocumentType Type { get; set; }
    public DocumentVisibility Visibility { get; set; }
    /// <summary>The language the file is written in (en, es, pt, pap).</summary>
    public required string FileLanguage { get; set; }
    public DateOnly Date { get; set; }
    /// <summary>ISO3 codes, comma-separated (",COL,PER,": delimited so a LIKE finds one code exactly).</summary>
    public string Countries { get; set; } = ",";
    /// <summary>Sector names, delimited like <see cref="Countries"/>.</summary>
    public string Sectors { get; set; } = ",";
    public int CurrentVersion { get; set; }
    public bool IsDemo { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public string? DeletedByUserId { get; set; }
    public List<DocumentTranslation> Translations { get; set; } = [];
    public List<DocumentVersion> Versions { get; set; } = [];

    public IEnumerable<string> CountryCodes => Countries.Split(',', StringSplitOptions.RemoveEmptyEntries);
    public IEnumerable<string> SectorNames => Sectors.Split(',', StringSplitOptions.RemoveEmptyEntries);
    public static string Delimit(IEnumerable<string> values) => "," + string.Join(',', values.Select(v => v.Trim()).Where(v => v.Length > 0)) + ",";
}

public sealed class DocumentTranslation
{
    public int DocumentId { get; set; }
    public required string Language { get; set; }
    public required string Title { get; set; }
    public string Summary { get; set; } = "";
}

/// <summary>One uploaded file. New versions replace the current one; old ones stay downloadable.</summary>
public sealed class DocumentVersion
{
    public int Id { get; set; }
    public int DocumentId { get; set; }
    public int Number { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    /// <summary>The file itself: kept in the database so every node serves every file.</summary>
    public required byte[] Content { get; set; }
    public string ExtractedText { get; set; } = "";
    public DateTimeOffset UploadedAt { get; set; }
    public string? UploadedByUserId { get; set; }
}

internal sealed class DocumentConfiguration : IEntityTypeConfiguration<Document>
{
    public void Configure(EntityTypeBuilder<Document> b)
    {
        b.Property(d => d.Type).HasConversion<string>().HasMaxLength(30);
        b.Property(d => d.Visibility).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.FileLanguage).HasMaxLength(5);
        b.Property(d => d.Countries).HasMaxLength(400);
        b.Property(d => d.Sectors).HasMaxLength(600);
        b.HasMany(d => d.Translations).WithOne().HasForeignKey(t => t.DocumentId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(d => d.Versions).WithOne().HasForeignKey(v => v.DocumentId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(d => new { d.DeletedAt, d.Visibility, d.Date });
    }
}

internal sealed class DocumentTranslationConfiguration : IEntityTypeConfiguration<DocumentTranslation>
{
    public void Configure(EntityTypeBuilder<DocumentTranslation> b)
    {
        b.HasKey(t => new { t.DocumentId, t.Language });
        b.Property(t => t.Language).HasMaxLength(5);
        b.Property(t => t.Title).HasMaxLength(300);
        b.Property(t => t.Summary).HasMaxLength(2000);
    }
}

internal sealed class DocumentVersionConfiguration : IEntityTypeConfiguration<DocumentVersion>
{
    public void Configure(EntityTypeBuilder<DocumentVersion> b)
    {
        b.HasIndex(v => new { v.DocumentId, v.Number }).IsUnique();
        b.Property(v => v.FileName).HasMaxLength(255);
        b.Property(v => v.ContentType).HasMaxLength(120);
        b.Property(v => v.Sha256).HasMaxLength(64);
    }
}
