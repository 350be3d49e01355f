using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace Closer.Web.Features.Dashboards.Views;

/// <summary>One chart of /{lang}/data as a file: its title, the drawing (the page's own SVG), the table behind it, and its citation.</summary>
public sealed record ChartFile(string Figure, string Title, string Svg, ExportTable Table, bool DisclosureApplied);

/// <summary>
/// Each chart of the public dashboard as a standalone file (issue 20): <c>/{lang}/data/chart.svg</c>, <c>.png</c> (the same
/// SVG rendered by Svg.Skia with the app's font) and <c>.csv</c> (the tabular layer, HXL row), for a <c>figure</c> and the
/// page's state. Built from exactly the page's figures and disclosure control, so a hidden cell stays hidden in every
/// format; anonymous answers are output-cached with the page and carry an ETag (an embedded image revalidates cheaply).
/// </summary>
public static class ChartFiles
{
    public static IReadOnlyList<string> Figures { get; } = ["refugees", "time", "sectors", "countries", "partners", "map-region", "map-country", "funding-countries", "funding-sectors", "area-sectors"];

    /// <summary>The query a chart file takes: the figure and the page's state (<see cref="Permalink.Keys"/>); anything else is a 400.</summary>
    private static readonly HashSet<string> Parameters = new(["figure", .. Permalink.Keys], StringComparer.OrdinalIgnoreCase);

    public static IEndpointRouteBuilder MapChartFiles(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/{lang:lang}/data").AllowAnonymous().CacheOutput(DashboardsFeature.CachePolicy);
        g.MapGet("/chart.svg", (HttpContext http, CloserDbContext db, TimeProvider time, DisclosureControl disclosure, IMemoryCache cache, Funding.FundingCoverage coverage,
            IStringLocalizer<SharedResource> t, CancellationToken ct) => SendAsync(http, db, time, disclosure, cache, coverage, t, "svg", ct));
        g.MapGet("/chart.png", (HttpContext http, CloserDbContext db, TimeProvider time, DisclosureControl disclosure, IMemoryCache cache, Funding.FundingCoverage coverage,
            IStringLocalizer<SharedResource> t, CancellationToken ct) => SendAsync(http, db, time, disclosure, cache, coverage, t, "png", ct));
        g.MapGet("/chart.csv", (HttpContext http, CloserDbContext db, TimeProvider time, DisclosureControl disclosure, IMemoryCache cache, Funding.FundingCoverage coverage,
            IStringLocalizer<SharedResource> t, CancellationToken ct) => SendAsync(http, db, time, disclosure, cache, coverage, t, "csv", ct));
        return app;
    }

    private static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> SendAsync(HttpContext http, CloserDbContext db, TimeProvider time,
        DisclosureControl disclosure, IMemoryCache cache, Funding.FundingCoverage coverage, IStringLocalizer<SharedResource> t, string format, CancellationToken ct)
    {
        // A file is data people cite: what it cannot take is refused as the API refuses it (a localized 400 problem naming
        // the parameter and the value), never answered as the default chart; the page itself still falls back and says so.
        if (ApiContract.Undeclared(http.Request.Query, Parameters) is { } undeclared)
        {
            return undeclared.ToProblem(http);
        }
        var figure = http.Request.Query["figure"].ToString();
        if (!Figures.Contains(figure, StringComparer.Ordinal))
        {
            return new BadRequestError("unknown-figure", t["Unknown chart: choose one of {0}.", string.Join(", ", Figures)].Value).ToProblem(http);
        }
        if (http.Request.Query.FirstOrDefault(q => q.Key != "c" && q.Value.Count > 1) is { Key: { } twice } repeated)
        {
            return new ParameterError("invalid-value", "The value {1} is not valid for the parameter {0}.", twice, string.Join(",", repeated.Value.ToArray())).ToProblem(http);
        }
        // The directory and the plan years are read once: the refusal and the drawing read the same state.
        var names = await Names.LoadAsync(db, http.Language(), ct);
        var years = await DashboardData.PlanYearsAsync(db, ct);
        var state = DashboardState.Read(http.Request.Query, names, years);
        if (await RefusalAsync(db, state, years, ct) is { } refused)
        {
            return refused.ToProblem(http);
        }
        var chart = await BuildAsync(http, db, time, disclosure, cache, coverage, t, figure, names, years, state, ct);
        if (chart is null)
        {
            return figure == "area-sectors"
                ? new BadRequestError("no-area", t["This chart needs a country and one of its areas: add country=ISO3 and admin1=P-code."].Value).ToProblem(http)
                : new BadRequestError("no-country", t["This map needs a country: add country=ISO3 (one of the plan's countries)."].Value).ToProblem(http);
        }
        return Send(http, chart, disclosure, format);
    }

