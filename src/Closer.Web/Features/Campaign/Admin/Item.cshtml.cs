using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Admin;

/// <summary>One content item: its language versions, its language-independent fields, soft delete and restore.</summary>
[Authorize(Roles = CampaignRoles.BackOffice)]
public sealed class ItemModel(CloserDbContext db, ContentEditor editor) : PageModel
{
    public ContentItem Item { get; private set; } = null!;
    public List<string> MissingLanguages { get; private set; } = [];
    public string? Message { get; private set; }
    public bool Failed { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAddLanguageAsync(int id, string language, string title, CancellationToken ct)
    {
        var result = await editor.AddLanguageAsync(id, language, title, User, ct);
        return result.Error is null ? Redirect($"/admin/content/{id}/{language}") : await Outcome(id, result.Error, ct);
    }

    public async Task<IActionResult> OnPostItemAsync(int id, ItemEdit edit, CancellationToken ct) =>
        await Outcome(id, (await editor.SaveItemAsync(id, edit, User, ct)).Error, ct);

    public async Task<IActionResult> OnPostDeleteAsync(int id, bool deleted, CancellationToken ct) =>
        await Outcome(id, (await editor.SetDeletedAsync(id, deleted, User, ct)).Error, ct);

    private async Task<IActionResult> Outcome(int id, Error? error, CancellationToken ct)
    {
        switch (error)
        {
            case ForbiddenError:
                return Forbid();
            case NotFoundError:
                return NotFound();
            case ValidationError v:
                (Message, Failed) = (v.Errors.Count > 0 ? v.Errors[0].Message : v.Message, true);
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                break;
            case { } e:
                (Message, Failed) = (e.Message, true);
                Response.StatusCode = Infrastructure.Errors.Status(e);
                break;
            default:
                Message = "Saved.";
                break;
        }
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var item = await db.CampaignItems.AsNoTracking().Include(i => i.Translations).FirstOrDefaultAsync(i => i.Id == id, ct);
        if (item is null)
        {
            return false;
        }
        Item = item;
        MissingLanguages = Languages.All.Where(l => item.Translations.All(t => t.Language != l)).ToList();
        return true;
    }
}
