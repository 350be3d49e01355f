using System.Security.Claims;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Closer.Web.Features.Accounts.Users;

/// <summary>
/// <c>/api/v1/users</c>: the back office's user administration over the API, under the same rules
/// (<see cref="UserAdminRules"/>): whoever manages nobody gets 403 on every endpoint.
/// </summary>
public static class UsersApi
{
    public static IServiceCollection AddUserAdministration(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<InvitationTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromDays(InvitationMail.Days(configuration)));
        services.AddScoped<InvitationMail>();
        services.AddScoped<UserAdmin>();
        return services;
    }

    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization(Policies.ApiUser);
        api.MapGet("/", ListAsync).Paged(defaultPageSize: UserQueries.PageSize)
            .OneOf("role", Roles.All).OneOf("status", UserStatus.All).CountryCodes();
        api.MapGet("/{id}", GetAsync);
        api.MapPost("/", InviteAsync);
        api.MapPut("/{id}/roles", UpdateRolesAsync);
        api.MapPost("/{id}/deactivate", (string id, ClaimsPrincipal user, UserAdmin admin, HttpContext http, CancellationToken ct) =>
            RunAsync(user, http, a => admin.DeactivateAsync(a, id, ct)));
        api.MapPost("/{id}/reactivate", (string id, ClaimsPrincipal user, UserAdmin admin, HttpContext http, CancellationToken ct) =>
            RunAsync(user, http, a => admin.ReactivateAsync(a, id, ct)));
        api.MapPost("/{id}/resend-invite", (string id, ClaimsPrincipal user, UserAdmin admin, HttpContext http, CancellationToken ct) =>
            RunAsync(user, http, a => admin.ResendInviteAsync(a, id, ct)));
        return app;
    }

    private static readonly ForbiddenError NotAnAdministrator = new("users-forbidden", "You do not manage any users.");

    private static async Task<Results<Ok<UserPage>, ProblemHttpResult>> ListAsync(
        string? organisation, string? country, string? role, string? status, ClaimsPrincipal user, CloserDbContext db, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        if (!UserAdminRules.Administers(actor.Scope))
        {
            return NotAnAdministrator.ToProblem(http);
        }
        var paging = Paging.Current(http);
        var list = await UserQueries.ListAsync(db, actor.Scope, new UserFilter(organisation, country, role, status, paging.Page, paging.PageSize), ct);
        Paging.WriteHeaders(http, new PageRequest(list.Page, list.PageSize, Whole: false), list.Total);
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<UserDto>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, CloserDbContext db, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        if (!UserAdminRules.Administers(actor.Scope))
        {
            return NotAnAdministrator.ToProblem(http);
        }
        return await UserQueries.GetAsync(db, actor.Scope, id, ct) is { } dto
            ? TypedResults.Ok(dto)
            : UserAdmin.NotFound.ToProblem(http);
    }

    private static async Task<Results<Created<UserDto>, ProblemHttpResult>> InviteAsync(
        UserInvite invite, ClaimsPrincipal user, UserAdmin admin, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(user);
        if (!UserAdminRules.Administers(actor.Scope))
        {
            return NotAnAdministrator.ToProblem(http);
        }
        var (dto, error) = await admin.InviteAsync(actor, invite, ct);
        return error is not null ? error.ToProblem(http) : TypedResults.Created($"/api/v1/users/{dto!.Id}", dto);
    }

    private static Task<Results<Ok<UserDto>, ProblemHttpResult>> UpdateRolesAsync(
        string id, UserRolesUpdate update, ClaimsPrincipal user, UserAdmin admin, HttpContext http, CancellationToken ct) =>
        RunAsync(user, http, a => admin.UpdateRolesAsync(a, id, update, ct));

    private static async Task<Results<Ok<UserDto>, ProblemHttpResult>> RunAsync(ClaimsPrincipal user, HttpContext http, Func<Actor, Task<Result<UserDto>>> operation)
    {
        var actor = Actor.From(user);
        if (!UserAdminRules.Administers(actor.Scope))
        {
            return NotAnAdministrator.ToProblem(http);
        }
        var (dto, error) = await operation(actor);
        return error is not null ? error.ToProblem(http) : TypedResults.Ok(dto!);
    }
}
