using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Xml;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Documents;

public static class DocumentsFeature
{
    /// <summary>Who uploads, versions and deletes documents.</summary>
    public const string ManagePolicy = "ManageDocuments";

    /// <summary>A whole upload request: the file cap plus room for the form fields.</summary>
    public const long MaxRequestBytes = DocumentFiles.MaxBytes + (1024 * 1024);

    /// <summary>Output-cache policy of the public document pages (anonymous readers only); evicted on every change.</summary>
    public const string CachePolicy = "documents";
    public const string CacheTag = "documents";

    public static IServiceCollection AddDocuments(this IServiceCollection services)
    {
        services.AddScoped<DocumentService>();
        services.AddScoped<ISitemapSource, DocumentsSitemap>();
        services.AddOutputCache(o => o.AddPolicy(CachePolicy, b => b.Tag(CacheTag).Expire(TimeSpan.FromMinutes(10))));
        services.AddScoped<IDemoSeeder, DemoDocuments>();
        services.AddAuthorizationBuilder().AddPolicy(ManagePolicy, p => p.RequireAuthenticatedUser()
            .RequireRole(Roles.PlatformAdmin, Roles.CountryCoordinator, Roles.Editor));
        return services;
    }

    /// <summary>Partners (<see cref="Partners"/>) see partner-only documents too.</summary>
    public static bool IsPartner(ClaimsPrincipal user) => Partners.Is(user);

    public static IEndpointRouteBuilder MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/documents", ListAsync).AllowAnonymous().WithTags("Documents").Paged(defaultPageSize: 20)
            .OneOf("type", Enum.GetNames<DocumentType>()).OneOf("sector", DocumentSectors.All).OneOf("lang", Languages.All).CountryCodes();
        app.MapGet("/documents/{id:int}/download", DownloadAsync).AllowAnonymous();
        app.MapGet("/{lang:lang}/documents/feed.xml", FeedAsync).AllowAnonymous().CacheOutput(CachePolicy);
        return app;
    }

    private static async Task<Results<Ok<DocumentPage>, ProblemHttpResult>> ListAsync(DocumentService documents, HttpContext http, string? q, string? type, string? country,
        string? sector, string? lang, int? year, CancellationToken ct)
    {
        DocumentType? kind = null;
        if (!string.IsNullOrWhiteSpace(type))
        {
            if (!Enum.TryParse<DocumentType>(type, true, out var t) || !Enum.IsDefined(t) || int.TryParse(type, out _))
            {
                return new BadRequestError("unknown-document-type", "No such document type.").ToProblem(http);
            }
            kind = t;
        }
        var paging = Paging.Current(http);
        // The API takes a sector's name in any case (ApiContract checked it is one of them); documents store it as listed.
        sector = DocumentSectors.All.FirstOrDefault(s => string.Equals(s, sector?.Trim(), StringComparison.OrdinalIgnoreCase)) ?? sector;
        var query = new DocumentQuery(q, kind, country, sector, lang, year, paging.Page, paging.PageSize);
        var found = await documents.SearchAsync(query, IsPartner(http.User), http.Language(), ct);
        Paging.WriteHeaders(http, paging, found.Total);
        return TypedResults.Ok(found);
    }

    /// <summary>A document's file (current or a given version). Hidden documents answer 404, not 403: their existence is not disclosed.</summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadAsync(int id, int? v, DocumentService documents, CloserDbContext db,
        HttpContext http, CancellationToken ct)
    {
        var doc = await documents.Visible(IsPartner(http.User)).AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
        var number = v ?? doc?.CurrentVersion;
        var version = doc is null ? null : await db.DocumentVersions.AsNoTracking().FirstOrDefaultAsync(x => x.DocumentId == id && x.Number == number, ct);
        if (version is null)
        {
            return new NotFoundError("document-not-found", "No such document.").ToProblem(http);
        }
        http.Response.Headers.CacheControl = doc!.Visibility == DocumentVisibility.Public ? "public, max-age=300" : "private, no-store";
        return TypedResults.File(version.Content, version.ContentType, version.FileName, lastModified: version.UploadedAt,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{version.Sha256}\""));
    }

    /// <summary>Atom feed of the public documents, newest first, titles in the feed's language (with fallback).</summary>
    private static async Task<FileContentHttpResult> FeedAsync(string lang, DocumentService documents, HttpContext http, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> t, CancellationToken ct)
    {
        var latest = await documents.SearchAsync(new DocumentQuery(PageSize: 50), partner: false, lang, ct);
        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, Async = true };
        await using (var writer = XmlWriter.Create(buffer, settings))
        {
            const string atom = "http://www.w3.org/2005/Atom";
            writer.WriteStartElement("feed", atom);
            writer.WriteAttributeString("xml", "lang", null, lang);
            writer.WriteElementString("title", atom, $"Closer — {t["Document library"]}");
            writer.WriteElementString("id", atom, $"{baseUrl}/{lang}/documents");
            writer.WriteElementString("updated", atom, (latest.Items.Count > 0 ? latest.Items.Max(i => i.UpdatedAt) : DateTimeOffset.UnixEpoch).ToString("o", CultureInfo.InvariantCulture));
            writer.WriteStartElement("link", atom);
            writer.WriteAttributeString("rel", "self");
            writer.WriteAttributeString("href", $"{baseUrl}/{lang}/documents/feed.xml");
            writer.WriteEndElement();
            writer.WriteStartElement("link", atom);
            writer.WriteAttributeString("href", $"{baseUrl}/{lang}/documents");
            writer.WriteEndElement();
            foreach (var d in latest.Items)
            {
                writer.WriteStartElement("entry", atom);
                writer.WriteElementString("id", atom, $"{baseUrl}/{lang}/documents/{d.Id}");
                writer.WriteStartElement("title", atom);
                writer.WriteAttributeString("xml", "lang", null, d.TitleLanguage);
                writer.WriteString(d.Title);
                writer.WriteEndElement();
                writer.WriteElementString("updated", atom, d.UpdatedAt.ToString("o", CultureInfo.InvariantCulture));
                writer.WriteStartElement("author", atom);
                writer.WriteElementString("name", atom, "Closer");
                writer.WriteEndElement();
                writer.WriteStartElement("link", atom);
                writer.WriteAttributeString("href", $"{baseUrl}/{lang}/documents/{d.Id}");
                writer.WriteEndElement();
                writer.WriteElementString("summary", atom, d.Summary);
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
        }
        return TypedResults.Bytes(buffer.ToArray(), "application/atom+xml; charset=utf-8");
    }

    /// <summary>The English label (a UI-string key) of a document type.</summary>
    public static string Label(DocumentType type) => type switch
    {
        DocumentType.SituationReport => "Situation report",
        DocumentType.PlanChapter => "Plan chapter",
        DocumentType.Guidance => "Guidance",
        DocumentType.Minutes => "Meeting minutes",
        DocumentType.Infographic => "Infographic",
        _ => "Other",
    };
}
