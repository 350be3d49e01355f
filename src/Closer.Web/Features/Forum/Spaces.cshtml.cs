using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Forum;

/// <summary>Back office: the forum's spaces, and a form to open a new one (country, sector or consultation).</summary>
[Authorize(Policy = ForumFeature.ModeratorPolicy)]
public sealed class SpacesModel(ForumService forum, CloserDbContext db) : PageModel
{
    public List<ForumSpace> Spaces { get; private set; } = [];
    public List<(string Iso3, string Name)> Countries { get; private set; } = [];
    public Error? Error { get; private set; }
    public SpaceInput Input { get; private set; } = new("Country", "", "", null, null, null, "Public", null, null);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(string? kind, string? title, string? description, string? language, string? country,
        string? sector, string? visibility, DateOnly? opensOn, DateOnly? closesOn, CancellationToken ct)
    {
        Input = new SpaceInput(kind, title, description, language, country, sector, visibility, opensOn, closesOn);
        var r = await forum.CreateSpaceAsync(ForumActor.From(User), Input, ct);
        if (r.Error is { } e)
        {
            Error = e;
            Response.StatusCode = Infrastructure.Errors.Status(e);
            await LoadAsync(ct);
            return Page();
        }
        return Redirect($"/{HttpContext.Language()}/forum/spaces/{r.Value!.Id}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Spaces = await db.ForumSpaces.AsNoTracking().OrderBy(s => s.Kind).ThenBy(s => s.Title).ToListAsync(ct);
        var lang = HttpContext.Language();
        Countries = (await db.Countries.AsNoTracking().ToListAsync(ct))
            .Select(c => (c.Iso3, lang switch { "es" => c.NameEs, "pt" => c.NamePt, "pap" => c.NamePap, _ => c.NameEn }))
            .OrderBy(c => c.Item2, StringComparer.Create(System.Globalization.CultureInfo.CurrentCulture, ignoreCase: true)).ToList();
    }
}
