using System.Globalization;
using System.Text;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Dashboards;

/// <summary>A month of the plan year on the month chart; <see cref="HasReports"/> false: no report in it (a gap, not a zero).</summary>
public sealed record MonthProgress(string Month, long InMonth, long ToDate, bool HasReports = true);

/// <summary>
/// The partner dashboard: the public figures plus the drafts and submitted reports the user may see (the reports
/// list's rule), with filters, reached vs target by month and a pivot table with export.
/// </summary>
[Authorize(Roles = $"{Roles.PlatformAdmin},{Roles.CountryCoordinator},{Roles.OrgFocalPoint},{Roles.Viewer}")]
public sealed class PartnerModel(CloserDbContext db, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty(SupportsGet = true)] public string? Country { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sector { get; set; }
    [BindProperty(SupportsGet = true)] public string? Group { get; set; }
    [BindProperty(SupportsGet = true)] public string? Org { get; set; }
    /// <summary>An admin1 area (P-code) of the chosen country to point out on its map.</summary>
    [BindProperty(SupportsGet = true)] public string? Admin1 { get; set; }
    /// <summary>"map" (maps only), "bars" (bar charts only) or none (both), as on the public dashboard.</summary>
    [BindProperty(SupportsGet = true)] public string? Chart { get; set; }
    /// <summary>"all" (everything the user may see) or "validated".</summary>
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public PivotDimension Rows { get; set; } = PivotDimension.Country;
    [BindProperty(SupportsGet = true)] public PivotDimension Cols { get; set; } = PivotDimension.Sector;
    /// <summary>Countries of the refugees-and-migrants line chart (repeatable); by default the country filter, else the five largest.</summary>
    [BindProperty(SupportsGet = true, Name = "c")] public List<string> Chosen { get; set; } = [];

    public int PlanYear { get; private set; }
    public List<int> Years { get; private set; } = [];
    public Names Names { get; private set; } = null!;
    public ResponseFigures Reached { get; private set; } = null!;
    public List<MonthProgress> Months { get; private set; } = [];
    public long YearTarget { get; private set; }
    public PivotTable Pivot { get; private set; } = null!;
    public List<ReachedTarget> PartnersByCountry { get; private set; } = [];
    public List<PartnerCount> PartnersBySector { get; private set; } = [];
    public RefugeeFiguresView Refugees { get; private set; } = null!;
    /// <summary>The chosen country's map by admin1 (the user's scope, unsuppressed), when one country is chosen.</summary>
    public Maps.CountryMapView? CountryMap { get; private set; }
    /// <summary>Admin1 names in the reader's language (pivot by area).</summary>
    public Dictionary<string, string> AreaNames { get; private set; } = new(StringComparer.Ordinal);
    public PartnerCharts Charts { get; private set; } = null!;

