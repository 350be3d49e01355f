using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Markdown;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Admin;

/// <summary>One language version: edit (Markdown with sanitized preview), workflow moves, revision history with restore.</summary>
[Authorize(Roles = CampaignRoles.BackOffice)]
[RequestSizeLimit(2 * 1024 * 1024)]
public sealed class TranslationModel(CloserDbContext db, ContentEditor editor, MarkdownRenderer markdown, OpenData.LiveFigures figures) : PageModel
{
    public ContentTranslation Translation { get; private set; } = null!;
    public List<ContentRevision> Revisions { get; private set; } = [];
    /// <summary>Per revision id, what changed from the revision before it (changed lines only).</summary>
    public Dictionary<int, List<DiffLine>> Changes { get; } = [];
    public string PreviewHtml { get; private set; } = "";
    public string? Message { get; private set; }
    public bool Failed { get; private set; }
    public IReadOnlyList<FieldError> FieldErrors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, string language, CancellationToken ct) =>
        await LoadAsync(id, language, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostSaveAsync(int id, string language, string title, string slug, string? summary, string? body,
        string? photoAlt, string? subtitleVtt, DateTime? publishAt, string? translator, string? insertFigure, CancellationToken ct)
    {
        if (OpenData.LiveFigures.IsToken(insertFigure))
        {
            // The figure picker without JavaScript: the chosen token goes at the end of the text.
            body = $"{body?.TrimEnd()} {insertFigure}".TrimStart();
        }
        var translationId = await IdAsync(id, language, ct);
        if (translationId is null)
        {
            return NotFound();
        }
        DateTimeOffset? at = publishAt is { } p ? new DateTimeOffset(DateTime.SpecifyKind(p, DateTimeKind.Utc)) : null;
        var result = await editor.SaveAsync(translationId.Value, new TranslationEdit(title ?? "", slug ?? "", summary, body, photoAlt, subtitleVtt, at, translator), User, ct);
        return await Outcome(id, language, result.Error, "Saved.", ct);
    }

    public async Task<IActionResult> OnPostSubtitlesAsync(int id, string language, IFormFile? subtitleFile, CancellationToken ct)
    {
        var translationId = await IdAsync(id, language, ct);
        if (translationId is null)
        {
            return NotFound();
        }
        await using var stream = subtitleFile?.OpenReadStream() ?? Stream.Null;
        var result = await editor.UploadSubtitlesAsync(translationId.Value, stream, subtitleFile?.Length ?? 0, User, ct);
        return await Outcome(id, language, result.Error, "Saved.", ct);
    }

    public async Task<IActionResult> OnPostMoveAsync(int id, string language, TranslationStatus to, CancellationToken ct)
    {
        var translationId = await IdAsync(id, language, ct);
        if (translationId is null)
        {
            return NotFound();
        }
        return await Outcome(id, language, (await editor.MoveAsync(translationId.Value, to, User, ct)).Error, "Status changed.", ct);
    }

    public async Task<IActionResult> OnPostRestoreAsync(int id, string language, int revisionId, CancellationToken ct)
    {
        var translationId = await IdAsync(id, language, ct);
        if (translationId is null || !await db.CampaignRevisions.AnyAsync(r => r.Id == revisionId && r.TranslationId == translationId, ct))
        {
            return NotFound();
        }
        return await Outcome(id, language, (await editor.RestoreRevisionAsync(revisionId, User, ct)).Error, "Revision restored.", ct);
    }

    private Task<int?> IdAsync(int id, string language, CancellationToken ct) =>
        db.CampaignTranslations.Where(t => t.ItemId == id && t.Language == language).Select(t => (int?)t.Id).FirstOrDefaultAsync(ct);

    private async Task<IActionResult> Outcome(int id, string language, Error? error, string success, CancellationToken ct)
    {
        switch (error)
        {
            case ForbiddenError:
                return Forbid();
            case NotFoundError:
                return NotFound();
            case ValidationError v:
                (Message, Failed, FieldErrors) = (v.Message, true, v.Errors);
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                break;
            case { } e:
                (Message, Failed) = (e.Message, true);
                Response.StatusCode = Infrastructure.Errors.Status(e);
                break;
            default:
                Message = success;
                break;
        }
        await LoadAsync(id, language, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(int id, string language, CancellationToken ct)
    {
        var t = await db.CampaignTranslations.AsNoTracking().Include(x => x.Item).FirstOrDefaultAsync(x => x.ItemId == id && x.Language == language, ct);
        if (t is null)
        {
            return false;
        }
        Translation = t;
        PreviewHtml = await figures.ExpandHtmlAsync(markdown.ToHtml(t.Body), t.Language, ct);
        Revisions = await db.CampaignRevisions.AsNoTracking().Where(r => r.TranslationId == t.Id)
            .OrderByDescending(r => r.Id).Take(51).ToListAsync(ct);
        for (var i = 0; i < Revisions.Count - 1; i++)
        {
            Changes[Revisions[i].Id] = Diff.Lines(Diff.Flatten(Revisions[i + 1]), Diff.Flatten(Revisions[i])).Where(d => d.Kind != DiffKind.Same).ToList();
        }
        if (Revisions.Count > 50)
        {
            Revisions.RemoveAt(50);
        }
        return true;
    }
}
