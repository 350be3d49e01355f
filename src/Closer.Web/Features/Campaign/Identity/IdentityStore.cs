using System.Security.Claims;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Features.OpenData;
using Closer.Web.Features.Shared;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Identity;

/// <summary>The four names and the mark an admin submits (the mark as pasted; empty: the built-in mark).</summary>
public sealed record IdentityEdit(string NameEn, string NameEs, string NamePt, string NamePap, string? MarkSvg);

/// <summary>
/// The campaign's identity as set in the back office: every save and every restore adds a revision (nothing is
/// edited in place), and the newest one is what the public site shows. Every page reads it, so the newest revision is
/// kept in memory and never read on a page's way: it is loaded once per node (<see cref="EnsureLoadedAsync"/>, before
/// the first request's pipeline), and a committed revision — saved on this node or another — drops it through the data
/// stamps (<see cref="DataStamps.CampaignIdentity"/>, <see cref="DataChangeBus"/>), after which it is read again in the
/// background. The saving node shows its revision at once; the change also evicts the campaign's cached pages.
/// </summary>
public sealed class IdentityStore(IServiceScopeFactory scopes, TimeProvider time, ILogger<IdentityStore> logger) : ICampaignIdentitySource, IDataChangeListener
{
    private readonly Lock _gate = new();
    // The newest revision read or saved (Id 0: none exists); null until first loaded.
    private volatile Snapshot? _snapshot;
    private volatile Task? _reload;

    /// <summary>Revisions are only ever added, so the higher <paramref name="Id"/> is the newer identity.</summary>
    private sealed record Snapshot(int Id, CampaignIdentityValues? Values, string? MarkSvg = null);

    /// <summary>The identity in memory (null until loaded, or when none was ever saved); never touches the database.</summary>
    public CampaignIdentityValues? Current => _snapshot?.Values;

    /// <summary>The saved mark's (sanitised) SVG, for images drawn on the server; null: the built-in mark.</summary>
    public string? MarkSvg => _snapshot?.MarkSvg;

    /// <summary>True once this node has read the newest revision (the first request waits for it, no other does).</summary>
    public bool Loaded => _snapshot is not null;

    /// <summary>Reads the newest revision if this node has none yet (a failure leaves it unloaded: the next request tries again).</summary>
    public async Task EnsureLoadedAsync(CancellationToken ct)
    {
        if (!Loaded)
        {
            Keep(await ReadAsync(ct));
        }
    }

    /// <summary>Replaces this node's copy with the newest revision as the database has it now, even an older one (revisions removed by hand, as tests do).</summary>
    public async Task ReloadAsync(CancellationToken ct)
    {
        var read = await ReadAsync(ct);
        lock (_gate)
        {
            _snapshot = read;
        }
    }

    private async Task<Snapshot> ReadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var latest = await db.CampaignIdentityRevisions.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        return latest is null ? new Snapshot(0, null) : new Snapshot(latest.Id, ValuesOf(latest), latest.MarkSvg);
    }

    /// <summary>Keeps <paramref name="read"/> unless this node already holds a newer revision (a read that started before a save here).</summary>
    private void Keep(Snapshot read)
    {
        lock (_gate)
        {
            if (_snapshot is not { } kept || read.Id >= kept.Id)
            {
                _snapshot = read;
            }
        }
    }

    IReadOnlySet<string> IDataChangeListener.Datasets { get; } = new HashSet<string>(StringComparer.Ordinal) { DataStamps.CampaignIdentity };

    void IDataChangeListener.Changed(IReadOnlySet<string> datasets)
    {
        // Read again off the request path; until then pages keep the previous identity (this node's own save is already in).
        _reload = Task.Run(async () =>
        {
            try
            {
                Keep(await ReadAsync(CancellationToken.None));
            }
            catch (Exception ex)
            {
                // Reading again next time beats showing nothing: drop the copy, so the next request loads it.
                logger.LogWarning(ex, "Reading the campaign identity again failed; the next request reads it.");
                lock (_gate)
                {
                    _snapshot = null;
                }
            }
        });
    }

    /// <summary>The background read started by the last change (tests wait for it).</summary>
    public Task Reloading => _reload ?? Task.CompletedTask;

    public static CampaignIdentityValues ValuesOf(IdentityRevision r) => new(
        Languages.All.ToDictionary(l => l, r.Name, StringComparer.Ordinal),
        r.MarkSvg is null ? null : MarkPath(r.Id));

    /// <summary>The mark's address: one per revision, so it can be cached for ever.</summary>
    public static string MarkPath(int revision) => $"/campaign/mark/{revision.ToString(System.Globalization.CultureInfo.InvariantCulture)}.svg";

    public static Task<List<IdentityRevision>> RevisionsAsync(CloserDbContext db, CancellationToken ct) =>
        db.CampaignIdentityRevisions.AsNoTracking().OrderByDescending(r => r.Id).Take(50).ToListAsync(ct);

    /// <summary>Saves a new revision. Names are required (≤ 80 characters); the mark is sanitised, and what was taken out is returned.</summary>
    public async Task<Result<IReadOnlyList<string>>> SaveAsync(CloserDbContext db, IdentityEdit edit, ClaimsPrincipal user, CancellationToken ct)
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
        await AddAsync(db, revision, user, "update", ct);
        return new Result<IReadOnlyList<string>>(removed);
    }

    /// <summary>Makes an earlier revision current again by copying it into a new one (the history only grows).</summary>
    public async Task<bool> RestoreAsync(CloserDbContext db, int id, ClaimsPrincipal user, CancellationToken ct)
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
        await AddAsync(db, revision, user, "restore", ct);
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

    private async Task AddAsync(CloserDbContext db, IdentityRevision revision, ClaimsPrincipal user, string action, CancellationToken ct)
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
        // The commit evicts the campaign's pages and tells every node (DataStampInterceptor); this node shows it at once.
        await db.SaveChangesAsync(ct);
        Keep(new Snapshot(revision.Id, ValuesOf(revision), revision.MarkSvg));
    }
}

/// <summary>Loads the identity before the first request's pipeline runs, so the layout never reads the database itself.</summary>
internal sealed class IdentityStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var store = app.ApplicationServices.GetRequiredService<IdentityStore>();
        app.Use(async (context, nxt) =>
        {
            if (!store.Loaded)
            {
                try
                {
                    await store.EnsureLoadedAsync(context.RequestAborted);
                }
                catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException or InvalidOperationException)
                {
                    // Before the database is migrated (or while it is down) pages show the configured identity.
                    context.RequestServices.GetRequiredService<ILogger<IdentityStore>>().LogDebug(ex, "The campaign identity could not be read yet.");
                }
            }
            await nxt(context);
        });
        next(app);
    };
}
