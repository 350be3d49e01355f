using System.Globalization;
using System.Security.Claims;
using Closer.Web.Features.Geography;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Documents;

[Authorize(Policy = DocumentsFeature.ManagePolicy)]
[RequestSizeLimit(DocumentsFeature.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = DocumentsFeature.MaxRequestBytes)]
public sealed class AdminModel(DocumentService documents, CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    public sealed record Row(int Id, string Title, DocumentType Type, DateOnly Date, DocumentVisibility Visibility, bool Deleted);

    public List<Row> Rows { get; private set; } = [];
    public List<Country> Countries { get; private set; } = [];
    public List<FieldError> Errors { get; private set; } = [];
    public string? Message { get; private set; }
    public string Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, DocumentType type, DocumentVisibility visibility, string? fileLanguage,
        DateOnly? date, string[]? countries, string[]? sectors, CancellationToken ct)
    {
        var texts = Languages.All.ToDictionary(l => l, l => new DocumentText(Request.Form[$"title_{l}"].ToString(), Request.Form[$"summary_{l}"].ToString()), StringComparer.Ordinal);
        var input = new DocumentInput(type, visibility, fileLanguage ?? "", date ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime),
            countries ?? [], sectors ?? [], texts);
        var content = await ReadAsync(file, ct);
        var (doc, error) = await documents.CreateAsync(input, file?.FileName ?? "", content, User.FindFirstValue(ClaimTypes.NameIdentifier), ct);
        if (error is ValidationError v)
        {
            Errors = v.Errors.ToList();
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        else
        {
            Message = t["The document was added."];
            ModelState.Clear();
        }
        await LoadAsync(ct);
        return Page();
    }

    internal static async Task<byte[]> ReadAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return [];
        }
        if (file.Length > DocumentFiles.MaxBytes)
        {
            // Do not read what will be refused; a marker of the right length is enough for the check.
            return new byte[DocumentFiles.MaxBytes + 1];
        }
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var lang = HttpContext.Language();
        Countries = await db.Countries.AsNoTracking().OrderBy(c => c.NameEn).ToListAsync(ct);
        var docs = await db.Documents.AsNoTracking().Include(d => d.Translations).OrderByDescending(d => d.Date).ThenByDescending(d => d.Id).ToListAsync(ct);
        Rows = docs.Select(d => new Row(d.Id, DocumentService.Pick(d.Translations, lang).Text.Title, d.Type, d.Date, d.Visibility, d.DeletedAt is not null)).ToList();
    }
}
