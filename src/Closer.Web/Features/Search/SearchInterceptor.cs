using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Documents;
using Closer.Web.Features.Forum;
using Closer.Web.Features.Geography;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Search;

/// <summary>
/// Makes the index follow every write by construction, like the dashboards' aggregates: a SaveChanges that touches a
/// campaign item or version, a country, a document (its texts or files) or the forum (spaces, threads, posts,
/// moderation actions) remembers which sources it touched; when its transaction commits, their index rows are rebuilt
/// inside it, just before the commit. A save without a transaction of the caller gets one of its own. So a published
/// story or an approved post is findable as soon as the write is visible, and a hidden one is gone as soon as it is.
/// Writers that bypass the change tracker (the forum's automatic hold after flags) save a moderation action next, which
/// names the thread.
/// </summary>
public sealed class SearchInterceptor(IOptions<ForumOptions> forum) : CommitWorkInterceptor
{
    private sealed class Pending
    {
        /// <summary>Rows whose source is read at the commit (keys of added rows exist only then); <c>OwnRow</c>: a post whose own
        /// search row is all that changes (a reply, an edit of its text), rather than its thread's.</summary>
        public readonly List<(EntityEntry Entry, bool OwnRow)> Entries = [];
        public readonly HashSet<SearchSource> Sources = [];
    }

    private readonly ConditionalWeakTable<DbContext, Pending> _pending = new();

    private static bool Tracked(object entity) => entity is ContentItem or ContentTranslation or Country or Document or DocumentTranslation
        or DocumentVersion or ForumSpace or ForumThread or ForumPost or ModerationAction;

    /// <summary>What moves a post on its thread's pages or in or out of view: then every post of the thread is re-read.</summary>
    private static readonly string[] PostPlace = [nameof(ForumPost.Status), nameof(ForumPost.ThreadId), nameof(ForumPost.CreatedAt), nameof(ForumPost.IsOpening)];

    /// <summary>What of a thread its posts' rows carry; its activity time, lock and counters are not searched.</summary>
    private static readonly string[] ThreadShown = [nameof(ForumThread.Title), nameof(ForumThread.Language), nameof(ForumThread.SpaceId)];

    protected override bool Record(CloserDbContext db)
    {
        Pending? pending = null;
        foreach (var e in db.ChangeTracker.Entries())
        {
            if (e.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted) || !Tracked(e.Entity))
            {
                continue;
            }
            if (e.Entity is ForumThread && e.State == EntityState.Modified && !ThreadShown.Any(p => e.Property(p).IsModified))
            {
                continue;
            }
            pending ??= _pending.GetOrCreateValue(db);
            // A reply or an edit changes one row, whatever the thread's length (re-reading the whole thread on every
            // reply made a long thread's replies cost ever more, and held SQLite's one writer while they did).
            var ownRow = e.Entity is ForumPost && (e.State == EntityState.Added ? !(bool)e.CurrentValues[nameof(ForumPost.IsOpening)]!
                : e.State == EntityState.Modified && !PostPlace.Any(p => e.Property(p).IsModified));
            pending.Entries.Add((e, ownRow));
            if (!ownRow && e.State != EntityState.Added && SourceOf(e.Entity, Values(e, original: true)) is { } old)
            {
                pending.Sources.Add(old);
            }
        }
        return pending is not null;
    }

    /// <summary>
    /// The source a row of a tracked type belongs to, from its values as <paramref name="value"/> reads them: the entry's
    /// original values for what it was before the save, its current values at the commit. Keys the database generated
    /// are only in the change tracker's entry until the commit (a new thread with its opening post, or a new document,
    /// still has Id 0 on the entity then), so they are never read from the entity while it is tracked.
    /// </summary>
    private static SearchSource? SourceOf(object entity, Func<string, object?> value)
    {
        long Key(string name) => SearchInterceptor.Key(value, name);
        return entity switch
        {
            ContentItem => Source(SearchSource.Content, Key(nameof(ContentItem.Id))),
            ContentTranslation => Source(SearchSource.Content, Key(nameof(ContentTranslation.ItemId))),
            Country => value(nameof(Country.Iso3)) is string iso3 ? new SearchSource(SearchSource.Country, iso3.Trim()) : null,
            Document => Source(SearchSource.Document, Key(nameof(Document.Id))),
            DocumentTranslation => Source(SearchSource.Document, Key(nameof(DocumentTranslation.DocumentId))),
            DocumentVersion => Source(SearchSource.Document, Key(nameof(DocumentVersion.DocumentId))),
            ForumSpace => Source(SearchSource.Space, Key(nameof(ForumSpace.Id))),
            ForumThread => Source(SearchSource.Thread, Key(nameof(ForumThread.Id))),
            ForumPost => Source(SearchSource.Thread, Key(nameof(ForumPost.ThreadId))),
            ModerationAction when Key(nameof(ModerationAction.ThreadId)) > 0 => Source(SearchSource.Thread, Key(nameof(ModerationAction.ThreadId))),
            ModerationAction => Source(SearchSource.Space, Key(nameof(ModerationAction.SpaceId))),
            _ => null,
        };
    }

    /// <summary>How a row's values are read: from the entry while it is tracked, from the entity once it is not (a cleared tracker).</summary>
    private static Func<string, object?> Values(EntityEntry e, bool original) =>
        e.State == EntityState.Detached ? name => e.Entity.GetType().GetProperty(name)?.GetValue(e.Entity)
        : original ? name => e.OriginalValues[name]
        : name => e.CurrentValues[name];

    private static long Key(Func<string, object?> value, string name) => value(name) is { } v ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : 0;

    private static SearchSource? Source(string kind, long id) => id > 0 ? new SearchSource(kind, id.ToString(CultureInfo.InvariantCulture)) : null;

    protected override void Forget(CloserDbContext db) => _pending.Remove(db);

    private List<SearchSource>? Take(DbContext context)
    {
        if (!_pending.TryGetValue(context, out var pending))
        {
            return null;
        }
        _pending.Remove(context);
        foreach (var (e, ownRow) in pending.Entries)
        {
            var values = Values(e, original: false);
            if ((ownRow ? Source(SearchSource.Post, Key(values, nameof(ForumPost.Id))) : SourceOf(e.Entity, values)) is { } now)
            {
                pending.Sources.Add(now);
            }
        }
        return pending.Sources.Count == 0 ? null : pending.Sources.ToList();
    }

    protected override void Committing(CloserDbContext db, DbTransaction transaction)
    {
        // The app saves asynchronously throughout; a synchronous save of searchable content would leave the index
        // behind, so it fails (and rolls back) instead of committing a write search does not follow.
        if (Take(db) is not null)
        {
            throw new NotSupportedException("Searchable content is saved with SaveChangesAsync and CommitAsync, so the search index follows in the same transaction.");
        }
    }

    protected override async Task CommittingAsync(CloserDbContext db, DbTransaction transaction, CancellationToken ct)
    {
        if (Take(db) is { } sources)
        {
            await SearchIndexer.RefreshAsync(transaction.Connection!, transaction, db is PostgresCloserDbContext, sources, forum.Value.PostsPerPage, ct);
        }
    }
}
