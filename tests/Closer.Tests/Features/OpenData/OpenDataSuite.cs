using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Features.OpenData;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.OpenData;

/// <summary>The open-data API (HXL CSV, XLSX, JSON), OpenAPI, conditional requests, the downloads page and live figures.</summary>
public abstract class OpenDataSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private int PlanYear => app.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year;

    private static List<string[]> Csv(byte[] bytes) =>
        SheetReader.ReadCsv(new MemoryStream(bytes)).Select(r => r.Cells.Select(c => c ?? "").ToArray()).ToList();

    /// <summary>Every CSV the API publishes (public ones anonymously, the coordination exports with a token), with its columns.</summary>
    private async Task<List<(string Url, HttpClient Client, IReadOnlyList<string>? Hxl)>> CsvEndpointsAsync()
    {
        var anonymous = app.Client();
        var admin = await app.ApiClientAsync(R.Admin);
        return
        [
            ("/api/v1/figures?format=csv", anonymous, OpenDataColumns.Figures.Select(c => c.Hxl).ToList()),
            ($"/api/v1/plan/{PlanYear}?format=csv", anonymous, OpenDataColumns.PlanTargets.Select(c => c.Hxl).ToList()),
            ($"/api/v1/plan/{PlanYear}?format=csv&table=sectors", anonymous, OpenDataColumns.PlanSectors.Select(c => c.Hxl).ToList()),
            ("/api/v1/plan/2020?format=csv&table=sectors", anonymous, OpenDataColumns.PlanSectors.Select(c => c.Hxl).ToList()),
            ("/api/v1/activities?format=csv", anonymous, ActivitiesDataset.Columns.Select(c => c.Hxl).ToList()),
            ("/api/v1/reports?format=csv", admin, ReportColumns.Export.Select(c => c.Hxl).ToList()),
            ("/api/v1/reports/template?format=csv", admin, null),
        ];
    }

    [Fact]
    public async Task PruningStamps_KeepsEveryDatasetsLatestChange_AndDropsTheSupersededOnes()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var past = TimeProvider.System.GetUtcNow().AddDays(-30);
        foreach (var days in new[] { 3, 1, 2 })
        {
            await DataStamps.MarkChangedAsync(db, DataStamps.Pledges, past.AddDays(-days), Ct);
        }
        var before = await DataStamps.AllLatestAsync(db, Ct);
        Assert.True(await db.DataStamps.CountAsync(s => s.Dataset == DataStamps.Pledges, Ct) >= 3);

        Assert.True(await DataStamps.PruneAsync(db, Ct) >= 2);

        Assert.Equal(before.OrderBy(kv => kv.Key, StringComparer.Ordinal), (await DataStamps.AllLatestAsync(db, Ct)).OrderBy(kv => kv.Key, StringComparer.Ordinal));
        var pledges = await db.DataStamps.AsNoTracking().Where(s => s.Dataset == DataStamps.Pledges).Select(s => s.ChangedAt).ToListAsync(Ct);
        Assert.NotEmpty(pledges);
        Assert.All(pledges, at => Assert.Equal(pledges.Max(), at));
        Assert.Equal(0, await DataStamps.PruneAsync(db, Ct));
    }

    [Fact]
    public async Task LiveReachedFigure_IsTheNumberTheDashboardShows()
    {
        // A campaign quoting "people reached with health services in {year}" must say what /data says.
        using var response = JsonDocument.Parse(await app.Client().GetStringAsync("/api/v1/dashboards/response", Ct));
        var year = response.RootElement.GetProperty("year").GetInt32();
        var sectors = response.RootElement.GetProperty("sectors").EnumerateArray()
            .Where(x => x.GetProperty("reached").ValueKind == JsonValueKind.Number && x.GetProperty("reached").GetInt64() > 0
                && !x.GetProperty("key").GetString()!.StartsWith("PRO", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(sectors);
        await using var scope = app.Services.CreateAsyncScope();
        var live = await scope.ServiceProvider.GetRequiredService<LiveFigures>().AllAsync(Ct);
        foreach (var sector in sectors)
        {
            var token = $"{{{{figure:reached:{sector.GetProperty("key").GetString()}:{year}}}}}";
            Assert.True(live.TryGetValue(token, out var figure), token);
            Assert.Equal(sector.GetProperty("reached").GetInt64(), figure.Value);
        }
    }

    [Fact]
    public async Task EveryCsvEndpoint_HasAnHxlRowMatchingItsColumnsInCountAndOrder()
    {
        foreach (var (url, client, hxl) in await CsvEndpointsAsync())
        {
            var response = await client.GetAsync(url, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} → {(int)response.StatusCode}");
            Assert.StartsWith("text/csv", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
            var rows = Csv(await response.Content.ReadAsByteArrayAsync(Ct));
            Assert.True(rows.Count >= 3, $"{url} has no data rows");
            Assert.Equal(rows[0].Length, rows[1].Length);
            Assert.All(rows[1], tag => Assert.StartsWith("#", tag, StringComparison.Ordinal));
            Assert.All(rows[0], header => Assert.False(string.IsNullOrWhiteSpace(header)));
            if (hxl is not null)
            {
                Assert.Equal(hxl, rows[1]);
            }
            Assert.All(rows.Skip(2), r => Assert.Equal(rows[0].Length, r.Length));
        }
    }

    [Theory]
    [InlineData("/api/v1/figures?format=xlsx")]
    [InlineData("/api/v1/plan/{year}?format=xlsx")]
    [InlineData("/api/v1/plan/{year}?format=xlsx&table=sectors")]
    [InlineData("/api/v1/activities?format=xlsx")]
    public async Task XlsxDownloads_HaveTheHeaderAndHxlRowsOfTheCsv(string url)
    {
        url = url.Replace("{year}", PlanYear.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var client = app.Client();
        var xlsx = await client.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal(TabularContentTypes.Xlsx, xlsx.Content.Headers.ContentType!.MediaType);
        var sheet = SheetReader.ReadXlsx(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(Ct)));
        var csv = Csv(await client.GetByteArrayAsync(url.Replace("format=xlsx", "format=csv", StringComparison.Ordinal), Ct));
        Assert.Equal(csv[0], sheet[0].Cells.Select(c => c ?? "").ToArray());
        Assert.Equal(csv[1], sheet[1].Cells.Select(c => c ?? "").ToArray());
        Assert.Equal(csv.Count, sheet.Count);
    }

    [Fact]
    public async Task Figures_FilterByCountryAndPeriod()
    {
        var client = app.Client();
        var all = await client.GetFromJsonAsync<List<JsonElement>>("/api/v1/figures", Ct);
        Assert.NotNull(all);
        var col = await client.GetFromJsonAsync<List<JsonElement>>("/api/v1/figures?country=col", Ct);
        Assert.NotEmpty(col!);
        Assert.All(col!, f => Assert.Equal("COL", f.GetProperty("country").GetString()));
        Assert.All(col!, f => Assert.False(string.IsNullOrEmpty(f.GetProperty("source").GetString())));
        var two = await client.GetFromJsonAsync<List<JsonElement>>("/api/v1/figures?country=COL,PER&from=2021-01&to=2021-12", Ct);
        Assert.NotEmpty(two!);
        Assert.All(two!, f =>
        {
            Assert.Contains(f.GetProperty("country").GetString(), new[] { "COL", "PER" });
            Assert.StartsWith("2021-", f.GetProperty("asOf").GetString(), StringComparison.Ordinal);
        });
        var from2024 = await client.GetFromJsonAsync<List<JsonElement>>("/api/v1/figures?from=2024", Ct);
        Assert.All(from2024!, f => Assert.True(string.CompareOrdinal(f.GetProperty("asOf").GetString(), "2024-01") >= 0));
        Assert.True(from2024!.Count < all!.Count);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/figures?from=last-year", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/figures?country=Colombia", Ct)).StatusCode);
        var badFormat = await client.GetAsync("/api/v1/figures?format=pdf", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
        Assert.Equal("application/problem+json", badFormat.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Plan_NumbersEqualTheDatabase_AndTheOlderRouteStillAnswers()
    {
        var year = PlanYear;
        var client = app.Client();
        var plan = await client.GetFromJsonAsync<JsonElement>($"/api/v1/plan/{year}", Ct);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var targets = await db.PlanTargets.AsNoTracking().Where(t => t.Year == year).ToListAsync(Ct);
        Assert.NotEmpty(targets);
        var published = plan.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(targets.Count, published.Count);
        foreach (var p in published)
        {
            var t = targets.Single(x => x.CountryIso3 == p.GetProperty("country").GetString() && x.IndicatorCode == p.GetProperty("indicator").GetString()
                && x.PopulationGroup == p.GetProperty("populationGroup").GetString());
            Assert.Equal(t.Target, p.GetProperty("targeted").GetInt64());
            Assert.Equal(t.PeopleInNeed, p.GetProperty("inNeed").GetInt64());
            Assert.Equal(t.RequirementUsd, p.GetProperty("requirementUsd").GetInt64());
        }
        var totals = plan.GetProperty("targetTotals");
        Assert.Equal(targets.Sum(t => t.RequirementUsd), totals.GetProperty("requirementUsd").GetInt64());
        Assert.Equal(targets.Sum(t => t.Target), totals.GetProperty("targeted").GetInt64());

        // Sectors with their sub-sectors: Protection holds its three.
        var protection = plan.GetProperty("sectors").EnumerateArray().Single(s => s.GetProperty("code").GetString() == "PRO");
        Assert.Equal(3, protection.GetProperty("subSectors").GetArrayLength());

        // The 2020 plan's sector figures, as stored.
        var sectors2020 = await db.SectorPlans.AsNoTracking().Where(s => s.Year == 2020).ToListAsync(Ct);
        var csv = Csv(await client.GetByteArrayAsync("/api/v1/plan/2020?format=csv&table=sectors", Ct));
        var requirement = Array.IndexOf(csv[1], "#value+requirement+usd");
        var code = Array.IndexOf(csv[1], "#sector+code");
        foreach (var s in sectors2020)
        {
            var row = csv.Skip(2).Single(r => r[code] == s.SectorCode);
            Assert.Equal(s.RequirementUsd.ToString(CultureInfo.InvariantCulture), row[requirement]);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/plans/{year}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/plan/1999", Ct)).StatusCode);
    }

    [Fact]
    public async Task Activities_PublishValidatedReportsOnly()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        // Rows of sensitive sub-sectors may be rolled up (disclosure control, issue 21): every other validated report is one row.
        string[] sensitive = ["PRO-GBV", "PRO-CP", "PRO-HTS"];
        var validated = await db.ActivityReports.Where(r => r.Status == ReportStatus.Validated && r.DeletedAt == null)
            .Select(r => r.IndicatorCode).ToListAsync(Ct);
        Assert.True(await db.ActivityReports.AnyAsync(r => r.Status != ReportStatus.Validated, Ct), "the demo data should hold unvalidated reports");
        var rows = await app.Client().GetFromJsonAsync<List<JsonElement>>("/api/v1/activities", Ct);
        bool Sensitive(string code) => sensitive.Any(s => code.StartsWith(s + "-", StringComparison.Ordinal));
        Assert.Equal(validated.Count(c => !Sensitive(c)), rows!.Count(r => !Sensitive(r.GetProperty("indicator").GetString()!)));
        Assert.InRange(rows!.Count(r => Sensitive(r.GetProperty("indicator").GetString()!)), 0, validated.Count(Sensitive));
    }

    [Fact]
    public async Task Activities_PageWithLinkAndTotals_AndHonourYear()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var validated = db.ActivityReports.Where(r => r.Status == ReportStatus.Validated && r.DeletedAt == null);
        // The published rows: validated reports after disclosure control (small sensitive rows merged), as anyone sees them.
        var disclosure = scope.ServiceProvider.GetRequiredService<Closer.Web.Features.OpenData.Disclosure.DisclosureControl>();
        Task<List<ActivityRow>> PublishedAsync(ActivityFilters filters) =>
            ActivitiesDataset.RowsAsync(db, disclosure, Closer.Web.Features.OpenData.Disclosure.DisclosureAudience.Public, "en", filters, Ct);
        var total = (await PublishedAsync(new ActivityFilters(null, null, null))).Count;
        Assert.True(total > 1000, $"only {total} published rows");
        var client = app.Client();

        using var first = await client.GetAsync("/api/v1/activities?pageSize=3", Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(3, (await first.Content.ReadFromJsonAsync<List<JsonElement>>(Ct))!.Count);
        Assert.Equal(total.ToString(CultureInfo.InvariantCulture), first.Headers.GetValues("X-Total-Count").Single());
        var link = first.Headers.GetValues("Link").Single();
        Assert.Contains("</api/v1/activities?page=2&pageSize=3>; rel=\"next\"", link, StringComparison.Ordinal);
        Assert.Contains($"</api/v1/activities?page={(total + 2) / 3}&pageSize=3>; rel=\"last\"", link, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"prev\"", link, StringComparison.Ordinal);

        // Pages follow each other without gaps or repeats, and CSV pages like JSON.
        var two = await client.GetFromJsonAsync<List<JsonElement>>("/api/v1/activities?page=1&pageSize=6", Ct);
        var second = await client.GetFromJsonAsync<List<JsonElement>>("/api/v1/activities?page=2&pageSize=3", Ct);
        Assert.Equal(two!.Skip(3).Select(e => e.GetRawText()), second!.Select(e => e.GetRawText()));
        using var csv = await client.GetAsync("/api/v1/activities?format=csv&page=2&pageSize=3", Ct);
        Assert.Equal(2 + 3, Csv(await csv.Content.ReadAsByteArrayAsync(Ct)).Count);
        Assert.Contains("rel=\"prev\"", csv.Headers.GetValues("Link").Single(), StringComparison.Ordinal);

        var year = await validated.Select(r => r.Month).MaxAsync(Ct);
        year = year[..4];
        using var byYear = await client.GetAsync($"/api/v1/activities?year={year}&country=col&pageSize=5000", Ct);
        var inYearRows = await PublishedAsync(new ActivityFilters("COL", null, null, year));
        var inYear = inYearRows.Count;
        Assert.True(inYear > 0 && inYear < total, $"{inYear} rows of {total} in {year}");
        // A sector filter publishes exactly that sector's rows of the unfiltered answer (its series stay whole).
        var sector = inYearRows[0].Sector;
        Assert.Equal(inYearRows.Where(r => r.Sector == sector), await PublishedAsync(new ActivityFilters("COL", null, sector.ToLowerInvariant(), year)));
        Assert.Equal(inYear.ToString(CultureInfo.InvariantCulture), byYear.Headers.GetValues("X-Total-Count").Single());
        Assert.All((await byYear.Content.ReadFromJsonAsync<List<JsonElement>>(Ct))!, r => Assert.StartsWith(year, r.GetProperty("month").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Activities_PublicAnswer_IsTheTableOfTheDatabase_UnderEveryFilter_AndFollowsACommittedChange()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var disclosure = scope.ServiceProvider.GetRequiredService<Closer.Web.Features.OpenData.Disclosure.DisclosureControl>();
        var client = app.Client();
        var latest = await db.ActivityReports.Where(r => r.Status == ReportStatus.Validated && r.DeletedAt == null).Select(r => r.Month).MaxAsync(Ct);
        // The anonymous answer is the public table kept per data version, filtered in memory; the reference filters the
        // reports in the database first and runs disclosure control on them. Both must publish the same rows.
        var cases = new (ActivityFilters Filters, string Query)[]
        {
            (new ActivityFilters(null, null, null), ""),
            (new ActivityFilters("COL", null, null, latest[..4]), $"&country=col&year={latest[..4]}"),
            (new ActivityFilters(null, latest, null), $"&month={latest}"),
            (new ActivityFilters(null, null, "pro-gbv"), "&sector=pro-gbv"),
            (new ActivityFilters("PER", null, "HEA"), "&country=PER&sector=HEA"),
        };
        foreach (var (filters, query) in cases)
        {
            var expected = await ActivitiesDataset.RowsAsync(db, disclosure, Closer.Web.Features.OpenData.Disclosure.DisclosureAudience.Public, "es", filters, Ct);
            using var response = await client.GetAsync($"/api/v1/activities?format=csv&lang=es{query}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csv = Csv(await response.Content.ReadAsByteArrayAsync(Ct));
            var reference = Csv(TabularCsv.Write(ActivitiesDataset.Columns, "es", expected));
            Assert.Equal(reference.Take(2).Select(r => string.Join('|', r)), csv.Take(2).Select(r => string.Join('|', r)));
            // Same rows, in the published order (rows equal on every sort key may come in either order).
            Assert.Equal(reference.Skip(2).Select(r => string.Join('|', r)).Order(StringComparer.Ordinal), csv.Skip(2).Select(r => string.Join('|', r)).Order(StringComparer.Ordinal));
            Assert.Equal(expected.Select(r => (r.Month, r.Country, r.Org, r.Admin1, r.Indicator, r.PopulationGroup)),
                csv.Skip(2).Select(r => (r[11], r[3], r[0], r[5] == "" ? null : r[5], r[9], r[12])));
            Assert.Equal(expected.Any(r => r.Disclosure is not null) ? "applied" : "none", response.Headers.GetValues("Disclosure-Control").Single().Split(';')[0]);
        }
        // JSON rows carry the columns' keys, in order.
        var first = (await client.GetFromJsonAsync<List<JsonElement>>("/api/v1/activities?pageSize=1", Ct))!.Single();
        Assert.Equal(ActivitiesDataset.Columns.Select(c => c.Key), first.EnumerateObject().Select(p => p.Name));

        // A committed change is in the next answer (its stamp changes the version the table is kept under).
        var source = await db.ActivityReports.AsNoTracking().FirstAsync(r => r.Status == ReportStatus.Validated && r.DeletedAt == null
            && !r.IndicatorCode.StartsWith("PRO"), Ct);
        async Task<int> TotalAsync()
        {
            using var r = await client.GetAsync("/api/v1/activities?pageSize=1", Ct);
            return int.Parse(r.Headers.GetValues("X-Total-Count").Single(), CultureInfo.InvariantCulture);
        }
        var before = await TotalAsync();
        var added = new ActivityReport
        {
            OrganisationId = source.OrganisationId, CountryIso3 = source.CountryIso3, Admin1PCode = source.Admin1PCode, IndicatorCode = source.IndicatorCode,
            Month = source.Month, PopulationGroup = source.PopulationGroup, ImplementingPartner = "Cache test partner", Women = 40, Total = 40,
            Status = ReportStatus.Validated, IsDemo = true,
        };
        db.ActivityReports.Add(added);
        await db.SaveChangesAsync(Ct);
        try
        {
            Assert.Equal(before + 1, await TotalAsync());
            var rows = await client.GetFromJsonAsync<List<JsonElement>>($"/api/v1/activities?country={source.CountryIso3}&month={source.Month}&pageSize=5000", Ct);
            Assert.Contains(rows!, r => r.GetProperty("implementingPartner").GetString() == "Cache test partner");
        }
        finally
        {
            db.ActivityReports.Remove(added);
            await db.SaveChangesAsync(Ct);
        }
        Assert.Equal(before, await TotalAsync());
    }

    [Theory]
    [InlineData("en", "Ready-to-upload package for HDX (ZIP)")]
    [InlineData("es", "Paquete listo para subir a HDX (ZIP)")]
    [InlineData("pt", "Pacote pronto para enviar ao HDX (ZIP)")]
    [InlineData("pap", "Pakete kla pa subi na HDX (ZIP)")]
    public async Task DownloadsPage_LinksThePackages_ForCoordinatorsOnly(string lang, string label)
    {
        string Link(string id) => $"href=\"/api/v1/datasets/{id}/package.zip?lang={lang}\"";
        async Task<string> PageAsync(HttpClient client)
        {
            using var response = await client.GetAsync($"/{lang}/data/downloads", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        }
        // Anonymous first, so an output-cached anonymous page would be the one a coordinator got if caching were wrong.
        var anonymous = await PageAsync(app.Client());
        Assert.DoesNotContain("package.zip", anonymous, StringComparison.Ordinal);
        Assert.DoesNotContain(label, anonymous, StringComparison.Ordinal);
        var coordinator = await PageAsync(await app.SignedInClientAsync(R.Coordinator, null, "COL"));
        Assert.Contains(label, coordinator, StringComparison.Ordinal);
        foreach (var id in new[] { "population-figures", "response-plan", "activities-5w", "organisations" })
        {
            Assert.Contains(Link(id), coordinator.Replace("&amp;", "&", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        Assert.Contains(Link("activities-5w"), await PageAsync(await app.SignedInClientAsync(R.Admin)), StringComparison.Ordinal);
        foreach (var role in new[] { R.Viewer, R.Editor, R.Translator })
        {
            Assert.DoesNotContain("package.zip", await PageAsync(await app.SignedInClientAsync(role)), StringComparison.Ordinal);
        }
        Assert.DoesNotContain("package.zip", await PageAsync(await app.SignedInClientAsync(R.FocalPoint, "FPUENTE", "COL")), StringComparison.Ordinal);
        // The link answers: the coordinator downloads the package it points at.
        var client = await app.SignedInClientAsync(R.Coordinator, null, "COL");
        using var zip = await client.GetAsync($"/api/v1/datasets/population-figures/package.zip?lang={lang}", Ct);
        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
        Assert.Equal("application/zip", zip.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("/api/v1/activities?pagesize=0")]
    [InlineData("/api/v1/activities?pageSize=5001")]
    [InlineData("/api/v1/activities?page=0")]
    [InlineData("/api/v1/activities?page=x")]
    [InlineData("/api/v1/activities?year=25")]
    [InlineData("/api/v1/activities?country=Colombia")]
    [InlineData("/api/v1/activities?limit=3")]
    public async Task Activities_UnknownParameterOrBadValue_IsALocalizedProblem(string url)
    {
        var client = app.Client();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");
        using var response = await client.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Matches("(página|parámetro|países|Fechas|AAAA)", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task OpenApi_DescribesEveryApiEndpointWithSummaryTagsAndErrors()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith("/api/v1/", StringComparison.Ordinal))
            .ToList();
        Assert.True(endpoints.Count > 30);
        var json = await app.Client().GetStringAsync("/openapi/v1.json", Ct);
        using var doc = JsonDocument.Parse(json);
        var paths = doc.RootElement.GetProperty("paths");
        var missing = new List<string>();
        foreach (var e in endpoints)
        {
            var path = "/" + System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!.Trim('/'), @"\{([^}:=?]+)[^}]*\}", "{$1}");
            var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var op))
                {
                    missing.Add($"{method} {path}");
                    continue;
                }
                Assert.False(string.IsNullOrWhiteSpace(op.GetProperty("summary").GetString()), $"{method} {path} has no summary");
                Assert.True(op.GetProperty("tags").GetArrayLength() > 0, $"{method} {path} has no tag");
                var responses = op.GetProperty("responses");
                Assert.True(responses.TryGetProperty("400", out _), $"{method} {path} does not describe 400");
                if (path.Contains('{', StringComparison.Ordinal))
                {
                    Assert.True(responses.TryGetProperty("404", out _), $"{method} {path} does not describe 404");
                }
                if (e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null)
                {
                    Assert.True(responses.TryGetProperty("401", out _) && responses.TryGetProperty("403", out _), $"{method} {path} does not describe 401/403");
                }
                if (method is "POST" or "PUT")
                {
                    Assert.True(responses.TryGetProperty("422", out _), $"{method} {path} does not describe 422");
                }
            }
        }
        Assert.Empty(missing);
        var figures = paths.GetProperty("/api/v1/figures").GetProperty("get");
        var content = figures.GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(content.TryGetProperty("text/csv", out _));
        Assert.True(content.TryGetProperty(TabularContentTypes.Xlsx, out _));
        Assert.Contains(figures.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "country");
        var problem = figures.GetProperty("responses").GetProperty("400").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
        Assert.Equal("#/components/schemas/Problem", problem.GetProperty("$ref").GetString());
        Assert.True(doc.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("Problem").GetProperty("properties").TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task ApiReferencePage_ListsTheEndpoints_WithoutScriptOrCookie()
    {
        var response = await app.Client().GetAsync("/api/docs", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("GET /api/v1/figures", html, StringComparison.Ordinal);
        Assert.Contains("POST /api/v1/reports/import", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html.Replace("<script src=\"/", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    public static TheoryData<string> PublicGets => new()
    {
        "/api/v1/figures?format=csv", "/api/v1/plan/2020", "/api/v1/organisations", "/api/v1/countries", "/api/v1/countries/ECU",
        "/api/v1/pledges/summary", "/api/v1/datasets",
    };

    [Theory]
    [MemberData(nameof(PublicGets))]
    public async Task PublicGets_CarryValidators_AndAnswer304(string url)
    {
        var client = app.Client();
        var first = await client.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Contains("Accept-Language", first.Headers.Vary);
        var lastModified = first.Content.Headers.LastModified;
        Assert.NotNull(lastModified);

        using var byTag = new HttpRequestMessage(HttpMethod.Get, url);
        byTag.Headers.IfNoneMatch.Add(etag);
        var notModified = await client.SendAsync(byTag, Ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Ct));

        using var byDate = new HttpRequestMessage(HttpMethod.Get, url);
        byDate.Headers.IfModifiedSince = lastModified;
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(byDate, Ct)).StatusCode);

        using var older = new HttpRequestMessage(HttpMethod.Get, url);
        older.Headers.IfModifiedSince = lastModified!.Value.AddDays(-1);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(older, Ct)).StatusCode);
    }

    [Fact]
    public async Task AFigureChange_GivesAFresh200WithANewETag_AndANewerLastModified()
    {
        var client = app.Client();
        const string url = "/api/v1/figures?country=ECU";
        var first = await client.GetAsync(url, Ct);
        var etag = first.Headers.ETag!;
        var lastModified = first.Content.Headers.LastModified!.Value;
        // Cached now: the same answer again.
        var again = await client.GetAsync(url, Ct);
        Assert.Equal(etag, again.Headers.ETag);

        app.Clock.Advance(TimeSpan.FromSeconds(2)); // HTTP dates count whole seconds: the change lands in a later one
        var coordinator = await app.ApiClientAsync(R.Coordinator, null, "ECU");
        var post = await coordinator.PostAsJsonAsync("/api/v1/countries/ECU/figures",
            new { asOf = "2025-03", refugeesAndMigrants = 444_555, source = "Test source", precision = "exact" }, Ct);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(etag);
        var fresh = await client.SendAsync(conditional, Ct);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.NotEqual(etag, fresh.Headers.ETag);
        Assert.True(fresh.Content.Headers.LastModified > lastModified);
        Assert.Contains("444555", await fresh.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var byDate = new HttpRequestMessage(HttpMethod.Get, url);
        byDate.Headers.IfModifiedSince = lastModified;
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(byDate, Ct)).StatusCode);
    }

    [Fact]
    public async Task PublicAnswers_AreServedFromTheCache_UntilTheAppChangesTheData()
    {
        var client = app.Client();
        const string url = "/api/v1/figures?country=PER&format=csv";
        var before = await client.GetStringAsync(url, Ct);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // Behind the app's back (raw SQL, no SaveChanges): the cached answer stays.
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            await db.Database.ExecuteSqlRawAsync("UPDATE \"PopulationFigures\" SET \"Source\" = 'Changed behind the cache' WHERE \"CountryIso3\" = 'PER'", Ct);
        }
        Assert.Equal(before, await client.GetStringAsync(url, Ct));

        // A change through the app evicts it: the next answer is computed again (and shows both changes).
        var coordinator = await app.ApiClientAsync(R.Coordinator, null, "PER");
        var post = await coordinator.PostAsJsonAsync("/api/v1/countries/PER/figures",
            new { asOf = "2025-04", refugeesAndMigrants = 1_500_001, source = "Test source", precision = "rounded" }, Ct);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var after = await client.GetStringAsync(url, Ct);
        Assert.Contains("Changed behind the cache", after, StringComparison.Ordinal);
        Assert.Contains("1500001", after, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "Open data downloads", "Licence")]
    [InlineData("es", "Descargas de datos abiertos", "Licencia")]
    [InlineData("pt", "Downloads de dados abertos", "Licença")]
    [InlineData("pap", "Deskarga di datos habrí", "Lisensia")]
    public async Task DownloadsPage_ListsEveryDatasetInEachLanguage_WithoutCookie(string lang, string title, string licence)
    {
        var response = await app.Client().GetAsync($"/{lang}/data/downloads", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains(title, html, StringComparison.Ordinal);
        Assert.Contains(licence, html, StringComparison.Ordinal);
        foreach (var id in new[] { "population-figures", "response-plan", "response-reached", "activities-5w", "organisations", "funding" })
        {
            Assert.Contains($"id=\"{id}\"", html, StringComparison.Ordinal);
        }
        Assert.Contains("#affected+refugees+migrants", html, StringComparison.Ordinal);
        Assert.Contains("CC BY 4.0", html, StringComparison.Ordinal);
        Assert.Contains("/api/v1/figures?format=csv", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatasetList_IsMachineReadable_WithLicenceFrequencyAndTags()
    {
        var list = await app.Client().GetFromJsonAsync<List<JsonElement>>("/api/v1/datasets", Ct);
        Assert.Equal(6, list!.Count);
        Assert.All(list, d =>
        {
            Assert.False(string.IsNullOrEmpty(d.GetProperty("licence").GetString()));
            Assert.False(string.IsNullOrEmpty(d.GetProperty("updateFrequency").GetString()));
            Assert.False(string.IsNullOrEmpty(d.GetProperty("methodology").GetString()));
            Assert.True(d.GetProperty("hxlTags").GetArrayLength() > 0);
        });
        var figures = list.Single(d => d.GetProperty("id").GetString() == "population-figures");
        Assert.NotEqual(JsonValueKind.Null, figures.GetProperty("lastUpdated").ValueKind);
        Assert.Equal(3, figures.GetProperty("downloads").GetArrayLength());
        Assert.Equal("hdx-other", figures.GetProperty("hdx").GetProperty("licenseId").GetString());
        var plan = list.Single(d => d.GetProperty("id").GetString() == "response-plan");
        Assert.Equal("cc-by", plan.GetProperty("hdx").GetProperty("licenseId").GetString());
        Assert.Equal("365", plan.GetProperty("hdx").GetProperty("dataUpdateFrequency").GetString());
    }

    private async Task<string> PublishPageAsync(string body, string summary = "")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var slug = "live-" + Guid.NewGuid().ToString("N")[..10];
        db.CampaignItems.Add(new ContentItem
        {
            Kind = ContentKind.Page, CreatedAt = now,
            Translations = [new ContentTranslation
            {
                Language = "en", Title = "Live figures test", Slug = slug, Summary = summary, Body = body,
                Status = TranslationStatus.Published, PublishedAt = now, UpdatedAt = now,
            }],
        });
        await db.SaveChangesAsync(Ct);
        return $"/en/pages/{slug}";
    }

    [Fact]
    public async Task LiveFigureToken_RendersTheCurrentValue_AndFollowsAChange()
    {
        var page = await PublishPageAsync("In Colombia: {{figure:refugees-migrants:COL}}.\n\nUnknown: {{figure:refugees-migrants:XXX}} and {{figure:nonsense}}.");
        var client = app.Client();
        var html = await client.GetStringAsync(page, Ct);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            var latest = (await db.PopulationFigures.AsNoTracking().Where(f => f.CountryIso3 == "COL").ToListAsync(Ct)).MaxBy(f => f.AsOf, StringComparer.Ordinal)!;
            Assert.Contains(latest.RefugeesAndMigrants.ToString("N0", CultureInfo.GetCultureInfo("en")), html, StringComparison.Ordinal);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(latest.Source), html, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("{{figure:", html, StringComparison.Ordinal);
        Assert.Contains("opendata-figure-missing", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);

        var coordinator = await app.ApiClientAsync(R.Coordinator, null, "COL");
        var post = await coordinator.PostAsJsonAsync("/api/v1/countries/COL/figures",
            new { asOf = "2099-01", refugeesAndMigrants = 2_000_123, source = "Future census (test)", precision = "estimate" }, Ct);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var after = await client.GetStringAsync(page, Ct);
        Assert.Contains("2,000,123", after, StringComparison.Ordinal);
        Assert.Contains("Future census (test)", after, StringComparison.Ordinal);
        Assert.Contains("January 2099", after, StringComparison.Ordinal);

        // The same figure in Spanish is written the Spanish way.
        var es = await client.GetStringAsync(page.Replace("/en/", "/es/", StringComparison.Ordinal), Ct);
        Assert.Contains("2.000.123", es, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FactCardSummary_QuotesALiveFigure_FormattedInThePageLanguage()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            await db.PopulationFigures.Where(f => f.CountryIso3 == "BRA").ExecuteDeleteAsync(Ct);
            db.PopulationFigures.Add(new Closer.Web.Features.Geography.PopulationFigure
            {
                CountryIso3 = "BRA", AsOf = "2024-07", RefugeesAndMigrants = 568_058, Source = "R4V (test)", Precision = "exact",
            });
            db.CampaignItems.Add(new ContentItem
            {
                Kind = ContentKind.Fact, CreatedAt = now,
                Translations = [new ContentTranslation
                {
                    Language = "en", Title = "Brazil hosts few", Slug = "brazil-live-" + Guid.NewGuid().ToString("N")[..6],
                    Summary = "Brazil hosts {{figure:refugees-migrants:BRA}} people from Venezuela.", Status = TranslationStatus.Published,
                    PublishedAt = now, UpdatedAt = now,
                }],
            });
            await db.SaveChangesAsync(Ct);
        }
        var en = await app.Client().GetStringAsync("/en/facts", Ct);
        Assert.Contains("Brazil hosts <strong class=\"opendata-figure\">568,058</strong>", en, StringComparison.Ordinal);
        Assert.Contains("July 2024", en, StringComparison.Ordinal);
        var pap = System.Net.WebUtility.HtmlDecode(await app.Client().GetStringAsync("/pap/facts", Ct));
        Assert.Contains("568.058", pap, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContentEditor_OffersTheFigureTokens_AndInsertsOneWithoutJavaScript()
    {
        var editor = await app.SignedInClientAsync(R.Editor);
        var form = new Dictionary<string, string>
        {
            ["Kind"] = "Story", ["Language"] = "en", ["Title"] = "A story with a live figure",
            ["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(editor, "/admin/content"),
        };
        var created = await editor.PostAsync("/admin/content", new FormUrlEncodedContent(form), Ct);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var page = created.Headers.Location!.OriginalString; // /admin/content/{id}/en
        var html = await editor.GetStringAsync(page, Ct);
        Assert.Contains("value=\"{{figure:refugees-migrants:COL}}\"", html, StringComparison.Ordinal);
        Assert.Contains("<select id=\"insertFigure\" name=\"InsertFigure\">", html, StringComparison.Ordinal);

        var save = new Dictionary<string, string>
        {
            ["Title"] = "A story with a live figure", ["Slug"] = "a-story-with-a-live-figure-" + Guid.NewGuid().ToString("N")[..6],
            ["Body"] = "Colombia hosts", ["InsertFigure"] = "{{figure:refugees-migrants:COL}}",
            ["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(editor, page),
        };
        var saved = await editor.PostAsync(page + "?handler=Save", new FormUrlEncodedContent(save), Ct);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var id = int.Parse(page.Split('/')[3], CultureInfo.InvariantCulture);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var body = await db.CampaignTranslations.Where(t => t.ItemId == id && t.Language == "en").Select(t => t.Body).SingleAsync(Ct);
        Assert.Equal("Colombia hosts {{figure:refugees-migrants:COL}}", body);
        // The preview already shows the value, not the token.
        Assert.DoesNotContain("<p>Colombia hosts {{figure", await saved.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}

// On a fake clock: a test lets the seconds of HTTP dates pass without sleeping.
public sealed class OpenDataSqlite(SqliteClockApp app) : OpenDataSuite<SqliteClockApp>(app);
public sealed class OpenDataPostgres(PostgresClockApp app) : OpenDataSuite<PostgresClockApp>(app);
