using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Organisations;

public sealed record OrganisationDto(int Id, string Name, string Acronym, string Type, string? Website, bool IsDemo, IReadOnlyList<string>? Countries = null, string? LogoUrl = null);
public sealed record MemberDto(string Email, string? Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Countries);
/// <summary>Changes to an organisation's profile; a null logo or country list leaves it as it is.</summary>
public sealed record OrganisationUpdate(string? Name, string? Website, string? LogoUrl = null, IReadOnlyList<string>? Countries = null);

public static class OrganisationsFeature
{
    public static IServiceCollection AddOrganisations(this IServiceCollection services)
    {
        services.AddScoped<IDemoSeeder, DemoOrganisations>();
        return services;
    }

    public static IEndpointRouteBuilder MapOrganisationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/organisations").WithTags("Organisations");
        api.MapGet("/", ListAsync).AllowAnonymous().Paged();
        api.MapGet("/{acronym}", GetAsync).AllowAnonymous();
        api.MapGet("/{acronym}/members", MembersAsync).RequireAuthorization(Policies.ApiUser).Paged();
        api.MapPut("/{acronym}", UpdateAsync).RequireAuthorization(Policies.ApiUser);
        return app;
    }

    /// <summary>The columns of the organisations dataset as CSV and XLSX (JSON keeps <see cref="OrganisationDto"/>).</summary>
    public static IReadOnlyList<TabularColumn<OrganisationDto>> Columns { get; } =
    [
        new("acronym", Hxl.OrgCode.Tag, "Organisation code", "Código de organización", "Código da organização", "Kódigo di organisashon", o => o.Acronym),
        new("name", Hxl.OrgName.Tag, "Organisation", "Organización", "Organização", "Organisashon", o => o.Name),
        new("type", Hxl.OrgType.Tag, "Organisation type", "Tipo de organización", "Tipo de organização", "Tipo di organisashon", o => o.Type),
        new("countries", Hxl.CountryCode.Tag, "Country codes", "Códigos de país", "Códigos dos países", "Kódigo di pais", o => string.Join(' ', o.Countries ?? [])),
    ];

    private static async Task<Results<Ok<List<OrganisationDto>>, FileContentHttpResult, ProblemHttpResult>> ListAsync(CloserDbContext db, HttpContext http,
        string? format, CancellationToken ct)
    {
        var f = (format ?? "json").Trim().ToLowerInvariant();
        if (f is not ("json" or "csv" or "xlsx"))
        {
            return new BadRequestError("unknown-format", "The format must be json, csv or xlsx.").ToProblem(http);
        }
        var all = await db.Organisations.AsNoTracking().OrderBy(o => o.Name).ThenBy(o => o.Acronym)
            .Select(o => new OrganisationDto(o.Id, o.Name, o.Acronym, o.Type.ToString(), o.Website, o.IsDemo,
                o.Countries.OrderBy(c => c.CountryIso3).Select(c => c.CountryIso3).ToList(), o.LogoUrl)).ToListAsync(ct);
        var rows = Paging.Page(http, all);
        var language = http.Language();
        return f switch
        {
            "csv" => TypedResults.File(TabularCsv.Write(Columns, language, rows), TabularContentTypes.Csv, "organisations.csv"),
            "xlsx" => TypedResults.File(TabularXlsx.Write(Columns, language, rows, "organisations"), TabularContentTypes.Xlsx, "organisations.xlsx"),
            _ => TypedResults.Ok(rows.ToList()),
        };
    }

    private static async Task<Results<Ok<OrganisationDto>, ProblemHttpResult>> GetAsync(string acronym, CloserDbContext db, HttpContext http, CancellationToken ct)
    {
        var o = await db.Organisations.AsNoTracking().Include(o => o.Countries).FirstOrDefaultAsync(o => o.Acronym == acronym, ct);
        return o is null
            ? new NotFoundError("organisation-not-found", "No organisation with this acronym.").ToProblem(http)
            : TypedResults.Ok(new OrganisationDto(o.Id, o.Name, o.Acronym, o.Type.ToString(), o.Website, o.IsDemo,
                o.Countries.Select(c => c.CountryIso3).Order(StringComparer.Ordinal).ToList(), o.LogoUrl));
    }

    private static async Task<Results<Ok<List<MemberDto>>, ProblemHttpResult>> MembersAsync(
        string acronym, CloserDbContext db, IAuthorizationService authorization, HttpContext http, CancellationToken ct)
    {
        var org = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Acronym == acronym, ct);
        if (org is null)
        {
            return new NotFoundError("organisation-not-found", "No organisation with this acronym.").ToProblem(http);
        }
        if (!(await authorization.AuthorizeScopeAsync(http.User, new ScopedResource(org.Id, null), ScopeAction.Read)).Succeeded)
        {
            return new ForbiddenError("out-of-scope", "This organisation is outside your scope.").ToProblem(http);
        }
        return TypedResults.Ok(await Members(db, org.Id, ct));
    }

    internal static async Task<List<MemberDto>> Members(CloserDbContext db, int organisationId, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().Where(u => u.OrganisationId == organisationId)
            .OrderBy(u => u.Email)
            .Select(u => new
            {
                u.Id,
                u.Email,
                u.DisplayName,
                Countries = u.Countries.Select(c => c.CountryIso3).ToList(),
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
            })
            .ToListAsync(ct);
        return users.Select(u => new MemberDto(u.Email ?? "", u.DisplayName, u.Roles, u.Countries)).ToList();
    }

    private static async Task<Results<Ok<OrganisationDto>, ProblemHttpResult>> UpdateAsync(
        string acronym, OrganisationUpdate update, CloserDbContext db, IAuthorizationService authorization, HttpContext http, CancellationToken ct)
    {
        var org = await db.Organisations.Include(o => o.Countries).FirstOrDefaultAsync(o => o.Acronym == acronym, ct);
        if (org is null)
        {
            return new NotFoundError("organisation-not-found", "No organisation with this acronym.").ToProblem(http);
        }
        if (!(await authorization.AuthorizeScopeAsync(http.User, new ScopedResource(org.Id, null), ScopeAction.Edit)).Succeeded)
        {
            return new ForbiddenError("out-of-scope", "This organisation is outside your scope.").ToProblem(http);
        }
        var errors = Validate(update);
        if (errors.Count > 0)
        {
            return new ValidationError("invalid-organisation", "The organisation could not be saved.", errors).ToProblem(http);
        }
        if (await ApplyAsync(db, org, update, http.User, http.RequestServices.GetRequiredService<TimeProvider>(), ct) is { } invalid)
        {
            return new ValidationError("invalid-organisation", "The organisation could not be saved.", invalid).ToProblem(http);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new OrganisationDto(org.Id, org.Name, org.Acronym, org.Type.ToString(), org.Website, org.IsDemo,
            org.Countries.Select(c => c.CountryIso3).Order(StringComparer.Ordinal).ToList(), org.LogoUrl));
    }

    /// <summary>
    /// Applies a validated update (name, website, logo, countries of operation) and records it in the audit log.
    /// Returns the field errors when a country code is unknown; the caller saves.
    /// </summary>
    internal static async Task<List<FieldError>?> ApplyAsync(CloserDbContext db, Organisation org, OrganisationUpdate update,
        System.Security.Claims.ClaimsPrincipal user, TimeProvider time, CancellationToken ct)
    {
        string Countries() => string.Join(",", org.Countries.Select(c => c.CountryIso3).Order(StringComparer.Ordinal));
        var before = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["name"] = org.Name, ["website"] = org.Website, ["logoUrl"] = org.LogoUrl, ["countries"] = Countries(),
        };
        if (update.Countries is { } wanted)
        {
            var codes = wanted.Select(c => c.Trim().ToUpperInvariant()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            var known = await db.Countries.Where(c => codes.Contains(c.Iso3)).Select(c => c.Iso3).ToListAsync(ct);
            var unknown = codes.Except(known, StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                return [new FieldError(null, "countries", "Unknown country code (ISO3 expected).")];
            }
            org.Countries.RemoveAll(c => !codes.Contains(c.CountryIso3));
            foreach (var code in codes.Where(c => org.Countries.All(x => x.CountryIso3 != c)))
            {
                org.Countries.Add(new OrganisationCountry { OrganisationId = org.Id, CountryIso3 = code });
            }
        }
        if (!string.IsNullOrWhiteSpace(update.Name))
        {
            org.Name = update.Name.Trim();
        }
        org.Website = string.IsNullOrWhiteSpace(update.Website) ? null : update.Website.Trim();
        if (update.LogoUrl is not null)
        {
            org.LogoUrl = string.IsNullOrWhiteSpace(update.LogoUrl) ? null : update.LogoUrl.Trim();
        }
        var after = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["name"] = org.Name, ["website"] = org.Website, ["logoUrl"] = org.LogoUrl, ["countries"] = Countries(),
        };
        var changes = Coordination.Audit.AuditLog.Diff(before, after);
        if (changes.Count > 0)
        {
            Coordination.Audit.AuditLog.Add(db, time.GetUtcNow(), Actor.From(user), "update", "organisation", org.Acronym, null, org.Id, changes);
        }
        return null;
    }

    internal static List<FieldError> Validate(OrganisationUpdate update)
    {
        var errors = new List<FieldError>();
        if (update.Name is { Length: > 200 })
        {
            errors.Add(new FieldError(null, "name", "The name is limited to 200 characters."));
        }
        if (!string.IsNullOrWhiteSpace(update.Website)
            && (!Uri.TryCreate(update.Website.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || update.Website.Length > 300))
        {
            errors.Add(new FieldError(null, "website", "The website must be an http(s) address."));
        }
        if (!string.IsNullOrWhiteSpace(update.LogoUrl)
            && (!Uri.TryCreate(update.LogoUrl.Trim(), UriKind.Absolute, out var logo) || logo.Scheme is not "https" || update.LogoUrl.Length > 300))
        {
            errors.Add(new FieldError(null, "logoUrl", "The logo must be an https address."));
        }
        return errors;
    }
}
