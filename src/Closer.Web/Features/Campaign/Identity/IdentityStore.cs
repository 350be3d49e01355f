using System.Security.Claims;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Features.Shared;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Identity;

/// <summary>The four names and the mark an admin submits (the mark as pasted; empty: the built-in mark).</summary>
public sealed record IdentityEdit(string NameEn, string NameEs, string NamePt, string NamePap, string? MarkSvg);

/// <summary>
/// The campaign's identity as set in the back office: every save and every restore adds a revision (nothing is
/// edited in place), and the newest one is what the public site shows. Every page reads it, so the newest revision is
/// held in memory and read again from the database at most every <see cref="Refresh"/> (another node's change shows
/// within that time; this node's at once), and a change evicts the campaign's cached pages.
/// </summary>
public sealed class IdentityStore(IServiceScopeFactory scopes, TimeProvider time) : ICampaignIdentitySource
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private (CampaignIdentityValues? Values, DateTimeOffset ReadAt)? _snapshot;

    public CampaignIdentityValues? Current
    {
        get
        {
            var now = time.GetUtcNow();
            if (_snapshot is { } s && now - s.ReadAt < Refresh)
            {
                return s.Values;
            }
            lock (_gate)
            {
                if (_snapshot is { } again && now - again.ReadAt < Refresh)
                {
                    return again.Values;
                }
                using var scope = scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
                // The layout reads this synchronously on every page; it is one indexed row every 30 seconds.
                var latest = db.CampaignIdentityRevisions.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefault();
                var values = latest is null ? null : ValuesOf(latest);
                _snapshot = (values, now);
                return values;
            }
        }
    }

    public static CampaignIdentityValues ValuesOf(IdentityRevision r) => new(
        Languages.All.ToDictionary(l => l, r.Name, StringComparer.Ordinal),
        r.MarkSvg is null ? null : MarkPath(r.Id));

    /// <summary>The mark's address: one per revision, so it can be cached for ever.</summary>
    public static string MarkPath(int revision) => $"/campaign/mark/{revision.ToString(System.Globalization.CultureInfo.InvariantCulture)}.svg";

    public static Task<List<IdentityRevision>> RevisionsAsync(CloserDbContext db, CancellationToken ct) =>
        db.CampaignIdentityRevisions.AsNoTracking().OrderByDescending(r => r.Id).Take(50).ToListAsync(ct);

    /// <summary>Saves a new revision. Names are required (≤ 80 characters); the mark is sanitised, and what was taken out is returned.</summary>
    public async Task<Result<IReadOnlyList<string>>> SaveAsync(CloserDbContext db, IdentityEdit edit, ClaimsPrincipal user, IOutputCacheStore cache, CancellationToken ct)
    {
        string[] names = [edit.NameEn.Trim(), edit.NameEs.Trim(), edit.NamePt.Trim(), edit.NamePap.Trim()];
        if (names.Any(n => n.Length is 0 or > IdentityRevision.MaxName))
        {
            return new BadRequestError("identity.name", "The campaign needs a name in every language, at most 80 characters each.");
        }
        string? mark = null;
        IReadOnlyList<string> removed = [];
        if (!string.IsNullOrWhiteSpace(edit.MarkSvg))
        {
            var outcome = MarkSanitizer.Sanitize(edit.MarkSvg.Trim());
            if (outcome.Error is not null)
            {
                return new BadRequestError("identity.mark", outcome.Error);
            }
            (mark, removed) = (outcome.Svg, outcome.Removed);
        }
        var revision = new IdentityRevision { NameEn = names[0], NameEs = names[1], NamePt = names[2], NamePap = names[3], MarkSvg = mark };
        await AddAsync(db, revision, user, "update", cache, ct);
        return new Result<IReadOnlyList<string>>(removed);
    }

    /// <summary>Makes an earlier revision current again by copying it into a new one (the history only grows).</summary>
    public async Task<bool> RestoreAsync(CloserDbContext db, int id, ClaimsPrincipal user, IOutputCacheStore cache, CancellationToken ct)
    {
        var old = await db.CampaignIdentityRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (old is null)
        {
            return false;
        }
        var revision = new IdentityRevision
        {
            NameEn = old.NameEn, NameEs = old.NameEs, NamePt = old.NamePt, NamePap = old.NamePap, MarkSvg = old.MarkSvg, RestoredFrom = old.Id,
        };
        await AddAsync(db, revision, user, "restore", cache, ct);
        return true;
    }

    /// <summary>
    /// A revision's mark, as an image: one address per revision (cached for ever), served with a CSP that forbids
    /// everything and sandboxes it, on top of the sanitising — an SVG opened on its own is a document.
    /// </summary>
    public static async Task<Results<FileContentHttpResult, NotFound>> ServeMarkAsync(int id, CloserDbContext db, HttpContext http, CancellationToken ct)
    {
        var svg = await db.CampaignIdentityRevisions.AsNoTracking().Where(r => r.Id == id).Select(r => r.MarkSvg).FirstOrDefaultAsync(ct);
        if (svg is null)
        {
            return TypedResults.NotFound();
        }
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(svg), "image/svg+xml");
    }

    private async Task AddAsync(CloserDbContext db, IdentityRevision revision, ClaimsPrincipal user, string action, IOutputCacheStore cache, CancellationToken ct)
    {
        var actor = Actor.From(user);
        revision.CreatedAt = time.GetUtcNow();
        revision.CreatedBy = actor.Email ?? actor.UserId ?? "";
        db.CampaignIdentityRevisions.Add(revision);
        var changes = new Dictionary<string, string?[]>(StringComparer.Ordinal)
        {
            ["names"] = [null, string.Join(" / ", revision.NameEn, revision.NameEs, revision.NamePt, revision.NamePap)],
            ["mark"] = [null, revision.MarkSvg is null ? "built-in" : $"{revision.MarkSvg.Length} characters"],
        };
        if (revision.RestoredFrom is { } from)
        {
            changes["restoredFrom"] = [null, from.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        }
        AuditLog.Add(db, revision.CreatedAt, actor, action, "campaign-identity", "campaign", null, null, changes);
        await db.SaveChangesAsync(ct);
        lock (_gate)
        {
            _snapshot = (ValuesOf(revision), time.GetUtcNow());
        }
        await cache.EvictByTagAsync(ContentService.CacheTag, ct);
    }
}
