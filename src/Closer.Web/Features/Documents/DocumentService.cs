using System.Security.Cryptography;
using Closer.Web.Features.Search;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Documents;

public sealed record DocumentText(string Title, string Summary);

public sealed record DocumentInput(
    DocumentType Type, DocumentVisibility Visibility, string FileLanguage, DateOnly Date,
    IReadOnlyList<string> Countries, IReadOnlyList<string> Sectors, IReadOnlyDictionary<string, DocumentText> Texts);

public sealed record DocumentQuery(string? Q = null, DocumentType? Type = null, string? Country = null, string? Sector = null,
    string? FileLanguage = null, int? Year = null, int Page = 1, int PageSize = 20);

public sealed record DocumentHit(int Id, DocumentType Type, DocumentVisibility Visibility, string Title, string Summary, string TitleLanguage,
    string FileLanguage, DateOnly Date, IReadOnlyList<string> Countries, IReadOnlyList<string> Sectors, string? Passage,
    int CurrentVersion, string FileName, long Size, DateTimeOffset UpdatedAt);

public sealed record DocumentPage(IReadOnlyList<DocumentHit> Items, int Total, int Page, int PageSize);

/// <summary>The plan's sectors (with the Protection sub-sectors) that documents are tagged with.</summary>
public static class DocumentSectors
{
    public static IReadOnlyList<string> All { get; } =
    [
        "Education", "Food Security", "Health", "Humanitarian Transportation", "Integration", "Nutrition", "Protection",
        "Child Protection", "Gender-Based Violence", "Human Trafficking and Smuggling", "Shelter", "WASH",
        "Multipurpose Cash", "Support Services",
    ];
}

