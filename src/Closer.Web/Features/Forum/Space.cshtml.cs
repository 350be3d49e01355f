using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Markdown;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Forum;

public sealed record ThreadRow(int Id, string Title, string Language, string AuthorName, int Replies, DateTimeOffset LastActivityAt, bool IsLocked, bool IsDemo);

/// <summary>A space: its threads (paged), a form to start one, follow/unfollow, and a consultation's summary.</summary>
// Public pages: anyone reads; writes check sign-in, suspension and space visibility in the handlers.
[AllowAnonymous]
public sealed class SpaceModel(ForumReading reading, ForumPosting posting, ForumFollowing following, ForumSpaces spaces, TimeProvider time, IOptions<ForumOptions> options, MarkdownRenderer markdown) : PageModel
{
    public ForumSpace Space { get; private set; } = null!;
    public List<ThreadRow> Threads { get; private set; } = [];
    public int PageNumber { get; private set; } = 1;
    public int PageCount { get; private set; } = 1;
    public bool IsOpen { get; private set; }
    public bool IsFollowing { get; private set; }
    public ForumActor Actor { get; private set; } = ForumActor.Anonymous;
    public string? SummaryHtml { get; private set; }
    public Error? Error { get; private set; }
    public string? TitleInput { get; private set; }
    public string? BodyInput { get; private set; }
    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, int? p, string? notice, CancellationToken ct)
    {
        Notice = notice;
        return await LoadAsync(id, p ?? 1, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostThreadAsync(int id, string? title, string? body, string? language, CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }
        var r = await posting.CreateThreadAsync(ForumActor.From(User), id, title, body, language, ct);
        if (r.Error is null)
        {
            var lang = HttpContext.Language();
            return r.Value!.Posts[0].Status == PostStatus.Published
                ? Redirect($"/{lang}/forum/threads/{r.Value.Id}")
                : Redirect($"/{lang}/forum/spaces/{id}?notice=held");
        }
        return await FailAsync(id, r.Error, title, body, ct);
    }

    public async Task<IActionResult> OnPostFollowAsync(int id, bool follow, CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }
        var r = await following.SetFollowAsync(ForumActor.From(User), id, follow, ct);
        return r.Error is null ? Redirect($"/{HttpContext.Language()}/forum/spaces/{id}") : await FailAsync(id, r.Error, null, null, ct);
    }

    public async Task<IActionResult> OnPostSummaryAsync(int id, string? summary, string? language, CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }
        var r = await spaces.SetSummaryAsync(ForumActor.From(User), id, summary, language, ct);
        return r.Error is null ? Redirect($"/{HttpContext.Language()}/forum/spaces/{id}") : await FailAsync(id, r.Error, null, summary, ct);
    }

    private async Task<IActionResult> FailAsync(int id, Error error, string? title, string? body, CancellationToken ct)
    {
        if (!await LoadAsync(id, 1, ct))
        {
            return NotFound();
        }
        (Error, TitleInput, BodyInput) = (error, title, body);
        Response.StatusCode = Infrastructure.Errors.Status(error);
        return Page();
    }

    private async Task<bool> LoadAsync(int id, int page, CancellationToken ct)
    {
        Actor = ForumActor.From(User);
        var space = await reading.GetSpaceAsync(Actor, id, ct);
        if (space is null)
        {
            return false;
        }
        Space = space;
        IsOpen = space.IsOpenAt(time.GetUtcNow());
        SummaryHtml = space.Summary is null ? null : markdown.ToHtml(space.Summary);
        IsFollowing = await following.IsFollowingAsync(Actor, id, ct);
        (Threads, PageNumber, PageCount, _) = await reading.ThreadPageAsync(Actor, id, page, options.Value.ThreadsPerPage, ct);
        return true;
    }
}
