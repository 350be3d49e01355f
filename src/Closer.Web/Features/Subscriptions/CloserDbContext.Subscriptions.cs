using Closer.Web.Features.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Data;

public abstract partial class CloserDbContext
{
    public DbSet<SubscriptionSettings> SubscriptionSettings => Set<SubscriptionSettings>();
    public DbSet<Follow> Follows => Set<Follow>();
}