/// <summary>Creating, versioning, deleting and finding documents, with the visibility rule in one place.</summary>
public sealed class DocumentService(CloserDbContext db, TimeProvider time, Microsoft.AspNetCore.OutputCaching.IOutputCacheStore cache, SearchService search,
    Notifications.IChangeNotifications? notifications = null)
{
    /// <summary>Cached public pages (and the sitemap) show the change at once, on every node (the store is shared through Redis).</summary>
    private async ValueTask EvictAsync(CancellationToken ct)
    {
        await cache.EvictByTagAsync(DocumentsFeature.CacheTag, ct);
        await cache.EvictByTagAsync(Infrastructure.Sitemap.CacheTag, ct);
    }

    /// <summary>Public documents for everyone; partner-only documents too for signed-in staff.</summary>
    public IQueryable<Document> Visible(bool partner) =>
        db.Documents.Where(d => d.DeletedAt == null && (partner || d.Visibility == DocumentVisibility.Public));

    public async Task<List<FieldError>> ValidateAsync(DocumentInput input, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (!input.Texts.Any(t => !string.IsNullOrWhiteSpace(t.Value.Title)))
        {
            errors.Add(new FieldError(null, "title", "Give the document a title in at least one language."));
        }
        if (input.Texts.Any(t => !Languages.IsSupported(t.Key) || t.Value.Title.Length > 300 || t.Value.Summary.Length > 2000))
        {
            errors.Add(new FieldError(null, "title", "Titles are limited to 300 characters and summaries to 2,000."));
        }
        if (!Languages.IsSupported(input.FileLanguage))
        {
            errors.Add(new FieldError(null, "fileLanguage", "Choose the language of the file."));
        }
        var known = await db.Countries.Select(c => c.Iso3).ToListAsync(ct);
        if (input.Countries.Any(c => !known.Contains(c, StringComparer.Ordinal)))
        {
            errors.Add(new FieldError(null, "countries", "Unknown country code."));
        }
        if (input.Sectors.Any(s => !DocumentSectors.All.Contains(s, StringComparer.Ordinal)))
        {
            errors.Add(new FieldError(null, "sectors", "Unknown sector."));
        }
        return errors;
    }

    public Task<Result<Document>> CreateAsync(DocumentInput input, string fileName, byte[] content, string? userId, CancellationToken ct) =>
        CreateAsync(input, fileName, content, userId, announce: true, ct);

    /// <summary>
    /// Creates a document; <paramref name="announce"/> false leaves followers' e-mail to the caller (a situation report is
    /// archived as one document per language and announced once, by its publisher).
    /// </summary>
    public async Task<Result<Document>> CreateAsync(DocumentInput input, string fileName, byte[] content, string? userId, bool announce, CancellationToken ct)
    {
        var errors = await ValidateAsync(input, ct);
        var (file, fileError) = DocumentFiles.Inspect(fileName, content);
        if (fileError is not null)
        {
            errors.Add(new FieldError(null, "file", fileError));
        }
        if (errors.Count > 0)
        {
            return new ValidationError("invalid-document", "The document could not be saved.", errors);
        }
        var now = time.GetUtcNow();
        var doc = new Document
        {
            Type = input.Type, Visibility = input.Visibility, FileLanguage = input.FileLanguage, Date = input.Date,
            Countries = Document.Delimit(input.Countries), Sectors = Document.Delimit(input.Sectors),
            CreatedAt = now, UpdatedAt = now, CurrentVersion = 1,
            Translations = input.Texts.Where(t => !string.IsNullOrWhiteSpace(t.Value.Title))
                .Select(t => new DocumentTranslation { Language = t.Key, Title = t.Value.Title.Trim(), Summary = t.Value.Summary.Trim() }).ToList(),
        };
        doc.Versions.Add(Version(1, fileName, content, file!, userId, now));
        db.Documents.Add(doc);
        // Followers' e-mails are written in the same transaction as the document: both exist, or neither.
        // (Inside a caller's transaction, such as the demo seed, that one is joined.)
        await using (var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null)
        {
            await db.SaveChangesAsync(ct);
            if (notifications is not null && announce)
            {
                await notifications.DocumentCreatedAsync(db, doc.Id, ct);
                await db.SaveChangesAsync(ct);
            }
            if (tx is not null)
            {
                await tx.CommitAsync(ct);
            }
        }
        await EvictAsync(ct);
        return doc;
    }

    public async Task<Error?> AddVersionAsync(int id, string fileName, byte[] content, string? userId, CancellationToken ct)
    {
        var doc = await db.Documents.FirstOrDefaultAsync(d => d.Id == id && d.DeletedAt == null, ct);
        if (doc is null)
        {
            return new NotFoundError("document-not-found", "No such document.");
        }
        var (file, error) = DocumentFiles.Inspect(fileName, content);
        if (error is not null)
        {
            return new ValidationError("invalid-file", "The document could not be saved.", [new FieldError(null, "file", error)]);
        }
        var number = await db.DocumentVersions.Where(v => v.DocumentId == id).MaxAsync(v => v.Number, ct) + 1;
        var now = time.GetUtcNow();
        var version = Version(number, fileName, content, file!, userId, now);
        version.DocumentId = id;
        db.DocumentVersions.Add(version);
        doc.CurrentVersion = number;
        doc.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await EvictAsync(ct);
        return null;
    }

    public async Task<bool> SetDeletedAsync(int id, bool deleted, string? userId, CancellationToken ct)
    {
        var doc = await db.Documents.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (doc is null || (doc.DeletedAt is not null) == deleted)
        {
            return false;
        }
        doc.DeletedAt = deleted ? time.GetUtcNow() : null;
        doc.DeletedByUserId = deleted ? userId : null;
        doc.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await EvictAsync(ct);
        return true;
    }

    /// <summary>Documents rows ranked per query: a library search past this many is refined, not paged to.</summary>
    public const int MaxRanked = 1000;

    public async Task<DocumentPage> SearchAsync(DocumentQuery q, bool partner, string language, CancellationToken ct)
    {
        var query = Visible(partner);
        // Words go through the site's one full-text index (ranked, stemmed, accents folded), never a scan of the files' text.
        List<(int Id, long EntryId)>? ranked = null;
        if (!string.IsNullOrWhiteSpace(q.Q))
        {
            ranked = [.. (await search.RankSourcesAsync(q.Q, "document", partner, language, MaxRanked, ct))
                .Select(r => (Id: int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture), r.EntryId))];
            var matched = ranked.Select(r => r.Id).ToList();
            query = query.Where(d => matched.Contains(d.Id));
        }
        if (q.Type is { } type)
        {
            query = query.Where(d => d.Type == type);
        }
        if (!string.IsNullOrWhiteSpace(q.Country))
        {
            var code = "," + q.Country.Trim().ToUpperInvariant() + ",";
            query = query.Where(d => d.Countries.Contains(code));
        }
        if (!string.IsNullOrWhiteSpace(q.Sector))
        {
            var sector = "," + q.Sector.Trim() + ",";
            query = query.Where(d => d.Sectors.Contains(sector));
        }
        if (Languages.IsSupported(q.FileLanguage))
        {
            query = query.Where(d => d.FileLanguage == q.FileLanguage);
        }
        if (q.Year is { } year and > 1900 and < 3000)
        {
            var from = new DateOnly(year, 1, 1);
            var to = from.AddYears(1);
            query = query.Where(d => d.Date >= from && d.Date < to);
        }
        var pageSize = Math.Clamp(q.PageSize, 1, 100);
        var page = Math.Max(1, q.Page);
        int total;
        List<int>? pageIds = null;
        if (ranked is null)
        {
            total = await query.CountAsync(ct);
            query = query.OrderByDescending(d => d.Date).ThenByDescending(d => d.Id).Skip((page - 1) * pageSize).Take(pageSize);
        }
        else
        {
            // Relevance order: the filters narrow the ranked list, the page is cut from it.
            var kept = (await query.Select(d => d.Id).ToListAsync(ct)).ToHashSet();
            var inOrder = ranked.Select(r => r.Id).Where(kept.Contains).ToList();
            total = inOrder.Count;
            pageIds = inOrder.Skip((page - 1) * pageSize).Take(pageSize).ToList();
            query = query.Where(d => pageIds.Contains(d.Id));
        }
        var docs = await query.AsNoTracking()
            .Select(d => new
            {
                Doc = d,
                d.Translations,
                Current = d.Versions.Where(v => v.Number == d.CurrentVersion).Select(v => new { v.FileName, v.Size }).First(),
            })
            .ToListAsync(ct);
        if (pageIds is not null)
        {
            docs = [.. docs.OrderBy(x => pageIds.IndexOf(x.Doc.Id))];
        }
        var entryOf = ranked?.ToDictionary(r => r.Id, r => r.EntryId) ?? [];
        var passages = ranked is null ? [] : await search.PassagesAsync([.. docs.Select(x => entryOf[x.Doc.Id])], q.Q, ct);
        var items = docs.Select(x =>
        {
            var (text, lang) = Pick(x.Translations, language);
            // Where the words were found, as the site search shows it.
            var passage = ranked is null ? null
                : passages.GetValueOrDefault(entryOf[x.Doc.Id]) is { Count: > 0 } parts
                    ? string.Concat(parts.Select(p => p.Text)) : null;
            return new DocumentHit(x.Doc.Id, x.Doc.Type, x.Doc.Visibility, text.Title, text.Summary, lang, x.Doc.FileLanguage, x.Doc.Date,
                x.Doc.CountryCodes.ToList(), x.Doc.SectorNames.ToList(), passage, x.Doc.CurrentVersion, x.Current.FileName, x.Current.Size, x.Doc.UpdatedAt);
        }).ToList();
        return new DocumentPage(items, total, page, pageSize);
    }

    /// <summary>The title and summary in the reader's language, else along the fallback chain, else any.</summary>
    public static (DocumentTranslation Text, string Language) Pick(IReadOnlyCollection<DocumentTranslation> translations, string language)
    {
        foreach (var candidate in Languages.FallbackChain(language).Concat(Languages.All))
        {
            if (translations.FirstOrDefault(t => t.Language == candidate) is { } t)
            {
                return (t, candidate);
            }
        }
        return (new DocumentTranslation { Language = language, Title = "—" }, language);
    }

    private static DocumentVersion Version(int number, string fileName, byte[] content, InspectedFile file, string? userId, DateTimeOffset now) => new()
    {
        Number = number,
        FileName = SafeFileName(fileName),
        ContentType = file.ContentType,
        Size = content.LongLength,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
        Content = content,
        ExtractedText = file.Text,
        UploadedAt = now,
        UploadedByUserId = userId,
    };

    /// <summary>A file name safe to send back in Content-Disposition: no path, no control characters.</summary>
    public static string SafeFileName(string name)
    {
        var bare = Path.GetFileName(name.Replace('\\', '/'));
        var clean = new string(bare.Where(c => !char.IsControl(c) && c is not ('"' or '/' or '\\' or ':' or '*' or '?' or '<' or '>' or '|')).ToArray()).Trim();
        return clean.Length is 0 or > 200 ? "document" + Path.GetExtension(bare).ToLowerInvariant() : clean;
    }
}
