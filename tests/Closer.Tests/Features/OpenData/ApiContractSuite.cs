using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.OpenData;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.OpenData;

/// <summary>
/// The API keeps its word: the OpenAPI document is walked and every GET is called with each format it declares and with
/// an unknown parameter; the parameters declared are the parameters accepted; every paged list answers with a Link
/// header and totals. Then the HDX- and Frictionless-ready outputs: datapackage.json, the CKAN record and the ZIP.
/// </summary>
public abstract partial class ApiContractSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] DatasetIds = ["population-figures", "response-plan", "response-reached", "activities-5w", "organisations", "funding"];

    private async Task<JsonElement> OpenApiAsync() => (await app.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct));

    /// <summary>A value for each route parameter that names something that exists (a missing one still must not fail).</summary>
    private async Task<Func<string, string, string>> RouteValuesAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var year = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year.ToString(CultureInfo.InvariantCulture);
        var report = (await db.ActivityReports.OrderBy(r => r.Id).Select(r => r.Id).FirstAsync(Ct)).ToString(CultureInfo.InvariantCulture);
        var space = (await db.ForumSpaces.OrderBy(s => s.Id).Select(s => s.Id).FirstOrDefaultAsync(Ct)).ToString(CultureInfo.InvariantCulture);
        var thread = (await db.ForumThreads.OrderBy(s => s.Id).Select(s => s.Id).FirstOrDefaultAsync(Ct)).ToString(CultureInfo.InvariantCulture);
        var contribution = (await db.Contributions.OrderBy(s => s.Id).Select(s => s.Id).FirstOrDefaultAsync(Ct)).ToString(CultureInfo.InvariantCulture);
        var user = await db.Users.OrderBy(u => u.Email).Select(u => u.Id).FirstAsync(Ct);
        var org = await db.Organisations.OrderBy(o => o.Acronym).Select(o => o.Acronym).FirstAsync(Ct);
        return (path, name) => name switch
        {
            "year" => year,
            "iso3" => "COL",
            "acronym" => org,
            "id" when path.StartsWith("/api/v1/reports", StringComparison.Ordinal) => report,
            "id" when path.StartsWith("/api/v1/forum/spaces", StringComparison.Ordinal) => space,
            "id" when path.StartsWith("/api/v1/forum/threads", StringComparison.Ordinal) => thread,
            "id" when path.StartsWith("/api/v1/funding", StringComparison.Ordinal) => contribution,
            "id" when path.StartsWith("/api/v1/users", StringComparison.Ordinal) => user,
            "id" when path.StartsWith("/api/v1/datasets", StringComparison.Ordinal) => "activities-5w",
            _ => "1",
        };
    }

    /// <summary>Values some operations need to answer 200 at all (a search needs words).</summary>
    private static string Required(string path) => path == "/api/v1/search" ? "q=health" : "";

    private static IEnumerable<(string Path, JsonElement Op)> Gets(JsonElement doc) =>
        doc.GetProperty("paths").EnumerateObject()
            .Where(p => p.Value.TryGetProperty("get", out _))
            .Select(p => (p.Name, p.Value.GetProperty("get")));

    private static List<string> QueryParameters(JsonElement op) => op.TryGetProperty("parameters", out var ps)
        ? ps.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToList()
        : [];

    private static List<string> Formats(JsonElement op) => op.TryGetProperty("parameters", out var ps)
        ? ps.EnumerateArray().Where(p => p.GetProperty("name").GetString() == "format" && p.GetProperty("schema").TryGetProperty("enum", out _))
            .SelectMany(p => p.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()!)).ToList()
        : [];

    private static string Url(string path, params string[] query)
    {
        var q = string.Join("&", query.Where(x => x.Length > 0));
        return q.Length == 0 ? path : $"{path}?{q}";
    }

    [Fact]
    public async Task EveryGetOperation_AnswersEachDeclaredFormat_RefusesAnUnknownParameter_AndNeverFails()
    {
        var doc = await OpenApiAsync();
        var values = await RouteValuesAsync();
        var anonymous = app.Client();
        var admin = await app.ApiClientAsync(R.Admin);
        var failures = new List<string>();
        var walked = 0;
        foreach (var (template, op) in Gets(doc))
        {
            walked++;
            var path = RouteParameter().Replace(template, m => Uri.EscapeDataString(values(template, m.Groups[1].Value)));
            var client = op.TryGetProperty("security", out _) ? admin : anonymous;
            async Task<HttpResponseMessage> GetAsync(string url)
            {
                var response = await client.GetAsync(url, Ct);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{url}: {(int)response.StatusCode}");
                }
                return response;
            }

            using (var plain = await GetAsync(Url(path, Required(template))))
            {
                Assert.NotEqual(HttpStatusCode.Unauthorized, plain.StatusCode);
            }
            foreach (var format in Formats(op))
            {
                using var response = await GetAsync(Url(path, Required(template), $"format={format}"));
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{path}?format={format} answered {(int)response.StatusCode}");
                }
                else
                {
                    var type = response.Content.Headers.ContentType?.MediaType;
                    var expected = format switch { "csv" => TabularContentTypes.CsvMediaType, "xlsx" or "xlsform" => TabularContentTypes.Xlsx, _ => "application/json" };
                    if (type != expected)
                    {
                        failures.Add($"{path}?format={format} answered {type}");
                    }
                }
            }
            using (var unknown = await GetAsync(Url(path, Required(template), "surelyNotAParameter=1")))
            {
                if (unknown.StatusCode != HttpStatusCode.BadRequest || unknown.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{path} took an unknown parameter: {(int)unknown.StatusCode}");
                }
            }
            // Every declared parameter, given a value that means nothing, is refused or honoured: never a failure.
            foreach (var name in QueryParameters(op).Where(n => n is not ("format" or "q")))
            {
                using var _ = await GetAsync(Url(path, Required(template), $"{name}=%C3%B1o-such-value"));
            }
        }
        Assert.True(walked > 25, $"only {walked} GET operations");
        Assert.Empty(failures);
    }

    /// <summary>The query parameters of an operation whose schema says what they take: an enum, a type or format, a pattern, or codes of a directory.</summary>
    private static IEnumerable<(string Name, string Bogus)> RuledParameters(JsonElement op)
    {
        if (!op.TryGetProperty("parameters", out var ps))
        {
            yield break;
        }
        foreach (var p in ps.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query"))
        {
            var name = p.GetProperty("name").GetString()!;
            if (p.TryGetProperty("x-closer-codes", out var codes))
            {
                // Well formed, but in no directory.
                yield return (name, codes.GetString() == "countries" ? "XYZ" : "BOGUS");
                continue;
            }
            var schema = p.GetProperty("schema");
            var types = !schema.TryGetProperty("type", out var t) ? []
                : t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()!).ToList() : [t.GetString()!];
            if (schema.TryGetProperty("enum", out _) || schema.TryGetProperty("format", out _) || schema.TryGetProperty("pattern", out _)
                || types.Any(x => x is "integer" or "number" or "boolean"))
            {
                yield return (name, "bogus");
            }
        }
    }

    [Fact]
    public async Task EveryDocumentedValueRule_RefusesABogusValue_WithAProblemNamingIt()
    {
        var doc = await OpenApiAsync();
        var values = await RouteValuesAsync();
        var anonymous = app.Client();
        var admin = await app.ApiClientAsync(R.Admin);
        var failures = new List<string>();
        var checkedParameters = 0;
        foreach (var (template, op) in Gets(doc))
        {
            var path = RouteParameter().Replace(template, m => Uri.EscapeDataString(values(template, m.Groups[1].Value)));
            var client = op.TryGetProperty("security", out _) ? admin : anonymous;
            foreach (var (name, bogus) in RuledParameters(op))
            {
                checkedParameters++;
                var url = Url(path, Required(template), $"{name}={bogus}");
                using var response = await client.GetAsync(url, Ct);
                if (response.StatusCode == HttpStatusCode.NotFound && template.Contains('{', StringComparison.Ordinal))
                {
                    continue;
                }
                if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{url}: {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}");
                    continue;
                }
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
                var code = problem.TryGetProperty("code", out var c) ? c.GetString() : null;
                if (code is null || problem.GetProperty("type").GetString() != $"https://closer.invalid/problems/{code}")
                {
                    failures.Add($"{url}: a problem without the code scheme: {problem}");
                    continue;
                }
                // The contract's own refusals name the parameter and the value; format, paging and language keep their codes.
                if (name is not ("format" or "page" or "pageSize" or "lang")
                    && (!problem.TryGetProperty("parameter", out var p) || !string.Equals(p.GetString(), name, StringComparison.OrdinalIgnoreCase)
                        || problem.GetProperty("value").GetString() != bogus || !problem.GetProperty("title").GetString()!.Contains(bogus, StringComparison.Ordinal)))
                {
                    failures.Add($"{url}: the problem does not name {name}={bogus}: {problem}");
                }
            }
        }
        Assert.True(checkedParameters > 40, $"only {checkedParameters} parameters with rules");
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("/api/v1/dashboards/gaps?sort=bogus", "sort", "unknown-value")]
    [InlineData("/api/v1/dashboards/gaps?dir=sideways", "dir", "unknown-value")]
    [InlineData("/api/v1/dashboards/gaps?year=abc", "year", "invalid-value")]
    [InlineData("/api/v1/reports?status=bogus", "status", "unknown-value")]
    [InlineData("/api/v1/reports?month=2026-13", "month", "invalid-value")]
    [InlineData("/api/v1/users?role=bogus", "role", "unknown-value")]
    [InlineData("/api/v1/users?status=bogus", "status", "unknown-value")]
    [InlineData("/api/v1/funding/contributions?status=bogus", "status", "unknown-value")]
    [InlineData("/api/v1/funding/contributions?deleted=maybe", "deleted", "invalid-value")]
    [InlineData("/api/v1/activities?country=XYZ", "country", "unknown-country")]
    [InlineData("/api/v1/activities?sector=BOGUS", "sector", "unknown-sector")]
    [InlineData("/api/v1/dashboards/response?country=XYZ", "country", "unknown-country")]
    [InlineData("/api/v1/dashboards/response?sector=BOGUS", "sector", "unknown-sector")]
    [InlineData("/api/v1/documents?country=XYZ", "country", "unknown-country")]
    [InlineData("/api/v1/documents?sector=BOGUS", "sector", "unknown-value")]
    [InlineData("/api/v1/search?q=health&country=XYZ", "country", "unknown-country")]
    [InlineData("/api/v1/search?q=health&kind=bogus", "kind", "unknown-value")]
    public async Task AValueTheEndpointDoesNotTake_IsA400ProblemInEveryLanguage(string url, string parameter, string code)
    {
        var admin = await app.ApiClientAsync(R.Admin);
        var titles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lang in new[] { "en", "es", "pt", "pap" })
        {
            using var response = await admin.GetAsync($"{url}&lang={lang}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.Equal($"https://closer.invalid/problems/{code}", problem.GetProperty("type").GetString());
            Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
            var title = problem.GetProperty("title").GetString()!;
            Assert.Contains(parameter, title, StringComparison.Ordinal);
            Assert.Contains(problem.GetProperty("value").GetString()!, title, StringComparison.Ordinal);
            titles.Add(title);
        }
        Assert.Equal(4, titles.Count);
    }

    [Fact]
    public async Task ABodyThatCannotBeRead_IsAProblemWithTheCodeScheme()
    {
        var admin = await app.ApiClientAsync(R.Admin);
        using var content = new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync("/api/v1/funding/contributions", content, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("https://closer.invalid/problems/bad-request", problem.GetProperty("type").GetString());
        Assert.Equal("bad-request", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AMainSector_IncludesItsSubSectors_AndAKnownCodeWithoutDataIsEmpty()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var subSectors = await db.Sectors.Where(s => s.ParentCode == "PRO").Select(s => s.Code).ToListAsync(Ct);
        Assert.NotEmpty(subSectors);
        var client = app.Client();
        async Task<int> TotalAsync(string query)
        {
            using var response = await client.GetAsync($"/api/v1/activities?pageSize=1&{query}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return int.Parse(response.Headers.GetValues("X-Total-Count").Single(), CultureInfo.InvariantCulture);
        }
        var whole = await TotalAsync("sector=PRO");
        Assert.Equal(whole, await TotalAsync("sector=pro"));
        // The rows of sector=PRO, by their own sector: PRO's and each sub-sector's, each as many as asking for it alone.
        var body = await client.GetFromJsonAsync<JsonElement>("/api/v1/activities?sector=PRO&pageSize=5000", Ct);
        var rows = body.ValueKind == JsonValueKind.Array ? body : body.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value;
        var bySector = rows.EnumerateArray().GroupBy(r => r.GetProperty("sector").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(whole, bySector.Values.Sum());
        Assert.Contains(bySector.Keys, subSectors.Contains);
        Assert.All(bySector.Keys, k => Assert.True(k == "PRO" || subSectors.Contains(k), $"sector=PRO gave a row of {k}"));
        foreach (var code in subSectors)
        {
            Assert.Equal(bySector.GetValueOrDefault(code), await TotalAsync($"sector={code}"));
        }
        var quiet = await db.Countries.Select(c => c.Iso3).Where(c => !db.ActivityReports.Any(r => r.CountryIso3 == c)).FirstOrDefaultAsync(Ct);
        if (quiet is not null)
        {
            Assert.Equal(0, await TotalAsync($"country={quiet}"));
        }
    }

    [Fact]
    public async Task TheDocumentDeclares_ExactlyTheQueryParametersTheApiAccepts()
    {
        var doc = await OpenApiAsync();
        var declared = Gets(doc).ToDictionary(g => g.Path, g => QueryParameters(g.Op).Order(StringComparer.OrdinalIgnoreCase).ToList(), StringComparer.Ordinal);
        var mismatches = new List<string>();
        foreach (var e in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true))
        {
            var path = "/" + RouteConstraint().Replace(e.RoutePattern.RawText!.Trim('/'), "{$1}");
            if (!declared.TryGetValue(path, out var inDocument))
            {
                continue;
            }
            var accepted = ApiContract.Declared(app.Services, e)!.Where(n => !n.StartsWith('\0')).Order(StringComparer.OrdinalIgnoreCase).ToList();
            if (!accepted.SequenceEqual(inDocument, StringComparer.OrdinalIgnoreCase))
            {
                mismatches.Add($"{path}: document [{string.Join(", ", inDocument)}], accepted [{string.Join(", ", accepted)}]");
            }
        }
        Assert.Empty(mismatches);
        Assert.Contains("pageSize", declared["/api/v1/organisations"]);
        Assert.Contains("format", declared["/api/v1/organisations"]);
    }

    [Fact]
    public async Task EveryPagedList_AnswersAPageWithLinkAndTotals()
    {
        var doc = await OpenApiAsync();
        var values = await RouteValuesAsync();
        var anonymous = app.Client();
        var admin = await app.ApiClientAsync(R.Admin);
        var paged = Gets(doc).Where(g => QueryParameters(g.Op).Contains("pageSize")).ToList();
        Assert.True(paged.Count >= 15, $"only {paged.Count} paged lists");
        foreach (var (template, op) in paged)
        {
            var path = RouteParameter().Replace(template, m => values(template, m.Groups[1].Value));
            var client = op.TryGetProperty("security", out _) ? admin : anonymous;
            using var response = await client.GetAsync(Url(path, Required(template), "page=1", "pageSize=1"), Ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                continue;
            }
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.True(response.Headers.TryGetValues("X-Total-Count", out var totals) && response.Headers.TryGetValues("Link", out _), $"{path} has no paging headers");
            var total = int.Parse(totals.Single(), CultureInfo.InvariantCulture);
            var link = response.Headers.GetValues("Link").Single();
            Assert.Contains("rel=\"first\"", link, StringComparison.Ordinal);
            Assert.Contains($"pageSize=1>; rel=\"last\"", link, StringComparison.Ordinal);
            Assert.Equal(total > 1, link.Contains("rel=\"next\"", StringComparison.Ordinal));
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            var items = body.ValueKind == JsonValueKind.Array ? body
                : body.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value;
            Assert.True(items.GetArrayLength() <= 1, $"{path} sent {items.GetArrayLength()} rows for pageSize=1");
            Assert.Equal(Math.Min(total, 1), items.GetArrayLength());
        }
        using var bad = await anonymous.GetAsync("/api/v1/organisations?pageSize=0", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/organisations?lang=xx", "idioma")]
    [InlineData("/api/v1/countries?limit=1", "parámetro")]
    [InlineData("/api/v1/documents?type=nonsense", "admite")]
    [InlineData("/api/v1/dashboards/response?by=month", "admite")]
    [InlineData("/api/v1/dashboards/refugees/series?country=Colombia", "país")]
    [InlineData("/api/v1/dashboards/gaps?year=abc", "válido")]
    public async Task AnUnknownParameterOrValue_IsALocalizedProblem(string url, string word)
    {
        var client = app.Client();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");
        using var response = await client.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(word, problem.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Organisations_AnswerCsvAndXlsx_WithTheHxlRow()
    {
        var client = app.Client();
        using var csv = await client.GetAsync("/api/v1/organisations?format=csv", Ct);
        Assert.Equal(TabularContentTypes.CsvMediaType, csv.Content.Headers.ContentType!.MediaType);
        var rows = SheetReader.ReadCsv(new MemoryStream(await csv.Content.ReadAsByteArrayAsync(Ct)));
        Assert.Equal(["#org+code", "#org+name", "#org+type", "#country+code"], rows[1].Cells);
        var json = await client.GetFromJsonAsync<List<JsonElement>>("/api/v1/organisations", Ct);
        Assert.Equal(json!.Count, rows.Count - 2);
        Assert.Equal(json.Select(o => o.GetProperty("acronym").GetString()), rows.Skip(2).Select(r => r.Cells[0]));
        using var xlsx = await client.GetAsync("/api/v1/organisations?format=xlsx", Ct);
        Assert.Equal(TabularContentTypes.Xlsx, xlsx.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task DataPackages_DescribeTheActualCsv_AndEveryResourceAnswers()
    {
        var client = app.Client();
        foreach (var id in DatasetIds)
        {
            using var response = await client.GetAsync($"/api/v1/datasets/{id}/datapackage.json", Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{id}: {(int)response.StatusCode}");
            var package = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("tabular-data-package", package.GetProperty("profile").GetString());
            Assert.Equal(id, package.GetProperty("name").GetString());
            Assert.False(string.IsNullOrWhiteSpace(package.GetProperty("title").GetString()));
            Assert.Matches(@"^\d+\.\d+\.\d+$", package.GetProperty("version").GetString());
            Assert.NotEmpty(package.GetProperty("licenses").EnumerateArray().Select(l => l.GetProperty("title").GetString()));
            Assert.NotEmpty(package.GetProperty("sources").EnumerateArray());
            var resource = package.GetProperty("resources").EnumerateArray().Single();
            Assert.Equal("tabular-data-resource", resource.GetProperty("profile").GetString());
            var url = resource.GetProperty("path").GetString()!;
            using var csvResponse = await client.GetAsync(new Uri(url).PathAndQuery, Ct);
            Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
            var rows = SheetReader.ReadCsv(new MemoryStream(await csvResponse.Content.ReadAsByteArrayAsync(Ct))).Select(r => r.Cells.Select(c => c ?? "").ToArray()).ToList();
            var fields = resource.GetProperty("schema").GetProperty("fields").EnumerateArray().ToList();
            Assert.Equal(rows[0], fields.Select(f => f.GetProperty("name").GetString()!));
            Assert.Equal(rows[1], fields.Select(f => f.GetProperty("hxl").GetString()!));
            for (var i = 0; i < fields.Count; i++)
            {
                var type = fields[i].GetProperty("type").GetString();
                Assert.Contains(rows[1][i], fields[i].GetProperty("description").GetString(), StringComparison.Ordinal);
                var cells = rows.Skip(2).Select(r => r[i]).Where(c => c.Length > 0).ToList();
                Assert.All(cells, c => Assert.True(type switch
                {
                    "integer" => long.TryParse(c, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                    "number" => decimal.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
                    "year" => YearPattern().IsMatch(c),
                    "yearmonth" => MonthPattern().IsMatch(c),
                    "date" => DateOnly.TryParseExact(c, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                    "string" => true,
                    _ => false,
                }, $"{id}: '{c}' is not a {type} ({rows[0][i]})"));
            }
            if (id != "organisations")
            {
                Assert.Contains(fields, f => f.GetProperty("type").GetString() is "integer" or "number");
            }
        }
        using var missing = await client.GetAsync("/api/v1/datasets/no-such-dataset/datapackage.json", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("es", true)]
    [InlineData("pt", false)]
    [InlineData("pap", true)]
    public async Task DataPackages_DescribeTheirFields_InTheCallersLanguage_WithTheHxlTags(string lang, bool byQuery)
    {
        var english = app.Client();
        var client = app.Client();
        if (!byQuery)
        {
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(lang);
        }
        foreach (var id in DatasetIds)
        {
            var en = await english.GetFromJsonAsync<JsonElement>($"/api/v1/datasets/{id}/datapackage.json?lang=en", Ct);
            var package = await client.GetFromJsonAsync<JsonElement>($"/api/v1/datasets/{id}/datapackage.json{(byQuery ? $"?lang={lang}" : "")}", Ct);
            var resource = package.GetProperty("resources").EnumerateArray().Single();
            Assert.Contains($"lang={lang}", resource.GetProperty("path").GetString(), StringComparison.Ordinal);
            var enFields = en.GetProperty("resources")[0].GetProperty("schema").GetProperty("fields").EnumerateArray().ToList();
            var fields = resource.GetProperty("schema").GetProperty("fields").EnumerateArray().ToList();
            Assert.Equal(enFields.Select(f => f.GetProperty("hxl").GetString()), fields.Select(f => f.GetProperty("hxl").GetString()));
            for (var i = 0; i < fields.Count; i++)
            {
                var tag = fields[i].GetProperty("hxl").GetString()!;
                var description = fields[i].GetProperty("description").GetString()!;
                Assert.StartsWith($"HXL: {tag}", description, StringComparison.Ordinal);
                // The title is the CSV's header in that language.
                Assert.False(string.IsNullOrWhiteSpace(fields[i].GetProperty("title").GetString()));
                if (Hxl.Term(tag) is { } term)
                {
                    Assert.Equal($"HXL: {tag} ({term.Meaning})", enFields[i].GetProperty("description").GetString());
                    Assert.DoesNotContain(term.Meaning, description, StringComparison.Ordinal);
                    Assert.Matches(@"^HXL: \S+ \(.+\)$", description);
                }
            }
        }
    }

    [Fact]
    public async Task CkanRecords_HaveTheFieldsHdxAsksFor_AndEveryResourceAnswers()
    {
        var client = app.Client();
        foreach (var id in DatasetIds)
        {
            var record = await client.GetFromJsonAsync<JsonElement>($"/api/v1/datasets/{id}/ckan.json", Ct);
            foreach (var field in new[] { "title", "notes", "methodology", "license_id", "data_update_frequency", "dataset_source", "maintainer", "caveats" })
            {
                Assert.False(string.IsNullOrWhiteSpace(record.GetProperty(field).GetString()), $"{id}: {field}");
            }
            Assert.Matches(@"^closer-[a-z0-9-]+$", record.GetProperty("name").GetString());
            Assert.Contains(record.GetProperty("tags").EnumerateArray(), t => t.GetProperty("name").GetString() == "hxl");
            if (id is not "organisations")
            {
                Assert.Matches(@"^\[\d{4}-\d{2}-\d{2}T00:00:00 TO \d{4}-\d{2}-\d{2}T23:59:59\]$", record.GetProperty("dataset_date").GetString());
            }
            if (id is "population-figures" or "activities-5w")
            {
                Assert.Contains(record.GetProperty("groups").EnumerateArray(), g => g.GetProperty("name").GetString() == "col");
            }
            var resources = record.GetProperty("resources").EnumerateArray().ToList();
            Assert.Contains(resources, r => r.GetProperty("format").GetString() == "CSV");
            foreach (var r in resources)
            {
                using var response = await client.GetAsync(new Uri(r.GetProperty("url").GetString()!).PathAndQuery, Ct);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{r.GetProperty("url")}: {(int)response.StatusCode}");
            }
        }
    }

    public static TheoryData<string?, HttpStatusCode> PackageMatrix => new()
    {
        { null, HttpStatusCode.Unauthorized },
        { R.Viewer, HttpStatusCode.Forbidden },
        { R.FocalPoint, HttpStatusCode.Forbidden },
        { R.Editor, HttpStatusCode.Forbidden },
        { R.Translator, HttpStatusCode.Forbidden },
        { R.Coordinator, HttpStatusCode.OK },
        { R.Admin, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(PackageMatrix))]
    public async Task DatasetPackage_IsForCoordinatorsAndAdministrators_AndIsThePublicTable(string? role, HttpStatusCode expected)
    {
        var client = role switch
        {
            null => app.Client(),
            R.FocalPoint => await app.SignedInClientAsync(role, "FPUENTE", "COL"),
            R.Coordinator => await app.SignedInClientAsync(role, null, "COL"),
            _ => await app.SignedInClientAsync(role),
        };
        using var response = await client.GetAsync("/api/v1/datasets/activities-5w/package.zip?lang=en", Ct);
        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.OK)
        {
            return;
        }
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct)));
        Assert.Equal(["README.md", "ckan.json", "data/activities-5w.csv", "datapackage.json"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        byte[] Read(string name)
        {
            using var s = zip.GetEntry(name)!.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        }
        // The coordinator's package is the table an anonymous reader downloads (suppressed), not their unsuppressed scope.
        var publicCsv = await app.Client().GetByteArrayAsync("/api/v1/activities?format=csv&lang=en", Ct);
        Assert.Equal(publicCsv, Read("data/activities-5w.csv"));
        var package = JsonDocument.Parse(Read("datapackage.json")).RootElement;
        Assert.Equal("data/activities-5w.csv", package.GetProperty("resources")[0].GetProperty("path").GetString());
        var readme = System.Text.Encoding.UTF8.GetString(Read("README.md"));
        Assert.Contains("public version", readme, StringComparison.Ordinal);
        Assert.Contains("not the unsuppressed data", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatasetPackage_RendersTheTableOncePerDataVersion_AndACommittedChangeRendersItAgain()
    {
        var client = await app.SignedInClientAsync(R.Coordinator, null, "COL");
        async Task<string> PackagedCsvAsync()
        {
            using var response = await client.GetAsync("/api/v1/datasets/population-figures/package.zip?lang=en", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct)));
            using var reader = new StreamReader(zip.GetEntry("data/population-figures.csv")!.Open());
            return await reader.ReadToEndAsync(Ct);
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var row = await db.PopulationFigures.AsNoTracking().OrderBy(f => f.Id).FirstAsync(Ct);
        var marker = "Package cache " + Guid.NewGuid().ToString("N");
        var before = await PackagedCsvAsync();
        Assert.DoesNotContain(marker, before, StringComparison.Ordinal);
        // A write that bypasses the change tracker and stamps nothing: the rendered table is not rendered again.
        await db.PopulationFigures.Where(f => f.Id == row.Id).ExecuteUpdateAsync(u => u.SetProperty(f => f.Source, marker), Ct);
        try
        {
            Assert.Equal(before, await PackagedCsvAsync());
            // Its stamp committed (as every tracked save and the bulk import write one), the next package is the new table.
            await DataStamps.MarkChangedAsync(db, DataStamps.Figures, TimeProvider.System.GetUtcNow(), Ct);
            var after = await PackagedCsvAsync();
            Assert.Contains(marker, after, StringComparison.Ordinal);
        }
        finally
        {
            await db.PopulationFigures.Where(f => f.Id == row.Id).ExecuteUpdateAsync(u => u.SetProperty(f => f.Source, row.Source), Ct);
            await DataStamps.MarkChangedAsync(db, DataStamps.Figures, TimeProvider.System.GetUtcNow(), Ct);
        }
        Assert.DoesNotContain(marker, await PackagedCsvAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\{([^}:=?]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"\{([^}:=?]+)[^}]*\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"^\d{4}$")]
    private static partial Regex YearPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}$")]
    private static partial Regex MonthPattern();
}

public sealed class ApiContractSqlite(SqliteClockApp app) : ApiContractSuite<SqliteClockApp>(app);
public sealed class ApiContractPostgres(PostgresClockApp app) : ApiContractSuite<PostgresClockApp>(app);
