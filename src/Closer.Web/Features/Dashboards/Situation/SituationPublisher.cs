using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Features.Documents;
using Closer.Web.Features.Notifications;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Dashboards.Situation;

/// <summary>What publishing did: whether it was the first publication (and so announced) and the library documents per language.</summary>
public sealed record Publication(bool First, IReadOnlyDictionary<string, int> Documents);

/// <summary>
/// Writes a report's highlights (each save a revision, in the audit log) and publishes it: the PDF in each language archived
/// in the document library as a public document, and the first publication announced to followers through the outbox, in
/// one transaction. Publishing again replaces the PDFs with new versions of the same documents and announces nothing.
/// </summary>
public sealed class SituationPublisher(CloserDbContext db, DocumentService documents, Funding.FundingCoverage coverage, DisclosureControl disclosure, IMemoryCache memory,
    TimeProvider time, IOutputCacheStore cache, IStringLocalizer<SharedResource> t, IChangeNotifications? notifications = null)
{
    /// <summary>The report's scope exists (a plan country or the region), its year has a plan and the month has begun.</summary>
    public async Task<Error?> CheckAsync(SituationScope scope, CancellationToken ct)
    {
        var known = (scope.IsRegion || await db.Countries.AnyAsync(c => c.Iso3 == scope.Code, ct))
            && SituationFeature.HasBegun(scope, time) && await db.ResponsePlans.AnyAsync(p => p.Year == scope.Year, ct);
        return known ? null : new NotFoundError("situation-not-found", "There is no situation report for this country and month.");
    }

    public async Task<Result<SituationReport>> SaveHighlightsAsync(SituationScope scope, IReadOnlyDictionary<string, string?> texts, Actor actor, CancellationToken ct)
    {
        if (!scope.MayCoordinate(actor.Scope))
        {
            return new ForbiddenError("situation-forbidden", "Only the country's coordinators and administrators write this report.");
        }
        if (await CheckAsync(scope, ct) is { } missing)
        {
            return missing;
        }
        var clean = Languages.All.ToDictionary(l => l, l => SituationText.Normalize(texts.GetValueOrDefault(l)), StringComparer.Ordinal);
        var tooLong = clean.Where(c => c.Value.Length > SituationScope.MaxHighlights).Select(c => new FieldError(null, "highlights-" + c.Key,
            t["The highlights in this language are too long; shorten them."])).ToList();
        if (tooLong.Count > 0)
        {
            return new ValidationError("invalid-highlights", t["The highlights could not be saved."], tooLong);
        }
        var row = await db.SituationReports.FirstOrDefaultAsync(r => r.Scope == scope.Code && r.Month == scope.Month, ct);
        var before = row is null ? null : Snapshot(row);
        if (row is null)
        {
            row = new SituationReport { Scope = scope.Code, Month = scope.Month };
            db.SituationReports.Add(row);
        }
        (row.HighlightsEn, row.HighlightsEs, row.HighlightsPt, row.HighlightsPap) = (clean["en"], clean["es"], clean["pt"], clean["pap"]);
        var changes = AuditLog.Diff(before, Snapshot(row));
        if (changes.Count == 0)
        {
            return row;
        }
        var now = time.GetUtcNow();
        row.Revision++;
        row.UpdatedAt = now;
        row.UpdatedByUserId = actor.UserId;
        row.Revisions.Add(new SituationReportRevision
        {
            Number = row.Revision, HighlightsEn = row.HighlightsEn, HighlightsEs = row.HighlightsEs, HighlightsPt = row.HighlightsPt, HighlightsPap = row.HighlightsPap,
            At = now, UserId = actor.UserId, UserEmail = actor.Email,
        });
        AuditLog.Add(db, now, actor, "situation.highlights", "SituationReport", $"{scope.Code}/{scope.Month}", scope.IsRegion ? null : scope.Code, null, changes);
        await db.SaveChangesAsync(ct);
        await cache.EvictByTagAsync(SituationFeature.CacheTag, ct);
        return row;
    }

    /// <summary>
    /// Publishes (or republishes) the report. <paramref name="announce"/>: the first publication is mailed to followers
    /// (the demo seeding publishes without, as <see cref="DocumentService.CreateAsync"/> creates documents without).
    /// </summary>
    public async Task<Result<Publication>> PublishAsync(SituationScope scope, Actor actor, bool announce, CancellationToken ct)
    {
        if (!scope.MayCoordinate(actor.Scope))
        {
            return new ForbiddenError("situation-forbidden", "Only the country's coordinators and administrators publish this report.");
        }
        if (await CheckAsync(scope, ct) is { } missing)
        {
            return missing;
        }
        // Its own transaction, or the caller's (the demo seeding publishes inside the seeding's transaction).
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var row = await db.SituationReports.Include(r => r.Documents).FirstOrDefaultAsync(r => r.Scope == scope.Code && r.Month == scope.Month, ct);
        if (row is null)
        {
            row = new SituationReport { Scope = scope.Code, Month = scope.Month, UpdatedAt = time.GetUtcNow(), UpdatedByUserId = actor.UserId };
            db.SituationReports.Add(row);
        }
        var now = time.GetUtcNow();
        var first = row.PublishedAt is null;
        if (first)
        {
            row.PublishedAt = now;
            row.PublishedByUserId = actor.UserId;
        }
        row.ArchivedAt = now;
        await db.SaveChangesAsync(ct);

        // Every language's view and PDF first: the titles of each document are given in all four languages.
        var made = new Dictionary<string, (string Title, string Summary, byte[] Pdf)>(StringComparer.Ordinal);
        foreach (var language in Languages.All)
        {
            var view = await SituationReportView.BuildAsync(db, coverage, disclosure, memory, time, scope, row, language, ct);
            if (view is null)
            {
                return new NotFoundError("situation-not-found", "There is no situation report for this country and month.");
            }
            made[language] = Languages.InCulture(language, () => (view.Title(t).ToString(),
                t["Key figures, people reached against targets by sector, partners, funding and the coordinator's highlights, from validated reports."].Value,
                SituationPdf.Render(view, t, language, disclosure.Threshold)));
        }
        var texts = made.ToDictionary(m => m.Key, m => new DocumentText(m.Value.Title, m.Value.Summary), StringComparer.Ordinal);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var language in Languages.All)
        {
            var fileName = SituationPdf.FileName(scope, language);
            var existing = row.Documents.FirstOrDefault(d => d.Language == language);
            if (existing is not null && await db.Documents.AnyAsync(d => d.Id == existing.DocumentId && d.DeletedAt == null, ct))
            {
                if (await documents.AddVersionAsync(existing.DocumentId, fileName, made[language].Pdf, actor.UserId, ct) is { } error)
                {
                    return error;
                }
                ids[language] = existing.DocumentId;
                continue;
            }
            var input = new DocumentInput(DocumentType.SituationReport, DocumentVisibility.Public, language, scope.LastDay,
                scope.IsRegion ? [] : [scope.Code], [], texts);
            var (doc, createError) = await documents.CreateAsync(input, fileName, made[language].Pdf, actor.UserId, announce: false, ct);
            if (createError is not null)
            {
                return createError;
            }
            if (existing is not null)
            {
                // The archived document was deleted from the library: the report gets a new one.
                db.SituationReportDocuments.Remove(existing);
                await db.SaveChangesAsync(ct);
            }
            db.SituationReportDocuments.Add(new SituationReportDocument { ReportId = row.Id, Language = language, DocumentId = doc!.Id });
            ids[language] = doc.Id;
        }
        AuditLog.Add(db, now, actor, first ? "situation.publish" : "situation.republish", "SituationReport", $"{scope.Code}/{scope.Month}",
            scope.IsRegion ? null : scope.Code, null, null);
        await db.SaveChangesAsync(ct);
        if (first && announce && notifications is not null)
        {
            await notifications.SituationReportPublishedAsync(db, scope.Code, scope.Month, ids, ct);
            await db.SaveChangesAsync(ct);
        }
        if (tx is not null)
        {
            await tx.CommitAsync(ct);
        }
        await cache.EvictByTagAsync(SituationFeature.CacheTag, ct);
        await cache.EvictByTagAsync(DocumentsFeature.CacheTag, ct);
        return new Publication(first, ids);
    }

    private static Dictionary<string, string?> Snapshot(SituationReport r) => new(StringComparer.Ordinal)
    {
        ["highlightsEn"] = r.HighlightsEn, ["highlightsEs"] = r.HighlightsEs, ["highlightsPt"] = r.HighlightsPt, ["highlightsPap"] = r.HighlightsPap,
    };
}
