using System.Globalization;
using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Features.Coordination.Reports;
using MiniExcelLibs;

namespace Closer.Web.Features.Dashboards;

/// <summary>A table to download: columns with their HXL hashtags and headers in four languages; cells are text or whole numbers.</summary>
public sealed record ExportTable(string Name, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>The columns of the dashboards' downloads (HXL 1.1 hashtags).</summary>
public static class DashboardColumns
{
    public static readonly ReportColumn Year = new("year", "#date+year", "Plan year", "Año del plan", "Ano do plano", "Aña di plan", false);
    public static readonly ReportColumn Country = new("country", "#country+code", "Country code", "Código de país", "Código do país", "Kódigo di pais", false);
    public static readonly ReportColumn CountryName = new("countryName", "#country+name", "Country", "País", "País", "Pais", false);
    public static readonly ReportColumn Sector = new("sector", "#sector+code", "Sector code", "Código de sector", "Código do setor", "Kódigo di sektor", false);
    public static readonly ReportColumn SectorName = new("sectorName", "#sector+name", "Sector", "Sector", "Setor", "Sektor", false);
    public static readonly ReportColumn Reached = new("reached", "#reached", "People reached", "Personas alcanzadas", "Pessoas alcançadas", "Hende alkansá", false);
    public static readonly ReportColumn Target = new("target", "#targeted", "Target", "Meta", "Meta", "Meta", false);
    public static readonly ReportColumn Figure = new("refugeesAndMigrants", "#affected+refugees+migrants", "Refugees and migrants", "Refugiados y migrantes", "Refugiados e migrantes", "Refugiado i migrante", false);
    public static readonly ReportColumn AsOf = new("asOf", "#date+reported", "As of (YYYY-MM)", "Fecha (AAAA-MM)", "Data (AAAA-MM)", "Fecha (AAAA-MM)", false);
    public static readonly ReportColumn Source = new("source", "#meta+source", "Source", "Fuente", "Fonte", "Fuente", false);
    public static readonly ReportColumn Partners = new("partners", "#org+num", "Partner organisations", "Organizaciones socias", "Organizações parceiras", "Organisashonnan socio", false);
}

public static class Exports
{
    public const string Csv = "text/csv; charset=utf-8";

    public static byte[] ToCsv(ExportTable table, string language) =>
        Spreadsheets.WriteCsv(table.Columns, language, table.Rows.Select(r => (IReadOnlyList<string?>)r.Select(Text).ToList()));

    /// <summary>XLSX with the same two header rows as the CSV (headers, then HXL hashtags); numbers stay numbers.</summary>
    public static byte[] ToXlsx(ExportTable table, string language)
    {
        var headers = table.Columns.Select(c => c.Header(language)).ToList();
        var data = new List<Dictionary<string, object?>>
        {
            headers.Zip(table.Columns).ToDictionary(x => x.First, x => (object?)x.Second.Hxl, StringComparer.Ordinal),
        };
        foreach (var row in table.Rows)
        {
            var d = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < headers.Count; i++)
            {
                d[headers[i]] = i < row.Length ? row[i] : null;
            }
            data.Add(d);
        }
        using var ms = new MemoryStream();
        ms.SaveAs(new Dictionary<string, object> { [table.Name] = data }, printHeader: true, excelType: ExcelType.XLSX);
        return ms.ToArray();
    }

    private static string? Text(object? v) => v switch
    {
        null => null,
        long n => n.ToString(CultureInfo.InvariantCulture),
        int n => n.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString(),
    };

    public static ExportTable ResponseTable(ResponseFigures f, string by) => by switch
    {
        "country" => new ExportTable("reached-by-country", [DashboardColumns.Year, DashboardColumns.Country, DashboardColumns.CountryName, DashboardColumns.Reached, DashboardColumns.Target],
            f.Countries.Select(c => new object?[] { (long)f.Year, c.Key, c.Name, c.Reached, c.Target }).ToList()),
        "cells" => new ExportTable("reached", [DashboardColumns.Year, DashboardColumns.Country, DashboardColumns.CountryName, DashboardColumns.Sector, DashboardColumns.SectorName, DashboardColumns.Reached, DashboardColumns.Target],
            f.Cells.Select(c => new object?[] { (long)f.Year, c.Country, c.CountryName, c.Sector, c.SectorName, c.Reached, c.Target }).ToList()),
        _ => new ExportTable("reached-by-sector", [DashboardColumns.Year, DashboardColumns.Sector, DashboardColumns.SectorName, DashboardColumns.Reached, DashboardColumns.Target],
            f.Sectors.Select(s => new object?[] { (long)f.Year, s.Key, s.Name, s.Reached, s.Target }).ToList()),
    };

    public static ExportTable FiguresTable(IEnumerable<FigurePoint> points, string name) =>
        new(name, [DashboardColumns.Country, DashboardColumns.CountryName, DashboardColumns.AsOf, DashboardColumns.Figure, DashboardColumns.Source],
            points.Select(p => new object?[] { p.Country, p.Name, p.AsOf, p.RefugeesAndMigrants, p.Source }).ToList());

    public static ExportTable PartnersTable(PartnerFigures f) =>
        new("partners", [DashboardColumns.Year, DashboardColumns.Country, DashboardColumns.CountryName, DashboardColumns.Sector, DashboardColumns.SectorName, DashboardColumns.Partners],
            f.Cells.Select(c => new object?[] { (long)f.Year, c.Country, c.CountryName, c.Sector, c.SectorName, (long)c.Partners }).ToList());
}
