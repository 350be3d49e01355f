using System.Security.Cryptography;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Accounts.Users;

/// <summary>An invitation: who, in which organisation, with which roles and countries, writing in which language.</summary>
public sealed record UserInvite(string? Email, string? Name, string? Organisation, IReadOnlyList<string>? Roles, IReadOnlyList<string>? Countries, string? Language = null);

/// <summary>A person's new roles and scope (organisation acronym, countries): the whole set, replacing the old.</summary>
public sealed record UserRolesUpdate(IReadOnlyList<string>? Roles, string? Organisation, IReadOnlyList<string>? Countries);

/// <summary>
/// Invites people, changes their roles and scope, deactivates and reactivates them, resends invitations. Every
/// operation checks <see cref="UserAdminRules"/> for the person before and after, writes one audit entry and saves once,
/// so a refused or invalid change writes nothing.
/// </summary>
public sealed class UserAdmin(CloserDbContext db, UserManager<AppUser> users, InvitationMail mail, TimeProvider time, IEnumerable<IAccountEvents> events)
{
    internal static readonly NotFoundError NotFound = new("user-not-found", "No such person, or not one you manage.");
    private static readonly ForbiddenError OutOfScope = new("user-out-of-scope", "You may not give these roles or this scope.");
    private static readonly ForbiddenError NotYourself = new("user-self", "You cannot change your own roles or deactivate yourself.");

