using System.Security.Claims;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Text;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Campaign.Content;

/// <summary>The text of one language version as an editor submits it.</summary>
public sealed record TranslationEdit(string Title, string Slug, string? Summary, string? Body, string? PhotoAlt, string? SubtitleVtt, DateTimeOffset? PublishAt, string? Translator);

/// <summary>The fields of an item that do not depend on language.</summary>
public sealed record ItemEdit(string? CountryIso3, string? PhotoPath, bool ConsentRecorded, Anonymisation Anonymisation,
    long? Figure, string? FigureSource, string? FigureDate, string? VideoFile, string? VideoUrl,
    string? ContactName, string? ContactOrganisation, string? ContactPhone, string? ContactEmail, string? ContactLanguages);

/// <summary>
/// Every change to campaign content goes through here: validation, who-may-do-what (<see cref="Workflow"/>),
/// a revision for every edit of a language version, soft deletes, and eviction of the cached public pages.
/// </summary>
public sealed class ContentEditor(CloserDbContext db, TimeProvider time, IOutputCacheStore cache)
{
    private static string Who(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "?";

    public async Task<Result<ContentTranslation>> CreateAsync(ContentKind kind, string language, string title, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Workflow.IsEditor(user))
        {
            return new ForbiddenError("campaign-not-editor", "Only editors may do this.");
        }
        if (!Languages.IsSupported(language) || string.IsNullOrWhiteSpace(title) || title.Length > 200)
        {
            return new ValidationError("campaign-invalid", "The content could not be saved.", [new FieldError(null, "title", "A title of up to 200 characters is required.")]);
        }
        var now = time.GetUtcNow();
        var item = new ContentItem { Kind = kind, CreatedAt = now };
        var translation = new ContentTranslation
        {
            Language = language, Title = title.Trim(), Slug = await FreeSlugAsync(language, Slugs.Slugify(title), null, ct),
            Status = TranslationStatus.Draft, UpdatedAt = now, UpdatedBy = Who(user),
        };
        translation.SearchText = Slugs.SearchText(translation.Title, "", "");
        item.Translations.Add(translation);
        db.CampaignItems.Add(item);
        await db.SaveChangesAsync(ct);
        AddRevision(translation, user, "Created");
        await db.SaveChangesAsync(ct);
        return translation;
    }

