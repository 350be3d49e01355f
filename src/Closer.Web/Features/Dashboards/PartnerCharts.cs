using System.Globalization;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Dashboards;

/// <summary>One chart of the partner dashboard: its id on the page, title, description, drawing and the table behind it.</summary>
/// <paramref name="File"/>: the file's SVG when it is not the drawing made standalone (a map, whose file carries its legend).
/// <paramref name="Frame"/>: what the file says around the drawing, as the public chart files do (title; source, date and page).
public sealed record PartnerChart(string Figure, string Title, IHtmlContent Drawing, ExportTable Table, Views.ChartFrame Frame, string? File = null)
{
    /// <summary>The drawing as a standalone SVG file (the page's own SVG, <c>ChartImages.Standalone</c>, in its frame).</summary>
    public string Svg => File ?? Views.ChartImages.Standalone(Drawing, Frame);
}

/// <summary>
/// The partner dashboard's charts, drawn once for the page and for its chart files (<c>?handler=Chart&amp;figure=…</c>), so a
/// file is exactly what the page shows for the same state. Every figure here is the user's own scope (drafts, unsuppressed
/// counts): the files are private and never offered as an embeddable image (see the README).
/// </summary>
public sealed class PartnerCharts(PartnerModel m, IStringLocalizer<SharedResource> t, CultureInfo culture, TimeProvider time)
{
    public static IReadOnlyList<string> Figures { get; } = ["sectors", "countries", "months", "partners", "map-country"];

