// The situation report's budget (issue 20): a report page ≤ 200 ms cold, and the country maps' admin1 figures, on the
// 1,000,000-row data set. Run with the gap view (BENCH_GAPS=1, GapsBench), which writes bench/results/sitrep.md through this.
using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Dashboards;
using Closer.Web.Features.Dashboards.Maps;
using Closer.Web.Features.Dashboards.Situation;
using Closer.Web.Features.Funding;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

internal static class SitrepBench
{
    private static double Median(List<double> xs)
    {
        xs.Sort();
        return xs[xs.Count / 2];
    }

    /// <summary>
    /// What the page's handler and view compute: the report (its queries), its map drawing and the map's SVG. Everything the
    /// page renders around it is text from these figures.
    /// </summary>
    private static async Task<int> PageAsync(IServiceProvider root, string scope, string month, string lang)
    {
        await using var s = root.CreateAsyncScope();
        var sp = s.ServiceProvider;
        var db = sp.GetRequiredService<CloserDbContext>();
        var coverage = new FundingCoverage(db, TimeProvider.System, sp.GetRequiredService<IStringLocalizer<SharedResource>>());
        var view = await SituationReportView.LoadAsync(db, coverage, sp.GetRequiredService<DisclosureControl>(), sp.GetRequiredService<IMemoryCache>(), TimeProvider.System, scope, month, lang,
            new ClaimsPrincipal(new ClaimsIdentity()), default) ?? throw new InvalidOperationException($"{scope} {month}: no report");
        var culture = CultureInfo.GetCultureInfo(lang == "pap" ? "en" : lang);
        var map = SituationMaps.For(view, sp.GetRequiredService<IStringLocalizer<SharedResource>>(), culture);
        var svg = 0;
        if (map.Drawing is { } d)
        {
            using var w = new StringWriter(CultureInfo.InvariantCulture);
            MapSvg.Render("sitrep-map-svg", map.Texts.Title, map.Description, d.Projection, d.Areas, d.Others, d.Legend, map.Texts.LegendTitle)
                .WriteTo(w, System.Text.Encodings.Web.HtmlEncoder.Default);
            svg = w.ToString().Length;
        }
        return view.Figures.Sectors.Count + svg;
    }

    /// <summary>Changes one validated report of <paramref name="iso3"/> (its total +1) through EF: the aggregates interceptor refreshes its partition.</summary>
    private static async Task<double> ChangeAReportAsync(IServiceProvider root, string iso3, int year, int step)
    {
        await using var s = root.CreateAsyncScope();
        var db = s.ServiceProvider.GetRequiredService<CloserDbContext>();
        // Any validated report of the country's plan year (the 1,000,000 rows fill the first months only).
        var report = await db.ActivityReports.Where(r => r.CountryIso3 == iso3 && r.Month.StartsWith($"{year:D4}-") && r.Status == ReportStatus.Validated)
            .OrderBy(r => r.Id).Skip(step * 97).FirstOrDefaultAsync();
        if (report is null)
        {
            return 0;
        }
        report.Total += 1;
        report.Men += 1;
        var sw = Stopwatch.StartNew();
        await db.SaveChangesAsync();
        return sw.Elapsed.TotalMilliseconds;
    }

