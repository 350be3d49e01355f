using Closer.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Data;

public abstract partial class CloserDbContext
{
    public DbSet<OutboxMessage> EmailOutbox => Set<OutboxMessage>();
}
