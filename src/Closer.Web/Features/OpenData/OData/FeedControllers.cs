using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Routing.Controllers;

namespace Closer.Web.Features.OpenData.OData;

// The feed's entity sets. OData routes by convention: controller name = entity set, Get = the collection. Each action
// returns an IQueryable, so $filter, $select, $orderby, $top, $skip and $count run in the database; PageSize makes the
// answer server-paged (an @odata.nextLink per page), which Excel's and Power BI's OData connectors follow.
// Read-only: no Post, Put, Patch or Delete action exists, so writes answer 405/404.

[AllowAnonymous]
public sealed class ReportCellsController(PublicFeedQueries queries, Disclosure.DisclosureControl disclosure) : ODataController
{
    [EnableQuery(PageSize = ODataFeed.PageSize, MaxTop = ODataFeed.PageSize, MaxNodeCount = 200)]
    public async Task<IQueryable<ReportCell>> Get(CancellationToken ct)
    {
        var (cells, applied) = await queries.ReportCellsAsync(ct);
        Disclosure.DisclosureResponse.Mark(HttpContext, applied, Disclosure.DisclosureAudience.Public, disclosure);
        return cells;
    }
}

[AllowAnonymous]
public sealed class PlanTargetsController(PublicFeedQueries queries) : ODataController
{
    [EnableQuery(PageSize = ODataFeed.PageSize, MaxTop = ODataFeed.PageSize, MaxNodeCount = 200)]
    public IQueryable<PlanTargetEntry> Get() => queries.PlanTargets();
}

[AllowAnonymous]
public sealed class PopulationFiguresController(PublicFeedQueries queries) : ODataController
{
    [EnableQuery(PageSize = ODataFeed.PageSize, MaxTop = ODataFeed.PageSize, MaxNodeCount = 200)]
    public IQueryable<PopulationFigureEntry> Get() => queries.PopulationFigures();
}

[AllowAnonymous]
public sealed class FundingController(PublicFeedQueries queries) : ODataController
{
    [EnableQuery(PageSize = ODataFeed.PageSize, MaxTop = ODataFeed.PageSize, MaxNodeCount = 200)]
    public Task<IQueryable<FundingEntry>> Get(CancellationToken ct) => queries.FundingAsync(HttpContext.Language(), ct);
}