    public string Lang => HttpContext.Language();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        // Population figures are public context, the same for every role (the export does not need them); the line
        // chart follows the country filter.
        var latest = await DashboardData.LatestFiguresAsync(db, Names, ct);
        Chosen = RefugeeFiguresView.Choose(Names, Chosen, Country, latest);
        var keep = Request.Query.Where(q => q.Key is not ("c" or "handler" or "format"))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))).ToList();
        // Population figures are public data: their tools are the public dashboard's (files, citation and embedding).
        Refugees = new RefugeeFiguresView(Lang, "p", "/admin/dashboards", Names, latest,
            await DashboardData.FigureSeriesAsync(db, Names, Chosen, ct), Chosen, keep, Chart,
            string.Join('&', Chosen.Select(c => "c=" + Uri.EscapeDataString(c))));
        return Page();
    }

    /// <summary>
    /// A chart of this page as a file for the same state: SVG, PNG or its table as CSV with HXL. The user's own figures
    /// (drafts and unsuppressed counts included): private, never cached by a shared cache, and never offered for embedding.
    /// </summary>
    public async Task<IActionResult> OnGetChartAsync(string? figure, string? format, CancellationToken ct)
    {
        await LoadAsync(ct);
        var chart = figure is null ? null : Charts.File(figure);
        if (chart is null)
        {
            return NotFound();
        }
        Response.Headers.CacheControl = "private, no-store";
        return format switch
        {
            "svg" => File(System.Text.Encoding.UTF8.GetBytes(chart.Svg), "image/svg+xml; charset=utf-8"),
            "png" => File(Views.ChartImages.Png(chart.Svg), "image/png"),
            _ => ExportFile(chart.Table, $"{chart.Figure}-{PlanYear}"),
        };
    }

    private FileContentResult ExportFile(ExportTable table, string name)
    {
        var (content, type, extension) = table.File("csv", Lang);
        return File(content, type, name + extension);
    }

    /// <summary>The canonical query of this page's state (checked values only): its permalink and what a saved view stores.</summary>
    public string PermalinkQuery => Views.PartnerPermalink.Query(
    [
        new("year", PlanYear.ToString(CultureInfo.InvariantCulture)), new("country", Country), new("sector", Sector), new("admin1", Admin1),
        new("group", Group), new("org", Org), new("status", Status == "validated" ? "validated" : null),
        new("rows", Rows == PivotDimension.Country ? null : Rows.ToString()), new("cols", Cols == PivotDimension.Sector ? null : Cols.ToString()),
        // The line chart's countries when chosen (by default it follows the country filter, which the link already has).
        new("chart", Chart), .. (Request.Query.ContainsKey("c") ? Chosen : []).Select(c => new KeyValuePair<string, string?>("c", c)),
    ]);

    public string Permalink => Views.Permalink.For(Views.PartnerPermalink.Path, PermalinkQuery);

    /// <summary>A chart file's path for this state.</summary>
    public string ChartFile(string figure, string format) =>
        $"{Views.PartnerPermalink.Path}?handler=Chart&figure={figure}&format={format}{(PermalinkQuery.Length > 0 ? "&" + PermalinkQuery : "")}";

    /// <summary>The pivot table as CSV or XLSX (header row, HXL row, then one line per row key with its total).</summary>
    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken ct)
    {
        await LoadAsync(ct);
        var table = PivotExport(Pivot, Names);
        var name = $"pivot-{Pivot.Rows.ToString().ToLowerInvariant()}-{Pivot.Columns.ToString().ToLowerInvariant()}-{PlanYear}";
        var language = HttpContext.Language();
        var (content, type, extension) = table.File(format ?? "csv", language);
        return File(content, type, name + extension);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var language = HttpContext.Language();
        Names = await Names.LoadAsync(db, language, ct);
        Years = await DashboardData.PlanYearsAsync(db, ct);
        PlanYear = DashboardData.PlanYear(Year, Years, time);
        // Unknown filter values are dropped (the permalink carries checked values only).
        Country = Country?.Trim().ToUpperInvariant() is { } iso3 && Names.Countries.ContainsKey(iso3) ? iso3 : null;
        Sector = Sector?.Trim().ToUpperInvariant() is { } sector && Names.Sectors.ContainsKey(sector) ? sector : null;
        Group = Group?.Trim().ToLowerInvariant() is { } group && PopulationGroups.All.Contains(group) ? group : null;
        Chart = Chart is "map" or "bars" ? Chart : null;
        Status = Status == "validated" ? Status : null;
        int? orgId = Names.Orgs.FirstOrDefault(o => string.Equals(o.Value, Org, StringComparison.OrdinalIgnoreCase)) is { Value: not null } match ? match.Key : null;
        Org = orgId is { } id ? Names.Org(id) : null;
        var filters = new PartnerFilters(PlanYear, Country, Sector, Group, orgId, Status == "validated");
        var user = ScopeUser.From(User);
        var rows = await PartnerData.RowsAsync(db, user, filters, ct);
        var people = rows.Where(r => r.IsPeople).ToList();
        // Targets belong to the plan, not to organisations: with an organisation filter there is no target to compare.
        var targets = orgId is null ? await PartnerData.TargetsAsync(db, filters, ct) : [];
        var cells = people.GroupBy(r => (r.Country, r.Sector)).ToDictionary(g => g.Key, g => PartnerData.Reached(g));
        var targetCells = targets.GroupBy(t => (t.Country, t.Sector)).ToDictionary(g => g.Key, g => g.Sum(t => t.Target));
        Reached = DashboardData.Build(PlanYear, Names, cells.Keys.Union(targetCells.Keys)
            .Select(k => (k.Item1, k.Item2, cells.GetValueOrDefault(k), targetCells.GetValueOrDefault(k))));
        YearTarget = targets.Sum(t => t.Target);
        Months = PartnerCharts.MonthsOf(people);
        // The aggregates sum admin1 out: the area dimension and the country map read the visible reports by area.
        var byArea = Rows == PivotDimension.Admin1 || Cols == PivotDimension.Admin1 || Country is not null
            ? await PartnerAreas.RowsAsync(db, user, filters, ct) : null;
        if (byArea is not null)
        {
            AreaNames = await PartnerAreas.NamesAsync(db, byArea.Select(r => r.Country).Append(Country ?? ""), language, ct);
        }
        if (Country is not null)
        {
            CountryMap = await PartnerAreas.MapAsync(db, Names, Country, language, PlanYear, byArea!, Reached, ct);
        }
        Admin1 = CountryMap?.Areas.Any(a => a.PCode == Admin1) == true ? Admin1 : null;
        Pivot = PivotTable.Build(Rows == PivotDimension.Admin1 || Cols == PivotDimension.Admin1 ? byArea! : people, Rows, Cols, Names);
        PartnersByCountry = rows.GroupBy(r => r.Country, StringComparer.Ordinal)
            .Select(g => new ReachedTarget(g.Key, Names.Country(g.Key), g.Select(r => r.Org).Distinct().Count(), 0))
            .OrderByDescending(c => c.Reached).ThenBy(c => c.Name, StringComparer.CurrentCulture).ToList();
        PartnersBySector = rows.GroupBy(r => (r.Country, r.Sector))
            .Select(g => new PartnerCount(g.Key.Country, Names.Country(g.Key.Country), g.Key.Sector, Names.Sector(g.Key.Sector), g.Select(r => r.Org).Distinct().Count()))
            .OrderBy(c => c.CountryName, StringComparer.CurrentCulture).ThenBy(c => Names.SectorOrder(c.Sector)).ToList();
        Charts = new PartnerCharts(this, t, CultureInfo.CurrentCulture, time);
    }

    public string Label(PivotDimension d, string key) => d switch
    {
        PivotDimension.Country => Names.Country(key),
        PivotDimension.Sector => Names.Sector(key),
        PivotDimension.Admin1 => AreaNames.GetValueOrDefault(key) ?? key,
        PivotDimension.Month => PartnerCharts.MonthName(key, CultureInfo.CurrentCulture),
        _ => key,
    };

    /// <summary>The current query with a handler and format: the export links keep the filters.</summary>
    public string ExportLink(string format)
    {
        var query = Request.Query.Where(q => q.Key is not ("handler" or "format")).ToDictionary(q => q.Key, q => q.Value.ToString());
        query["handler"] = "Export";
        query["format"] = format;
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/admin/dashboards", query!);
    }

    public static TabularColumn DimensionColumn(PivotDimension d) => d switch
    {
        PivotDimension.Country => DashboardColumns.Country,
        PivotDimension.Sector => DashboardColumns.Sector,
        PivotDimension.Admin1 => DashboardColumns.Admin1,
        PivotDimension.Indicator => new TabularColumn("indicator", Hxl.IndicatorCode.Tag, "Indicator", "Indicador", "Indicador", "Indikadó"),
        PivotDimension.Organisation => new TabularColumn("org", Hxl.OrgCode.Tag, "Organisation", "Organización", "Organização", "Organisashon"),
        PivotDimension.Month => new TabularColumn("month", Hxl.Month.Tag, "Month (YYYY-MM)", "Mes (AAAA-MM)", "Mês (AAAA-MM)", "Luna (AAAA-MM)"),
        _ => new TabularColumn("group", Hxl.PopulationGroup.Tag, "Population group", "Grupo de población", "Grupo populacional", "Grupo di poblashon"),
    };

    /// <summary>HXL attribute of a column key: lower-case letters, digits and underscores.</summary>
    public static string HxlAttribute(string key)
    {
        var sb = new StringBuilder(Hxl.ValueAttributePrefix);
        foreach (var ch in key.ToLowerInvariant())
        {
            sb.Append(char.IsAsciiLetterOrDigit(ch) ? ch : '_');
        }
        return sb.ToString();
    }

    public static ExportTable PivotExport(PivotTable p, Names names)
    {
        var columns = new List<TabularColumn> { DimensionColumn(p.Rows) };
        columns.AddRange(p.ColumnKeys.Select(k => new TabularColumn(k, Hxl.Reached.Tag + "+" + HxlAttribute(k), k, k, k, k)));
        columns.Add(new TabularColumn("total", Hxl.ReachedTotal.Tag, "Total", "Total", "Total", "Total"));
        var rows = p.RowKeys.Select(r => new object?[] { r }.Concat(p.ColumnKeys.Select(c => (object?)p.Cell(r, c))).Append(p.RowTotals.GetValueOrDefault(r)).ToArray()).ToList();
        rows.Add(new object?[] { "Total" }.Concat(p.ColumnKeys.Select(c => (object?)p.ColumnTotals.GetValueOrDefault(c))).Append(p.Total).ToArray());
        _ = names;
        return new ExportTable("pivot", columns, rows);
    }
}
