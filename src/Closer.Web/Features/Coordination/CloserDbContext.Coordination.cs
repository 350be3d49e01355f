using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Features.Geography;
using Closer.Web.Features.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Data;

public abstract partial class CloserDbContext
{
    public DbSet<Admin1Area> Admin1Areas => Set<Admin1Area>();
    public DbSet<OrganisationCountry> OrganisationCountries => Set<OrganisationCountry>();
    public DbSet<PopulationFigure> PopulationFigures => Set<PopulationFigure>();
    public DbSet<Sector> Sectors => Set<Sector>();
    public DbSet<ResponsePlan> ResponsePlans => Set<ResponsePlan>();
    public DbSet<SectorPlan> SectorPlans => Set<SectorPlan>();
    public DbSet<Indicator> Indicators => Set<Indicator>();
    public DbSet<PlanTarget> PlanTargets => Set<PlanTarget>();
    public DbSet<ReportingPeriod> ReportingPeriods => Set<ReportingPeriod>();
    public DbSet<PeriodLock> PeriodLocks => Set<PeriodLock>();
    public DbSet<ActivityReport> ActivityReports => Set<ActivityReport>();
    public DbSet<ReportRevision> ReportRevisions => Set<ReportRevision>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ImportJob> ImportJobs => Set<ImportJob>();
}
