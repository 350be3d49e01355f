using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Documents;

[AllowAnonymous]
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = DocumentsFeature.CachePolicy)]
public sealed class DetailModel(DocumentService documents, CloserDbContext db) : PageModel
{
    public sealed record VersionRow(int Number, string FileName, long Size, DateTimeOffset UploadedAt);

    public Document Document { get; private set; } = null!;
    public (string Title, string Summary, string Language) Title { get; private set; }
    public List<VersionRow> Versions { get; private set; } = [];
    public List<string> CountryNames { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var doc = await documents.Visible(DocumentsFeature.IsPartner(User)).AsNoTracking().Include(d => d.Translations).FirstOrDefaultAsync(d => d.Id == id, ct);
        if (doc is null)
        {
            return NotFound();
        }
        Document = doc;
        var lang = HttpContext.Language();
        var (text, language) = DocumentService.Pick(doc.Translations, lang);
        Title = (text.Title, text.Summary, language);
        ViewData[Infrastructure.PageLinks.AvailableLanguagesKey] = Languages.All;
        Versions = await db.DocumentVersions.AsNoTracking().Where(v => v.DocumentId == id).OrderByDescending(v => v.Number)
            .Select(v => new VersionRow(v.Number, v.FileName, v.Size, v.UploadedAt)).ToListAsync(ct);
        var codes = doc.CountryCodes.ToList();
        CountryNames = (await db.Countries.AsNoTracking().Where(c => codes.Contains(c.Iso3)).ToListAsync(ct)).Select(c => c.Name(lang)).ToList();
        if (doc.Visibility == DocumentVisibility.Partners)
        {
            Response.Headers.CacheControl = "private, no-store";
        }
        return Page();
    }
}
