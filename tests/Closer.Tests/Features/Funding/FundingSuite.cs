using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Funding;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace Closer.Tests.Features.Funding;

/// <summary>
/// Funding: contributions through the API and the spreadsheet import, the scope rules, revisions and soft deletes,
/// coverage arithmetic on a hand-computed plan year, the open data and the public page. Each test works in its own
/// plan year so the suite's tests never see each other's money.
/// </summary>
public abstract partial class FundingSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static int _nextYear = 2040;

    private const string Header = "year,donor,donortype,recipient,country,sector,amount,status,date,reference";
    private const string Hxl = "#date+year,#org+funding,#org+funding+type,#org+recipient,#country+code,#sector,#value+usd,#status,#date,#meta+source";

    /// <summary>
    /// A plan year of its own: requirement 1,000,000 overall; sectors EDU 400,000 and HEA 600,000; targets COL EDU 300,000,
    /// COL HEA 200,000 and PER HEA 250,000.
    /// </summary>
    private async Task<int> NewPlanYearAsync()
    {
        var year = Interlocked.Increment(ref _nextYear);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        db.ResponsePlans.Add(new ResponsePlan { Year = year, RequirementUsd = 1_000_000, Source = "Test plan" });
        await db.SaveChangesAsync(Ct);
        db.SectorPlans.Add(new SectorPlan { Year = year, SectorCode = "EDU", RequirementUsd = 400_000 });
        db.SectorPlans.Add(new SectorPlan { Year = year, SectorCode = "HEA", RequirementUsd = 600_000 });
        db.PlanTargets.Add(new PlanTarget { Year = year, CountryIso3 = "COL", IndicatorCode = "EDU-01", PopulationGroup = "destination", Target = 10, RequirementUsd = 300_000 });
        db.PlanTargets.Add(new PlanTarget { Year = year, CountryIso3 = "COL", IndicatorCode = "HEA-01", PopulationGroup = "destination", Target = 10, RequirementUsd = 200_000 });
        db.PlanTargets.Add(new PlanTarget { Year = year, CountryIso3 = "PER", IndicatorCode = "HEA-01", PopulationGroup = "host", Target = 10, RequirementUsd = 250_000 });
        await db.SaveChangesAsync(Ct);
        return year;
    }

    private static object Input(int year, string donor, string? country, string? sector, decimal amount, string status, string recipient = "CAMPO",
        string? reference = null) =>
        new { year, donor, donorType = "government", recipient, country, sector, amountUsd = amount, status, date = $"{year}-02-10", reference };

    private static async Task<int> CreateAsync(HttpClient client, object input)
    {
        var response = await client.PostAsJsonAsync("/api/v1/funding/contributions", input, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("id").GetInt32();
    }

    private static async Task<HttpResponseMessage> PostCsvAsync(HttpClient client, params string[] lines)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n")), "file", "funding.csv");
        return await client.PostAsync("/api/v1/funding/import", form, Ct);
    }

    private static async Task<List<(int? Row, string Column, string Message)>> ErrorsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, body);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("errors").EnumerateArray().Select(e => (
            e.GetProperty("row").ValueKind == JsonValueKind.Null ? (int?)null : e.GetProperty("row").GetInt32(),
            e.GetProperty("column").GetString()!, e.GetProperty("message").GetString()!)).ToList();
    }

    private async Task<(int Count, int Revisions, int Audit)> CountsAsync(int year)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var ids = await db.Contributions.Where(c => c.Year == year).Select(c => c.Id).ToListAsync(Ct);
        return (ids.Count, await db.ContributionRevisions.CountAsync(r => ids.Contains(r.ContributionId), Ct),
            await db.AuditEntries.CountAsync(a => a.EntityType == "contribution" && a.EntityKey.StartsWith(year.ToString(CultureInfo.InvariantCulture)), Ct));
    }

    private static async Task<JsonElement> CoverageAsync(HttpClient client, int year)
    {
        var body = await client.GetStringAsync($"/api/v1/funding?year={year}&format=json", Ct);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static JsonElement LineOf(JsonElement coverage, string list, Func<JsonElement, bool> match) =>
        coverage.GetProperty(list).EnumerateArray().Single(match);

    private static string? Str(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetString();

    private static (decimal Requirement, decimal Received, decimal Pledged, decimal? Coverage) Numbers(JsonElement line) => (
        line.GetProperty("requirementUsd").GetDecimal(), line.GetProperty("receivedUsd").GetDecimal(), line.GetProperty("pledgedUsd").GetDecimal(),
        line.GetProperty("coveragePct").ValueKind == JsonValueKind.Null ? null : line.GetProperty("coveragePct").GetDecimal());

    /// <summary>The hand-computed data set: see the expected figures in the assertions.</summary>
    private async Task<(int Year, HttpClient Admin)> HandComputedYearAsync()
    {
        var year = await NewPlanYearAsync();
        var admin = await app.ApiClientAsync(R.Admin);
        await CreateAsync(admin, Input(year, "Donor A", "COL", "EDU", 100_000m, "paid"));
        await CreateAsync(admin, Input(year, "Donor B", "COL", "EDU", 50_000m, "committed"));
        await CreateAsync(admin, Input(year, "Donor B", "COL", "HEA", 80_000m, "pledged"));
        await CreateAsync(admin, Input(year, "Donor C", "PER", "HEA", 125_000m, "paid", recipient: "ACOGIDA"));
        await CreateAsync(admin, Input(year, "Pooled fund", null, "HEA", 60_000m, "paid", recipient: "AREF"));
        await CreateAsync(admin, Input(year, "Flexible donor", null, null, 40_000m, "committed", recipient: "AREF"));
        await CreateAsync(admin, Input(year, "Donor A", "COL", "PRO-CP", 10_000m, "paid"));
        var deleted = await CreateAsync(admin, Input(year, "Gone", "COL", "EDU", 999_999.99m, "paid"));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/funding/contributions/{deleted}", Ct)).StatusCode);
        return (year, admin);
    }

    [Fact]
    public async Task Coverage_HandComputedYear_CountsCommittedAndPaid_NotPledgedNorDeleted_AndRegionalOnlyOverall()
    {
        var (year, admin) = await HandComputedYearAsync();
        var coverage = await CoverageAsync(admin, year);

        // Overall: received 100 + 50 + 125 + 60 + 40 + 10 = 385 thousand of 1,000 thousand; 80 thousand pledged apart.
        Assert.Equal((1_000_000m, 385_000m, 80_000m, 38.5m), Numbers(coverage.GetProperty("total")));
        // Countries: COL 160 of 500 (32 %), PER 125 of 250 (50 %), regional 100 with no requirement.
        Assert.Equal((500_000m, 160_000m, 80_000m, 32.0m), Numbers(LineOf(coverage, "countries", l => Str(l, "country") == "COL")));
        Assert.Equal((250_000m, 125_000m, 0m, 50.0m), Numbers(LineOf(coverage, "countries", l => Str(l, "country") == "PER")));
        Assert.Equal((0m, 100_000m, 0m, null), Numbers(LineOf(coverage, "countries", l => Str(l, "country") is null)));
        // Sectors: EDU 150 of 400 (37.5 %), HEA 185 of 600 (30.8 %), child protection counted in Protection, 40 unspecified.
        Assert.Equal((400_000m, 150_000m, 0m, 37.5m), Numbers(LineOf(coverage, "sectors", l => Str(l, "sector") == "EDU")));
        Assert.Equal((600_000m, 185_000m, 80_000m, 30.8m), Numbers(LineOf(coverage, "sectors", l => Str(l, "sector") == "HEA")));
        Assert.Equal((0m, 10_000m, 0m, null), Numbers(LineOf(coverage, "sectors", l => Str(l, "sector") == "PRO")));
        Assert.Equal((0m, 40_000m, 0m, null), Numbers(LineOf(coverage, "sectors", l => Str(l, "sector") is null)));
        Assert.DoesNotContain(coverage.GetProperty("sectors").EnumerateArray(), l => Str(l, "sector") == "PRO-CP");
        // Cells: COL × EDU 150 of 300 (50 %), COL × HEA nothing received of 200 (0 %, the pledge not counted).
        Assert.Equal((300_000m, 150_000m, 0m, 50.0m), Numbers(LineOf(coverage, "cells", l => Str(l, "country") == "COL" && Str(l, "sector") == "EDU")));
        Assert.Equal((200_000m, 0m, 80_000m, 0.0m), Numbers(LineOf(coverage, "cells", l => Str(l, "country") == "COL" && Str(l, "sector") == "HEA")));
    }

    [Fact]
    public async Task ContributionsList_FiltersBySectorWithSubSectors_Regional_DonorAndStatus()
    {
        var (year, admin) = await HandComputedYearAsync();
        async Task<List<string>> DonorsAsync(string query) =>
            (await admin.GetFromJsonAsync<ContributionPage>($"/api/v1/funding/contributions?year={year}&{query}", Ct))!.Items
                .Select(c => $"{c.Donor}:{c.AmountUsd.ToString(CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Donor A:10000"], await DonorsAsync("sector=PRO"));
        Assert.Equal(["Flexible donor:40000", "Pooled fund:60000"], await DonorsAsync("country=REGIONAL"));
        Assert.Equal(["Donor A:10000", "Donor A:100000"], await DonorsAsync("donor=donor%20a"));
        Assert.Equal(["Donor B:80000"], await DonorsAsync("status=pledged"));
        Assert.Equal(["Donor C:125000"], await DonorsAsync("country=PER&sector=HEA&status=paid"));
        Assert.Equal(["Gone:999999.99"], await DonorsAsync("deleted=true"));
    }

    [Fact]
    public async Task OpenDataCsv_HxlRowMatchesColumns_AndItsNumbersEqualTheJson()
    {
        var (year, admin) = await HandComputedYearAsync();
        var anonymous = app.Client();
        var csv = await anonymous.GetStringAsync($"/api/v1/funding?year={year}&format=csv", Ct);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var hxl = lines[1].Split(',');
        Assert.Equal(FundingOpenData.CoverageColumns.Select(c => c.Header("en")), header);
        Assert.Equal(FundingOpenData.CoverageColumns.Select(c => c.Hxl), hxl);
        Assert.Contains("#value+requirement+usd", hxl);
        Assert.Contains("#value+funding+usd", hxl);
        Assert.Contains("#value+pledged+usd", hxl);
        Assert.Contains("#indicator+num+coverage+pct", hxl);
        var total = lines[2].Split(',');
        string Cell(string[] row, string tag) => row[Array.IndexOf(hxl, tag)];
        Assert.Equal("total", Cell(total, "#meta+level"));
        Assert.Equal("1000000", Cell(total, "#value+requirement+usd"));
        Assert.Equal("385000", Cell(total, "#value+funding+usd"));
        Assert.Equal("80000", Cell(total, "#value+pledged+usd"));
        Assert.Equal("38.5", Cell(total, "#indicator+num+coverage+pct"));
        var per = lines.Skip(2).Select(l => l.Split(',')).Single(r => Cell(r, "#meta+level") == "country" && Cell(r, "#country+code") == "PER");
        Assert.Equal("50", Cell(per, "#indicator+num+coverage+pct"));

        // XLSX: the same two header rows.
        var xlsx = await anonymous.GetByteArrayAsync($"/api/v1/funding?year={year}&format=xlsx", Ct);
        var rows = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: false).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(header, rows[0].Values.Select(v => v?.ToString()));
        Assert.Equal(hxl, rows[1].Values.Select(v => v?.ToString()));

        // Donors: #org+funder+name with received and pledged, pledges apart.
        var donors = (await anonymous.GetStringAsync($"/api/v1/funding/donors?year={year}&format=csv", Ct)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var donorHxl = donors[1].Split(',');
        Assert.Equal(FundingOpenData.DonorColumns.Select(c => c.Hxl), donorHxl);
        var donorB = donors.Skip(2).Select(l => l.Split(',')).Single(r => r[Array.IndexOf(donorHxl, "#org+funder+name")] == "Donor B");
        Assert.Equal("50000", donorB[Array.IndexOf(donorHxl, "#value+funding+usd")]);
        Assert.Equal("80000", donorB[Array.IndexOf(donorHxl, "#value+pledged+usd")]);
    }

    [Fact]
    public async Task PublicPage_SetsNoCookie_AndItsTableShowsTheApiNumbersInThePageLanguage()
    {
        var (year, _) = await HandComputedYearAsync();
        var anonymous = app.Client();
        var coverage = await CoverageAsync(anonymous, year);
        foreach (var lang in Languages.All)
        {
            var response = await anonymous.GetAsync($"/{lang}/data/funding?year={year}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("Set-Cookie"), $"/{lang}/data/funding set a cookie");
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.Contains("role=\"img\"", html);
            Assert.Contains("<title id=\"funding-countries-title\">", html);
            Assert.Contains("<th scope=\"row\">Donor C</th>", html[html.IndexOf("id=\"funding-donors\"", StringComparison.Ordinal)..]);
            var culture = Languages.Culture(lang);
            foreach (var (list, key, tableId) in new[] { ("countries", "country", "funding-countries-table"), ("sectors", "sector", "funding-sectors-table") })
            {
                var table = html[html.IndexOf($"id=\"{tableId}\"", StringComparison.Ordinal)..];
                table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
                foreach (var line in coverage.GetProperty(list).EnumerateArray())
                {
                    var code = Str(line, key) ?? "";
                    var row = RowPattern().Matches(table).Single(m => m.Groups[1].Value == code).Groups[2].Value;
                    var cells = CellPattern().Matches(row).Select(m => m.Groups[1].Value).ToList();
                    Assert.Equal(line.GetProperty("requirementUsd").GetDecimal().ToString("N0", culture), cells[0]);
                    Assert.Equal(line.GetProperty("receivedUsd").GetDecimal().ToString("N0", culture), cells[1]);
                    Assert.Equal(line.GetProperty("pledgedUsd").GetDecimal().ToString("N0", culture), cells[4]);
                    var pct = line.GetProperty("coveragePct");
                    Assert.Equal(pct.ValueKind == JsonValueKind.Null ? "–" : pct.GetDecimal().ToString("N1", culture) + " %", cells[5]);
                }
            }
        }
    }

    [GeneratedRegex("<tr data-code=\"([^\"]*)\">(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("<td>([^<]*)</td>")]
    private static partial Regex CellPattern();

    [Fact]
    public async Task PublicPage_IsEvictedFromTheCache_WhenFundingChanges()
    {
        var year = await NewPlanYearAsync();
        var anonymous = app.Client();
        var before = await anonymous.GetStringAsync($"/en/data/funding?year={year}", Ct);
        Assert.DoesNotContain("123,456", before);
        var admin = await app.ApiClientAsync(R.Admin);
        await CreateAsync(admin, Input(year, "Late donor", "PER", "HEA", 123_456m, "paid", recipient: "ACOGIDA"));
        var after = await anonymous.GetStringAsync($"/en/data/funding?year={year}", Ct);
        Assert.Contains("123,456", after);
    }

    [Fact]
    public async Task Import_ReportsEveryBadRowWithItsNumberAndColumn_AndStoresNothing()
    {
        var year = await NewPlanYearAsync();
        var admin = await app.ApiClientAsync(R.Admin);
        var y = year.ToString(CultureInfo.InvariantCulture);
        var response = await PostCsvAsync(admin, Header, Hxl,
            $"{y},Donor A,government,CAMPO,COL,EDU,1000,paid,{y}-01-15,G-1",
            $"{y},Donor B,government,NOPE,COL,EDU,1000,paid,{y}-01-15,G-2",
            $"{y},Donor C,spaceship,CAMPO,XXX,EDU,-5,paid,{y}-13-01,G-3",
            $"{y},Donor D,,CAMPO,COL,Nowhere,1.000,given,{y}-01-15,G-4",
            $"1999,Donor E,,CAMPO,COL,EDU,1000,paid,{y}-01-15,G-5",
            $"{y},Donor A,government,CAMPO,COL,EDU,2000,committed,{y}-02-15,G-1");
        var errors = await ErrorsAsync(response);
        Assert.Contains((4, "recipient", "Unknown organisation code."), errors);
        Assert.Contains((5, "donortype", "Unknown donor type (government, eu, un, pooled-fund, foundation, private, ngo, other)."), errors);
        Assert.Contains((5, "country", "Unknown country code (ISO3 expected)."), errors);
        Assert.Contains((5, "amount", "The amount must be more than zero."), errors);
        Assert.Contains((5, "date", "The date must be written YYYY-MM-DD."), errors);
        Assert.Contains((6, "sector", "Unknown sector."), errors);
        Assert.Contains((6, "amount", "Write the amount in US dollars as a plain number, e.g. 250000 or 250000.50."), errors);
        Assert.Contains((6, "status", "The status must be pledged, committed or paid."), errors);
        Assert.Contains((7, "year", "There is no response plan for this year."), errors);
        Assert.Contains(errors, e => e.Row == 8 && e.Column == "donor" && e.Message.Contains("row 3", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Row == 3);
        Assert.Equal((0, 0, 0), await CountsAsync(year));

        var missing = await ErrorsAsync(await PostCsvAsync(admin, "year,donor,recipient,amount", $"{y},Donor A,CAMPO,5"));
        Assert.Contains((1, "status", "This column is missing."), missing);
        Assert.Contains((1, "date", "This column is missing."), missing);

        var empty = await PostCsvAsync(admin, "");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        using var pdf = new MultipartFormDataContent { { new ByteArrayContent("%PDF-1.4 not a sheet"u8.ToArray()), "file", "funding.csv" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/v1/funding/import", pdf, Ct)).StatusCode);
        Assert.Equal((0, 0, 0), await CountsAsync(year));
    }

    [Fact]
    public async Task Import_MatchesSpanishHeadersWithoutHxl_AnswersInSpanish_AndReimportChangesNothing()
    {
        var year = await NewPlanYearAsync();
        var admin = await app.ApiClientAsync(R.Admin);
        var y = year.ToString(CultureInfo.InvariantCulture);
        const string spanish = "Año del plan,Donante,Tipo de donante,Organización receptora,País,Sector,Monto (USD),Estado,Fecha (AAAA-MM-DD),Fuente o referencia";
        string[] lines = [spanish, $"{y},Gobierno X,government,CAMPO,COL,Educación,250000.50,pagado,{y}-03-01,R-1", $"{y},Fondo Y,pooled-fund,AREF,,Salud,1000,prometido,{y}-03-02,"];
        var first = await PostCsvAsync(admin, lines);
        Assert.True(first.StatusCode == HttpStatusCode.OK, await first.Content.ReadAsStringAsync(Ct));
        Assert.Contains("\"imported\":2", await first.Content.ReadAsStringAsync(Ct));
        var counts = await CountsAsync(year);
        Assert.Equal(2, counts.Count);

        var again = await PostCsvAsync(admin, lines);
        Assert.Contains("\"imported\":0,\"updated\":0", await again.Content.ReadAsStringAsync(Ct));
        Assert.Equal(counts, await CountsAsync(year));

        var bad = await admin.PostAsync("/api/v1/funding/import?lang=es", Multipart(spanish, $"{y},Gobierno X,government,CAMPO,COL,Educación,abc,pagado,{y}-03-01,R-1"), Ct);
        var errors = await ErrorsAsync(bad);
        Assert.Contains((2, "amount", "Escriba el monto en dólares estadounidenses como un número simple, p. ej. 250000 o 250000.50."), errors);

        var list = await admin.GetFromJsonAsync<ContributionPage>($"/api/v1/funding/contributions?year={y}", Ct);
        Assert.Contains(list!.Items, c => c.Donor == "Gobierno X" && c.AmountUsd == 250_000.50m && c.Status == "paid" && c.Sector == "EDU");
        Assert.Contains(list.Items, c => c.Donor == "Fondo Y" && c.Country is null && c.Status == "pledged");
    }

    private static MultipartFormDataContent Multipart(params string[] lines) =>
        new() { { new ByteArrayContent(Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n")), "file", "funding.csv" } };

    [Fact]
    public async Task Import_Xlsx_WithHxlRowAndShuffledColumns_IsStored_AndANonWorkbookZipIsRefused()
    {
        var year = await NewPlanYearAsync();
        var admin = await app.ApiClientAsync(R.Admin);
        var rows = new List<Dictionary<string, object?>>
        {
            new() { ["Monto (USD)"] = "#value+usd", ["Donante"] = "#org+funding", ["x"] = "#date+year", ["Receptor"] = "#org+recipient", ["País"] = "#country+code",
                ["Estado"] = "#status", ["Fecha"] = "#date", ["Sector"] = "#sector" },
            new() { ["Monto (USD)"] = 1234.5, ["Donante"] = "Donor X", ["x"] = year, ["Receptor"] = "CAMPO", ["País"] = "COL",
                ["Estado"] = "committed", ["Fecha"] = $"{year}-04-01", ["Sector"] = "WASH" },
        };
        using var ms = new MemoryStream();
        ms.SaveAs(rows, excelType: ExcelType.XLSX);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(ms.ToArray()), "file", "funding.xlsx" } };
        var response = await admin.PostAsync("/api/v1/funding/import", form, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var list = await admin.GetFromJsonAsync<ContributionPage>($"/api/v1/funding/contributions?year={year}", Ct);
        Assert.Equal((1234.5m, "WSH", "committed"), (list!.Items.Single().AmountUsd, list.Items.Single().Sector, list.Items.Single().Status));

        using var zip = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = archive.CreateEntry("notes.txt").Open();
            await entry.WriteAsync("not a workbook"u8.ToArray(), Ct);
        }
        using var zipForm = new MultipartFormDataContent { { new ByteArrayContent(zip.ToArray()), "file", "funding.xlsx" } };
        var refused = await admin.PostAsync("/api/v1/funding/import", zipForm, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("unsafe-spreadsheet", await refused.Content.ReadAsStringAsync(Ct));
        Assert.Single((await admin.GetFromJsonAsync<ContributionPage>($"/api/v1/funding/contributions?year={year}", Ct))!.Items);
    }

    [Fact]
    public async Task EditPage_CoordinatorCannotSaveForAnotherCountry_AndFocalPointSeesItReadOnly()
    {
        var year = await NewPlanYearAsync();
        var admin = await app.ApiClientAsync(R.Admin);
        var id = await CreateAsync(admin, Input(year, "Donor F", "PER", "HEA", 1000m, "paid", recipient: "ACOGIDA"));

        var coordinator = await app.SignedInClientAsync(R.Coordinator, null, "COL");
        var token = await AppFixture.AntiforgeryTokenAsync(coordinator, "/admin/funding/edit");
        var post = await coordinator.PostAsync("/admin/funding/edit?handler=Save", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.Year"] = year.ToString(CultureInfo.InvariantCulture), ["Form.Donor"] = "Sneaky", ["Form.Recipient"] = "ACOGIDA", ["Form.Country"] = "PER",
            ["Form.Sector"] = "HEA", ["Form.Amount"] = "10", ["Form.Status"] = "paid", ["Form.Date"] = $"{year}-01-01", ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Contains("You may not enter funding for this country.", await post.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.GetAsync($"/admin/funding/edit/{id}", Ct)).StatusCode);
        var delete = await coordinator.PostAsync($"/admin/funding/edit/{id}?handler=Delete", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), Ct);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);

        var saved = await coordinator.PostAsync("/admin/funding/edit?handler=Save", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.Year"] = year.ToString(CultureInfo.InvariantCulture), ["Form.Donor"] = "Own donor", ["Form.Recipient"] = "CAMPO", ["Form.Country"] = "COL",
            ["Form.Sector"] = "EDU", ["Form.Amount"] = "2500.75", ["Form.Status"] = "committed", ["Form.Date"] = $"{year}-01-01", ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal((2, 2, 2), await CountsAsync(year));

        var focal = await app.SignedInClientAsync(R.FocalPoint, "ACOGIDA", "PER");
        var html = await focal.GetStringAsync($"/admin/funding/edit/{id}", Ct);
        Assert.Contains("<fieldset disabled=\"disabled\">", html);
        Assert.DoesNotContain("handler=Delete", html);
        Assert.Contains("Donor F", await focal.GetStringAsync($"/admin/funding?year={year}", Ct));
    }

    [Fact]
    public async Task Template_HasTheHxlRow_AndCanBeImportedBack()
    {
        var admin = await app.ApiClientAsync(R.Admin);
        var csv = (await admin.GetStringAsync("/api/v1/funding/template?format=csv", Ct)).TrimStart('\uFEFF');
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        // The template writes the vocabulary's tags; the older ones of Hxl (above) still import (issue 21).
        Assert.Equal(string.Join(',', FundingColumns.Import.Select(c => c.Hxl)), lines[1]);
        var xlsx = await admin.GetByteArrayAsync("/api/v1/funding/template?format=xlsx", Ct);
        Assert.Equal(0x50, xlsx[0]);
    }

    [Fact]
    public async Task Scope_CoordinatorWritesOnlyItsCountry_FocalPointOnlyReads_AnonymousCannotWrite()
    {
        var year = await NewPlanYearAsync();
        var admin = await app.ApiClientAsync(R.Admin);
        var inPeru = await CreateAsync(admin, Input(year, "Donor P", "PER", "HEA", 1000m, "paid", recipient: "ACOGIDA"));
        var regional = await CreateAsync(admin, Input(year, "Donor R", null, "HEA", 1000m, "paid", recipient: "CAMPO"));
        var inColombia = await CreateAsync(admin, Input(year, "Donor C", "COL", "EDU", 1000m, "paid", recipient: "CAMPO"));

        var coordinator = await app.ApiClientAsync(R.Coordinator, null, "COL");
        Assert.Equal(HttpStatusCode.Created, (await coordinator.PostAsJsonAsync("/api/v1/funding/contributions", Input(year, "Own", "COL", "HEA", 5m, "paid"), Ct)).StatusCode);
        var other = await coordinator.PostAsJsonAsync("/api/v1/funding/contributions", Input(year, "Other", "PER", "HEA", 5m, "paid", recipient: "ACOGIDA"), Ct);
        Assert.Contains(await ErrorsAsync(other), e => e.Column == "country");
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.PutAsJsonAsync($"/api/v1/funding/contributions/{inPeru}", Input(year, "Donor P", "PER", "HEA", 9m, "paid", recipient: "ACOGIDA"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.DeleteAsync($"/api/v1/funding/contributions/{inPeru}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync($"/api/v1/funding/contributions/{regional}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.DeleteAsync($"/api/v1/funding/contributions/{regional}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsJsonAsync($"/api/v1/funding/contributions/{inColombia}", Input(year, "Donor C", "COL", "EDU", 2000m, "paid"), Ct)).StatusCode);
        var import = await PostCsvAsync(coordinator, Header, $"{year},Donor Z,,ACOGIDA,PER,HEA,10,paid,{year}-01-01,");
        Assert.Contains((2, "country", "You may not enter funding for this country."), await ErrorsAsync(import));

        var focal = await app.ApiClientAsync(R.FocalPoint, "ACOGIDA", "PER");
        var seen = await focal.GetFromJsonAsync<ContributionPage>($"/api/v1/funding/contributions?year={year}", Ct);
        Assert.Equal([inPeru], seen!.Items.Select(c => c.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await focal.GetAsync($"/api/v1/funding/contributions/{inColombia}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await focal.PutAsJsonAsync($"/api/v1/funding/contributions/{inPeru}", Input(year, "Donor P", "PER", "HEA", 9m, "paid", recipient: "ACOGIDA"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await focal.PostAsJsonAsync("/api/v1/funding/contributions", Input(year, "Mine", "PER", "HEA", 5m, "paid", recipient: "ACOGIDA"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostCsvAsync(focal, Header, $"{year},Donor Z,,ACOGIDA,PER,HEA,10,paid,{year}-01-01,")).StatusCode);

        var viewer = await app.ApiClientAsync(R.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"/api/v1/funding/contributions?year={year}", Ct)).StatusCode);

        var anonymous = app.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/funding/contributions", Input(year, "Anon", "COL", "EDU", 5m, "paid"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostCsvAsync(anonymous, Header, $"{year},Donor Z,,CAMPO,COL,EDU,10,paid,{year}-01-01,")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/api/v1/funding/contributions/{inColombia}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/funding/contributions?year={year}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/v1/funding?year={year}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Edit_KeepsARevisionAndAnAuditEntry_AndDeleteIsSoftWithRestore()
    {
        var year = await NewPlanYearAsync();
        var admin = await app.ApiClientAsync(R.Admin);
        var id = await CreateAsync(admin, Input(year, "Donor E", "COL", "EDU", 1000m, "pledged"));
        var put = await admin.PutAsJsonAsync($"/api/v1/funding/contributions/{id}", Input(year, "Donor E", "COL", "EDU", 1500.25m, "committed"), Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var revisions = await admin.GetFromJsonAsync<List<ContributionRevisionDto>>($"/api/v1/funding/contributions/{id}/revisions", Ct);
        Assert.NotNull(revisions);
        Assert.Equal([1, 2], revisions.Select(r => r.Version));
        Assert.Contains("\"amount\":\"1000\"", revisions[0].Snapshot);
        Assert.Contains("\"status\":\"pledged\"", revisions[0].Snapshot);
        Assert.Contains("\"amount\":\"1500.25\"", revisions[1].Snapshot);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/funding/contributions/{id}", Ct)).StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<ContributionPage>($"/api/v1/funding/contributions?year={year}", Ct))!.Items);
        Assert.Equal(0m, (await CoverageAsync(admin, year)).GetProperty("total").GetProperty("receivedUsd").GetDecimal());
        Assert.Single((await admin.GetFromJsonAsync<ContributionPage>($"/api/v1/funding/contributions?year={year}&deleted=true", Ct))!.Items);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsJsonAsync($"/api/v1/funding/contributions/{id}", Input(year, "Donor E", "COL", "EDU", 1m, "paid"), Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/funding/contributions/{id}/restore", null, Ct)).StatusCode);
        Assert.Equal(1500.25m, (await CoverageAsync(admin, year)).GetProperty("total").GetProperty("receivedUsd").GetDecimal());
        var counts = await CountsAsync(year);
        Assert.Equal((1, 4, 4), counts); // create, update, delete, restore

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        Assert.Equal(["create", "update", "delete", "restore"],
            await db.AuditEntries.Where(a => a.EntityType == "contribution" && a.EntityKey.StartsWith(year.ToString(CultureInfo.InvariantCulture)))
                .OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(Ct));
    }

    [Fact]
    public async Task DemoFunding_IsMarkedDemo_AndCoversPartOfTheCurrentPlan()
    {
        var anonymous = app.Client();
        var coverage = await CoverageAsync(anonymous, await CurrentPlanYearAsync());
        Assert.True(coverage.GetProperty("demo").GetBoolean());
        var total = Numbers(coverage.GetProperty("total"));
        Assert.InRange(total.Coverage!.Value, 15m, 80m);
        Assert.True(total.Pledged > 0);
        Assert.True(coverage.GetProperty("countries").GetArrayLength() >= 5);
    }

    private async Task<int> CurrentPlanYearAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<FundingCoverage>().DefaultYearAsync(Ct))!.Value;
    }

    [Fact]
    public async Task AdminPage_ListsForACoordinator_AndIsRefusedToAViewer()
    {
        var coordinator = await app.SignedInClientAsync(R.Coordinator, null, "COL");
        var page = await coordinator.GetAsync("/admin/funding", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("/api/v1/funding/template?format=xlsx", html);
        Assert.Contains("role=\"img\"", html);
        var viewer = await app.SignedInClientAsync(R.Viewer);
        Assert.NotEqual(HttpStatusCode.OK, (await viewer.GetAsync("/admin/funding", Ct)).StatusCode);
    }
}

public sealed class FundingSqlite(SqliteApp app) : FundingSuite<SqliteApp>(app);
public sealed class FundingPostgres(PostgresApp app) : FundingSuite<PostgresApp>(app);
