using System.Net;
using System.Xml;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.OpenData.OData;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;

namespace Closer.Tests.Features.OpenData;

/// <summary>
/// The OData v4 feed read as Excel and Power BI read it, with the OData client library (Microsoft.OData.Core's
/// message reader and Microsoft.OData.Edm's CSDL reader): $metadata, server-driven paging, query options, no writes,
/// and disclosure control at its one seam.
/// </summary>
public abstract class ODataFeedSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An HTTP answer as ODataLib's reader wants it.</summary>
    private sealed class ResponseMessage(HttpResponseMessage response, Stream body) : IODataResponseMessageAsync
    {
        public IEnumerable<KeyValuePair<string, string>> Headers =>
            response.Headers.Concat(response.Content.Headers).Select(h => new KeyValuePair<string, string>(h.Key, string.Join(",", h.Value)));
        public int StatusCode { get => (int)response.StatusCode; set => throw new NotSupportedException(); }
        public string GetHeader(string headerName) => Headers.FirstOrDefault(h => string.Equals(h.Key, headerName, StringComparison.OrdinalIgnoreCase)).Value;
        public void SetHeader(string headerName, string headerValue) => throw new NotSupportedException();
        public Stream GetStream() => body;
        public Task<Stream> GetStreamAsync() => Task.FromResult(body);
    }

    private sealed record Page(List<ODataResource> Rows, Uri? NextLink, long? Count);

    private async Task<IEdmModel> MetadataAsync()
    {
        using var response = await app.Client().GetAsync("/odata/$metadata", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/xml", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        using var reader = XmlReader.Create(await response.Content.ReadAsStreamAsync(Ct));
        Assert.True(CsdlReader.TryParse(reader, out var model, out var errors), string.Join("; ", errors ?? []));
        return model;
    }

    private async Task<Page> ReadPageAsync(IEdmModel model, string url, string set)
    {
        using var response = await app.Client().GetAsync(url, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        var body = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        var settings = new ODataMessageReaderSettings { BaseUri = new Uri("http://localhost/odata/") };
        using var messageReader = new ODataMessageReader((IODataResponseMessageAsync)new ResponseMessage(response, body), settings, model);
        var entitySet = model.EntityContainer.FindEntitySet(set);
        var reader = await messageReader.CreateODataResourceSetReaderAsync(entitySet, entitySet.EntityType);
        var rows = new List<ODataResource>();
        ODataResourceSet? top = null;
        while (await reader.ReadAsync())
        {
            if (reader.State == ODataReaderState.ResourceEnd && reader.Item is ODataResource r)
            {
                rows.Add(r);
            }
            else if (reader.State == ODataReaderState.ResourceSetEnd)
            {
                top = (ODataResourceSet)reader.Item;
            }
        }
        return new Page(rows, top?.NextPageLink, top?.Count);
    }

    private static object? Value(ODataResource r, string name) => r.Properties.OfType<ODataProperty>().Single(p => p.Name == name).Value;

    [Fact]
    public async Task Metadata_DescribesTheFourEntitySets_WithTheirKeys()
    {
        var model = await MetadataAsync();
        var sets = model.EntityContainer.EntitySets().Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Funding", "PlanTargets", "PopulationFigures", "ReportCells"], sets);
        var cell = model.EntityContainer.FindEntitySet("ReportCells").EntityType;
        Assert.Equal(["Year", "Country", "Indicator", "Month", "PopulationGroup", "OrganisationId"], cell.Key().Select(k => k.Name));
        Assert.Contains(cell.StructuralProperties(), p => p.Name == "Reached" && p.Type.IsInt64());
        Assert.Contains(cell.StructuralProperties(), p => p.Name == "Suppressed");
    }

    /// <summary>The page size the fixtures set (<c>OData:PageSize</c>): small, so the demo's cells take many pages.</summary>
    internal const int PageSize = 100;

    private static string Key(ODataResource r) =>
        string.Join('|', new[] { "Year", "Country", "Indicator", "Month", "PopulationGroup", "OrganisationId" }.Select(k => Value(r, k)));

    [Fact]
    public async Task ReportCells_PagedByTheServer_GiveEveryValidatedCellOnce()
    {
        var model = await MetadataAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var expected = (await db.ResponseMonths.AsNoTracking().Where(m => m.Status == ReportStatus.Validated)
                .Select(m => new { m.Year, m.CountryIso3, m.IndicatorCode, m.Month, m.PopulationGroup, m.OrganisationId }).ToListAsync(Ct))
            .Select(m => string.Join('|', m.Year, m.CountryIso3, m.IndicatorCode, m.Month, m.PopulationGroup, m.OrganisationId)).ToHashSet(StringComparer.Ordinal);
        Assert.True(expected.Count > PageSize * 5, $"the demo data should have cells to page through ({expected.Count})");

        // Whole rows (no $select): the fast writer (FeedPageSerializer) writes every page and its @odata.nextLink, and
        // ODataLib's reader reads them; the client follows the links until there is none.
        string? next = "/odata/ReportCells?$count=true";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pages = new List<Page>();
        while (next is not null)
        {
            var page = await ReadPageAsync(model, next, "ReportCells");
            pages.Add(page);
            foreach (var r in page.Rows)
            {
                Assert.True(seen.Add(Key(r)), $"the cell {Key(r)} came twice (page {pages.Count})");
                Assert.Equal(22, r.Properties.Count());
            }
            next = page.NextLink?.PathAndQuery;
            Assert.True(pages.Count <= expected.Count / PageSize + 2, "paging does not end");
        }
        Assert.All(pages, p => Assert.Equal(expected.Count, p.Count));
        Assert.All(pages.SkipLast(1), p => Assert.Equal(PageSize, p.Rows.Count));
        Assert.InRange(pages[^1].Rows.Count, 1, PageSize);
        Assert.Equal((expected.Count + PageSize - 1) / PageSize, pages.Count);
        Assert.True(expected.SetEquals(seen), $"{expected.Except(seen).Count()} cells missing, {seen.Except(expected).Count()} unknown");
    }

    [Fact]
    public async Task ReportCells_CarryNamesNextToCodes()
    {
        var model = await MetadataAsync();
        var cell = model.EntityContainer.FindEntitySet("ReportCells").EntityType;
        Assert.All(["OrganisationName", "CountryName", "SectorName", "IndicatorName"], n => Assert.NotNull(cell.FindProperty(n)));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var page = await ReadPageAsync(model, "/odata/ReportCells?$filter=Country eq 'COL'&$top=20", "ReportCells");
        Assert.NotEmpty(page.Rows);
        foreach (var r in page.Rows)
        {
            var org = await db.Organisations.SingleAsync(o => o.Id == (int)Value(r, "OrganisationId")!, Ct);
            Assert.Equal(org.Name, Value(r, "OrganisationName"));
            Assert.Equal(org.Acronym, Value(r, "Organisation"));
            Assert.Equal((await db.Countries.SingleAsync(c => c.Iso3 == "COL", Ct)).NameEn, Value(r, "CountryName"));
            Assert.Equal((await db.Sectors.SingleAsync(x => x.Code == (string)Value(r, "Sector")!, Ct)).NameEn, Value(r, "SectorName"));
            Assert.Equal((await db.Indicators.SingleAsync(i => i.Code == (string)Value(r, "Indicator")!, Ct)).NameEn, Value(r, "IndicatorName"));
        }
        // A name filters like any property.
        var named = await ReadPageAsync(model, "/odata/ReportCells?$filter=CountryName eq 'Colombia'&$count=true&$top=1", "ReportCells");
        var byCode = await ReadPageAsync(model, "/odata/ReportCells?$filter=Country eq 'COL'&$count=true&$top=1", "ReportCells");
        Assert.Equal(byCode.Count, named.Count);
        var target = (await ReadPageAsync(model, "/odata/PlanTargets?$top=1", "PlanTargets")).Rows.Single();
        Assert.False(string.IsNullOrEmpty((string?)Value(target, "IndicatorName")));
        var figure = (await ReadPageAsync(model, "/odata/PopulationFigures?$filter=Country eq 'COL'&$top=1", "PopulationFigures")).Rows.Single();
        Assert.Equal("Colombia", Value(figure, "CountryName"));
    }

    [Fact]
    public async Task FullMetadata_IdsAndEditLinks_AnswerWithTheirEntity()
    {
        var client = app.Client();
        foreach (var set in new[] { "ReportCells", "PlanTargets", "PopulationFigures", "Funding" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/odata/{set}?$top=3");
            request.Headers.Accept.ParseAdd("application/json;odata.metadata=full");
            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            var rows = doc.RootElement.GetProperty("value").EnumerateArray().ToList();
            Assert.NotEmpty(rows);
            foreach (var row in rows)
            {
                foreach (var link in new[] { "@odata.id", "@odata.editLink" })
                {
                    var address = new Uri(new Uri("http://localhost/odata/"), row.GetProperty(link).GetString()!);
                    using var one = await client.GetAsync(address.PathAndQuery, Ct);
                    Assert.True(one.StatusCode == HttpStatusCode.OK, $"{link} {address} → {(int)one.StatusCode}");
                    using var entity = System.Text.Json.JsonDocument.Parse(await one.Content.ReadAsStringAsync(Ct));
                    foreach (var p in row.EnumerateObject().Where(p => !p.Name.StartsWith('@') && !p.Name.Contains('@', StringComparison.Ordinal)))
                    {
                        Assert.Equal(p.Value.ToString(), entity.RootElement.GetProperty(p.Name).ToString());
                    }
                }
            }
        }
        using var missing = await client.GetAsync("/odata/PopulationFigures(Country='XXX',AsOf='1900-01')", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Errors_CarryNoInnerErrorStackOrExceptionText()
    {
        var client = app.Client();
        foreach (var (url, status) in new[]
        {
            ("/odata/ReportCells?$filter=Nope eq 1", HttpStatusCode.BadRequest),
            ("/odata/ReportCells?$top=abc", HttpStatusCode.BadRequest),
            ("/odata/ReportCells?$select=Nope", HttpStatusCode.BadRequest),
            // Valid OData that the database cannot run: the request fails.
            ("/odata/ReportCells?$filter=isof(Closer.OpenData.ReportCell)", HttpStatusCode.InternalServerError),
        })
        {
            foreach (var accept in new[] { "application/json", "application/json;odata.metadata=full", "*/*" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Accept.ParseAdd(accept);
                using var response = await client.SendAsync(request, Ct);
                var body = await response.Content.ReadAsStringAsync(Ct);
                Assert.True(response.StatusCode == status, $"{url} ({accept}) → {(int)response.StatusCode}: {body}");
                using var doc = System.Text.Json.JsonDocument.Parse(body);
                var error = doc.RootElement.GetProperty("error");
                Assert.Equal(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), error.GetProperty("code").GetString());
                Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
                Assert.Equal(["code", "message"], error.EnumerateObject().Select(p => p.Name));
                foreach (var leak in new[] { "innererror", "stacktrace", "exception", "Nope", " at Microsoft.", "Closer.Web" })
                {
                    Assert.DoesNotContain(leak, body, StringComparison.OrdinalIgnoreCase);
                }
            }
        }
    }

    [Fact]
    public async Task QueryOptions_FilterSelectOrderTopSkipCount_RunOnTheFeed()
    {
        var model = await MetadataAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var col = await db.ResponseMonths.AsNoTracking().Where(m => m.Status == ReportStatus.Validated && m.CountryIso3 == "COL")
            .OrderByDescending(m => m.Reached).ThenBy(m => m.Month).ThenBy(m => m.IndicatorCode).ThenBy(m => m.PopulationGroup).ThenBy(m => m.OrganisationId)
            .Select(m => m.Reached).ToListAsync(Ct);
        Assert.True(col.Count > 5);

        var page = await ReadPageAsync(model,
            "/odata/ReportCells?$filter=Country eq 'COL'&$select=Country,Reached&$orderby=Reached desc,Month,Indicator,PopulationGroup,OrganisationId&$skip=2&$top=3&$count=true",
            "ReportCells");
        Assert.Equal(col.Count, page.Count);
        Assert.Equal(col.Skip(2).Take(3), page.Rows.Select(r => (long)Value(r, "Reached")!));
        Assert.All(page.Rows, r => Assert.Equal("COL", Value(r, "Country")));
        Assert.All(page.Rows, r => Assert.DoesNotContain(r.Properties, p => p.Name == "Girls"));
        Assert.Null(page.NextLink);

        var targets = await ReadPageAsync(model, "/odata/PlanTargets?$filter=Targeted gt 0&$count=true&$top=1", "PlanTargets");
        Assert.Equal(await db.PlanTargets.CountAsync(t => t.Target > 0, Ct), targets.Count);
        var figures = await ReadPageAsync(model, "/odata/PopulationFigures?$orderby=AsOf desc&$top=1", "PopulationFigures");
        Assert.Equal(await db.PopulationFigures.MaxAsync(f => f.AsOf, Ct), Value(figures.Rows.Single(), "AsOf"));
        var funding = await ReadPageAsync(model, "/odata/Funding?$filter=Level eq 'total'", "Funding");
        Assert.Equal(await db.ResponsePlans.CountAsync(Ct), funding.Rows.Count);
    }

    [Fact]
    public async Task Writes_AndUnknownOptions_AreRefused()
    {
        var client = app.Client();
        using var post = await client.PostAsync("/odata/ReportCells", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.True(post.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"POST → {(int)post.StatusCode}");
        using var delete = await client.DeleteAsync("/odata/PlanTargets(Year=2025,Country='COL',Indicator='X',PopulationGroup='REF')", Ct);
        Assert.True(delete.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"DELETE → {(int)delete.StatusCode}");
        using var badFilter = await client.GetAsync("/odata/ReportCells?$filter=Nope eq 1", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        using var tooMany = await client.GetAsync($"/odata/ReportCells?$top={PageSize + 1}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
    }

    [Fact]
    public async Task ReportCells_ServeWhatDisclosureControlReturns()
    {
        // The fixture's disclosure rule withholds every Protection cell under 5 people: the feed must not show one, not
        // even through a filter on the withheld value.
        var model = await MetadataAsync();
        var page = await ReadPageAsync(model, "/odata/ReportCells?$filter=startswith(Sector,'PRO') and Reached lt 5&$count=true", "ReportCells");
        Assert.Equal(0, page.Count);
        var withheld = await ReadPageAsync(model, "/odata/ReportCells?$filter=Suppressed&$select=Sector,Reached,Total&$top=50", "ReportCells");
        Assert.All(withheld.Rows, r =>
        {
            Assert.StartsWith("PRO", (string)Value(r, "Sector")!, StringComparison.Ordinal);
            Assert.Null(Value(r, "Reached"));
            Assert.Null(Value(r, "Total"));
        });
    }
}

/// <summary>A plain primary-suppression rule, registered at the feed's disclosure seam the way the disclosure feature registers its own.</summary>
internal sealed class SmallProtectionCellsWithheld : IReportCellDisclosure
{
    public Task<(IQueryable<ReportCell> Cells, bool Applied)> ApplyAsync(IQueryable<ReportCell> cells, CancellationToken ct) => Task.FromResult((cells.Select(c => new ReportCell
    {
        Year = c.Year, Country = c.Country, Indicator = c.Indicator, Month = c.Month, PopulationGroup = c.PopulationGroup,
        OrganisationId = c.OrganisationId, Organisation = c.Organisation, Sector = c.Sector, IsPeople = c.IsPeople, Reports = c.Reports,
        Girls = c.Sector.StartsWith("PRO") && c.Reached < 5 ? null : c.Girls,
        Boys = c.Sector.StartsWith("PRO") && c.Reached < 5 ? null : c.Boys,
        Women = c.Sector.StartsWith("PRO") && c.Reached < 5 ? null : c.Women,
        Men = c.Sector.StartsWith("PRO") && c.Reached < 5 ? null : c.Men,
        Other = c.Sector.StartsWith("PRO") && c.Reached < 5 ? null : c.Other,
        Total = c.Sector.StartsWith("PRO") && c.Reached < 5 ? null : c.Total,
        Reached = c.Sector.StartsWith("PRO") && c.Reached < 5 ? null : c.Reached,
        Suppressed = c.Sector.StartsWith("PRO") && c.Reached < 5,
    }), true));
}

public sealed class ODataSqliteApp : SqliteAppBase
{
    protected override void AddSettings(Dictionary<string, string?> settings) => settings["OData:PageSize"] = "100";
    protected override void ConfigureServices(IServiceCollection services) => services.AddScoped<IReportCellDisclosure, SmallProtectionCellsWithheld>();
}

public sealed class ODataPostgresApp : PostgresApp
{
    protected override void AddSettings(Dictionary<string, string?> settings) => settings["OData:PageSize"] = "100";
    protected override void ConfigureServices(IServiceCollection services) => services.AddScoped<IReportCellDisclosure, SmallProtectionCellsWithheld>();
}

public sealed class ODataFeedSqlite(ODataSqliteApp app) : ODataFeedSuite<ODataSqliteApp>(app);
public sealed class ODataFeedPostgres(ODataPostgresApp app) : ODataFeedSuite<ODataPostgresApp>(app);