    /// <summary>"enero 2026" in the reader's language (Papiamentu's month names from its culture); the text as given when it is not a month.</summary>
    public static string MonthName(string month, CultureInfo culture)
    {
        if (month.Length != 7 || !int.TryParse(month.AsSpan(0, 4), CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(month.AsSpan(5, 2), CultureInfo.InvariantCulture, out var m) || m is < 1 or > 12)
        {
            return month;
        }
        return $"{culture.DateTimeFormat.MonthNames[m - 1]} {year.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// Every month from the first with reports to the last: reached in the month and to date (the dashboards' rule on the
    /// months up to it); a month without reports is kept as a gap (<see cref="MonthProgress.HasReports"/> false), not dropped.
    /// </summary>
    public static List<MonthProgress> MonthsOf(IReadOnlyList<MonthRow> people)
    {
        var withData = people.Select(r => r.Month).Where(m => m.Length == 7).Distinct(StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        if (withData.Count == 0)
        {
            return [];
        }
        var first = withData.Min(TimeAxis.Index);
        var last = withData.Max(TimeAxis.Index);
        var result = new List<MonthProgress>();
        for (var i = first; i <= last; i++)
        {
            var month = $"{i / 12:D4}-{(i % 12) + 1:D2}";
            result.Add(withData.Contains(month)
                ? new MonthProgress(month, PartnerData.Reached(people.Where(r => r.Month == month)),
                    PartnerData.Reached(people.Where(r => string.CompareOrdinal(r.Month, month) <= 0)))
                : new MonthProgress(month, 0, 0, HasReports: false));
        }
        return result;
    }

    /// <summary>
    /// A file's frame, as the public files have it (<c>ChartFiles</c>): the title, what the bar labels are, the source — the
    /// partner dashboard, said not public, and the reports it counts — and the date and page, in the reader's language.
    /// </summary>
    public Views.ChartFrame Frame(string title, bool targets = false, bool outlines = false)
    {
        var reports = m.Status == "validated" ? t["validated 5W reports you may see, plan year {0}", m.PlanYear].Value
            : t["5W reports you may see (drafts and submitted ones included), plan year {0}", m.PlanYear].Value;
        var page = $"{m.Request.Scheme}://{m.Request.Host}{m.Permalink}";
        return new(title,
        [
            .. targets ? [t["Bar labels: people reached / target."].Value] : Array.Empty<string>(),
            t["Source: Closer, partner dashboard (not public); {0}.", reports].Value + (outlines ? " " + t["Outlines: Natural Earth (public domain)."].Value : ""),
            t["Retrieved on {0}: {1}", time.GetUtcNow().ToString("D", culture), page].Value,
        ]);
    }

    public string SectorsTitle => t["People reached vs target by sector, {0}", m.PlanYear].Value;
    public string CountriesTitle => t["People reached vs target by country, {0}", m.PlanYear].Value;
    public string MonthsTitle => t["People reached to date by month, against the year's target of {0}", Charts.Number(m.YearTarget)].Value;
    public string PartnersTitle => t["Organisations with reports you may see, per country, {0}", m.PlanYear].Value;

    public PartnerChart Sectors() => new("sectors", SectorsTitle,
        Charts.HorizontalBars("p-c1", SectorsTitle, t["For each sector, a filled bar for people reached inside an outlined bar for the target, labelled reached / target."].Value,
            m.Reached.Sectors.Select(s => new Bar(s.Name, s.Reached, s.Target)).ToList(), culture), Exports.ResponseTable(m.Reached, "sector"),
        Frame(SectorsTitle, targets: true));

    public PartnerChart Countries() => new("countries", CountriesTitle,
        Charts.HorizontalBars("p-c4", CountriesTitle, t["For each country, a filled bar for people reached inside an outlined bar for the target, labelled reached / target."].Value,
            m.Reached.Countries.Select(s => new Bar(s.Name, s.Reached, s.Target)).ToList(), culture), Exports.ResponseTable(m.Reached, "country"),
        Frame(CountriesTitle, targets: true));

    /// <summary>
    /// Reached to date on the dashboards' real time axis (<see cref="Charts.Lines"/>): a point at each month with reports, a
    /// month without reports left as a gap in the line, and the year's target as a second, dashed line over the plan year.
    /// </summary>
    public PartnerChart Months()
    {
        var lines = new List<Line>
        {
            new(t["People reached to date"].Value, "", m.Months.Where(x => x.HasReports).Select(x => (x.Month, x.ToDate)).ToList()),
        };
        if (m.YearTarget > 0)
        {
            lines.Add(new(t["Target"].Value, "", Enumerable.Range(1, 12).Select(k => ($"{m.PlanYear:D4}-{k:D2}", m.YearTarget)).ToList()));
        }
        var drawing = Charts.Lines("p-c2", MonthsTitle, t["Solid line: people reached to date, a point at each month with reports; a month without reports is a gap in the line. Dashed line: the year's target."].Value,
            lines, culture);
        var columns = new[]
        {
            new TabularColumn("month", Infrastructure.Tabular.Hxl.Month.Tag, "Month (YYYY-MM)", "Mes (AAAA-MM)", "Mês (AAAA-MM)", "Luna (AAAA-MM)"),
            new TabularColumn("reachedInMonth", Infrastructure.Tabular.Hxl.ReachedTotal.Tag, "Reached in the month", "Alcanzadas en el mes", "Alcançadas no mês", "Alkansá den e luna"),
            new TabularColumn("reachedToDate", Infrastructure.Tabular.Hxl.Reached.Tag, "Reached to date", "Alcanzadas a la fecha", "Alcançadas até a data", "Alkansá te awe"),
            DashboardColumns.Target,
        };
        var rows = m.Months.Select(x => new object?[] { x.Month, x.HasReports ? x.InMonth : null, x.HasReports ? x.ToDate : null, m.YearTarget }).ToList();
        return new("months", MonthsTitle, drawing, new ExportTable("months", columns, rows), Frame(MonthsTitle));
    }

    public PartnerChart Partners() => new("partners", PartnersTitle,
        Charts.HorizontalBars("p-c3", PartnersTitle, t["One bar per country, labelled with its number of organisations."].Value,
            m.PartnersByCountry.Select(c => new Bar(c.Name, c.Reached)).ToList(), culture),
        Exports.PartnersTable(new PartnerFigures(m.PlanYear, m.PartnersByCountry, m.PartnersBySector)), Frame(PartnersTitle));

    /// <summary>The chosen country's map by admin1 (ranked bars without outlines, or with chart=bars), as the page draws it.</summary>
    public PartnerChart? CountryMap()
    {
        if (m.CountryMap is not { } view)
        {
            return null;
        }
        var title = Maps.MapLabels.CountryTitle(t, view);
        var texts = Maps.MapLabels.Country(t, view);
        var (drawing, _) = m.Chart == "bars" ? (null, []) : Maps.MapViews.CountryDrawing(texts, view, a => Maps.MapLabels.CountryLabel(t, a, culture), culture);
        var bars = Charts.HorizontalBars("p-area-bars", title, Maps.MapLabels.CountryBarsDescription(t), view.Areas.Select(a => new Bar(a.Name, a.Reached)).ToList(), culture);
        return new("map-country", title, bars, Exports.AreasTable(view), Frame(title),
            drawing is null ? null : Views.ChartImages.StandaloneMap("p-area-map", texts, drawing, Frame(title, outlines: true)));
    }

    public PartnerChart? File(string figure) => figure switch
    {
        "sectors" => Sectors(),
        "countries" => Countries(),
        "months" => Months(),
        "partners" => Partners(),
        "map-country" => CountryMap(),
        _ => null,
    };
}
