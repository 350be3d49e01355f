using System.Security.Claims;
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
public sealed class AdminEditModel(DocumentService documents, CloserDbContext db, IStringLocalizer<SharedResource> t) : PageModel
{
    public Document Document { get; private set; } = null!;
    public string Title { get; private set; } = "";
    public List<DetailModel.VersionRow> Versions { get; private set; } = [];
    public List<FieldError> Errors { get; private set; } = [];
    public string? Message { get; private set; }

    private string? UserId => User.FindFirstValue(ClaimTypes.NameIdentifier);

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostVersionAsync(int id, IFormFile? file, CancellationToken ct)
    {
        var error = await documents.AddVersionAsync(id, file?.FileName ?? "", await AdminModel.ReadAsync(file, ct), UserId, ct);
        if (error is NotFoundError)
        {
            return NotFound();
        }
        if (error is ValidationError v)
        {
            Errors = v.Errors.ToList();
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        else
        {
            Message = t["The new version is now the current file."];
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct)
    {
        if (await documents.SetDeletedAsync(id, true, UserId, ct))
        {
            Message = t["The document was deleted. It can be restored here."];
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostRestoreAsync(int id, CancellationToken ct)
    {
        if (await documents.SetDeletedAsync(id, false, UserId, ct))
        {
            Message = t["The document was restored."];
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var doc = await db.Documents.AsNoTracking().Include(d => d.Translations).FirstOrDefaultAsync(d => d.Id == id, ct);
        if (doc is null)
        {
            return false;
        }
        Document = doc;
        Title = DocumentService.Pick(doc.Translations, HttpContext.Language()).Text.Title;
        Versions = await db.DocumentVersions.AsNoTracking().Where(v => v.DocumentId == id).OrderByDescending(v => v.Number)
            .Select(v => new DetailModel.VersionRow(v.Number, v.FileName, v.Size, v.UploadedAt)).ToListAsync(ct);
        return true;
    }
}
