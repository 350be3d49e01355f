using System.Globalization;
using Closer.Web.Features.Dashboards.Views;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Dashboards.Situation;

/// <summary>
/// A situation report's charts as files, as the data dashboard's are (<see cref="ChartFiles"/>): <c>…/{yyyy-mm}/chart.svg|png|csv?figure=map|sectors</c>,
/// the page's own drawing and table in the frame (title, source, date, page), under the page's access rule (a draft answers
/// only its coordinators and administrators, privately).
/// </summary>
public static class SituationCharts
{
    public static IReadOnlyList<string> Figures { get; } = ["map", "sectors"];

    public static IEndpointRouteBuilder MapSituationCharts(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/{lang:lang}/data/situation/{scope}/{month}").AllowAnonymous().CacheOutput(SituationFeature.CachePolicy).ExcludeFromDescription();
        foreach (var format in new[] { "svg", "png", "csv" })
        {
            g.MapGet("/chart." + format, (HttpContext http, string scope, string month, CloserDbContext db, Funding.FundingCoverage coverage, DisclosureControl disclosure,
                IMemoryCache cache, TimeProvider time, IStringLocalizer<SharedResource> t, CancellationToken ct) =>
                SendAsync(http, scope, month, db, coverage, disclosure, cache, time, t, format, ct));
        }
        return app;
    }

    private static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> SendAsync(HttpContext http, string scope, string month,
        CloserDbContext db, Funding.FundingCoverage coverage, DisclosureControl disclosure, IMemoryCache cache, TimeProvider time, IStringLocalizer<SharedResource> t,
        string format,
        CancellationToken ct)
    {
        var figure = http.Request.Query["figure"].ToString();
        if (!Figures.Contains(figure, StringComparer.Ordinal))
        {
            return new BadRequestError("unknown-figure", t["Unknown chart: choose one of {0}.", string.Join(", ", Figures)].Value).ToProblem(http);
        }
        var lang = http.Language();
        var view = await SituationReportView.LoadAsync(db, coverage, disclosure, cache, time, scope, month, lang, http.User, ct);
        if (view is null)
        {
            return TypedResults.StatusCode(StatusCodes.Status404NotFound);
        }
        if (view.IsDraft)
        {
            http.Response.Headers.CacheControl = "private, no-store";
        }
        var page = $"{http.Request.Scheme}://{http.Request.Host}{view.Scope.Path(lang)}";
        var chart = Build(view, figure, t, CultureInfo.CurrentCulture, time, page);
        return ChartFiles.Send(http, chart, disclosure, format);
    }

    /// <summary>A chart of the report as the page draws it, framed for a file.</summary>
    public static ChartFile Build(SituationReportView view, string figure, IStringLocalizer t, CultureInfo culture, TimeProvider time, string page)
    {
        var f = view.Figures;
        var reports = t["validated 5W reports of the partners, January to {0}", view.MonthLabel].Value;
        ChartFrame Frame(string title, string source, bool targets = false, bool outlines = false) => new(title,
        [
            .. targets ? [t["Bar labels: people reached / target."].Value] : Array.Empty<string>(),
            t["Source: Closer, situation report; {0}.", source].Value + (outlines ? " " + t["Outlines: Natural Earth (public domain)."].Value : ""),
            t["Retrieved on {0}: {1}", time.GetUtcNow().ToString("D", culture), page].Value,
        ]);
        if (figure == "map")
        {
            var map = SituationMaps.For(view, t, culture);
            var source = f.Scope.IsRegion ? string.Join("; ", f.Latest.Select(p => p.Source).Distinct()) : reports;
            var table = f.Map is { } areas ? Exports.AreasTable(areas) : Exports.FiguresTable(f.Latest, "refugees-map");
            var svg = map.Drawing is { } drawing ? ChartImages.StandaloneMap("sitrep-map-svg", map.Texts, drawing, Frame(map.Title, source, outlines: true))
                : ChartImages.Standalone(Charts.HorizontalBars("sitrep-area-bars", map.Title, t["One bar per area, largest first, labelled with its people reached; the table below adds the partner organisations."].Value,
                    (f.Map?.Areas ?? []).Select(a => new Bar(a.Name, a.Reached)).ToList(), culture), Frame(map.Title, source));
            return new ChartFile(figure, map.Title, svg, table, !f.Scope.IsRegion);
        }
        var title = SectorsTitle(t, view);
        var bars = Charts.HorizontalBars("sitrep-c1", title, t["For each sector, a filled bar for people reached inside an outlined bar for the target, labelled reached / target."].Value,
            f.Sectors.Select(s => new Bar(s.Name, s.Reached ?? 0, s.Target, s.Suppressed)).ToList(), culture);
        return new ChartFile(figure, title, ChartImages.Standalone(bars, Frame(title, reports, targets: true)), SectorsTable(view), f.DisclosureApplied);
    }

    public static string SectorsTitle(IStringLocalizer t, SituationReportView view) => t["People reached vs target by sector, January to {0}", view.MonthLabel].Value;

    private static readonly TabularColumn Scope = new("scope", Infrastructure.Tabular.Hxl.CountryCode.Tag, "Country code (or region)", "Código de país (o región)",
        "Código do país (ou região)", "Kódigo di pais (òf region)");
    private static readonly TabularColumn Month = new("month", Infrastructure.Tabular.Hxl.Month.Tag, "Month (YYYY-MM)", "Mes (AAAA-MM)", "Mês (AAAA-MM)", "Luna (AAAA-MM)");

    /// <summary>The sectors' table as the page gives it: people reached January to the month (empty when hidden), target and partners.</summary>
    public static ExportTable SectorsTable(SituationReportView view) =>
        new("reached-by-sector-to-date", [Scope, Month, DashboardColumns.Sector, DashboardColumns.SectorName, DashboardColumns.Reached, DashboardColumns.Target, DashboardColumns.Partners, DashboardColumns.Disclosure],
            view.Figures.Sectors.Select(s => new object?[] { view.Scope.Code, view.Scope.Month, s.Key, s.Name, s.Reached, s.Target, (long)s.Partners,
                s.Suppressed ? ActivityDisclosure.Suppressed : null }).ToList());
}
