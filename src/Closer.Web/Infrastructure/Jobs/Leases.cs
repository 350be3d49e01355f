using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Closer.Web.Infrastructure.Jobs;

/// <summary>A row that workers on several nodes take turns on: whoever holds its token until its time works on it.</summary>
public interface ILeased
{
    long Id { get; }
    Guid? ClaimToken { get; set; }
    DateTimeOffset? ClaimedUntil { get; set; }
}

/// <summary>The claim a worker won: its token, and how many rows it holds.</summary>
public readonly record struct Lease(Guid Token, int Count);

/// <summary>
/// Claims rows with a token until a time, only if they are unclaimed or their claim expired: one conditional UPDATE,
/// the same on SQLite and PostgreSQL. The conditions are in the UPDATE's own WHERE, so PostgreSQL checks them again on
/// each row as it locks it (and SQLite has one writer at a time): of two workers racing for a row, one wins. A node that
/// dies leaves claims that expire, and the rows are taken up again.
/// </summary>
public static class Leases
{
    /// <summary>
    /// Claims up to <paramref name="count"/> of <paramref name="rows"/> (already filtered to the ones waiting for work),
    /// lowest id first, until <paramref name="now"/> + <paramref name="lease"/>; <paramref name="alsoSet"/> adds columns to
    /// the same UPDATE (a status, an attempt counter). Returns null when no row was free.
    /// </summary>
    public static async Task<Lease?> ClaimAsync<T>(this IQueryable<T> rows, DateTimeOffset now, TimeSpan lease, int count,
        Action<UpdateSettersBuilder<T>>? alsoSet, CancellationToken ct) where T : class, ILeased
    {
        var token = Guid.NewGuid();
        var until = now + lease;
        var free = rows.Where(Concrete<T, bool>(x => x.ClaimedUntil == null || x.ClaimedUntil < now));
        var next = free.OrderBy(Concrete<T, long>(x => x.Id)).Select(Concrete<T, long>(x => x.Id)).Take(count);
        var claimed = await free.Where(Concrete<T, bool>(x => next.Contains(x.Id))).ExecuteUpdateAsync(s =>
        {
            s.SetProperty(Concrete<T, Guid?>(x => x.ClaimToken), token).SetProperty(Concrete<T, DateTimeOffset?>(x => x.ClaimedUntil), until);
            alsoSet?.Invoke(s);
        }, ct);
        return claimed == 0 ? null : new Lease(token, claimed);
    }

    /// <summary>The rows <paramref name="token"/> holds: every write of a worker goes through this, so a worker whose claim was taken over writes nothing.</summary>
    public static IQueryable<T> HeldBy<T>(this IQueryable<T> rows, Guid token) where T : class, ILeased =>
        rows.Where(Concrete<T, bool>(x => x.ClaimToken == token));

    /// <summary>Extends the claim (a long job reporting progress).</summary>
    public static UpdateSettersBuilder<T> Renew<T>(this UpdateSettersBuilder<T> s, DateTimeOffset until) where T : class, ILeased =>
        s.SetProperty(Concrete<T, DateTimeOffset?>(x => x.ClaimedUntil), until);

    /// <summary>Gives the row up (done, failed or handed back), in the same UPDATE as the result.</summary>
    public static UpdateSettersBuilder<T> Release<T>(this UpdateSettersBuilder<T> s) where T : class, ILeased =>
        s.SetProperty(Concrete<T, Guid?>(x => x.ClaimToken), (Guid?)null).SetProperty(Concrete<T, DateTimeOffset?>(x => x.ClaimedUntil), (DateTimeOffset?)null);

    // Inside a generic method the compiler writes x.ClaimToken as the interface's property; EF maps entity properties,
    // so each access is rewritten to the entity's own property of that name. Captured values stay parameters.
    private static Expression<Func<T, TResult>> Concrete<T, TResult>(Expression<Func<T, TResult>> lambda) =>
        (Expression<Func<T, TResult>>)new ToEntityMembers(typeof(T)).Visit(lambda);

    private sealed class ToEntityMembers(Type entity) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Member.DeclaringType == typeof(ILeased) && node.Expression is not null)
            {
                var target = Visit(node.Expression);
                while (target is UnaryExpression { NodeType: ExpressionType.Convert } convert)
                {
                    target = convert.Operand;
                }
                if (target.Type == entity)
                {
                    return Expression.Property(target, entity.GetProperty(node.Member.Name)!);
                }
            }
            return base.VisitMember(node);
        }
    }
}
