using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Dashboards.Views;

/// <summary>Who else reads a saved view: nobody, the owner's organisation, or everyone whose role scope covers a country.</summary>
public enum ViewSharing
{
    Private = 0,
    Organisation = 1,
    Country = 2,
}

/// <summary>
/// A named state of the public dashboard saved by a signed-in person: the permalink's canonical query
/// (<see cref="Permalink"/>), shared as <see cref="Sharing"/> says. Deleting sets <see cref="DeletedAt"/>; the owner can restore it.
/// </summary>
public sealed class SavedView
{
    public int Id { get; set; }
    public required string OwnerId { get; set; }
    public required string Name { get; set; }
    /// <summary>The canonical query of /{lang}/data, without '?'.</summary>
    public required string Query { get; set; }
    public ViewSharing Sharing { get; set; }
    /// <summary>The organisation it is shared with (the owner's, when saved), for <see cref="ViewSharing.Organisation"/>.</summary>
    public int? OrganisationId { get; set; }
    /// <summary>The country it is shared with, for <see cref="ViewSharing.Country"/>.</summary>
    public string? CountryIso3 { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}

internal sealed class SavedViewConfiguration : IEntityTypeConfiguration<SavedView>
{
    public void Configure(EntityTypeBuilder<SavedView> b)
    {
        b.Property(v => v.OwnerId).HasMaxLength(64);
        b.Property(v => v.Name).HasMaxLength(SavedViewRules.NameLength);
        b.Property(v => v.Query).HasMaxLength(SavedViewRules.QueryLength);
        b.Property(v => v.CountryIso3).HasMaxLength(3);
        b.HasIndex(v => v.OwnerId);
        b.HasIndex(v => new { v.Sharing, v.OrganisationId });
        b.HasIndex(v => new { v.Sharing, v.CountryIso3 });
    }
}

/// <summary>
/// The saved views' rules, in one place: the owner reads and changes their own (deleted ones too, to restore them); a view
/// shared with an organisation is read by that organisation's people only; one shared with a country by those whose role
/// scope covers the country (a platform administrator's covers every country). Nobody else reads a private view.
/// </summary>
public static class SavedViewRules
{
    public const int NameLength = 120;
    public const int QueryLength = 600;

    public static bool CoversCountry(ScopeUser user, string? iso3) =>
        iso3 is not null && (user.Roles.Contains(Roles.PlatformAdmin) || user.InCountry(iso3));

    public static bool CanRead(string? userId, ScopeUser user, SavedView view) =>
        view.OwnerId == userId
        || (view.DeletedAt is null && view.Sharing switch
        {
            ViewSharing.Organisation => view.OrganisationId is { } org && org == user.OrganisationId,
            ViewSharing.Country => CoversCountry(user, view.CountryIso3),
            _ => false,
        });

    public static bool CanChange(string? userId, SavedView view) => userId is not null && view.OwnerId == userId;

    /// <summary>The views a person may read and that are not deleted, in SQL (the same rule as <see cref="CanRead"/>).</summary>
    public static IQueryable<SavedView> Readable(IQueryable<SavedView> q, string userId, ScopeUser user)
    {
        var org = user.OrganisationId;
        var admin = user.Roles.Contains(Roles.PlatformAdmin);
        var countries = user.Countries.ToList();
        return q.Where(v => v.DeletedAt == null && (v.OwnerId == userId
            || (v.Sharing == ViewSharing.Organisation && org != null && v.OrganisationId == org)
            || (v.Sharing == ViewSharing.Country && v.CountryIso3 != null && (admin || countries.Contains(v.CountryIso3)))));
    }
}
