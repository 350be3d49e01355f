using Closer.Web.Features.Dashboards.Situation;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Data;

public abstract partial class CloserDbContext
{
    public DbSet<SituationReport> SituationReports => Set<SituationReport>();
    public DbSet<SituationReportRevision> SituationReportRevisions => Set<SituationReportRevision>();
    public DbSet<SituationReportDocument> SituationReportDocuments => Set<SituationReportDocument>();
}
