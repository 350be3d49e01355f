using System.Security.Claims;
using Closer.Web.Features.Documents;
using Closer.Web.Features.Forum;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Subscriptions;

/// <summary>
/// /account/subscriptions: what a signed-in person follows (countries, sectors, document types, forum spaces), how
/// often and in which language they get e-mail, and whether they get reporting reminders. A plain form: works without JS.
/// <c>?follow=country:COL</c> (or sector:…, type:…, space:…) arrives with that box ticked, for the "follow" links on public pages.
/// </summary>
[Authorize]
public sealed class PreferencesModel(CloserDbContext db, TimeProvider time) : PageModel
{
    public sealed record Choice(string Value, string Label, bool Selected);

    [BindProperty] public DeliveryFrequency Frequency { get; set; } = DeliveryFrequency.Daily;
    [BindProperty] public string? Language { get; set; }
    [BindProperty] public bool Reminders { get; set; } = true;
    [BindProperty] public List<string> Countries { get; set; } = [];
    [BindProperty] public List<string> Sectors { get; set; } = [];
    [BindProperty] public List<string> Types { get; set; } = [];
    [BindProperty] public List<int> Spaces { get; set; } = [];

    public List<Choice> CountryChoices { get; private set; } = [];
    public List<Choice> SectorChoices { get; private set; } = [];
    public List<Choice> TypeChoices { get; private set; } = [];
    public List<Choice> SpaceChoices { get; private set; } = [];
    public bool Saved { get; private set; }
    public bool Suggested { get; private set; }

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task<IActionResult> OnGetAsync(string? follow, bool saved, CancellationToken ct)
    {
        Saved = saved;
        var settings = await db.SubscriptionSettings.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == UserId, ct);
        if (settings is not null)
        {
            Frequency = settings.Frequency;
            Language = settings.Language;
            Reminders = !settings.RemindersOff;
        }
        Language ??= HttpContext.Language();
        var follows = await db.Follows.AsNoTracking().Where(f => f.UserId == UserId).ToListAsync(ct);
        Countries = follows.Where(f => f.Kind == FollowKind.Country).Select(f => f.Key).ToList();
        Sectors = follows.Where(f => f.Kind == FollowKind.Sector).Select(f => f.Key).ToList();
        Types = follows.Where(f => f.Kind == FollowKind.DocumentType).Select(f => f.Key).ToList();
        Spaces = await db.ForumFollows.AsNoTracking().Where(f => f.UserId == UserId).Select(f => f.SpaceId).ToListAsync(ct);
        if (follow?.Split(':', 2) is [var kind, var key] && key.Length is > 0 and <= 100)
        {
            Suggested = true;
            switch (kind)
            {
                case "country": Countries.Add(key.ToUpperInvariant()); break;
                case "sector": Sectors.Add(key); break;
                case "type": Types.Add(key); break;
                case "space" when int.TryParse(key, System.Globalization.CultureInfo.InvariantCulture, out var id): Spaces.Add(id); break;
                default: Suggested = false; break;
            }
        }
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadChoicesAsync(ct);
        // Only what is offered is kept: unknown codes and spaces this person may not read are dropped.
        static List<string> Known(IEnumerable<string> picked, List<Choice> offered) =>
            picked.Where(p => offered.Any(o => o.Value == p)).Distinct(StringComparer.Ordinal).ToList();
        var now = time.GetUtcNow();
        var spaces = Spaces.Where(id => SpaceChoices.Any(c => c.Value == id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Distinct().ToList();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var settings = await db.SubscriptionSettings.FirstOrDefaultAsync(s => s.UserId == UserId, ct);
        if (settings is null)
        {
            settings = new SubscriptionSettings { UserId = UserId };
            db.SubscriptionSettings.Add(settings);
        }
        settings.Frequency = Enum.IsDefined(Frequency) ? Frequency : DeliveryFrequency.Daily;
        settings.Language = Languages.IsSupported(Language) ? Language : null;
        settings.RemindersOff = !Reminders;
        settings.UpdatedAt = now;
        await db.Follows.Where(f => f.UserId == UserId).ExecuteDeleteAsync(ct);
        db.Follows.AddRange(Known(Countries, CountryChoices).Select(k => new Follow { UserId = UserId, Kind = FollowKind.Country, Key = k, CreatedAt = now }));
        db.Follows.AddRange(Known(Sectors, SectorChoices).Select(k => new Follow { UserId = UserId, Kind = FollowKind.Sector, Key = k, CreatedAt = now }));
        db.Follows.AddRange(Known(Types, TypeChoices).Select(k => new Follow { UserId = UserId, Kind = FollowKind.DocumentType, Key = k, CreatedAt = now }));
        // Forum spaces are the forum's own kind of follow: one table, whichever page set it.
        var existing = await db.ForumFollows.Where(f => f.UserId == UserId).ToListAsync(ct);
        db.ForumFollows.RemoveRange(existing.Where(f => !spaces.Contains(f.SpaceId)));
        db.ForumFollows.AddRange(spaces.Where(id => existing.All(f => f.SpaceId != id)).Select(id => new ForumFollow { UserId = UserId, SpaceId = id, CreatedAt = now }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Redirect("/account/subscriptions?saved=true");
    }

    private async Task LoadChoicesAsync(CancellationToken ct)
    {
        var lang = HttpContext.Language();
        var countries = await db.Countries.AsNoTracking().ToListAsync(ct);
        CountryChoices = countries.Select(c => new Choice(c.Iso3.Trim(), c.Name(lang), Countries.Contains(c.Iso3.Trim(), StringComparer.OrdinalIgnoreCase)))
            .OrderBy(c => c.Label, StringComparer.CurrentCulture).ToList();
        SectorChoices = DocumentSectors.All.Select(s => new Choice(s, s, Sectors.Contains(s, StringComparer.Ordinal))).ToList();
        TypeChoices = Enum.GetValues<DocumentType>().Select(t => new Choice(t.ToString(), DocumentsFeature.Label(t), Types.Contains(t.ToString(), StringComparer.Ordinal))).ToList();
        var actor = ForumActor.From(User);
        var spaces = await db.ForumSpaces.AsNoTracking().OrderBy(s => s.Title).ToListAsync(ct);
        SpaceChoices = spaces.Where(actor.CanRead)
            .Select(s => new Choice(s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Title, Spaces.Contains(s.Id))).ToList();
    }
}