    /// <summary>Starts the version of an item in another language, as a draft copied from nothing.</summary>
    public async Task<Result<ContentTranslation>> AddLanguageAsync(int itemId, string language, string title, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Workflow.MayUseBackOffice(user))
        {
            return new ForbiddenError("campaign-not-allowed", "You may not change campaign content.");
        }
        var item = await db.CampaignItems.Include(i => i.Translations).FirstOrDefaultAsync(i => i.Id == itemId, ct);
        if (item is null)
        {
            return new NotFoundError("campaign-not-found", "No such content.");
        }
        if (!Languages.IsSupported(language) || item.Translations.Any(t => t.Language == language))
        {
            return new ConflictError("campaign-language-exists", "This language version exists already.");
        }
        if (string.IsNullOrWhiteSpace(title) || title.Length > 200)
        {
            return new ValidationError("campaign-invalid", "The content could not be saved.", [new FieldError(null, "title", "A title of up to 200 characters is required.")]);
        }
        var now = time.GetUtcNow();
        var translation = new ContentTranslation
        {
            Language = language, Title = title.Trim(), Slug = await FreeSlugAsync(language, Slugs.Slugify(title), null, ct),
            Status = TranslationStatus.Draft, UpdatedAt = now, UpdatedBy = Who(user), Translator = Workflow.IsTranslator(user) ? Who(user) : null,
        };
        translation.SearchText = Slugs.SearchText(translation.Title, "", "");
        item.Translations.Add(translation);
        await db.SaveChangesAsync(ct);
        AddRevision(translation, user, "Created");
        await db.SaveChangesAsync(ct);
        return translation;
    }

    public async Task<Result<ContentTranslation>> SaveAsync(int translationId, TranslationEdit edit, ClaimsPrincipal user, CancellationToken ct)
    {
        var t = await db.CampaignTranslations.Include(x => x.Item).FirstOrDefaultAsync(x => x.Id == translationId, ct);
        if (t is null)
        {
            return new NotFoundError("campaign-not-found", "No such content.");
        }
        if (!Workflow.MayEdit(user, t.Status))
        {
            return new ForbiddenError("campaign-not-allowed", "You may not change campaign content.");
        }
        var errors = Validate(edit);
        var slug = edit.Slug.Trim();
        if (errors.Count == 0 && await db.CampaignTranslations.AnyAsync(x => x.Language == t.Language && x.Slug == slug && x.Id != t.Id, ct))
        {
            errors.Add(new FieldError(null, "slug", "Another page in this language has this address."));
        }
        if (errors.Count > 0)
        {
            return new ValidationError("campaign-invalid", "The content could not be saved.", errors);
        }
        Apply(t, edit.Title.Trim(), slug, edit.Summary, edit.Body, edit.PhotoAlt, edit.SubtitleVtt);
        t.PublishAt = edit.PublishAt?.ToUniversalTime();
        t.Translator = string.IsNullOrWhiteSpace(edit.Translator) ? null : edit.Translator.Trim();
        Touch(t, user);
        AddRevision(t, user, "Edited");
        await db.SaveChangesAsync(ct);
        await EvictAsync(ct);
        return t;
    }

    /// <summary>Replaces a video version's subtitles with an uploaded file, if it is WebVTT (UTF-8, at most 200 kB).</summary>
    public async Task<Result<ContentTranslation>> UploadSubtitlesAsync(int translationId, Stream file, long length, ClaimsPrincipal user, CancellationToken ct)
    {
        var t = await db.CampaignTranslations.Include(x => x.Item).FirstOrDefaultAsync(x => x.Id == translationId, ct);
        if (t is null || t.Item.Kind != ContentKind.Video)
        {
            return new NotFoundError("campaign-not-found", "No such content.");
        }
        if (!Workflow.MayEdit(user, t.Status))
        {
            return new ForbiddenError("campaign-not-allowed", "You may not change campaign content.");
        }
        const int max = 200 * 1024;
        string text;
        try
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            text = length > max || buffer.Length > max ? "" : new System.Text.UTF8Encoding(false, true).GetString(buffer.ToArray());
        }
        catch (System.Text.DecoderFallbackException)
        {
            text = "";
        }
        if (!IsWebVtt(text))
        {
            return new ValidationError("campaign-invalid", "The content could not be saved.",
                [new FieldError(null, "subtitles", "Subtitles must be a WebVTT file (starting with WEBVTT).")]);
        }
        t.SubtitleVtt = text.TrimStart('\uFEFF');
        Touch(t, user);
        AddRevision(t, user, "Edited");
        await db.SaveChangesAsync(ct);
        await EvictAsync(ct);
        return t;
    }

    public async Task<Result<ContentTranslation>> MoveAsync(int translationId, TranslationStatus to, ClaimsPrincipal user, CancellationToken ct)
    {
        var t = await db.CampaignTranslations.FirstOrDefaultAsync(x => x.Id == translationId, ct);
        if (t is null)
        {
            return new NotFoundError("campaign-not-found", "No such content.");
        }
        if (!Workflow.IsTransition(t.Status, to))
        {
            return new ConflictError("campaign-bad-transition", "This step is not possible from the current status.");
        }
        if (!Workflow.MayMove(user, t.Status, to))
        {
            return new ForbiddenError("campaign-transition-forbidden", "Your role may not make this step.");
        }
        t.Status = to;
        if (to == TranslationStatus.Published)
        {
            var now = time.GetUtcNow();
            t.PublishedAt = t.PublishAt is { } at && at > now ? at : now;
        }
        Touch(t, user);
        AddRevision(t, user, Workflow.Label(to));
        await db.SaveChangesAsync(ct);
        await EvictAsync(ct);
        return t;
    }

    public async Task<Result<ContentTranslation>> RestoreRevisionAsync(int revisionId, ClaimsPrincipal user, CancellationToken ct)
    {
        var r = await db.CampaignRevisions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == revisionId, ct);
        var t = r is null ? null : await db.CampaignTranslations.FirstOrDefaultAsync(x => x.Id == r.TranslationId, ct);
        if (r is null || t is null)
        {
            return new NotFoundError("campaign-not-found", "No such content.");
        }
        if (!Workflow.MayEdit(user, t.Status))
        {
            return new ForbiddenError("campaign-not-allowed", "You may not change campaign content.");
        }
        if (await db.CampaignTranslations.AnyAsync(x => x.Language == t.Language && x.Slug == r.Slug && x.Id != t.Id, ct))
        {
            return new ConflictError("campaign-slug-taken", "Another page in this language has this address.");
        }
        Apply(t, r.Title, r.Slug, r.Summary, r.Body, r.PhotoAlt, r.SubtitleVtt);
        Touch(t, user);
        AddRevision(t, user, "Restored");
        await db.SaveChangesAsync(ct);
        await EvictAsync(ct);
        return t;
    }

    public async Task<Result<ContentItem>> SaveItemAsync(int itemId, ItemEdit edit, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Workflow.IsEditor(user))
        {
            return new ForbiddenError("campaign-not-editor", "Only editors may do this.");
        }
        var item = await db.CampaignItems.FirstOrDefaultAsync(i => i.Id == itemId, ct);
        if (item is null)
        {
            return new NotFoundError("campaign-not-found", "No such content.");
        }
        var country = string.IsNullOrWhiteSpace(edit.CountryIso3) ? null : edit.CountryIso3.Trim().ToUpperInvariant();
        if (country is not null && !await db.Countries.AnyAsync(c => c.Iso3 == country, ct))
        {
            return new ValidationError("campaign-invalid", "The content could not be saved.", [new FieldError(null, "country", "Unknown country.")]);
        }
        if (edit.VideoUrl is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme != Uri.UriSchemeHttps))
        {
            return new ValidationError("campaign-invalid", "The content could not be saved.", [new FieldError(null, "videoUrl", "The video address must start with https://.")]);
        }
        item.CountryIso3 = country;
        item.PhotoPath = Blank(edit.PhotoPath);
        item.ConsentRecorded = edit.ConsentRecorded;
        item.Anonymisation = edit.Anonymisation;
        item.Figure = edit.Figure;
        item.FigureSource = Blank(edit.FigureSource);
        item.FigureDate = Blank(edit.FigureDate);
        item.VideoFile = Blank(edit.VideoFile);
        item.VideoUrl = Blank(edit.VideoUrl);
        item.ContactName = Blank(edit.ContactName);
        item.ContactOrganisation = Blank(edit.ContactOrganisation);
        item.ContactPhone = Blank(edit.ContactPhone);
        item.ContactEmail = Blank(edit.ContactEmail);
        item.ContactLanguages = Blank(edit.ContactLanguages);
        await db.SaveChangesAsync(ct);
        await EvictAsync(ct);
        return item;
    }

    /// <summary>Soft delete (or undo it): the item disappears from the public site and stays restorable.</summary>
    public async Task<Result<ContentItem>> SetDeletedAsync(int itemId, bool deleted, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Workflow.IsEditor(user))
        {
            return new ForbiddenError("campaign-not-editor", "Only editors may do this.");
        }
        var item = await db.CampaignItems.FirstOrDefaultAsync(i => i.Id == itemId, ct);
        if (item is null)
        {
            return new NotFoundError("campaign-not-found", "No such content.");
        }
        item.DeletedAt = deleted ? time.GetUtcNow() : null;
        item.DeletedBy = deleted ? Who(user) : null;
        await db.SaveChangesAsync(ct);
        await EvictAsync(ct);
        return item;
    }

    public ValueTask EvictAsync(CancellationToken ct) => cache.EvictByTagAsync(ContentService.CacheTag, ct);

    internal static List<FieldError> Validate(TranslationEdit edit)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(edit.Title) || edit.Title.Length > 200)
        {
            errors.Add(new FieldError(null, "title", "A title of up to 200 characters is required."));
        }
        if (!Slugs.IsValidSlug(edit.Slug?.Trim() ?? ""))
        {
            errors.Add(new FieldError(null, "slug", "The address may hold only lower-case letters, digits and hyphens."));
        }
        if (edit.Summary is { Length: > 1000 })
        {
            errors.Add(new FieldError(null, "summary", "The summary is limited to 1000 characters."));
        }
        if (edit.Body is { Length: > 100_000 })
        {
            errors.Add(new FieldError(null, "body", "The text is limited to 100000 characters."));
        }
        if (!string.IsNullOrWhiteSpace(edit.SubtitleVtt) && !IsWebVtt(edit.SubtitleVtt))
        {
            errors.Add(new FieldError(null, "subtitles", "Subtitles must be a WebVTT file (starting with WEBVTT)."));
        }
        return errors;
    }

    public static bool IsWebVtt(string text)
    {
        var t = text.TrimStart('\uFEFF');
        return t.StartsWith("WEBVTT", StringComparison.Ordinal) && (t.Length == 6 || t[6] is ' ' or '\t' or '\n' or '\r') && t.Contains("-->", StringComparison.Ordinal);
    }

    private static void Apply(ContentTranslation t, string title, string slug, string? summary, string? body, string? photoAlt, string? vtt)
    {
        t.Title = title;
        t.Slug = slug;
        t.Summary = summary?.Trim() ?? "";
        t.Body = body ?? "";
        t.PhotoAlt = Blank(photoAlt);
        t.SubtitleVtt = Blank(vtt);
        t.SearchText = Slugs.SearchText(t.Title, t.Summary, t.Body);
    }

    private void Touch(ContentTranslation t, ClaimsPrincipal user)
    {
        t.UpdatedAt = time.GetUtcNow();
        t.UpdatedBy = Who(user);
    }

    private void AddRevision(ContentTranslation t, ClaimsPrincipal user, string note) => db.CampaignRevisions.Add(new ContentRevision
    {
        TranslationId = t.Id, CreatedAt = time.GetUtcNow(), By = Who(user), Note = note,
        Title = t.Title, Slug = t.Slug, Summary = t.Summary, Body = t.Body, PhotoAlt = t.PhotoAlt, SubtitleVtt = t.SubtitleVtt, Status = t.Status,
    });

    private async Task<string> FreeSlugAsync(string language, string slug, int? except, CancellationToken ct)
    {
        var candidate = slug;
        for (var n = 2; await db.CampaignTranslations.AnyAsync(x => x.Language == language && x.Slug == candidate && x.Id != except, ct); n++)
        {
            candidate = $"{slug}-{n.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        }
        return candidate;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
