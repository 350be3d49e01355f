using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Formatter;
using Microsoft.AspNetCore.OData.Results;
using Microsoft.AspNetCore.OData.Routing.Controllers;

namespace Closer.Web.Features.OpenData.OData;

// The feed's entity sets. OData routes by convention: controller name = entity set, Get() = the collection, Get(keys) = one
// entity (the address full metadata gives as @odata.id and @odata.readLink/editLink, so every link the feed writes
// answers). Each action returns an IQueryable, so $filter, $select, $orderby, $top, $skip and $count run in the database;
// FeedQuery makes the answer server-paged (an @odata.nextLink per page), which Excel's and Power BI's OData connectors
// follow. Read-only: no Post, Put, Patch or Delete action exists, so writes answer 405/404.

[AllowAnonymous]
public sealed class ReportCellsController(PublicFeedQueries queries, Disclosure.DisclosureControl disclosure) : ODataController
{
    [FeedQuery]
    public async Task<IQueryable<ReportCell>> Get(CancellationToken ct)
    {
        var (cells, applied) = await queries.ReportCellsAsync(ct);
        Disclosure.DisclosureResponse.Mark(HttpContext, applied, Disclosure.DisclosureAudience.Public, disclosure);
        return cells;
    }

    [FeedQuery]
    public async Task<SingleResult<ReportCell>> Get([FromODataUri] int keyYear, [FromODataUri] string keyCountry, [FromODataUri] string keyIndicator,
        [FromODataUri] string keyMonth, [FromODataUri] string keyPopulationGroup, [FromODataUri] int keyOrganisationId, CancellationToken ct)
    {
        var (cells, applied) = await queries.ReportCellsAsync(ct);
        Disclosure.DisclosureResponse.Mark(HttpContext, applied, Disclosure.DisclosureAudience.Public, disclosure);
        return SingleResult.Create(cells.Where(c => c.Year == keyYear && c.Country == keyCountry && c.Indicator == keyIndicator
            && c.Month == keyMonth && c.PopulationGroup == keyPopulationGroup && c.OrganisationId == keyOrganisationId));
    }
}

[AllowAnonymous]
public sealed class PlanTargetsController(PublicFeedQueries queries) : ODataController
{
    [FeedQuery]
    public IQueryable<PlanTargetEntry> Get() => queries.PlanTargets();

    [FeedQuery]
    public SingleResult<PlanTargetEntry> Get([FromODataUri] int keyYear, [FromODataUri] string keyCountry, [FromODataUri] string keyIndicator,
        [FromODataUri] string keyPopulationGroup) =>
        SingleResult.Create(queries.PlanTargets().Where(t => t.Year == keyYear && t.Country == keyCountry && t.Indicator == keyIndicator
            && t.PopulationGroup == keyPopulationGroup));
}

[AllowAnonymous]
public sealed class PopulationFiguresController(PublicFeedQueries queries) : ODataController
{
    [FeedQuery]
    public IQueryable<PopulationFigureEntry> Get() => queries.PopulationFigures();

    [FeedQuery]
    public SingleResult<PopulationFigureEntry> Get([FromODataUri] string keyCountry, [FromODataUri] string keyAsOf) =>
        SingleResult.Create(queries.PopulationFigures().Where(f => f.Country == keyCountry && f.AsOf == keyAsOf));
}

[AllowAnonymous]
public sealed class FundingController(PublicFeedQueries queries) : ODataController
{
    [FeedQuery]
    public Task<IQueryable<FundingEntry>> Get(CancellationToken ct) => queries.FundingAsync(HttpContext.Language(), ct);

    [FeedQuery]
    public async Task<SingleResult<FundingEntry>> Get([FromODataUri] string key, CancellationToken ct) =>
        SingleResult.Create((await queries.FundingAsync(HttpContext.Language(), ct)).Where(f => f.Id == key));
}
