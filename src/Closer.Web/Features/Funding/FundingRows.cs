using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Closer.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Funding;

/// <summary>The values of one contribution, parsed and checked.</summary>
public sealed record ContributionValues(
    int Year, string Donor, string? DonorType, int RecipientOrganisationId, string RecipientAcronym, string? CountryIso3, string? SectorCode,
    long AmountCents, ContributionStatus Status, DateOnly Date, string? Reference)
{
    /// <summary>What identifies a contribution in a spreadsheet: year, donor, recipient, country, sector and reference.</summary>
    public string Key => FundingRows.Key(Year, Donor, RecipientOrganisationId, CountryIso3, SectorCode, Reference);
}

/// <summary>The codes a contribution is checked against, read once per request.</summary>
public sealed class FundingReference
{
    public required Dictionary<string, int> OrgIds { get; init; }
    public required Dictionary<int, string> OrgAcronyms { get; init; }
    public required HashSet<string> Countries { get; init; }
    public required Dictionary<string, string> SectorByName { get; init; }
    public required HashSet<int> PlanYears { get; init; }

    public static async Task<FundingReference> LoadAsync(CloserDbContext db, CancellationToken ct)
    {
        var orgs = await db.Organisations.AsNoTracking().Select(o => new { o.Id, o.Acronym }).ToListAsync(ct);
        var sectors = await db.Sectors.AsNoTracking().ToListAsync(ct);
        var sectorByName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in sectors)
        {
            foreach (var n in new[] { s.Code, s.NameEn, s.NameEs, s.NamePt, s.NamePap })
            {
                sectorByName.TryAdd(n, s.Code);
                sectorByName.TryAdd(SearchText.Fold(n), s.Code);
            }
        }
        return new FundingReference
        {
            OrgIds = orgs.ToDictionary(o => o.Acronym, o => o.Id, StringComparer.OrdinalIgnoreCase),
            OrgAcronyms = orgs.ToDictionary(o => o.Id, o => o.Acronym),
            Countries = (await db.Countries.AsNoTracking().Select(c => c.Iso3).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal),
            SectorByName = sectorByName,
            PlanYears = (await db.ResponsePlans.AsNoTracking().Select(p => p.Year).ToListAsync(ct)).ToHashSet(),
        };
    }
}

/// <summary>The rules of a contribution, shared by the form, the JSON API and the spreadsheet import.</summary>
public static partial class FundingRows
{
    public static string Key(int year, string donor, int recipient, string? country, string? sector, string? reference) =>
        string.Join('|', year.ToString(CultureInfo.InvariantCulture), SearchText.Fold(donor.Trim()), recipient.ToString(CultureInfo.InvariantCulture),
            country ?? "", sector ?? "", SearchText.Fold(reference?.Trim()));

    public static string KeyOf(Contribution c) => Key(c.Year, c.Donor, c.RecipientOrganisationId, c.CountryIso3, c.SectorCode, c.Reference);

    /// <summary>
    /// Parses one contribution given as text cells keyed by column key. Adds every problem to <paramref name="errors"/>
    /// (with <paramref name="line"/>) and returns null when there is any.
    /// </summary>
    public static ContributionValues? Parse(IReadOnlyDictionary<string, string?> cells, int? line, FundingReference reference, Actor actor,
        IStringLocalizer t, List<FieldError> errors)
    {
        var before = errors.Count;
        string Cell(TabularColumn c) => cells.TryGetValue(c.Key, out var v) && v is not null ? v.Trim() : "";

        var yearText = Cell(FundingColumns.Year);
        if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || !reference.PlanYears.Contains(year))
        {
            errors.Add(new FieldError(line, FundingColumns.Year.Key, t["There is no response plan for this year."]));
        }

        var donor = Cell(FundingColumns.Donor);
        if (donor.Length == 0)
        {
            errors.Add(new FieldError(line, FundingColumns.Donor.Key, t["The donor is required."]));
        }
        else if (donor.Length > 200)
        {
            errors.Add(new FieldError(line, FundingColumns.Donor.Key, t["The donor is limited to 200 characters."]));
        }

