using Closer.Web.Infrastructure.Data;

namespace Closer.Web.Features.Notifications;

/// <summary>
/// The seam through which a feature's change asks for e-mail about it. Called inside the caller's transaction,
/// after the change is saved (ids are known) and before the commit: implementations only add outbox rows to
/// <paramref name="db"/> (<see cref="Outbox.Enqueue"/>), which the caller's next SaveChanges stores with the change.
/// </summary>
public interface IChangeNotifications
{
    Task DocumentCreatedAsync(CloserDbContext db, int documentId, CancellationToken ct);
    Task ForumPostPublishedAsync(CloserDbContext db, long postId, CancellationToken ct);

    /// <summary>A new population figure (country, month YYYY-MM); called before the caller's SaveChanges.</summary>
    Task PopulationFigureAddedAsync(CloserDbContext db, string iso3, string asOf, long refugeesAndMigrants, string source, CancellationToken ct);

    /// <summary>
    /// A monthly situation report was published: <paramref name="scope"/> is an ISO3 code or "region", <paramref name="month"/>
    /// YYYY-MM, <paramref name="documents"/> the library document of each language's PDF. One e-mail per follower, once.
    /// </summary>
    Task SituationReportPublishedAsync(CloserDbContext db, string scope, string month, IReadOnlyDictionary<string, int> documents, CancellationToken ct);
}
