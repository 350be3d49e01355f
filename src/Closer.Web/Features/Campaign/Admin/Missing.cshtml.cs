using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Admin;

public sealed record MissingRow(int ItemId, string Title, ContentKind Kind, TranslationStatus? Status, int AgeDays);

/// <summary>Per language, every item not yet published in it (absent or still in the workflow), with its age.</summary>
[Authorize(Roles = CampaignRoles.BackOffice)]
public sealed class MissingModel(CloserDbContext db, TimeProvider time) : PageModel
{
    public List<(string Language, List<MissingRow> Rows)> ByLanguage { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var items = await db.CampaignItems.AsNoTracking().Include(i => i.Translations).Where(i => i.DeletedAt == null).ToListAsync(ct);
        var now = time.GetUtcNow();
        foreach (var lang in Languages.All)
        {
            var rows = items
                .Where(i => i.Translations.All(t => t.Language != lang || t.Status != TranslationStatus.Published))
                .Select(i =>
                {
                    var own = i.Translations.FirstOrDefault(t => t.Language == lang);
                    var title = own?.Title ?? i.Translations.OrderBy(t => Languages.All.ToList().IndexOf(t.Language)).Select(t => t.Title).FirstOrDefault() ?? "—";
                    return new MissingRow(i.Id, title, i.Kind, own?.Status, (int)Math.Max(0, (now - i.CreatedAt).TotalDays));
                })
                .OrderByDescending(r => r.AgeDays).ThenBy(r => r.ItemId).ToList();
            ByLanguage.Add((lang, rows));
        }
    }
}
