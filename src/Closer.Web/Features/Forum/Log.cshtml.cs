using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Forum;

public sealed record LogRow(ModerationAction Action, string Moderator, string? Target);

/// <summary>The moderation log: every action with who, what, when and why.</summary>
[Authorize(Policy = ForumFeature.ModeratorPolicy)]
public sealed class LogModel(CloserDbContext db) : PageModel
{
    public List<LogRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var actions = await db.ForumModerationActions.AsNoTracking().OrderByDescending(a => a.Id).Take(200).ToListAsync(ct);
        var ids = actions.Select(a => a.ModeratorId).Concat(actions.Select(a => a.TargetUserId ?? "")).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName ?? u.Email ?? u.Id, ct);
        Rows = actions.Select(a => new LogRow(a, names.GetValueOrDefault(a.ModeratorId, a.ModeratorId),
            a.TargetUserId is null ? null : names.GetValueOrDefault(a.TargetUserId, a.TargetUserId))).ToList();
    }
}