    public async Task<Result<UserDto>> InviteAsync(Actor actor, UserInvite invite, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var email = (invite.Email ?? "").Trim();
        if (email.Length is 0 or > 256 || !System.Net.Mail.MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            errors.Add(new FieldError(null, "email", "Enter a valid e-mail address."));
        }
        var name = (invite.Name ?? "").Trim();
        if (name.Length is 0 or > 200)
        {
            errors.Add(new FieldError(null, "name", "Enter the person's name (at most 200 characters)."));
        }
        var language = string.IsNullOrWhiteSpace(invite.Language) ? Languages.Default : invite.Language.Trim().ToLowerInvariant();
        if (!Languages.All.Contains(language))
        {
            errors.Add(new FieldError(null, "language", "Choose one of the four languages."));
        }
        var (scope, scopeErrors) = await ReadScopeAsync(invite.Roles, invite.Organisation, invite.Countries, ct);
        errors.AddRange(scopeErrors);
        if (errors.Count > 0)
        {
            return new ValidationError("invalid-user", "The invitation could not be sent.", errors);
        }
        if (!UserAdminRules.MayManage(actor.Scope, scope!))
        {
            return OutOfScope;
        }
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == users.NormalizeEmail(email), ct))
        {
            return new ConflictError("user-exists", "An account with this e-mail address exists already.");
        }
        var now = time.GetUtcNow();
        var user = new AppUser
        {
            UserName = email, NormalizedUserName = users.NormalizeName(email), Email = email, NormalizedEmail = users.NormalizeEmail(email),
            DisplayName = name, PreferredLanguage = language, OrganisationId = scope!.OrganisationId, CreatedAt = now, InvitedAt = now,
            SecurityStamp = NewStamp(), LockoutEnabled = true,
        };
        db.Users.Add(user);
        await SetScopeAsync(user, scope, ct);
        await mail.EnqueueAsync(user, actor.Email);
        Audit(actor, "invite", user, scope, Changes(null, await SnapshotAsync(user, scope, ct)));
        if (await SaveAsync(ct) is { } conflict)
        {
            return conflict;
        }
        return (await UserQueries.LoadAsync(db, [user.Id], ct))[user.Id];
    }

    public async Task<Result<UserDto>> UpdateRolesAsync(Actor actor, string id, UserRolesUpdate update, CancellationToken ct)
    {
        var (user, before, error) = await ManagedAsync(actor, id, ct);
        if (error is not null)
        {
            return error;
        }
        var (after, errors) = await ReadScopeAsync(update.Roles, update.Organisation, update.Countries, ct);
        if (errors.Count > 0)
        {
            return new ValidationError("invalid-user", "The roles could not be saved.", errors);
        }
        if (!UserAdminRules.MayManage(actor.Scope, after!))
        {
            return OutOfScope;
        }
        var old = await SnapshotAsync(user!, before!, ct);
        user!.OrganisationId = after!.OrganisationId;
        await SetScopeAsync(user, after, ct);
        var changes = Changes(old, await SnapshotAsync(user, after, ct));
        if (changes.Count > 0)
        {
            // Sessions and tokens pick up the new roles at once: the person's cookie no longer validates and they sign in again.
            if (user.PasswordHash is not null)
            {
                user.SecurityStamp = NewStamp();
            }
            Audit(actor, "update-roles", user, after, changes);
            await db.SaveChangesAsync(ct);
        }
        return (await UserQueries.LoadAsync(db, [user.Id], ct))[user.Id];
    }

    public async Task<Result<UserDto>> DeactivateAsync(Actor actor, string id, CancellationToken ct)
    {
        var (user, state, error) = await ManagedAsync(actor, id, ct);
        if (error is not null)
        {
            return error;
        }
        if (user!.DeactivatedAt is null)
        {
            var now = time.GetUtcNow();
            user.DeactivatedAt = now;
            // A new stamp ends every session at its next validation; the sign-in manager refuses the person from now on.
            user.SecurityStamp = NewStamp();
            foreach (var e in events)
            {
                await e.DeactivatedAsync(user.Id, actor.UserId, now, ct);
            }
            Audit(actor, "deactivate", user, state!, new Dictionary<string, string?[]>(StringComparer.Ordinal) { ["status"] = [UserStatus.Active, UserStatus.Deactivated] });
            await db.SaveChangesAsync(ct);
        }
        return (await UserQueries.LoadAsync(db, [user.Id], ct))[user.Id];
    }

    public async Task<Result<UserDto>> ReactivateAsync(Actor actor, string id, CancellationToken ct)
    {
        var (user, state, error) = await ManagedAsync(actor, id, ct);
        if (error is not null)
        {
            return error;
        }
        if (user!.DeactivatedAt is not null)
        {
            user.DeactivatedAt = null;
            user.AccessFailedCount = 0;
            user.LockoutEnd = null;
            var status = UserStatus.Of(user);
            Audit(actor, "reactivate", user, state!, new Dictionary<string, string?[]>(StringComparer.Ordinal) { ["status"] = [UserStatus.Deactivated, status] });
            await db.SaveChangesAsync(ct);
        }
        return (await UserQueries.LoadAsync(db, [user.Id], ct))[user.Id];
    }

    /// <summary>Sends a new invitation; the old link stops working (the stamp it was bound to changes).</summary>
    public async Task<Result<UserDto>> ResendInviteAsync(Actor actor, string id, CancellationToken ct)
    {
        var (user, state, error) = await ManagedAsync(actor, id, ct);
        if (error is not null)
        {
            return error;
        }
        if (UserStatus.Of(user!) != UserStatus.Invited)
        {
            return new ConflictError("user-not-invited", "This person has already set a password or is deactivated: there is no invitation to resend.");
        }
        user!.SecurityStamp = NewStamp();
        user.InvitedAt = time.GetUtcNow();
        await mail.EnqueueAsync(user, actor.Email);
        Audit(actor, "resend-invite", user, state!, null);
        await db.SaveChangesAsync(ct);
        return (await UserQueries.LoadAsync(db, [user.Id], ct))[user.Id];
    }

    /// <summary>The person, if the actor sees them, may manage them in their present state, and is not the actor.</summary>
    private async Task<(AppUser? User, UserScopeState? State, Error? Error)> ManagedAsync(Actor actor, string id, CancellationToken ct)
    {
        var user = await UserQueries.Visible(db.Users, actor.Scope).FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return (null, null, NotFound);
        }
        if (user.Id == actor.UserId)
        {
            return (null, null, NotYourself);
        }
        var state = await UserQueries.StateAsync(db, user, ct);
        return UserAdminRules.MayManage(actor.Scope, state)
            ? (user, state, null)
            : (null, null, new ForbiddenError("user-out-of-scope", "This person holds roles or a scope you do not manage."));
    }

    /// <summary>Reads and checks roles, organisation and countries; the state they make, or the field errors.</summary>
    private async Task<(UserScopeState? State, List<FieldError> Errors)> ReadScopeAsync(
        IReadOnlyList<string>? roleNames, string? organisation, IReadOnlyList<string>? countryCodes, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var roles = (roleNames ?? []).Select(Roles.Normalize).ToList();
        if (roles.Count == 0 || roles.Any(r => r is null))
        {
            errors.Add(new FieldError(null, "roles", "Choose at least one role from the list."));
        }
        int? orgId = null;
        if (!string.IsNullOrWhiteSpace(organisation))
        {
            var acronym = organisation.Trim();
            orgId = await db.Organisations.Where(o => o.Acronym == acronym).Select(o => (int?)o.Id).FirstOrDefaultAsync(ct);
            if (orgId is null)
            {
                errors.Add(new FieldError(null, "organisation", "No organisation with this acronym."));
            }
        }
        var codes = (countryCodes ?? []).Select(c => (c ?? "").Trim().ToUpperInvariant()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.Countries.Where(c => codes.Contains(c.Iso3)).Select(c => c.Iso3).ToListAsync(ct);
        if (known.Count != codes.Count)
        {
            errors.Add(new FieldError(null, "countries", "Unknown country code (ISO3 expected)."));
        }
        if (roles.Contains(Roles.OrgFocalPoint) && string.IsNullOrWhiteSpace(organisation))
        {
            errors.Add(new FieldError(null, "organisation", "A focal point belongs to an organisation: choose one."));
        }
        if (roles.Contains(Roles.CountryCoordinator) && codes.Count == 0)
        {
            errors.Add(new FieldError(null, "countries", "A country coordinator needs at least one country."));
        }
        return errors.Count > 0
            ? (null, errors)
            : (await UserQueries.StateAsync(db, roles.Select(r => r!).Distinct(StringComparer.Ordinal), orgId, codes, ct), errors);
    }

    /// <summary>Replaces the person's roles and countries with the state's (tracked; the caller saves).</summary>
    private async Task SetScopeAsync(AppUser user, UserScopeState state, CancellationToken ct)
    {
        var roleIds = await db.Roles.Where(r => state.Roles.Contains(r.Name!)).Select(r => r.Id).ToListAsync(ct);
        var current = await db.UserRoles.Where(ur => ur.UserId == user.Id).ToListAsync(ct);
        db.UserRoles.RemoveRange(current.Where(ur => !roleIds.Contains(ur.RoleId)));
        db.UserRoles.AddRange(roleIds.Where(r => current.All(ur => ur.RoleId != r)).Select(r => new IdentityUserRole<string> { UserId = user.Id, RoleId = r }));
        var countries = await db.UserCountryScopes.Where(c => c.UserId == user.Id).ToListAsync(ct);
        db.UserCountryScopes.RemoveRange(countries.Where(c => !state.Countries.Contains(c.CountryIso3)));
        db.UserCountryScopes.AddRange(state.Countries.Where(c => countries.All(x => x.CountryIso3 != c)).Select(c => new UserCountryScope { UserId = user.Id, CountryIso3 = c }));
    }

    private async Task<Dictionary<string, string?>> SnapshotAsync(AppUser user, UserScopeState state, CancellationToken ct) => new(StringComparer.Ordinal)
    {
        ["email"] = user.Email,
        ["name"] = user.DisplayName,
        ["organisation"] = user.OrganisationId is { } org ? await db.Organisations.Where(o => o.Id == org).Select(o => o.Acronym).FirstOrDefaultAsync(ct) : null,
        ["roles"] = string.Join(",", Roles.All.Where(state.Roles.Contains)),
        ["countries"] = string.Join(",", state.Countries.Order(StringComparer.Ordinal)),
    };

    private static Dictionary<string, string?[]> Changes(Dictionary<string, string?>? before, Dictionary<string, string?> after) =>
        AuditLog.Diff(before, after);

    /// <summary>One audit entry, with the person's first country and organisation so coordinators and focal points read it.</summary>
    private void Audit(Actor actor, string action, AppUser user, UserScopeState state, IReadOnlyDictionary<string, string?[]>? changes) =>
        AuditLog.Add(db, time.GetUtcNow(), actor, action, "user", user.Email ?? user.Id,
            state.Reach.Order(StringComparer.Ordinal).FirstOrDefault(), user.OrganisationId, changes);

    internal static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(20));

    /// <summary>Saves; an address taken by someone else in the meantime (the unique index) is a conflict, not a 500.</summary>
    private async Task<Error?> SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException)
        {
            return new ConflictError("user-exists", "An account with this e-mail address exists already.");
        }
    }
}