    public static async Task<List<string>> RunAsync(IServiceProvider services, CloserDbContext db, Names names, int year)
    {
        var disclosure = services.GetRequiredService<DisclosureControl>();
        var now = TimeProvider.System.GetUtcNow();
        var months = Enumerable.Range(5, 7).Select(m => $"{year:D4}-{m:D2}").ToList(); // May to November
        foreach (var scope in new[] { "region", "COL", "BRA", "CUW", "PER" })
        {
            foreach (var m in months)
            {
                db.SituationReports.Add(new SituationReport
                {
                    Scope = scope, Month = m, HighlightsEn = "Bench highlights.", HighlightsEs = "Lo destacado.", HighlightsPt = "Destaques.",
                    HighlightsPap = "Puntonan resaltante.", Revision = 1, UpdatedAt = now, PublishedAt = now,
                });
            }
        }
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        // The first page of the process pays JIT and first queries: reported apart.
        var sw = Stopwatch.StartNew();
        await PageAsync(services, "PER", $"{year:D4}-05", "en");
        var first = sw.Elapsed.TotalMilliseconds;

        // Cold: each page built once, right after a report of its country changed (the output cache of a running app is
        // evicted by that change), on a new scope; nothing in its path is cached in the process.
        var pages = new (string Scope, string Month, string Lang)[]
        {
            ("COL", $"{year:D4}-11", "en"), ("COL", $"{year:D4}-10", "es"), ("COL", $"{year:D4}-09", "pap"), ("BRA", $"{year:D4}-11", "en"),
            ("BRA", $"{year:D4}-08", "pt"), ("CUW", $"{year:D4}-11", "en"), ("region", $"{year:D4}-11", "en"), ("region", $"{year:D4}-07", "es"),
            ("region", $"{year:D4}-06", "pap"),
        };
        var rows = new List<string>();
        var cold = new List<double>();
        var writes = new List<double>();
        var step = 0;
        foreach (var (scope, month, lang) in pages)
        {
            writes.Add(await ChangeAReportAsync(services, scope == "region" ? "ECU" : scope, year, step++));
            sw.Restart();
            await PageAsync(services, scope, month, lang);
            var c = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            await PageAsync(services, scope, month, lang);
            var again = sw.Elapsed.TotalMilliseconds;
            cold.Add(c);
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"| `/{lang}/data/situation/{scope}/{month}` | {c:F1} | {again:F1} | {(c <= 200 ? "met" : "NOT met")} |"));
        }

        // The country maps' admin1 figures (CountryMaps.LoadAsync, as /{lang}/data?country= reads them), and the raw-row
        // query it ran before (the same two GROUP BYs over the country's validated report rows), in the same run.
        async Task<(double Median, double Min)> TimeAsync(Func<Task> run, int warm, int runs)
        {
            for (var i = 0; i < warm; i++)
            {
                await run();
            }
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var t = Stopwatch.StartNew();
                await run();
                times.Add(t.Elapsed.TotalMilliseconds);
            }
            return (Median(times), times.Min());
        }
        var yearMonths = Enumerable.Range(1, 12).Select(m => $"{year:D4}-{m:D2}").ToList();
        var sensitive = (await db.Indicators.AsNoTracking().Select(i => new { i.Code, i.SectorCode }).ToListAsync())
            .Where(i => disclosure.IsSensitiveSector(i.SectorCode)).Select(i => i.Code).ToList();
        var mapRows = new List<string>();
        foreach (var iso3 in new[] { "COL", "BRA", "CUW" })
        {
            var response = await DashboardData.ResponseAsync(db, names, year, iso3, null, disclosure, DisclosureAudience.Public, default);
            var now2 = await TimeAsync(async () => await CountryMaps.LoadAsync(db, names, disclosure, services.GetRequiredService<IMemoryCache>(), iso3, "en", year, response, default), 3, 20);
            var raw = await TimeAsync(async () =>
            {
                var validated = db.ActivityReports.AsNoTracking().Where(r => r.CountryIso3 == iso3 && yearMonths.Contains(r.Month) && r.Status == ReportStatus.Validated && r.DeletedAt == null);
                await validated.Join(db.Indicators.Where(i => i.Unit == IndicatorUnit.People && !sensitive.Contains(i.Code)), r => r.IndicatorCode, i => i.Code, (r, i) => r)
                    .GroupBy(r => new { r.Admin1PCode, r.OrganisationId, r.IndicatorCode, r.PopulationGroup })
                    .Select(g => new { g.Key.Admin1PCode, Best = g.Max(r => r.ReachedToDate ?? r.Total) }).ToListAsync();
                await validated.Select(r => new { r.Admin1PCode, r.OrganisationId }).Distinct().ToListAsync();
            }, 1, 5);
            mapRows.Add(string.Create(CultureInfo.InvariantCulture, $"| {iso3} | {now2.Median:F2} | {now2.Min:F2} | {raw.Median:F1} | {raw.Min:F1} | {raw.Median / now2.Median:F0}× |"));
        }

        // The region report's heaviest query before: every series' best month to date, over the year's month rows.
        var before = await TimeAsync(async () =>
        {
            var to = yearMonths.Take(11).ToList();
            await db.ResponseMonths.AsNoTracking().Where(m => m.Year == year && m.Status == ReportStatus.Validated && to.Contains(m.Month) && m.IsPeople)
                .GroupBy(m => new { m.CountryIso3, m.SectorCode, m.OrganisationId, m.IndicatorCode, m.PopulationGroup })
                .Select(g => new { g.Key.CountryIso3, g.Key.SectorCode, Best = g.Max(m => m.Reached) }).ToListAsync();
        }, 1, 3);

        var toDateRows = await db.ResponseToDates.CountAsync();
        var areaRows = await db.ResponseAreaToDates.CountAsync();
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        var median = Median([.. cold]);
        var lines = new List<string>
        {
            "# Situation report benchmark (issue 20)",
            "",
            "Command: `BENCH_SITREP=1 dotnet run -c Release --project bench/Closer.Bench.Dashboards` (or `bench/sitrep.sh`; under 5 minutes).",
            "",
            string.Create(CultureInfo.InvariantCulture, $"{TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores · {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} · SQLite · load average (1 min) when written: {load}"),
            "",
            "Data: the dashboard benchmark's 1,000,000 generated report rows (counts and the rebuild time: `rebuild.md`), 35 published reports",
            string.Create(CultureInfo.InvariantCulture, $"(the region, COL, BRA, CUW and PER, May to November). The aggregates' \"to date\" tables hold {toDateRows:N0} rows (`ResponseToDates`) and {areaRows:N0} (`ResponseAreaToDates`)."),
            "",
            "Measured in the bench process, not over HTTP: what the page's handler and view compute — `SituationReportView.LoadAsync`",
            "(the published row, names, the figures' queries, funding, the country map's figures), `SituationMaps.For` and the map's",
            "SVG (`MapSvg.Render`) — on a new scope each time. **Cold** = right after a validated report of that country (the region: of",
            "ECU) was changed through EF, which refreshes the aggregates in its transaction and, in the app, evicts the output cache;",
            "nothing in the page's path is cached in the process. The second column is the same page built again at once.",
            "",
            string.Create(CultureInfo.InvariantCulture, $"Budget: a situation report page ≤ 200 ms cold. Median of the cold pages: **{median:F1} ms** ({(median <= 200 ? "met" : "NOT met")})."),
            "",
            "| page | cold (ms) | again (ms) | budget ≤ 200 ms cold |",
            "| --- | ---: | ---: | --- |",
        };
        lines.AddRange(rows);
        lines.Add("");
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"First page of the process (JIT, first queries), `/en/data/situation/PER/{year:D4}-05`: {first:F0} ms."));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"The report change before each cold page (one `SaveChanges` of one report, with the aggregates' refresh of its organisation × country, the to-date rows included): median {Median([.. writes]):F1} ms."));
        lines.Add("");
        lines.Add("## Country figures by admin1 (`CountryMaps.LoadAsync`, as `/{lang}/data?country=` and the situation reports read them)");
        lines.Add("");
        lines.Add("Now one month's rows of `ResponseAreaToDates`; before (same run, same answer's queries) two GROUP BYs over the country's validated report rows of the year.");
        lines.Add("");
        lines.Add("| country | now median (ms) | now fastest (ms) | before: raw rows median (ms) | before fastest (ms) | ratio |");
        lines.Add("| --- | ---: | ---: | ---: | ---: | ---: |");
        lines.AddRange(mapRows);
        lines.Add("");
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"The region report's heaviest query before this change (every series' best month of January to November, a GROUP BY over the year's month rows, `ResponseMonths`): median {before.Median:F0} ms (3 runs); it now reads one month of `ResponseToDates`."));
        return lines;
    }
}
