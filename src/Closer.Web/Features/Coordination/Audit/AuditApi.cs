using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Audit;

public sealed record AuditDto(long Id, DateTimeOffset At, string? User, string Action, string EntityType, string EntityKey, string? Country, string? Changes);

/// <summary><c>GET /api/v1/audit</c>: the audit log, newest first, as far as the caller may read it.</summary>
public static class AuditApi
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/audit", AuditAsync).WithTags("Audit").RequireAuthorization(Policies.ApiUser).Paged(defaultPageSize: 100);

    private static async Task<Results<Ok<List<AuditDto>>, ProblemHttpResult>> AuditAsync(HttpContext http, CloserDbContext db,
        string? entityType, string? entityKey, string? action, string? country, string? user, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        if (!AuditQueries.MayRead(actor))
        {
            return new ForbiddenError("out-of-scope", "The audit log is for coordinators, focal points and administrators.").ToProblem(http);
        }
        var q = AuditQueries.Filter(AuditQueries.Visible(db.AuditEntries.AsNoTracking(), actor.Scope), entityType, entityKey, action, country, user);
        var paging = Paging.Current(http);
        Paging.WriteHeaders(http, paging, await q.CountAsync(ct));
        var items = await q.OrderByDescending(a => a.Id).Skip(paging.Skip).Take(paging.PageSize)
            .Select(a => new AuditDto(a.Id, a.At, a.UserEmail, a.Action, a.EntityType, a.EntityKey, a.CountryIso3, a.Changes)).ToListAsync(ct);
        return TypedResults.Ok(items);
    }
}