    /// <summary>A built chart as the asked format, with its ETag and caching (shared by the dashboard's and the situation reports' files).</summary>
    internal static Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult> Send(HttpContext http, ChartFile chart, DisclosureControl disclosure, string format)
    {
        var audience = DisclosureAudience.For(http.User);
        DisclosureResponse.Mark(http, chart.DisclosureApplied, audience, disclosure);
        var (bytes, type) = format switch
        {
            "svg" => (Encoding.UTF8.GetBytes(chart.Svg), "image/svg+xml; charset=utf-8"),
            "png" => (ChartImages.Png(chart.Svg), "image/png"),
            _ => (TabularCsv.Write(chart.Table.Columns, http.Language(), chart.Table.Rows), TabularContentTypes.Csv),
        };
        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..32] + "\"");
        http.Response.Headers.ETag = etag.ToString();
        if (http.Response.Headers.CacheControl.Count == 0)
        {
            http.Response.Headers.CacheControl = http.User.Identity?.IsAuthenticated == true ? "private, no-cache" : "public, max-age=600";
        }
        if (http.Request.GetTypedHeaders().IfNoneMatch.Any(e => e.Compare(etag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var year = chart.Table.Rows.Count > 0 && chart.Table.Rows[0][0] is long y ? y.ToString(CultureInfo.InvariantCulture) : "";
        return TypedResults.File(bytes, type, format == "csv" ? $"{chart.Figure}{(year.Length > 0 ? "-" + year : "")}.csv" : null);
    }

    /// <summary>
    /// The first state value the chart files cannot take, as the API contract words it: a year that is not a plan year, a
    /// country or sector no directory knows, a population group or chart type outside their lists, an area that is not one
    /// of the chosen country's (a parameter given twice is refused before).
    /// </summary>
    private static async Task<Error?> RefusalAsync(CloserDbContext db, DashboardState state, IReadOnlyCollection<int> years, CancellationToken ct)
    {
        if (state.Admin1 is { } admin1 && (state.Country is not { } country
            || !await db.Admin1Areas.AsNoTracking().AnyAsync(a => a.CountryIso3 == country && a.PCode == admin1, ct)))
        {
            state.CheckAdmin1([]);
        }
        return state.Unknown.FirstOrDefault() switch
        {
            null => null,
            { Key: "country" or "c" } u => new ParameterError("unknown-country", "There is no country with the code {1} (parameter {0}).", u.Key, u.Value),
            { Key: "sector" } u => new ParameterError("unknown-sector", "There is no sector with the code {1} (parameter {0}).", u.Key, u.Value),
            { Key: "year" } u => new ParameterError("unknown-value", "The parameter {0} does not take the value {1}: it takes {2}.", u.Key, u.Value,
                string.Join(", ", years.Order())),
            { Key: "group" } u => new ParameterError("unknown-value", "The parameter {0} does not take the value {1}: it takes {2}.", u.Key, u.Value,
                string.Join(", ", PopulationGroups.All)),
            { Key: "chart" } u => new ParameterError("unknown-value", "The parameter {0} does not take the value {1}: it takes {2}.", u.Key, u.Value,
                string.Join(", ", DashboardState.ChartTypes)),
            { } u => new ParameterError("invalid-value", "The value {1} is not valid for the parameter {0}.", u.Key, u.Value),
        };
    }

    /// <summary>The chart as the page draws it for this state (the same figures, titles and disclosure control as <see cref="DataModel"/>).</summary>
    private static async Task<ChartFile?> BuildAsync(HttpContext http, CloserDbContext db, TimeProvider time, DisclosureControl disclosure, IMemoryCache cache,
        Funding.FundingCoverage coverage, IStringLocalizer<SharedResource> t, string figure, Names names, IReadOnlyCollection<int> years, DashboardState state,
        CancellationToken ct)
    {
        var lang = http.Language();
        var culture = CultureInfo.CurrentCulture;
        var year = DashboardData.PlanYear(state.Year, years, time);
        var audience = DisclosureAudience.For(http.User);
        var reports = t["validated 5W reports of the partners, plan year {0}", year].Value;
        // The file's frame: title, what the bar labels are, source, date (the reader's, as in "cite this figure") and the page.
        var page = $"{http.Request.Scheme}://{http.Request.Host}{Permalink.For($"/{lang}/data", Permalink.Query(state))}";
        ChartFrame Frame(string title, string source, bool targets = false, bool outlines = false) => new(title,
        [
            .. targets ? [t["Bar labels: people reached / target."].Value] : Array.Empty<string>(),
            t["Source: Closer, data dashboard; {0}.", source].Value + (outlines ? " " + t["Outlines: Natural Earth (public domain)."].Value : ""),
            t["Retrieved on {0}: {1}", time.GetUtcNow().ToString("D", culture), page].Value,
        ]);
        switch (figure)
        {
            case "refugees":
                {
                    var latest = await DashboardData.LatestFiguresAsync(db, names, ct);
                    var title = t["Refugees and migrants by country, latest figure"].Value;
                    var svg = Charts.HorizontalBars("dash-c1", title, t["Horizontal bars, largest first; the table below gives each figure with its date and source."].Value,
                        latest.Select(f => new Bar(f.Name, f.RefugeesAndMigrants)).ToList(), culture);
                    return new(figure, title, ChartImages.Standalone(svg, Frame(title, string.Join("; ", latest.Select(f => f.Source).Distinct()))), Exports.FiguresTable(latest, "refugees-latest"), false);
                }
            case "time":
                {
                    var latest = await DashboardData.LatestFiguresAsync(db, names, ct);
                    var chosen = RefugeeFiguresView.Choose(names, state.LineCountries, null, latest);
                    var series = await DashboardData.FigureSeriesAsync(db, names, chosen, ct);
                    var title = t["Refugees and migrants over time, by country"].Value;
                    var svg = Charts.Lines("dash-c2", title, t["One line per country, labelled at its end with the country code; points more than a month apart are not joined, since no figure was published in between; the table below lists every point."].Value,
                        series.Select(s => new Line(s.Name, s.Country, s.Points.Select(p => (p.AsOf, p.RefugeesAndMigrants)).ToList())).ToList(), culture);
                    var frame = Frame(title, string.Join("; ", series.SelectMany(s => s.Points).Select(p => p.Source).Distinct()));
                    return new(figure, title, ChartImages.Standalone(svg, frame), Exports.FiguresTable(series.SelectMany(s => s.Points), "refugees-over-time"), false);
                }
            case "map-region":
                {
                    var latest = await DashboardData.LatestFiguresAsync(db, names, ct);
                    var texts = Maps.MapLabels.Region(t);
                    var drawing = Maps.MapViews.RegionDrawing(texts, names.Countries, latest, (name, f) => Maps.MapLabels.RegionLabel(t, name, f), culture);
                    var frame = Frame(texts.Title, string.Join("; ", latest.Select(f => f.Source).Distinct()), outlines: true);
                    return new(figure, texts.Title, ChartImages.StandaloneMap("dash-map", texts, drawing, frame), Exports.FiguresTable(latest, "refugees-map"), false);
                }
            case "map-country":
                {
                    if (state.Country is not { } iso3)
                    {
                        return null;
                    }
                    // The page's map, figures and rule (sensitive sectors left out of the areas; see CountryMaps.LoadAsync).
                    var view = await Maps.CountryMaps.LoadAsync(db, names, disclosure, cache, iso3, lang, year, null, ct);
                    if (view is null)
                    {
                        return null;
                    }
                    var title = Maps.MapLabels.CountryTitle(t, view);
                    var texts = Maps.MapLabels.Country(t, view);
                    var (drawing, _) = Maps.MapViews.CountryDrawing(texts, view, a => Maps.MapLabels.CountryLabel(t, a, culture), culture);
                    var source = t["validated 5W reports of the partners, plan year {0}", view.Year].Value;
                    // Only a drawn map credits the outlines: Aruba and Curaçao have none and get ranked bars.
                    var svg = drawing is not null ? ChartImages.StandaloneMap("dash-area-map", texts, drawing, Frame(title, source, outlines: true))
                        : ChartImages.Standalone(Charts.HorizontalBars("dash-area-bars", title, Maps.MapLabels.CountryBarsDescription(t),
                            view.Areas.Select(a => new Bar(a.Name, a.Reached)).ToList(), culture), Frame(title, source));
                    return new(figure, title, svg, Exports.AreasTable(view), true);
                }
            case "funding-countries" or "funding-sectors":
                {
                    // The funding coverage the page shows under the same plan year (Funding's report and drawing).
                    var key = figure["funding-".Length..];
                    var report = await coverage.BuildAsync(year, lang, ct);
                    var title = Funding.CoverageView.Title(t, key, year);
                    IReadOnlyList<Funding.CoverageLine> lines = report is null ? [] : Funding.CoverageView.Lines(report, key);
                    var svg = Funding.CoverageView.Chart("data-funding-" + key, title, lines, t, culture);
                    var source = t["the plan's requirements and the contributions recorded (committed and paid), plan year {0}", year].Value;
                    var (columns, rows) = Funding.CoverageView.Table(report, key);
                    return new(figure, title, ChartImages.Standalone(svg, Frame(title, source)), new ExportTable("funding-" + key, columns, rows), false);
                }
            case "area-sectors":
                {
                    if (state.Country is not { } iso3 || state.Admin1 is not { } admin1
                        || await Maps.CountryMaps.LoadAsync(db, names, disclosure, cache, iso3, lang, year, null, ct) is not { } view
                        || await Maps.CountryMaps.AreaSectorsAsync(db, names, disclosure, cache, view, admin1, ct) is not { } area)
                    {
                        return null;
                    }
                    var title = t["People reached by sector in {0} ({1}), {2}", area.Name, area.CountryName, area.Year].Value;
                    var svg = Charts.HorizontalBars("dash-c6", title, t["One bar per sector, labelled with its people reached in the area; the table below adds the partner organisations."].Value,
                        area.Sectors.Select(s => new Bar(s.Name, s.Reached)).ToList(), culture);
                    return new(figure, title, ChartImages.Standalone(svg, Frame(title, reports)), Exports.AreaSectorsTable(area), true);
                }
            case "partners":
                {
                    var partners = await DashboardData.PartnersAsync(db, names, year, ct);
                    var title = t["Partner organisations with validated reports per country, {0}", year].Value;
                    var svg = Charts.HorizontalBars("dash-c5", title, t["One bar per country, labelled with its number of partner organisations; the table below breaks them down by sector."].Value,
                        partners.Countries.Select(c => new Bar(c.Name, c.Reached)).ToList(), culture);
                    return new(figure, title, ChartImages.Standalone(svg, Frame(title, reports)), Exports.PartnersTable(partners), false);
                }
            default:
                {
                    var bySector = figure == "sectors";
                    var sector = bySector ? null : state.Sector;
                    var figures = state.Group is { } g
                        ? await GroupFigures.ResponseAsync(db, names, year, g, sector, disclosure, cache, ct)
                        : await DashboardData.ResponseAsync(db, names, year, null, sector, disclosure, audience, ct);
                    var title = bySector ? t["People reached vs target by sector, {0}", year].Value
                        : sector is { } s ? t["People reached vs target by country in {0}, {1}", names.Sector(s), year].Value
                        : t["People reached vs target by country, {0}", year].Value;
                    var description = bySector ? t["For each sector, a filled bar for people reached inside an outlined bar for the target, labelled reached / target."].Value
                        : t["For each country, a filled bar for people reached inside an outlined bar for the target, labelled reached / target."].Value;
                    var bars = (bySector ? figures.Sectors : figures.Countries).Select(x => new Bar(x.Name, x.Reached, x.Target, x.Suppressed)).ToList();
                    var svg = Charts.HorizontalBars(bySector ? "dash-c3" : "dash-c4", title, description, bars, culture);
                    return new(figure, title, ChartImages.Standalone(svg, Frame(title, reports, targets: true)), Exports.ResponseTable(figures, bySector ? "sector" : "country"), figures.DisclosureApplied);
                }
        }
    }
}

/// <summary>
/// What _ChartTools.cshtml shows under a chart: its file links, citation and embed snippet for the page's state.
/// <paramref name="Page"/>: the page the chart is on when it is not <c>/{lang}/data</c> (a situation report), its files under it;
/// <paramref name="Embed"/>: false where the image is not public yet (a draft report's preview).
/// </summary>
public sealed record ChartTools(string Figure, string Title, string Source, string Lang, string StateQuery, string? Page = null, bool Embed = true,
    bool SituationReport = false)
{
    private string PagePath => Page ?? $"/{Lang}/data";

    /// <summary>A chart file's path for this state: <c>/{lang}/data/chart.{extension}?figure=…&amp;state</c>.</summary>
    public string File(string extension) => $"{PagePath}/chart.{extension}?figure={Figure}{(StateQuery.Length > 0 ? "&" + StateQuery : "")}";

    public string Permalink => Views.Permalink.For(PagePath, StateQuery);
}
