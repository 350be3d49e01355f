using Closer.Web.Features.Accounts;
using Closer.Web.Features.Geography;
using Closer.Web.Features.Organisations;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Data;

/// <summary>
/// The one database of Closer. Each feature keeps its entities and their EF configuration in its own
/// folder (<c>IEntityTypeConfiguration</c>, applied from the assembly) and adds its sets in a partial
/// part of this class beside them (<c>Features/X/CloserDbContext.X.cs</c>).
/// The two provider-specific subclasses exist so that each provider has its own migrations.
/// </summary>
public abstract partial class CloserDbContext(DbContextOptions options)
    : IdentityDbContext<AppUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<Country> Countries => Set<Country>();
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<UserCountryScope> UserCountryScopes => Set<UserCountryScope>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CloserDbContext).Assembly);
    }
}

/// <summary>SQLite: the embedded default.</summary>
public sealed class SqliteCloserDbContext(DbContextOptions<SqliteCloserDbContext> options) : CloserDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset values stored as text; store UTC ticks instead.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
    }
}

/// <summary>PostgreSQL: the production store.</summary>
public sealed class PostgresCloserDbContext(DbContextOptions<PostgresCloserDbContext> options) : CloserDbContext(options);

internal sealed class DateTimeOffsetToUtcTicksConverter()
    : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
