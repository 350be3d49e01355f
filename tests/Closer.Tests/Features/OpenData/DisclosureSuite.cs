using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text.Json;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Dashboards;
using Closer.Web.Features.OpenData;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.OpenData;

/// <summary>
/// Generates the public outputs (pages, API, downloads, live figures) over demo data plus small counts of gender-based
/// violence and trafficking in one country, and proves that no sensitive cell below the threshold can be read there or
/// worked out from the totals published beside it. Another public output (the OData feed) joins the proof by overriding
/// <see cref="MoreOutputsAsync"/>: each output adds what it shows as facts "this set of cells adds up to this value".
/// </summary>
public abstract class DisclosureSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Country = "GUY";

    /// <summary>A published figure: the sum of these (country, sector) cells of the year's table is <paramref name="Value"/> (null: hidden).</summary>
    protected sealed record Fact(string Output, IReadOnlyList<(string Country, string Sector)> Cells, long? Value);

    /// <summary>The extension point: more public outputs and the figures they publish, for the same year.</summary>
    protected virtual Task<IReadOnlyList<Fact>> MoreOutputsAsync(HttpClient anonymous, int year, IReadOnlyList<(string Country, string Sector, string? Parent)> table) =>
        Task.FromResult<IReadOnlyList<Fact>>([]);

    private async Task<int> SeedAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var year = await DashboardData.CurrentYearAsync(db, scope.ServiceProvider.GetRequiredService<TimeProvider>(), Ct);
        var month = (int m) => string.Create(CultureInfo.InvariantCulture, $"{year}-{m:00}");
        // Whatever the demo has for these sub-sectors in the country goes (through the change tracker: the aggregates follow).
        db.ActivityReports.RemoveRange(await db.ActivityReports.Where(r => r.CountryIso3 == Country
            && (r.IndicatorCode == "PRO-GBV-01" || r.IndicatorCode == "PRO-HTS-01")).ToListAsync(Ct));
        await db.SaveChangesAsync(Ct);
        var org = await db.Organisations.OrderBy(o => o.Id).Select(o => o.Id).FirstAsync(Ct);
        var areas = await db.Admin1Areas.Where(a => a.CountryIso3 == Country).OrderBy(a => a.PCode).Select(a => a.PCode).Take(2).ToListAsync(Ct);
        ActivityReport Report(string admin1, string indicator, string m, long girls, long women) => new()
        {
            OrganisationId = org, CountryIso3 = Country, Admin1PCode = admin1, IndicatorCode = indicator, Month = m, PopulationGroup = PopulationGroups.HostCommunity,
            Girls = girls, Women = women, Total = girls + women, Status = ReportStatus.Validated, IsDemo = true,
        };
        db.ActivityReports.AddRange(
            Report(areas[0], "PRO-GBV-01", month(1), 2, 0), Report(areas[1], "PRO-GBV-01", month(1), 0, 1),
            Report(areas[0], "PRO-GBV-01", month(2), 1, 1), Report(areas[0], "PRO-HTS-01", month(3), 1, 0),
            Report(areas[1], "PRO-GBV-01", month(7), 0, 2));
        await db.SaveChangesAsync(Ct);
        return year;
    }

    [Fact]
    public async Task NoSmallSensitiveCell_CanBeReadOrWorkedOut_FromAnyPublicOutput()
    {
        var year = await SeedAsync();
        var anonymous = app.Client();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var control = scope.ServiceProvider.GetRequiredService<DisclosureControl>();
        var parents = await db.Sectors.AsNoTracking().ToDictionaryAsync(s => s.Code, s => s.ParentCode, Ct);
        var truth = await db.ResponseTotals.AsNoTracking().Where(t => t.Year == year)
            .ToDictionaryAsync(t => (t.CountryIso3, t.SectorCode), t => t.ReachedValidated, Ct);
        var table = truth.Keys.Select(k => (k.CountryIso3, k.SectorCode, parents.GetValueOrDefault(k.SectorCode))).ToList();
        var secrets = truth.Where(t => control.IsSensitiveSector(t.Key.SectorCode) && control.IsSmall(t.Value)).Select(t => t.Key).ToList();
        Assert.Contains((Country, "PRO-GBV"), secrets);
        Assert.Contains((Country, "PRO-HTS"), secrets);

        var facts = new List<Fact>();
        facts.AddRange(await ResponseFactsAsync(anonymous, $"/api/v1/dashboards/response?year={year}", null, null));
        facts.AddRange(await ResponseFactsAsync(anonymous, $"/api/v1/dashboards/response?year={year}&country={Country}", Country, null));
        foreach (var sector in new[] { "PRO-GBV", "PRO-HTS", "PRO-CP", "PRO", "HEA" })
        {
            facts.AddRange(await ResponseFactsAsync(anonymous, $"/api/v1/dashboards/response?year={year}&sector={sector}", null, sector));
        }
        facts.AddRange(await CsvFactsAsync(anonymous, $"/api/v1/dashboards/response?year={year}&by=cells&format=csv"));
        facts.AddRange(await LiveFactsAsync(scope.ServiceProvider, year, table));
        facts.AddRange(await MoreOutputsAsync(anonymous, year, table));
        // The gap view: reached per country × top-level sector (a main sector's row is the sum of it and its sub-sectors).
        foreach (var url in new[] { $"/api/v1/dashboards/gaps?year={year}", $"/api/v1/dashboards/gaps?year={year}&country={Country}" })
        {
            var gaps = JsonDocument.Parse(await anonymous.GetStringAsync(url, Ct)).RootElement;
            facts.AddRange(gaps.GetProperty("rows").EnumerateArray().Select(r =>
            {
                var (c, top) = (r.GetProperty("country").GetString()!, r.GetProperty("sector").GetString()!);
                var reached = r.GetProperty("reached");
                return new Fact(url, table.Where(t => t.Item1 == c && (t.Item2 == top || t.Item3 == top)).Select(t => (t.Item1, t.Item2)).ToList(),
                    reached.ValueKind == JsonValueKind.Number ? reached.GetInt64() : null);
            }).Where(f => f.Cells.Count > 0));
        }
        // The OData feed: its cells (an organisation's month) are finer than any published total, so a sensitive sector's
        // cells carry no counts at all, whatever their size.
        using (var feed = JsonDocument.Parse(await anonymous.GetStringAsync(
            $"/odata/ReportCells?$filter=Country%20eq%20'{Country}'%20and%20Year%20eq%20{year}&$select=Sector,Reached,Suppressed&$top=5000", Ct)))
        {
            var cells = feed.RootElement.GetProperty("value").EnumerateArray().ToList();
            Assert.Contains(cells, c => c.GetProperty("Sector").GetString() == "PRO-GBV");
            Assert.All(cells.Where(c => control.IsSensitiveSector(c.GetProperty("Sector").GetString())), c =>
            {
                Assert.Equal(JsonValueKind.Null, c.GetProperty("Reached").ValueKind);
                Assert.True(c.GetProperty("Suppressed").GetBoolean());
            });
        }

        // Outputs finer than the table: where every part of a cell is published, the cell can be added back up (the counting
        // rule is public), so it is as good as published on its own. The 5W rows: every row of the cell's year with its counts.
        var rows = (await ActivitiesAsync(anonymous, "/api/v1/activities")).Select(raw => JsonDocument.Parse(raw).RootElement)
            .Select(r => (Country: r.GetProperty("country").GetString()!, Sector: r.GetProperty("sector").GetString()!, Period: r.GetProperty("month").GetString()!,
                Counted: r.GetProperty("total").ValueKind == JsonValueKind.Number))
            .Where(r => r.Period == year.ToString(CultureInfo.InvariantCulture) || r.Period.StartsWith($"{year}-", StringComparison.Ordinal)).ToList();
        facts.AddRange(truth.Keys.Where(k => rows.Any(r => (r.Country, r.Sector) == k) && rows.Where(r => (r.Country, r.Sector) == k).All(r => r.Counted))
            .Select(k => new Fact("/api/v1/activities", [k], truth[k])));
        // The OData feed's cells (an organisation's month): every page of the year.
        var feedCells = new List<(string Country, string Sector, bool Counted)>();
        for (var next = $"/odata/ReportCells?$filter=Year%20eq%20{year}%20and%20IsPeople&$select=Country,Sector,Reached,Suppressed"; next is not null;)
        {
            using var feedPage = JsonDocument.Parse(await anonymous.GetStringAsync(next, Ct));
            feedCells.AddRange(feedPage.RootElement.GetProperty("value").EnumerateArray().Select(c => (c.GetProperty("Country").GetString()!,
                c.GetProperty("Sector").GetString()!, c.GetProperty("Reached").ValueKind == JsonValueKind.Number && !c.GetProperty("Suppressed").GetBoolean())));
            next = feedPage.RootElement.TryGetProperty("@odata.nextLink", out var link) ? new Uri(link.GetString()!).PathAndQuery : null;
        }
        facts.AddRange(truth.Keys.Where(k => feedCells.Any(c => (c.Country, c.Sector) == k) && feedCells.Where(c => (c.Country, c.Sector) == k).All(c => c.Counted))
            .Select(k => new Fact("/odata/ReportCells", [k], truth[k])));

        // 1. Read: no published figure is a small sensitive cell on its own.
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(facts, f => f.Value is not null && f.Cells.Count == 1 && f.Cells[0] == secret);
        }
        // The published figures are true (a wrong figure would hide nothing and prove nothing).
        Assert.All(facts.Where(f => f.Value is not null), f => Assert.Equal(f.Cells.Sum(c => truth.GetValueOrDefault(c)), f.Value));
        // 2. Worked out: with every published figure as an equation, no secret is determined.
        var determined = Determined(facts.Where(f => f.Value is not null).Select(f => f.Cells).ToList(), secrets);
        Assert.True(determined.Count == 0, "derivable: " + string.Join(", ", determined));

        // 3. Row-level 5W data: no small sensitive count in any row, no row with exactly one hidden count, and a filtered answer
        // only repeats rows of the whole answer (nothing to subtract).
        var all = await ActivitiesAsync(anonymous, "/api/v1/activities");
        AssertRowsSafe(all, control);
        foreach (var filter in new[] { $"?country={Country}", $"?month={year}-01", $"?month={year}-02", $"?sector=PRO-GBV", $"?country={Country}&month={year}-07" })
        {
            var part = await ActivitiesAsync(anonymous, "/api/v1/activities" + filter);
            AssertRowsSafe(part, control);
            Assert.All(part, r => Assert.Contains(r, all));
        }
        var csv = await anonymous.GetAsync("/api/v1/activities?format=csv", Ct);
        Assert.StartsWith("applied", csv.Headers.GetValues(DisclosureResponse.Header).Single(), StringComparison.Ordinal);
        var lines = SheetReader.ReadCsv(new MemoryStream(await csv.Content.ReadAsByteArrayAsync(Ct))).Select(r => r.Cells.Select(c => c ?? "").ToArray()).ToList();
        var sectorAt = Array.IndexOf(lines[1], Hxl.SectorCode.Tag);
        var counts = new[] { Hxl.ReachedGirls, Hxl.ReachedBoys, Hxl.ReachedWomen, Hxl.ReachedMen, Hxl.ReachedOther, Hxl.ReachedTotal }.Select(t => Array.IndexOf(lines[1], t.Tag)).ToList();
        Assert.Contains(Hxl.Disclosure.Tag, lines[1]);
        foreach (var row in lines.Skip(2).Where(r => control.IsSensitiveSector(r[sectorAt])))
        {
            Assert.DoesNotContain(counts, i => long.TryParse(row[i], CultureInfo.InvariantCulture, out var v) && control.IsSmall(v));
        }

        // 4. The page says that suppression was applied, in its language.
        var page = await anonymous.GetStringAsync($"/es/data?year={year}", Ct);
        Assert.Contains("Oculto para proteger a las personas", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACoordinator_SeesTheirCountryUnsuppressed_WithAToken_AndTheAnswerIsPrivate()
    {
        var year = await SeedAsync();
        var coordinator = await app.ApiClientAsync(R.Coordinator, null, Country);
        var response = await coordinator.GetAsync($"/api/v1/activities?country={Country}&month={year}-01", Ct);
        var rows = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.EnumerateArray().ToList();
        Assert.Contains(rows, r => r.GetProperty("sector").GetString() == "PRO-GBV" && r.GetProperty("total").GetInt64() == 2 && r.GetProperty("admin1").GetString() is not null);
        Assert.Contains("private", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        // The anonymous answer to the same question, asked after, is still the suppressed one (no cache handed the coordinator's over).
        var anonymous = await ActivitiesAsync(app.Client(), $"/api/v1/activities?country={Country}&month={year}-01");
        Assert.DoesNotContain(anonymous, r => r.Contains("\"admin1\":\"", StringComparison.Ordinal) && r.Contains("\"sector\":\"PRO-GBV\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheFeed_WithholdsEverySubSector_OfAConfiguredMainSector()
    {
        await SeedAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        // "PRO" configured: its sub-sectors (PRO-GBV, PRO-HTS, …) are sensitive too, in the database query as in the service.
        var control = new DisclosureControl(Microsoft.Extensions.Options.Options.Create(new DisclosureOptions { SensitiveSectors = "PRO" }));
        var feed = new FeedCellDisclosure(control, db, new Microsoft.Extensions.Caching.Memory.MemoryCache(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions()));
        var queries = new Closer.Web.Features.OpenData.OData.PublicFeedQueries(db, feed, scope.ServiceProvider.GetRequiredService<Closer.Web.Features.Funding.FundingCoverage>());
        var (cells, applied) = await queries.ReportCellsAsync(Ct);
        var list = await cells.ToListAsync(Ct);
        Assert.True(applied);
        Assert.Contains(list, c => c.Sector == "PRO-GBV" && c.Country == Country);
        Assert.All(list.Where(c => c.Sector == "PRO" || c.Sector.StartsWith("PRO-", StringComparison.Ordinal)), c =>
        {
            Assert.True(c.Suppressed);
            Assert.Null(c.Reached);
            Assert.Null(c.Total);
        });
        Assert.Contains(list, c => !c.Suppressed && c.Reached is not null);
    }

    [Fact]
    public async Task TheFeed_ShowsNoMonthsNorReportCounts_OfWithheldCells_OneRowPerSeriesAndYear()
    {
        var year = await SeedAsync();
        var y = year.ToString(CultureInfo.InvariantCulture);
        var anonymous = app.Client();
        var cells = new List<JsonElement>();
        for (var next = $"/odata/ReportCells?$filter=Country%20eq%20'{Country}'%20and%20Year%20eq%20{year}"; next is not null;)
        {
            using var page = JsonDocument.Parse(await anonymous.GetStringAsync(next, Ct));
            cells.AddRange(page.RootElement.GetProperty("value").EnumerateArray().Select(c => c.Clone()));
            next = page.RootElement.TryGetProperty("@odata.nextLink", out var link) ? new Uri(link.GetString()!).PathAndQuery : null;
        }
        var withheld = cells.Where(c => c.GetProperty("Suppressed").GetBoolean()).ToList();
        // The seeded series of gender-based violence reported in January, February and July (3 reports): one row, no months, no reports.
        var gbv = Assert.Single(withheld, c => c.GetProperty("Indicator").GetString() == "PRO-GBV-01");
        Assert.Equal(y, gbv.GetProperty("Month").GetString());
        Assert.Equal(JsonValueKind.Null, gbv.GetProperty("Reports").ValueKind);
        Assert.Single(withheld, c => c.GetProperty("Indicator").GetString() == "PRO-HTS-01");
        Assert.All(withheld, c =>
        {
            Assert.Equal(y, c.GetProperty("Month").GetString());
            Assert.Equal(JsonValueKind.Null, c.GetProperty("Reports").ValueKind);
            Assert.Equal(JsonValueKind.Null, c.GetProperty("Total").ValueKind);
        });
        Assert.Equal(withheld.Count, withheld.Select(c => (c.GetProperty("Indicator").GetString(), c.GetProperty("PopulationGroup").GetString(),
            c.GetProperty("OrganisationId").GetInt32())).Distinct().Count());
        Assert.All(cells.Where(c => !c.GetProperty("Suppressed").GetBoolean()), c => Assert.StartsWith($"{y}-", c.GetProperty("Month").GetString(), StringComparison.Ordinal));
        // Nor can a query option find them back: by month, by report count, or ordered.
        foreach (var query in new[] { $"Month%20eq%20'{y}-07'%20and%20Suppressed", "Reports%20ge%201%20and%20Suppressed", $"Year%20eq%20{year}%20and%20Month%20ne%20'{y}'%20and%20Suppressed" })
        {
            using var found = JsonDocument.Parse(await anonymous.GetStringAsync($"/odata/ReportCells?$filter={query}", Ct));
            Assert.Empty(found.RootElement.GetProperty("value").EnumerateArray());
        }
        // The row answers at its key, as every entity does.
        var key = $"/odata/ReportCells(Year={year},Country='{Country}',Indicator='PRO-GBV-01',Month='{y}',PopulationGroup='{gbv.GetProperty("PopulationGroup").GetString()}',OrganisationId={gbv.GetProperty("OrganisationId").GetInt32()})";
        using var byKey = await anonymous.GetAsync(key, Ct);
        Assert.Equal(HttpStatusCode.OK, byKey.StatusCode);
    }

    private static async Task<List<string>> ActivitiesAsync(HttpClient client, string url) =>
        JsonDocument.Parse(await client.GetStringAsync(url, Ct)).RootElement.EnumerateArray().Select(r => r.GetRawText()).ToList();

    private static void AssertRowsSafe(List<string> rows, DisclosureControl control)
    {
        foreach (var raw in rows)
        {
            var r = JsonDocument.Parse(raw).RootElement;
            if (!control.IsSensitiveSector(r.GetProperty("sector").GetString()))
            {
                continue;
            }
            var values = new[] { "girls", "boys", "women", "men", "other", "total" }.Select(k => r.GetProperty(k))
                .Select(v => v.ValueKind == JsonValueKind.Number ? v.GetInt64() : (long?)null).ToList();
            Assert.DoesNotContain(values, v => v is { } x && control.IsSmall(x));
            Assert.NotEqual(1, values.Count(v => v is null));
        }
    }

    private static async Task<List<Fact>> ResponseFactsAsync(HttpClient client, string url, string? country, string? sector)
    {
        var response = await client.GetAsync(url, Ct);
        Assert.True(response.Headers.Contains(DisclosureResponse.Header), url);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        var all = json.GetProperty("cells").EnumerateArray().Select(c => (c.GetProperty("country").GetString()!, c.GetProperty("sector").GetString()!)).ToList();
        long? Value(JsonElement e) => e.GetProperty("reached").ValueKind == JsonValueKind.Number ? e.GetProperty("reached").GetInt64() : null;
        var facts = json.GetProperty("cells").EnumerateArray()
            .Select(c => new Fact(url, [(c.GetProperty("country").GetString()!, c.GetProperty("sector").GetString()!)], Value(c))).ToList();
        facts.AddRange(json.GetProperty("sectors").EnumerateArray().Select(s => new Fact(url + " sectors",
            all.Where(c => c.Item2 == s.GetProperty("key").GetString() && (country is null || c.Item1 == country)).ToList(), Value(s))));
        facts.AddRange(json.GetProperty("countries").EnumerateArray().Select(s => new Fact(url + " countries",
            all.Where(c => c.Item1 == s.GetProperty("key").GetString() && (sector is null || c.Item2 == sector)).ToList(), Value(s))));
        return facts;
    }

    private static async Task<List<Fact>> CsvFactsAsync(HttpClient client, string url)
    {
        var rows = SheetReader.ReadCsv(new MemoryStream(await client.GetByteArrayAsync(url, Ct))).Select(r => r.Cells.Select(c => c ?? "").ToArray()).ToList();
        int At(HxlTerm t) => Array.IndexOf(rows[1], t.Tag);
        return rows.Skip(2).Select(r => new Fact(url, [(r[At(Hxl.CountryCode)], r[At(Hxl.SectorCode)])],
            long.TryParse(r[At(Hxl.Reached)], CultureInfo.InvariantCulture, out var v) ? v : null)).ToList();
    }

    private static async Task<List<Fact>> LiveFactsAsync(IServiceProvider services, int year, IReadOnlyList<(string Country, string Sector, string? Parent)> table)
    {
        var live = await services.GetRequiredService<LiveFigures>().AllAsync(Ct);
        var facts = new List<Fact>();
        foreach (var (token, figure) in live.Where(kv => !kv.Value.IsAlias && kv.Key.StartsWith("{{figure:reached:", StringComparison.Ordinal)))
        {
            var parts = token.Trim('{', '}').Split(':');
            if (parts[3] != year.ToString(CultureInfo.InvariantCulture))
            {
                continue;
            }
            var sector = parts[2];
            var country = parts.Length > 4 ? parts[4] : null;
            facts.Add(new Fact(token, table.Where(c => (c.Sector == sector || c.Parent == sector) && (country is null || c.Country == country))
                .Select(c => (c.Country, c.Sector)).ToList(), figure.Value));
        }
        return facts;
    }

    /// <summary>
    /// The secrets the equations Σ cells = value determine. Written apart from the service's own check, by ranks: a cell is
    /// determined when adding its unit row does not raise the rank of the equations' matrix. Every cell is an unknown here
    /// (the attacker knows only what is published), so published single cells are equations too.
    /// </summary>
    private static List<(string, string)> Determined(IReadOnlyList<IReadOnlyList<(string, string)>> equations, IReadOnlyList<(string, string)> secrets)
    {
        var vars = equations.SelectMany(e => e).Concat(secrets).Distinct().Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i);
        var matrix = equations.Select(e =>
        {
            var row = new BigInteger[vars.Count];
            foreach (var c in e)
            {
                row[vars[c]] += 1;
            }
            return row;
        }).ToList();
        var rank = Rank(matrix, vars.Count);
        return secrets.Where(s =>
        {
            var unit = new BigInteger[vars.Count];
            unit[vars[s]] = 1;
            return Rank([.. matrix, unit], vars.Count) == rank;
        }).ToList();
    }

    /// <summary>Rank by fraction-free elimination in whole numbers: exact, no rounding to hide a dependency.</summary>
    private static int Rank(List<BigInteger[]> rows, int columns)
    {
        var m = rows.Select(r => (BigInteger[])r.Clone()).ToList();
        var rank = 0;
        for (var c = 0; c < columns && rank < m.Count; c++)
        {
            var p = m.FindIndex(rank, r => !r[c].IsZero);
            if (p < 0)
            {
                continue;
            }
            (m[rank], m[p]) = (m[p], m[rank]);
            for (var i = rank + 1; i < m.Count; i++)
            {
                if (!m[i][c].IsZero)
                {
                    var a = m[rank][c];
                    var b = m[i][c];
                    var g = BigInteger.Zero;
                    for (var j = 0; j < columns; j++)
                    {
                        m[i][j] = (m[i][j] * a) - (m[rank][j] * b);
                        g = BigInteger.GreatestCommonDivisor(g, m[i][j]);
                    }
                    if (g > 1)
                    {
                        for (var j = 0; j < columns; j++)
                        {
                            m[i][j] /= g;
                        }
                    }
                }
            }
            rank++;
        }
        return rank;
    }
}

public sealed class DisclosureSqlite(SqliteApp app) : DisclosureSuite<SqliteApp>(app);
public sealed class DisclosurePostgres(PostgresApp app) : DisclosureSuite<PostgresApp>(app);
