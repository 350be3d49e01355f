using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Forum;

public sealed record SpaceRow(ForumSpace Space, int Threads, bool IsOpen);

/// <summary>The forum's spaces the reader may see, grouped by kind.</summary>
// Public pages: anyone reads; writes check sign-in, suspension and space visibility in the handlers.
[AllowAnonymous]
public sealed class IndexModel(ForumReading reading, ForumFollowing following, TimeProvider time) : PageModel
{
    public List<IGrouping<SpaceKind, SpaceRow>> Groups { get; private set; } = [];
    public bool RepliesNotified { get; private set; }

    public async Task<IActionResult> OnPostRepliesAsync(bool on, CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }
        await following.SetRepliesNotifiedAsync(ForumActor.From(User), on, ct);
        return Redirect($"/{HttpContext.Language()}/forum");
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var actor = ForumActor.From(User);
        var spaces = await reading.VisibleSpaces(actor).OrderBy(s => s.Title).ToListAsync(ct);
        var now = time.GetUtcNow();
        var rows = new List<SpaceRow>();
        foreach (var s in spaces)
        {
            rows.Add(new SpaceRow(s, await reading.VisibleThreads(actor, s.Id).CountAsync(ct), s.IsOpenAt(now)));
        }
        RepliesNotified = await following.RepliesNotifiedAsync(actor, ct);
        Groups = rows.GroupBy(r => r.Space.Kind).OrderBy(g => g.Key).ToList();
    }
}
