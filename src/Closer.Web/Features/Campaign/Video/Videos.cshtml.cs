using Closer.Web.Features.Campaign.Admin;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Video;

/// <summary>
/// The back office's videos: editors upload; everyone in the campaign back office sees each video's job (queued,
/// transcoding with its progress, interrupted and waiting to start again, ready with its sizes, or failed and why).
/// </summary>
[Authorize(Roles = CampaignRoles.BackOffice)]
[RequestFormLimits(MultipartBodyLengthLimit = VideoOptions.DefaultMaxUploadBytes)]
[RequestSizeLimit(VideoOptions.DefaultMaxUploadBytes)]
public sealed class VideosModel(CloserDbContext db, VideoStore store, TimeProvider time) : PageModel
{
    public List<CampaignVideo> Videos { get; private set; } = [];
    public string? Message { get; private set; }
    public bool Failed { get; private set; }
    public DateTimeOffset Now { get; private set; }
    public bool FfmpegMissing => !VideoTranscoder.Available;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
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
            var result = await store.UploadAsync(file.FileName, stream, file.Length, User, ct);
            if (result.Error is ValidationError v)
            {
                (Message, Failed) = (v.Errors.Count > 0 ? v.Errors[0].Message : v.Message, true);
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            }
            else
            {
                Message = "Uploaded. The video is being transcoded; this page shows its progress.";
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Now = time.GetUtcNow();
        Videos = await db.CampaignVideos.AsNoTracking().OrderByDescending(v => v.Id).Take(200).ToListAsync(ct);
    }
}
