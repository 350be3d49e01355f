using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Admin;

/// <summary>Back office: every content item with the status of each language version; editors create items here.</summary>
[Authorize(Roles = CampaignRoles.BackOffice)]
public sealed class IndexModel(CloserDbContext db, ContentEditor editor) : PageModel
{
    public List<ContentItem> Items { get; private set; } = [];
    public bool ShowDeleted { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(bool deleted, CancellationToken ct)
    {
        ShowDeleted = deleted;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(ContentKind kind, string language, string title, CancellationToken ct)
    {
        var result = await editor.CreateAsync(kind, language, title, User, ct);
        if (result.Error is ForbiddenError)
        {
            return Forbid();
        }
        if (result.Error is { } error)
        {
            Error = error is ValidationError v && v.Errors.Count > 0 ? v.Errors[0].Message : error.Message;
            await LoadAsync(ct);
            return Page();
        }
        return Redirect($"/admin/content/{result.Value!.ItemId}/{language}");
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Items = await db.CampaignItems.AsNoTracking().Include(i => i.Translations)
            .Where(i => ShowDeleted || i.DeletedAt == null)
            .OrderBy(i => i.Kind).ThenByDescending(i => i.Id).ToListAsync(ct);
}

public static class CampaignRoles
{
    /// <summary>Who may open the campaign back office.</summary>
    public const string BackOffice = "Editor,Translator,PlatformAdmin";
    /// <summary>Who may see and export the supporters' addresses (personal data: not translators).</summary>
    public const string Supporters = "Editor,PlatformAdmin";
}