        var donorType = Cell(FundingColumns.DonorType).ToLowerInvariant();
        if (donorType.Length > 0 && !DonorTypes.All.Contains(donorType, StringComparer.Ordinal))
        {
            errors.Add(new FieldError(line, FundingColumns.DonorType.Key, t["Unknown donor type (government, eu, un, pooled-fund, foundation, private, ngo, other)."]));
        }

        var orgText = Cell(FundingColumns.Recipient);
        var orgId = 0;
        if (orgText.Length == 0)
        {
            errors.Add(new FieldError(line, FundingColumns.Recipient.Key, t["The recipient organisation is required."]));
        }
        else if (!reference.OrgIds.TryGetValue(orgText, out orgId))
        {
            errors.Add(new FieldError(line, FundingColumns.Recipient.Key, t["Unknown organisation code."]));
        }

        var country = Cell(FundingColumns.Country).ToUpperInvariant();
        if (country.Length > 0 && !reference.Countries.Contains(country))
        {
            errors.Add(new FieldError(line, FundingColumns.Country.Key, t["Unknown country code (ISO3 expected)."]));
        }
        else if (!FundingRules.Allows(actor.Scope, new FundingResource(orgId, country.Length == 0 ? null : country), FundingAction.Write))
        {
            errors.Add(new FieldError(line, FundingColumns.Country.Key, country.Length == 0
                ? t["Only an administrator enters regional contributions (no country)."]
                : t["You may not enter funding for this country."]));
        }

        var sectorText = Cell(FundingColumns.Sector);
        string? sector = null;
        if (sectorText.Length > 0 && !reference.SectorByName.TryGetValue(sectorText, out sector)
            && !reference.SectorByName.TryGetValue(SearchText.Fold(sectorText), out sector))
        {
            errors.Add(new FieldError(line, FundingColumns.Sector.Key, t["Unknown sector."]));
        }

        var amountText = Cell(FundingColumns.Amount);
        long cents = 0;
        if (!AmountPattern().IsMatch(amountText)
            || !decimal.TryParse(amountText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            errors.Add(new FieldError(line, FundingColumns.Amount.Key, amountText.StartsWith('-')
                ? t["The amount must be more than zero."]
                : t["Write the amount in US dollars as a plain number, e.g. 250000 or 250000.50."]));
        }
        else if ((cents = (long)(amount * 100)) <= 0)
        {
            errors.Add(new FieldError(line, FundingColumns.Amount.Key, t["The amount must be more than zero."]));
        }

        var status = FundingColumns.ParseStatus(Cell(FundingColumns.Status));
        if (status is null)
        {
            errors.Add(new FieldError(line, FundingColumns.Status.Key, t["The status must be pledged, committed or paid."]));
        }

        var dateText = Cell(FundingColumns.Date);
        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(new FieldError(line, FundingColumns.Date.Key, t["The date must be written YYYY-MM-DD."]));
        }

        var source = Cell(FundingColumns.Reference);
        if (source.Length > 300)
        {
            errors.Add(new FieldError(line, FundingColumns.Reference.Key, t["The source is limited to 300 characters."]));
        }

