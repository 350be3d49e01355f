using Closer.Web.Features.Search;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Data;

public abstract partial class CloserDbContext
{
    public DbSet<SearchEntry> SearchEntries => Set<SearchEntry>();
    public DbSet<SearchTerm> SearchTerms => Set<SearchTerm>();
}
