using Closer.Web.Features.ApiTokens;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Data;

public abstract partial class CloserDbContext
{
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
}
