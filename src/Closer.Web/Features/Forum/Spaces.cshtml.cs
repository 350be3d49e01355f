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
public sealed class SpacesModel(ForumSpaces forumSpaces, CloserDbContext db) : PageModel
{
    public List<ForumSpace> Spaces { get; private set; } = [];
    public List<(string Iso3, string Name)> Countries { get; private set; } = [];
    public Error? Error { get; private set; }
    public SpaceInput Input { get; private set; } = new("Country", "", "", null, null, null, "Public", null, null);
    public SpaceForm Form => new(Input, Countries, "Open the space");

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(string? kind, string? title, string? description, string? language, string? country,
        string? sector, string? visibility, DateOnly? opensOn, DateOnly? closesOn, CancellationToken ct)
    {
        Input = new SpaceInput(kind, title, description, language, country, sector, visibility, opensOn, closesOn);
        var r = await forumSpaces.CreateSpaceAsync(ForumActor.From(User), Input, ct);
        if (r.Error is { } e)
        {
            Error = e;
            Response.StatusCode = Infrastructure.Errors.Status(e);
            await LoadAsync(ct);
            return Page();
        }
        return Redirect($"/{HttpContext.Language()}/forum/spaces/{r.Value!.Id}");
    }

    internal static async Task<List<(string Iso3, string Name)>> CountriesAsync(CloserDbContext db, string lang, CancellationToken ct) =>
        (await db.Countries.AsNoTracking().ToListAsync(ct))
            .Select(c => (c.Iso3, lang switch { "es" => c.NameEs, "pt" => c.NamePt, "pap" => c.NamePap, _ => c.NameEn }))
            .OrderBy(c => c.Item2, StringComparer.Create(System.Globalization.CultureInfo.CurrentCulture, ignoreCase: true)).ToList();

    private async Task LoadAsync(CancellationToken ct)
    {
        Spaces = await db.ForumSpaces.AsNoTracking().OrderBy(s => s.Kind).ThenBy(s => s.Title).ToListAsync(ct);
        Countries = await CountriesAsync(db, HttpContext.Language(), ct);
    }
}

/// <summary>The space form shared by the create and edit pages.</summary>
public sealed record SpaceForm(SpaceInput Input, List<(string Iso3, string Name)> Countries, string ButtonLabel);

/// <summary>Back office: change a space (texts, visibility, a consultation's dates).</summary>
[Authorize(Policy = ForumFeature.ModeratorPolicy)]
public sealed class EditSpaceModel(ForumSpaces forumSpaces, CloserDbContext db) : PageModel
{
    public ForumSpace Space { get; private set; } = null!;
    public List<(string Iso3, string Name)> Countries { get; private set; } = [];
    public Error? Error { get; private set; }
    public SpaceInput Input { get; private set; } = null!;
    public SpaceForm Form => new(Input, Countries, "Save");

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var space = await db.ForumSpaces.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (space is null)
        {
            return NotFound();
        }
        Space = space;
        Input = new SpaceInput(space.Kind.ToString(), space.Title, space.Description, space.Language, space.CountryIso3?.Trim(), space.Sector,
            space.Visibility.ToString(), space.OpensAt is { } o ? DateOnly.FromDateTime(o.UtcDateTime) : null,
            space.ClosesAt is { } c ? DateOnly.FromDateTime(c.UtcDateTime) : null);
        Countries = await SpacesModel.CountriesAsync(db, HttpContext.Language(), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, string? kind, string? title, string? description, string? language, string? country,
        string? sector, string? visibility, DateOnly? opensOn, DateOnly? closesOn, CancellationToken ct)
    {
        Input = new SpaceInput(kind, title, description, language, country, sector, visibility, opensOn, closesOn);
        var r = await forumSpaces.UpdateSpaceAsync(ForumActor.From(User), id, Input, ct);
        if (r.Error is { } e)
        {
            var space = await db.ForumSpaces.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
            if (space is null)
            {
                return NotFound();
            }
            (Space, Error) = (space, e);
            Countries = await SpacesModel.CountriesAsync(db, HttpContext.Language(), ct);
            Response.StatusCode = Infrastructure.Errors.Status(e);
            return Page();
        }
        return Redirect($"/{HttpContext.Language()}/forum/spaces/{id}");
    }
}
