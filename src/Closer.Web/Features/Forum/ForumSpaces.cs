using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Forum;

public sealed record SpaceInput(string? Kind, string? Title, string? Description, string? Language, string? Country, string? Sector,
    string? Visibility, DateOnly? OpensOn, DateOnly? ClosesOn);

/// <summary>
/// The moderators shape the forum: open and change spaces (country, sector or consultation with its dates, who reads
/// it) and write a closed consultation's summary. Each change is logged like a moderation action.
/// </summary>
public sealed class ForumSpaces(CloserDbContext db, TimeProvider time)
{
    public async Task<Result<ForumSpace>> SetSummaryAsync(ForumActor actor, int spaceId, string? summary, string? language, CancellationToken ct)
    {
        if (!actor.IsModerator)
        {
            return new ForbiddenError("not-moderator", "Only moderators can do this.");
        }
        var space = await db.ForumSpaces.FirstOrDefaultAsync(s => s.Id == spaceId && s.Kind == SpaceKind.Consultation, ct);
        if (space is null)
        {
            return new NotFoundError("space-not-found", "No such forum space.");
        }
        summary = summary?.Trim();
        if (string.IsNullOrEmpty(summary) || summary.Length > 20000)
        {
            return new ValidationError("invalid-summary", "The summary needs 1 to 20000 characters.", [new FieldError(null, "summary", "The summary needs 1 to 20000 characters.")]);
        }
        var now = time.GetUtcNow();
        space.Summary = summary;
        space.SummaryLanguage = Languages.IsSupported(language) ? language : Languages.Current;
        space.SummaryById = actor.UserId;
        space.SummaryAt = now;
        db.ForumModerationActions.Add(new ModerationAction
        {
            ModeratorId = actor.UserId!, Action = ModerationActions.Summary, SpaceId = space.Id, Reason = "", CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        return space;
    }

    /// <summary>A new space (moderators and platform admins). Consultations need open and close dates.</summary>
    public Task<Result<ForumSpace>> CreateSpaceAsync(ForumActor actor, SpaceInput input, CancellationToken ct) =>
        SaveSpaceAsync(actor, null, input, ct);

    /// <summary>Changes a space: its texts, who reads it, a consultation's dates (to close it early, or extend it).</summary>
    public Task<Result<ForumSpace>> UpdateSpaceAsync(ForumActor actor, int spaceId, SpaceInput input, CancellationToken ct) =>
        SaveSpaceAsync(actor, spaceId, input, ct);

    private async Task<Result<ForumSpace>> SaveSpaceAsync(ForumActor actor, int? spaceId, SpaceInput input, CancellationToken ct)
    {
        if (!actor.IsModerator)
        {
            return new ForbiddenError("not-moderator", "Only moderators can do this.");
        }
        ForumSpace? existing = null;
        if (spaceId is { } sid && (existing = await db.ForumSpaces.FirstOrDefaultAsync(s => s.Id == sid, ct)) is null)
        {
            return new NotFoundError("space-not-found", "No such forum space.");
        }
        var errors = new List<FieldError>();
        var title = input.Title?.Trim() ?? "";
        if (title.Length is < 3 or > 200)
        {
            errors.Add(new FieldError(null, "title", "The title needs 3 to 200 characters."));
        }
        if (input.Description is { Length: > 2000 })
        {
            errors.Add(new FieldError(null, "description", "The description is limited to 2000 characters."));
        }
        if (!Enum.TryParse<SpaceKind>(input.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            errors.Add(new FieldError(null, "kind", "Choose a kind of space."));
        }
        if (!Enum.TryParse<SpaceVisibility>(input.Visibility, ignoreCase: true, out var visibility) || !Enum.IsDefined(visibility))
        {
            errors.Add(new FieldError(null, "visibility", "Choose who can read the space."));
        }
        var country = string.IsNullOrWhiteSpace(input.Country) ? null : input.Country.Trim().ToUpperInvariant();
        if (kind == SpaceKind.Country && (country is null || !await db.Countries.AnyAsync(c => c.Iso3 == country, ct)))
        {
            errors.Add(new FieldError(null, "country", "Choose one of the plan's countries."));
        }
        var sector = string.IsNullOrWhiteSpace(input.Sector) ? null : input.Sector.Trim();
        if (kind == SpaceKind.Sector && (sector is null || sector.Length > 100))
        {
            errors.Add(new FieldError(null, "sector", "Name the sector."));
        }
        DateTimeOffset? opens = input.OpensOn is { } o ? new DateTimeOffset(o.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
        DateTimeOffset? closes = input.ClosesOn is { } c ? new DateTimeOffset(c.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
        if (kind == SpaceKind.Consultation && (opens is null || closes is null || closes <= opens))
        {
            errors.Add(new FieldError(null, "closesOn", "A consultation needs an opening date and a later closing date."));
        }
        if (errors.Count > 0)
        {
            return new ValidationError("invalid-space", "The space could not be saved.", errors);
        }
        var now = time.GetUtcNow();
        var space = existing ?? new ForumSpace { Title = title, CreatedAt = now };
        space.Kind = kind;
        space.Title = title;
        space.Description = input.Description?.Trim() ?? "";
        space.Language = Languages.IsSupported(input.Language) ? input.Language! : existing?.Language ?? Languages.Current;
        space.CountryIso3 = kind == SpaceKind.Country ? country : null;
        space.Sector = kind == SpaceKind.Sector ? sector : null;
        space.Visibility = visibility;
        space.OpensAt = kind == SpaceKind.Consultation ? opens : null;
        space.ClosesAt = kind == SpaceKind.Consultation ? closes : null;
        if (existing is null)
        {
            db.ForumSpaces.Add(space);
            await db.SaveChangesAsync(ct);
        }
        db.ForumModerationActions.Add(new ModerationAction
        {
            ModeratorId = actor.UserId!, Action = existing is null ? ModerationActions.CreateSpace : ModerationActions.EditSpace,
            SpaceId = space.Id, Reason = "", CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        return space;
    }
}
