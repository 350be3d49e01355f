using Closer.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Closer.Web.Features.Forum;

/// <summary>The moderation queue: held posts and flagged posts, acted on one at a time or in bulk.</summary>
[Authorize(Policy = ForumFeature.ModeratorPolicy)]
public sealed class QueueModel(ForumModeration moderation) : PageModel
{
    public List<QueueItem> Items { get; private set; } = [];
    public Error? Error { get; private set; }
    public int? Affected { get; private set; }

    public async Task OnGetAsync(int? done, CancellationToken ct)
    {
        Affected = done;
        Items = await moderation.QueueAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(List<long>? postIds, string? action, string? reason, int? days, CancellationToken ct)
    {
        var r = await moderation.ModeratePostsAsync(ForumActor.From(User), action, postIds ?? [], reason, days, ct);
        if (r.Error is { } e)
        {
            Error = e;
            Items = await moderation.QueueAsync(ct);
            Response.StatusCode = Infrastructure.Errors.Status(e);
            return Page();
        }
        return Redirect($"/admin/forum/queue?done={r.Value}");
    }
}
