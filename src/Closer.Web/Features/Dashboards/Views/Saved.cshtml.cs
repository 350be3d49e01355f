using System.Globalization;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Dashboards.Views;

/// <summary>
/// Saved views of the public dashboard (issue 20): a signed-in person saves the permalink's state under a name, shares it
/// with their organisation or a country of their scope, renames it, deletes it (kept, and restorable) — every change audited.
/// </summary>
[Authorize]
public sealed class SavedModel(CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t) : Shared.PublicPageModel
{
    public List<SavedView> Mine { get; private set; } = [];
    public List<SavedView> Shared { get; private set; } = [];
    /// <summary>The state offered for saving (from <c>?view=</c>, the data page's "save this view" link), canonical.</summary>
    public string? Offer { get; private set; }
    public string? Error { get; private set; }
    public ScopeUser Scope { get; private set; } = null!;
    public Names Names { get; private set; } = null!;
    public IReadOnlyList<string> ShareCountries { get; private set; } = [];

    private string? UserId => Actor.From(User).UserId;

    /// <summary>
    /// The canonical query of a state given as a query string (state keys only, in the permalink's order). A partner
    /// dashboard's state (marked <see cref="PartnerPermalink.Marker"/>) keeps its marker and the partner dashboard's keys.
    /// </summary>
    public static string Canonical(string? query)
    {
        var parsed = QueryHelpers.ParseQuery(query is null ? "" : query.TrimStart('?'));
        if (parsed.TryGetValue("page", out var page) && page.ToString() == "partner")
        {
            var rest = PartnerPermalink.Query(parsed.SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string?>(kv.Key, v))));
            return rest.Length == 0 ? PartnerPermalink.Marker : PartnerPermalink.Marker + "&" + rest;
        }
        return Permalink.Query(new QueryCollection(parsed));
    }

    public async Task OnGetAsync(string? view, CancellationToken ct)
    {
        Offer = view is null ? null : Canonical(view);
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostSaveAsync(string? name, string? query, ViewSharing sharing, string? country, CancellationToken ct)
    {
        var actor = Actor.From(User);
        var canonical = Canonical(query);
        var clean = name?.Trim() ?? "";
        var iso3 = country?.Trim().ToUpperInvariant();
        var unknown = await UnknownValuesAsync(canonical, ct);
        var error = unknown.Count > 0 ? t["This view has values the dashboard does not know ({0}), so it was not saved.", string.Join(", ", unknown)].Value
            : !Enum.IsDefined(sharing) ? t["Choose who may see the view."].Value
            : clean.Length is 0 or > SavedViewRules.NameLength ? t["The view's name must not be empty or longer than the limit ({0}).", SavedViewRules.NameLength].Value
            : canonical.Length > SavedViewRules.QueryLength ? t["This view has too many settings to be saved."].Value
            : sharing == ViewSharing.Organisation && actor.Scope.OrganisationId is null ? t["You belong to no organisation to share with."].Value
            : sharing == ViewSharing.Country && !SavedViewRules.CoversCountry(actor.Scope, iso3) ? t["You can share a view only with a country of your own scope."].Value
            : null;
        if (error is not null)
        {
            return await FailAsync(error, canonical, ct);
        }
        var now = time.GetUtcNow();
        var saved = new SavedView
        {
            OwnerId = actor.UserId!, Name = clean, Query = canonical, Sharing = sharing, CreatedAt = now, UpdatedAt = now,
            OrganisationId = sharing == ViewSharing.Organisation ? actor.Scope.OrganisationId : null,
            CountryIso3 = sharing == ViewSharing.Country ? iso3 : null,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.SavedViews.Add(saved);
        await db.SaveChangesAsync(ct);
        Audit(actor, "create", saved, AuditLog.Diff(null, Snapshot(saved)));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Redirect($"/{Lang}/data/views#view-{saved.Id}");
    }

    /// <summary>
    /// The state values of a query that the dashboard does not know (as <c>key=value</c>), checked as the page checks them
    /// (<see cref="DashboardState.Read"/>), the area against the areas of the view's country: a view is saved only when the
    /// page would show exactly what it says.
    /// </summary>
    private async Task<List<string>> UnknownValuesAsync(string canonical, CancellationToken ct)
    {
        var names = await Names.LoadAsync(db, Lang, ct);
        var years = await DashboardData.PlanYearsAsync(db, ct);
        var state = DashboardState.Read(new QueryCollection(QueryHelpers.ParseQuery(canonical)), names, years);
        if (state.Admin1 is { } area)
        {
            var country = state.Country;
            state.CheckAdmin1(await db.Admin1Areas.AsNoTracking().Where(a => a.PCode == area && (country == null || a.CountryIso3 == country)).Select(a => a.PCode).ToListAsync(ct));
        }
        return state.Unknown.Select(u => $"{u.Key}={u.Value}").ToList();
    }

    public async Task<IActionResult> OnPostRenameAsync(int id, string? name, CancellationToken ct)
    {
        var clean = name?.Trim() ?? "";
        if (clean.Length is 0 or > SavedViewRules.NameLength)
        {
            return await FailAsync(t["The view's name must not be empty or longer than the limit ({0}).", SavedViewRules.NameLength].Value, null, ct);
        }
        return await ChangeAsync(id, "update", v => v.Name = clean, ct);
    }

    public Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct) => ChangeAsync(id, "delete", v => v.DeletedAt = time.GetUtcNow(), ct);

    public Task<IActionResult> OnPostRestoreAsync(int id, CancellationToken ct) => ChangeAsync(id, "restore", v => v.DeletedAt = null, ct);

    /// <summary>Only the owner changes a view; anyone else is told it does not exist, and nothing changes.</summary>
    private async Task<IActionResult> ChangeAsync(int id, string action, Action<SavedView> change, CancellationToken ct)
    {
        var actor = Actor.From(User);
        var view = await db.SavedViews.FirstOrDefaultAsync(v => v.Id == id, ct);
        if (view is null || !SavedViewRules.CanChange(actor.UserId, view))
        {
            return NotFound();
        }
        var before = Snapshot(view);
        change(view);
        view.UpdatedAt = time.GetUtcNow();
        Audit(actor, action, view, AuditLog.Diff(before, Snapshot(view)));
        await db.SaveChangesAsync(ct);
        return Redirect($"/{Lang}/data/views#view-{view.Id}");
    }

    private void Audit(Actor actor, string action, SavedView view, IReadOnlyDictionary<string, string?[]> changes) =>
        AuditLog.Add(db, time.GetUtcNow(), actor, action, "saved-view", view.Id.ToString(CultureInfo.InvariantCulture), view.CountryIso3, view.OrganisationId, changes);

    private static Dictionary<string, string?> Snapshot(SavedView v) => new(StringComparer.Ordinal)
    {
        ["name"] = v.Name, ["query"] = v.Query, ["sharing"] = v.Sharing.ToString(), ["organisation"] = v.OrganisationId?.ToString(CultureInfo.InvariantCulture),
        ["country"] = v.CountryIso3, ["deleted"] = v.DeletedAt?.ToString("O", CultureInfo.InvariantCulture),
    };

    private async Task<IActionResult> FailAsync(string error, string? offer, CancellationToken ct)
    {
        Error = error;
        Offer = offer;
        await LoadAsync(ct);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var actor = Actor.From(User);
        Scope = actor.Scope;
        Names = await Names.LoadAsync(db, Lang, ct);
        Mine = await db.SavedViews.AsNoTracking().Where(v => v.OwnerId == actor.UserId).OrderBy(v => v.Name).ToListAsync(ct);
        Shared = await SavedViewRules.Readable(db.SavedViews.AsNoTracking(), actor.UserId!, actor.Scope)
            .Where(v => v.OwnerId != actor.UserId).OrderBy(v => v.Name).Take(200).ToListAsync(ct);
        ShareCountries = actor.IsAdmin ? [.. Names.Countries.Keys.Order(StringComparer.Ordinal)] : [.. actor.Scope.Countries.Order(StringComparer.Ordinal)];
        Describe(t["Saved views"], t["Your saved views of the data dashboard, and those shared with your organisation or country."]);
    }
}
