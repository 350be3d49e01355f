using System.Security.Claims;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Closer.Web.Features.ApiTokens;

public sealed record MeDto(string? Email, IReadOnlyList<string> Roles, int? OrganisationId, IReadOnlyList<string> Countries, string AuthenticatedBy);

/// <summary>A deactivated person's tokens are revoked in the same unit of work as the deactivation.</summary>
internal sealed class RevokeTokensOnDeactivation(ApiTokenService tokens) : Accounts.IAccountEvents
{
    public Task DeactivatedAsync(string userId, string? byUserId, DateTimeOffset at, CancellationToken ct) =>
        tokens.RevokeAllAsync(userId, byUserId, at, ct);
}

public static class ApiTokensFeature
{
    public static IServiceCollection AddApiTokens(this IServiceCollection services)
    {
        services.AddScoped<ApiTokenService>();
        services.AddScoped<Accounts.IAccountEvents, RevokeTokensOnDeactivation>();
        return services;
    }

    public static IEndpointRouteBuilder MapApiTokensApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/me", Me).RequireAuthorization(Policies.ApiUser).WithTags("Account");
        return app;
    }

    /// <summary>Who the caller is, as the API sees them: a quick check that a token works.</summary>
    private static Ok<MeDto> Me(ClaimsPrincipal user)
    {
        var scope = ScopeUser.From(user);
        return TypedResults.Ok(new MeDto(
            user.FindFirstValue(ClaimTypes.Email),
            [.. scope.Roles.Order(StringComparer.Ordinal)],
            scope.OrganisationId,
            [.. scope.Countries.Order(StringComparer.Ordinal)],
            user.Identity?.AuthenticationType ?? ""));
    }
}
