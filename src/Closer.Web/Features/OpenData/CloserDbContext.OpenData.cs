using Closer.Web.Features.OpenData;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Data;

public abstract partial class CloserDbContext
{
    public DbSet<DataStamp> DataStamps => Set<DataStamp>();
}
