using System.Text.Json;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;

namespace Closer.Web.Features.Coordination.Audit;

/// <summary>Writes the audit log: who changed what on coordination data, old → new.</summary>
public static class AuditLog
{
    public static void Add(CloserDbContext db, DateTimeOffset at, Actor actor, string action, string entityType, string entityKey,
        string? country, int? organisationId, IReadOnlyDictionary<string, string?[]>? changes)
    {
        db.AuditEntries.Add(new AuditEntry
        {
            At = at, UserId = actor.UserId, UserEmail = actor.Email, Action = action, EntityType = entityType, EntityKey = entityKey,
            CountryIso3 = country, OrganisationId = organisationId,
            Changes = changes is null || changes.Count == 0 ? null : JsonSerializer.Serialize(changes),
        });
    }

    /// <summary>Field → [old, new] for every field that differs (all fields, old null, on create).</summary>
    public static Dictionary<string, string?[]> Diff(IReadOnlyDictionary<string, string?>? old, IReadOnlyDictionary<string, string?> now)
    {
        var d = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        foreach (var (k, v) in now)
        {
            var o = old is not null && old.TryGetValue(k, out var x) ? x : null;
            if (!string.Equals(o, v, StringComparison.Ordinal))
            {
                d[k] = [o, v];
            }
        }
        return d;
    }
}
