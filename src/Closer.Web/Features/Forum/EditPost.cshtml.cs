using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Forum;

/// <summary>The author edits a post; the earlier text is kept as a revision.</summary>
[Authorize]
public sealed class EditPostModel(ForumPosting posting, CloserDbContext db) : PageModel
{
    public ForumPost Post { get; private set; } = null!;
    public string Body { get; private set; } = "";
    public Error? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var post = await OwnPostAsync(id, ct);
        if (post is null)
        {
            return NotFound();
        }
        (Post, Body) = (post, post.Body);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, string? body, CancellationToken ct)
    {
        var post = await OwnPostAsync(id, ct);
        if (post is null)
        {
            return NotFound();
        }
        var r = await posting.EditAsync(ForumActor.From(User), id, body, ct);
        if (r.Error is { } e)
        {
            (Post, Body, Error) = (post, body ?? "", e);
            Response.StatusCode = Infrastructure.Errors.Status(e);
            return Page();
        }
        var notice = r.Value!.Status == PostStatus.Held ? "?notice=held" : "";
        return Redirect($"/{HttpContext.Language()}/forum/threads/{post.ThreadId}{notice}#post-{id}");
    }

    private async Task<ForumPost?> OwnPostAsync(long id, CancellationToken ct)
    {
        var me = ForumActor.From(User).UserId;
        return await db.ForumPosts.AsNoTracking().Include(p => p.Thread)
            .FirstOrDefaultAsync(p => p.Id == id && p.AuthorId == me && p.Status != PostStatus.Deleted && p.Status != PostStatus.Hidden, ct);
    }
}
