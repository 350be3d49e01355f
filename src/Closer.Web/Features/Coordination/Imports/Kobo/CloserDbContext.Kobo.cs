using Closer.Web.Features.Coordination.Imports.Kobo;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Data;

public abstract partial class CloserDbContext
{
    public DbSet<KoboConnection> KoboConnections => Set<KoboConnection>();
    public DbSet<KoboPullLog> KoboPullLogs => Set<KoboPullLog>();
    public DbSet<KoboSubmission> KoboSubmissions => Set<KoboSubmission>();
}
