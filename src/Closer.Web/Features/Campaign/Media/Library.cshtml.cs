using Closer.Web.Features.Campaign.Admin;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Media;

public sealed record AssetRow(int Id, string FileName, int Width, int Height, IReadOnlyList<int> Widths);

/// <summary>The media library: editors upload images (sniffed, capped, resized, metadata stripped); staff of the campaign browse them.</summary>
[Authorize(Roles = CampaignRoles.BackOffice)]
[RequestFormLimits(MultipartBodyLengthLimit = 16 * 1024 * 1024)]
[RequestSizeLimit(16 * 1024 * 1024)]
public sealed class LibraryModel(CloserDbContext db, MediaLibrary library) : PageModel
{
    public List<AssetRow> Assets { get; private set; } = [];
    public string? Message { get; private set; }
    public bool Failed { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAnonymiseAsync(int id, string? regions, Redaction mode, CancellationToken ct)
    {
        if (!Workflow.IsEditor(User))
        {
            return Forbid();
        }
        var result = await library.AnonymiseAsync(id, regions, mode, ct);
        if (result.Error is NotFoundError)
        {
            return NotFound();
        }
        Fail(result.Error, "The marked regions are now unrecognisable in every size.");
        await LoadAsync(ct);
        return Page();
    }

    private void Fail(Error? error, string success)
    {
        if (error is ValidationError v)
        {
            (Message, Failed) = (v.Errors.Count > 0 ? v.Errors[0].Message : v.Message, true);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        else
        {
            Message = success;
        }
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, string? regions, Redaction mode, CancellationToken ct)
    {
        if (!Workflow.IsEditor(User))
        {
            return Forbid();
        }
        if (file is null || file.Length == 0)
        {
            (Message, Failed) = ("Choose a file.", true);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        else
        {
            await using var stream = file.OpenReadStream();
            var result = await library.UploadAsync(file.FileName, stream, file.Length, User, ct, regions, mode);
            Fail(result.Error, "Uploaded.");
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var assets = await db.CampaignMedia.AsNoTracking().Where(a => a.DeletedAt == null).OrderByDescending(a => a.Id)
            .Select(a => new { a.Id, a.FileName, a.Width, a.Height, Widths = a.Renditions.Where(r => r.Format == MediaRendition.Jpeg).Select(r => r.Width).ToList() }).Take(200).ToListAsync(ct);
        Assets = assets.Select(a => new AssetRow(a.Id, a.FileName, a.Width, a.Height, a.Widths.Order().ToList())).ToList();
    }
}
