using Closer.Web.Features.Funding;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Data;

public abstract partial class CloserDbContext
{
    public DbSet<Contribution> Contributions => Set<Contribution>();
    public DbSet<ContributionRevision> ContributionRevisions => Set<ContributionRevision>();
}
