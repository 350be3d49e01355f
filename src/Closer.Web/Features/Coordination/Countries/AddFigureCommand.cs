using System.Globalization;
using System.Text.RegularExpressions;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Features.Geography;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Countries;

/// <summary>
/// Adds (or corrects) a country's population figure of a month, with its source and precision: the country's
/// coordinators or an admin, audited; followers of the country hear of a new one.
/// </summary>
public static partial class AddFigureCommand
{
    /// <summary>The figure as saved, or why not.</summary>
    public static async Task<Result<FigureDto>> RunAsync(string iso3, FigureInput input, Actor actor, CloserDbContext db, TimeProvider time,
        Notifications.IChangeNotifications? notifications, CancellationToken ct)
    {
        iso3 = iso3.ToUpperInvariant();
        if (!await db.Countries.AnyAsync(x => x.Iso3 == iso3, ct))
        {
            return new NotFoundError("country-not-found", "No such country.");
        }
        if (!ReportRules.ManagesCountry(actor.Scope, iso3))
        {
            return new ForbiddenError("out-of-scope", "Only a coordinator of this country manages its figures.");
        }
        var errors = new List<FieldError>();
        if (input.AsOf is null || !Month().IsMatch(input.AsOf))
        {
            errors.Add(new FieldError(null, "asOf", "The month must be written YYYY-MM."));
        }
        if (input.RefugeesAndMigrants is null or < 0 || input.AsylumSeekers < 0 || input.RecognisedRefugees < 0 || input.RegularStayPermits < 0)
        {
            errors.Add(new FieldError(null, "refugeesAndMigrants", "Numbers may not be negative."));
        }
        if (string.IsNullOrWhiteSpace(input.Source) || input.Source.Length > 300)
        {
            errors.Add(new FieldError(null, "source", "Give the source of the figure."));
        }
        if (input.Precision is not ("exact" or "rounded" or "estimate"))
        {
            errors.Add(new FieldError(null, "precision", "The precision is exact, rounded or estimate."));
        }
        if (errors.Count > 0)
        {
            return new ValidationError("invalid-figure", "The figure could not be saved.", errors);
        }
        var existing = await db.PopulationFigures.FirstOrDefaultAsync(f => f.CountryIso3 == iso3 && f.AsOf == input.AsOf, ct);
        var old = existing is null ? null : Snapshot(existing);
        var figure = existing ?? new PopulationFigure { CountryIso3 = iso3, AsOf = input.AsOf!, Source = "", Precision = "" };
        (figure.RefugeesAndMigrants, figure.AsylumSeekers, figure.RecognisedRefugees, figure.RegularStayPermits, figure.Source, figure.Precision) =
            (input.RefugeesAndMigrants!.Value, input.AsylumSeekers, input.RecognisedRefugees, input.RegularStayPermits, input.Source!.Trim(), input.Precision!);
        if (existing is null)
        {
            db.PopulationFigures.Add(figure);
            // Followers of the country hear of a new figure in the same transaction (an update is not news).
            if (notifications is not null)
            {
                await notifications.PopulationFigureAddedAsync(db, iso3, figure.AsOf, figure.RefugeesAndMigrants, figure.Source, ct);
            }
        }
        AuditLog.Add(db, time.GetUtcNow(), actor, existing is null ? "create" : "update", "figure", $"{iso3}|{input.AsOf}", iso3, null, AuditLog.Diff(old, Snapshot(figure)));
        await db.SaveChangesAsync(ct);
        return CountriesApi.Dto(figure);
    }

    private static Dictionary<string, string?> Snapshot(PopulationFigure f) => new(StringComparer.Ordinal)
    {
        ["refugeesAndMigrants"] = f.RefugeesAndMigrants.ToString(CultureInfo.InvariantCulture),
        ["asylumSeekers"] = f.AsylumSeekers?.ToString(CultureInfo.InvariantCulture),
        ["recognisedRefugees"] = f.RecognisedRefugees?.ToString(CultureInfo.InvariantCulture),
        ["regularStayPermits"] = f.RegularStayPermits?.ToString(CultureInfo.InvariantCulture),
        ["source"] = f.Source,
        ["precision"] = f.Precision,
    };

    [GeneratedRegex(@"^\d{4}-(0[1-9]|1[0-2])$")]
    private static partial Regex Month();
}
