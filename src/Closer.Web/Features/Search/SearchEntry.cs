using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Search;

/// <summary>
/// One findable text as a reader sees it: a published language version of a campaign item, a country page in one
/// language, a document, or a published forum post. Rows are derived from their sources by <see cref="SearchIndexer"/>
/// (never edited by hand); the full-text index over them is the database's own (an FTS5 table on SQLite, a generated
/// <c>tsvector</c> column with a GIN index on PostgreSQL), created in the OfflineKoboSearchPledgeToken migration with raw SQL.
/// </summary>
public sealed class SearchEntry
{
    public long Id { get; set; }
    /// <summary>What the row was derived from, to replace a source's rows at once: content, country, document, thread.</summary>
    public required string Source { get; set; }
    public required string SourceKey { get; set; }
    /// <summary>Results are shown once per group (one campaign item, one thread), with its best-ranked row.</summary>
    public required string Group { get; set; }
    /// <summary>story, fact, video, press, page, country, document, forum.</summary>
    public required string Kind { get; set; }
    public required string Language { get; set; }
    /// <summary>ISO3 codes delimited by commas (",COL,PER,"), so one LIKE finds one country exactly.</summary>
    public string? Country { get; set; }
    public int Year { get; set; }
    /// <summary><see cref="SearchAudience.Public"/> or <see cref="SearchAudience.Partners"/>.</summary>
    public required string Audience { get; set; }
    /// <summary>A scheduled version stays out of results until then.</summary>
    public DateTimeOffset? VisibleFrom { get; set; }
    public required string Title { get; set; }
    /// <summary>The title's language when it is not the row's (a thread's title above a post in another language); null when the same.</summary>
    public string? TitleLanguage { get; set; }
    public required string Url { get; set; }
    /// <summary>The plain text searched and quoted in passages (markup removed).</summary>
    public string Text { get; set; } = "";
    public DateTimeOffset Date { get; set; }
}

/// <summary>Every folded word ever indexed, for "did you mean" (a suggestion is shown only when it finds something the reader may see).</summary>
public sealed class SearchTerm
{
    public required string Term { get; set; }
}

public static class SearchAudience
{
    public const string Public = "public";
    public const string Partners = "partners";
}

internal sealed class SearchEntryConfiguration : IEntityTypeConfiguration<SearchEntry>
{
    public void Configure(EntityTypeBuilder<SearchEntry> b)
    {
        b.Property(e => e.Source).HasMaxLength(20);
        b.Property(e => e.SourceKey).HasMaxLength(40);
        b.Property(e => e.Group).HasMaxLength(60);
        b.Property(e => e.Kind).HasMaxLength(20);
        b.Property(e => e.Language).HasMaxLength(5);
        b.Property(e => e.Country).HasMaxLength(400);
        b.Property(e => e.Audience).HasMaxLength(10);
        b.Property(e => e.Title).HasMaxLength(300);
        b.Property(e => e.TitleLanguage).HasMaxLength(5);
        b.Property(e => e.Url).HasMaxLength(400);
        b.HasIndex(e => new { e.Source, e.SourceKey });
    }
}

internal sealed class SearchTermConfiguration : IEntityTypeConfiguration<SearchTerm>
{
    public void Configure(EntityTypeBuilder<SearchTerm> b)
    {
        b.HasKey(t => t.Term);
        b.Property(t => t.Term).HasMaxLength(40);
    }
}
