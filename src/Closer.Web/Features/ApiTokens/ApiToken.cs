using Closer.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.ApiTokens;

/// <summary>
/// A token a partner's tool sends as <c>Authorization: Bearer</c>. Only the SHA-256 hash is stored;
/// the token itself is shown once, when it is created.
/// </summary>
public sealed class ApiToken
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public AppUser? User { get; set; }
    public required string Name { get; set; }
    /// <summary>The first characters of the token, so its owner can tell tokens apart.</summary>
    public required string Prefix { get; set; }
    public required string Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedByUserId { get; set; }
    /// <summary>
    /// The owner's security stamp when the token was made: a password reset or deactivation changes the stamp and so
    /// ends every token at once (see <c>AccountSessions</c>).
    /// </summary>
    public string? UserSecurityStamp { get; set; }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.Property(t => t.Name).HasMaxLength(100);
        b.Property(t => t.Prefix).HasMaxLength(16);
        b.Property(t => t.Hash).HasMaxLength(64);
        b.HasIndex(t => t.Hash).IsUnique();
        b.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
