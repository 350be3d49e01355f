using System.Globalization;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Funding;

/// <summary>Who sees which contributions, the list filters and the list shape: shared by the API and the back-office pages.</summary>
public static partial class FundingFeature
{
    /// <summary>The contributions a user may read (deleted ones too when <paramref name="deleted"/>).</summary>
    internal static IQueryable<Contribution> Visible(IQueryable<Contribution> q, ScopeUser u)
    {
        if (u.Roles.Contains(Roles.PlatformAdmin))
        {
            return q;
        }
        var countries = u.Roles.Contains(Roles.CountryCoordinator) ? u.Countries.ToList() : [];
        var coordinator = u.Roles.Contains(Roles.CountryCoordinator);
        var org = u.Roles.Contains(Roles.OrgFocalPoint) ? u.OrganisationId ?? -1 : -1;
        return q.Where(c => (c.CountryIso3 != null && countries.Contains(c.CountryIso3)) || (coordinator && c.CountryIso3 == null)
            || c.RecipientOrganisationId == org);
    }

    internal sealed record Filters(int? Year, string? Country, string? Sector, string? Donor, string? Status, string? Org, bool Deleted);

    internal static IQueryable<Contribution> Filter(IQueryable<Contribution> q, Filters f)
    {
        q = f.Deleted ? q.Where(c => c.DeletedAt != null) : q.Where(c => c.DeletedAt == null);
        if (f.Year is { } y)
        {
            q = q.Where(c => c.Year == y);
        }
        if (!string.IsNullOrWhiteSpace(f.Country))
        {
            var country = f.Country.Trim().ToUpperInvariant();
            q = country == "REGIONAL" ? q.Where(c => c.CountryIso3 == null) : q.Where(c => c.CountryIso3 == country);
        }
        if (!string.IsNullOrWhiteSpace(f.Sector))
        {
            var sector = f.Sector.Trim().ToUpperInvariant();
            q = q.Where(c => c.SectorCode == sector || (c.SectorCode != null && c.SectorCode.StartsWith(sector + "-")));
        }
        if (!string.IsNullOrWhiteSpace(f.Donor))
        {
            var donor = "%" + f.Donor.Trim().Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant() + "%";
#pragma warning disable CA1304, CA1311 // translated to SQL lower(): the database folds case, not this process's culture
            q = q.Where(c => EF.Functions.Like(c.Donor.ToLower(), donor));
#pragma warning restore CA1304, CA1311
        }
        if (!string.IsNullOrWhiteSpace(f.Status) && Enum.TryParse<ContributionStatus>(f.Status, ignoreCase: true, out var s))
        {
            q = q.Where(c => c.Status == s);
        }
        if (!string.IsNullOrWhiteSpace(f.Org))
        {
            var o = f.Org.Trim();
            q = q.Where(c => c.RecipientOrganisation!.Acronym == o);
        }
        return q;
    }

    private static async Task<Results<Ok<ContributionPage>, ProblemHttpResult>> ListAsync(HttpContext http, CloserDbContext db, int? year, string? country, string? sector, string? donor,
        string? status, string? org, bool? deleted, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        if (!FundingRules.ReadsAny(actor.Scope))
        {
            return new ForbiddenError("out-of-scope", "Contributions are for administrators, coordinators and focal points.").ToProblem(http);
        }
        var q = Filter(Visible(db.Contributions.AsNoTracking(), actor.Scope), new Filters(year, country, sector, donor, status, org, deleted ?? false));
        var paging = Paging.Current(http);
        var total = await q.CountAsync(ct);
        Paging.WriteHeaders(http, paging, total);
        var items = await Page(q, paging.Page, paging.PageSize, ct);
        return TypedResults.Ok(new ContributionPage(items, paging.Page, paging.PageSize, total));
    }

    /// <summary>A page of contributions as DTOs (amounts converted in memory: SQLite has no decimal arithmetic).</summary>
    internal static async Task<List<ContributionDto>> Page(IQueryable<Contribution> q, int page, int size, CancellationToken ct)
    {
        var rows = await q.OrderByDescending(c => c.Year).ThenByDescending(c => c.Date).ThenBy(c => c.Id).Skip((page - 1) * size).Take(size)
            .Select(c => new { c, Recipient = c.RecipientOrganisation!.Acronym }).ToListAsync(ct);
        return rows.Select(x => ToDto(x.c, x.Recipient)).ToList();
    }

    internal static ContributionDto ToDto(Contribution c, string recipient) => new(c.Id, c.Year, c.Donor, c.DonorType, recipient, c.CountryIso3, c.SectorCode,
        FundingOpenData.Usd(c.AmountCents), c.Status.ToString().ToLowerInvariant(), c.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        c.Reference, c.Version, c.DeletedAt is not null, c.IsDemo);
}
