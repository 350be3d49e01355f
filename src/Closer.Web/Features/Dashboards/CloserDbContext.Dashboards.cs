using Closer.Web.Features.Dashboards;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Data;

public abstract partial class CloserDbContext
{
    public DbSet<ResponseMonth> ResponseMonths => Set<ResponseMonth>();
    public DbSet<ResponseYear> ResponseYears => Set<ResponseYear>();
    public DbSet<ResponseTotal> ResponseTotals => Set<ResponseTotal>();
    public DbSet<ResponseToDate> ResponseToDates => Set<ResponseToDate>();
    public DbSet<ResponseAreaToDate> ResponseAreaToDates => Set<ResponseAreaToDate>();
    public DbSet<DashboardStamp> DashboardStamps => Set<DashboardStamp>();
    public DbSet<Closer.Web.Features.Dashboards.Views.SavedView> SavedViews => Set<Closer.Web.Features.Dashboards.Views.SavedView>();
}
