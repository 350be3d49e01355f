using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Forum;

/// <summary>
/// A thread with its replies, readable with JavaScript off: reply (with a quote), flag, edit and delete
/// one's own posts, and — for moderators — hide/restore/approve, lock and suspend straight from here.
/// </summary>
// Public pages: anyone reads; writes check sign-in, suspension and space visibility in the handlers.
[AllowAnonymous]
public sealed class ThreadModel(ForumReading reading, ForumPosting posting, ForumFlagging flagging, ForumModeration moderation, TimeProvider time) : PageModel
{
    public ThreadView View { get; private set; } = null!;
    public ForumActor Actor { get; private set; } = ForumActor.Anonymous;
    public bool CanReply { get; private set; }
    public bool IsOpen { get; private set; }
    public string ReplyBody { get; private set; } = "";
    public long? QuotedPostId { get; private set; }
    public Error? Error { get; private set; }
    public string? Notice { get; private set; }
    public Dictionary<long, int> Numbers { get; private set; } = [];
    /// <summary>Pages of quoted posts that are not on this page.</summary>
    public Dictionary<long, int> QuotedPages { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, int? p, long? quote, string? notice, CancellationToken ct)
    {
        Notice = notice;
        if (!await LoadAsync(id, p ?? 1, ct))
        {
            return NotFound();
        }
        if (quote is { } q && Actor.IsAuthenticated)
        {
            if (await reading.QuotablePostAsync(id, q, ct) is { } quoted)
            {
                QuotedPostId = q;
                ReplyBody = string.Join('\n', quoted.Body.Split('\n').Select(l => "> " + l.TrimEnd('\r'))) + "\n\n";
            }
        }
        return Page();
    }

    public async Task<IActionResult> OnPostReplyAsync(int id, string? body, string? language, long? quotedPostId, CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }
        var r = await posting.ReplyAsync(ForumActor.From(User), id, body, language, quotedPostId, ct);
        if (r.Error is { } e)
        {
            return await FailAsync(id, e, body, quotedPostId, ct);
        }
        return r.Value!.Status == PostStatus.Published
            ? await RedirectToPostAsync(id, r.Value.Id, null, ct)
            : await RedirectToPostAsync(id, r.Value.Id, "held", ct);
    }

    public async Task<IActionResult> OnPostFlagAsync(int id, long postId, FlagReason? reason, string? note, CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }
        var r = await flagging.FlagAsync(ForumActor.From(User), postId, reason, note, ct);
        return r.Error is { } e ? await FailAsync(id, e, null, null, ct) : await RedirectToPostAsync(id, postId, "flagged", ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, long postId, CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }
        var r = await posting.DeleteAsync(ForumActor.From(User), postId, ct);
        return r.Error is { } e ? await FailAsync(id, e, null, null, ct) : await RedirectToPostAsync(id, postId, "deleted", ct);
    }

    public async Task<IActionResult> OnPostModerateAsync(int id, long postId, string? action, string? reason, int? days, CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }
        var r = await moderation.ModeratePostsAsync(ForumActor.From(User), action, [postId], reason, days, ct);
        return r.Error is { } e ? await FailAsync(id, e, null, null, ct) : await RedirectToPostAsync(id, postId, "moderated", ct);
    }

    public async Task<IActionResult> OnPostLockAsync(int id, bool locked, string? reason, CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }
        var r = await moderation.SetLockedAsync(ForumActor.From(User), id, locked, reason, ct);
        return r.Error is { } e ? await FailAsync(id, e, null, null, ct) : Redirect($"/{HttpContext.Language()}/forum/threads/{id}?notice=moderated");
    }

    /// <summary>Back to the page that holds the post (Post/Redirect/Get), with a notice.</summary>
    private async Task<IActionResult> RedirectToPostAsync(int threadId, long postId, string? notice, CancellationToken ct)
    {
        var page = await reading.PageOfPostAsync(ForumActor.From(User), threadId, postId, ct);
        var query = new List<string>();
        if (page > 1)
        {
            query.Add($"p={page}");
        }
        if (notice is not null)
        {
            query.Add($"notice={notice}");
        }
        var qs = query.Count > 0 ? "?" + string.Join('&', query) : "";
        return Redirect($"/{HttpContext.Language()}/forum/threads/{threadId}{qs}#post-{postId}");
    }

    private async Task<IActionResult> FailAsync(int id, Error error, string? body, long? quotedPostId, CancellationToken ct)
    {
        if (!await LoadAsync(id, int.MaxValue, ct))
        {
            return NotFound();
        }
        Error = error;
        ReplyBody = body ?? "";
        QuotedPostId = quotedPostId;
        Response.StatusCode = Infrastructure.Errors.Status(error);
        return Page();
    }

    private async Task<bool> LoadAsync(int id, int page, CancellationToken ct)
    {
        Actor = ForumActor.From(User);
        var view = await reading.GetThreadAsync(Actor, id, page, ct);
        if (view is null)
        {
            return false;
        }
        View = view;
        IsOpen = view.Space.IsOpenAt(time.GetUtcNow());
        CanReply = Actor.IsAuthenticated && ((!view.Thread.IsLocked && IsOpen) || Actor.IsModerator);
        Numbers = view.Posts.ToDictionary(p => p.Id, p => p.Number);
        foreach (var q in view.Posts.Select(p => p.QuotedPostId).OfType<long>().Where(q => !Numbers.ContainsKey(q)).Distinct())
        {
            QuotedPages[q] = await reading.PageOfPostAsync(Actor, id, q, ct);
        }
        return true;
    }
}
