using Closer.Web.Features.Shared;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Closer.Web.Features.Campaign.Identity;

/// <summary>
/// The campaign's name in the four languages and its mark, for a deployment that runs another campaign. Platform
/// admins only (it changes every public page). Each save and each restore adds a revision; the list shows them all
/// with a button to restore any. Razor Pages check the antiforgery token on every post.
/// </summary>
[Authorize(Roles = "PlatformAdmin")]
public sealed class IdentityModel(CloserDbContext db, IdentityStore store, CampaignIdentity identity) : PageModel
{
    [BindProperty] public string NameEn { get; set; } = "";
    [BindProperty] public string NameEs { get; set; } = "";
    [BindProperty] public string NamePt { get; set; } = "";
    [BindProperty] public string NamePap { get; set; } = "";
    [BindProperty] public string? MarkSvg { get; set; }

    public List<IdentityRevision> Revisions { get; private set; } = [];
    public string? Error { get; private set; }
    public IReadOnlyList<string> Removed { get; private set; } = [];
    public bool Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Revisions = await IdentityStore.RevisionsAsync(db, ct);
        if (Revisions.FirstOrDefault() is { } current)
        {
            (NameEn, NameEs, NamePt, NamePap, MarkSvg) = (current.NameEn, current.NameEs, current.NamePt, current.NamePap, current.MarkSvg);
        }
        else
        {
            (NameEn, NameEs, NamePt, NamePap) = (identity.ConfiguredName(Languages.English), identity.ConfiguredName(Languages.Spanish),
                identity.ConfiguredName(Languages.Portuguese), identity.ConfiguredName(Languages.Papiamentu));
        }
        Saved = Request.Query.ContainsKey("saved");
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (removed, error) = await store.SaveAsync(db, new IdentityEdit(NameEn ?? "", NameEs ?? "", NamePt ?? "", NamePap ?? "", MarkSvg), User, ct);
        if (error is not null)
        {
            Error = error.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Revisions = await IdentityStore.RevisionsAsync(db, ct);
            return Page();
        }
        if (removed is { Count: > 0 })
        {
            // Say what the sanitiser took out, and show the mark as it is now stored.
            Removed = removed;
            Saved = true;
            Revisions = await IdentityStore.RevisionsAsync(db, ct);
            MarkSvg = Revisions[0].MarkSvg;
            return Page();
        }
        return Redirect("/admin/content/identity?saved=1");
    }

    public async Task<IActionResult> OnPostRestoreAsync(int revision, CancellationToken ct) =>
        await store.RestoreAsync(db, revision, User, ct) ? Redirect("/admin/content/identity?saved=1") : NotFound();
}