        if (errors.Count > before)
        {
            return null;
        }
        return new ContributionValues(year, donor, donorType.Length == 0 ? null : donorType, orgId, reference.OrgAcronyms[orgId],
            country.Length == 0 ? null : country, sector, cents, status!.Value, date, source.Length == 0 ? null : source);
    }

    /// <summary>Up to 13 digits of dollars and 2 of cents; no thousands separators (they differ by language).</summary>
    [GeneratedRegex(@"^\d{1,13}(\.\d{1,2})?$")]
    private static partial Regex AmountPattern();

    public static string Usd(long cents) =>
        (cents / 100m).ToString(cents % 100 == 0 ? "0" : "0.00", CultureInfo.InvariantCulture);

    public static Dictionary<string, string?> Snapshot(Contribution c, string recipientAcronym) => new(StringComparer.Ordinal)
    {
        ["year"] = c.Year.ToString(CultureInfo.InvariantCulture),
        ["donor"] = c.Donor,
        ["donortype"] = c.DonorType,
        ["recipient"] = recipientAcronym,
        ["country"] = c.CountryIso3,
        ["sector"] = c.SectorCode,
        ["amount"] = Usd(c.AmountCents),
        ["status"] = c.Status.ToString().ToLowerInvariant(),
        ["date"] = c.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["reference"] = c.Reference,
        ["deleted"] = c.DeletedAt is null ? null : "yes",
    };

    public static bool Differs(Contribution c, ContributionValues v) =>
        c.DeletedAt is not null || c.Year != v.Year || c.Donor != v.Donor || c.DonorType != v.DonorType || c.RecipientOrganisationId != v.RecipientOrganisationId
        || c.CountryIso3 != v.CountryIso3 || c.SectorCode != v.SectorCode || c.AmountCents != v.AmountCents || c.Status != v.Status
        || c.Date != v.Date || c.Reference != v.Reference;

    public static void Apply(Contribution c, ContributionValues v)
    {
        c.Year = v.Year;
        c.Donor = v.Donor;
        c.DonorType = v.DonorType;
        c.RecipientOrganisationId = v.RecipientOrganisationId;
        c.CountryIso3 = v.CountryIso3;
        c.SectorCode = v.SectorCode;
        c.AmountCents = v.AmountCents;
        c.Status = v.Status;
        c.Date = v.Date;
        c.Reference = v.Reference;
    }
}

/// <summary>Writes contributions with their revisions and audit entries (the coordination audit log); callers save.</summary>
public sealed class FundingWriter(CloserDbContext db, TimeProvider time)
{
    public DateTimeOffset Now { get; } = time.GetUtcNow();

    /// <summary>Creates (existing null) or updates a contribution. Returns "created", "updated" or "unchanged".</summary>
    public string Upsert(Contribution? existing, ContributionValues v, Actor actor)
    {
        if (existing is null)
        {
            var c = new Contribution { Donor = v.Donor, CreatedAt = Now, UpdatedAt = Now };
            FundingRows.Apply(c, v);
            db.Contributions.Add(c);
            Record(c, "create", null, actor, v.RecipientAcronym);
            return "created";
        }
        if (!FundingRows.Differs(existing, v))
        {
            return "unchanged";
        }
        var old = FundingRows.Snapshot(existing, OldAcronym(existing, v));
        var restoring = existing.DeletedAt is not null;
        FundingRows.Apply(existing, v);
        existing.DeletedAt = null;
        existing.UpdatedAt = Now;
        Record(existing, restoring ? "restore" : "update", old, actor, v.RecipientAcronym);
        return "updated";
    }

    private static string OldAcronym(Contribution c, ContributionValues v) =>
        c.RecipientOrganisation?.Acronym ?? (c.RecipientOrganisationId == v.RecipientOrganisationId ? v.RecipientAcronym : c.RecipientOrganisationId.ToString(CultureInfo.InvariantCulture));

    public void Delete(Contribution c, Actor actor, string recipientAcronym)
    {
        var old = FundingRows.Snapshot(c, recipientAcronym);
        c.DeletedAt = Now;
        c.UpdatedAt = Now;
        Record(c, "delete", old, actor, recipientAcronym);
    }

    public void Restore(Contribution c, Actor actor, string recipientAcronym)
    {
        var old = FundingRows.Snapshot(c, recipientAcronym);
        c.DeletedAt = null;
        c.UpdatedAt = Now;
        Record(c, "restore", old, actor, recipientAcronym);
    }

    private void Record(Contribution c, string action, Dictionary<string, string?>? old, Actor actor, string recipientAcronym)
    {
        c.Version++;
        var now = FundingRows.Snapshot(c, recipientAcronym);
        db.ContributionRevisions.Add(new ContributionRevision
        {
            Contribution = c, Version = c.Version, Snapshot = JsonSerializer.Serialize(now), ChangedAt = Now, ChangedBy = actor.Email,
        });
        var key = string.Join('|', c.Year.ToString(CultureInfo.InvariantCulture), c.Donor, recipientAcronym, c.CountryIso3 ?? "", c.SectorCode ?? "", c.Reference ?? "");
        AuditLog.Add(db, Now, actor, action, "contribution", TextLimits.Truncate(key, 200), c.CountryIso3, c.RecipientOrganisationId, AuditLog.Diff(old, now));
    }
}
