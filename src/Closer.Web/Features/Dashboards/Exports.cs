using Closer.Web.Infrastructure.Tabular;

namespace Closer.Web.Features.Dashboards;

/// <summary>A table to download: columns with their HXL hashtags and headers in four languages; cells are text or whole numbers.</summary>
public sealed record ExportTable(string Name, IReadOnlyList<TabularColumn> Columns, IReadOnlyList<object?[]> Rows)
{
    /// <summary>The table as a CSV or XLSX download (the shared writers: header row, HXL row, rows).</summary>
    public (byte[] Content, string ContentType, string Extension) File(string format, string language) =>
        string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase)
            ? (TabularXlsx.Write(Columns, language, Rows, Name), TabularContentTypes.Xlsx, ".xlsx")
            : (TabularCsv.Write(Columns, language, Rows), TabularContentTypes.Csv, ".csv");
}

/// <summary>The columns of the dashboards' downloads (HXL 1.1 hashtags).</summary>
public static class DashboardColumns
{
    public static readonly TabularColumn Year = new("year", Hxl.Year.Tag, "Plan year", "Año del plan", "Ano do plano", "Aña di plan");
    public static readonly TabularColumn Country = new("country", Hxl.CountryCode.Tag, "Country code", "Código de país", "Código do país", "Kódigo di pais");
    public static readonly TabularColumn CountryName = new("countryName", Hxl.CountryName.Tag, "Country", "País", "País", "Pais");
    public static readonly TabularColumn Admin1 = new("admin1", Hxl.Adm1Code.Tag, "Area P-code", "P-código del área", "P-código da área", "P-kódigo di área");
    public static readonly TabularColumn Admin1Name = new("admin1Name", Hxl.Adm1Name.Tag, "Area", "Área", "Área", "Área");
    public static readonly TabularColumn Sector = new("sector", Hxl.SectorCode.Tag, "Sector code", "Código de sector", "Código do setor", "Kódigo di sektor");
    public static readonly TabularColumn SectorName = new("sectorName", Hxl.SectorName.Tag, "Sector", "Sector", "Setor", "Sektor");
    public static readonly TabularColumn Reached = new("reached", Hxl.Reached.Tag, "People reached", "Personas alcanzadas", "Pessoas alcançadas", "Hende alkansá");
    public static readonly TabularColumn Target = new("target", Hxl.Targeted.Tag, "Target", "Meta", "Meta", "Meta");
    public static readonly TabularColumn Figure = new("refugeesAndMigrants", Hxl.RefugeesAndMigrants.Tag, "Refugees and migrants", "Refugiados y migrantes", "Refugiados e migrantes", "Refugiado i migrante");
    public static readonly TabularColumn AsOf = new("asOf", Hxl.Reported.Tag, "As of (YYYY-MM)", "Fecha (AAAA-MM)", "Data (AAAA-MM)", "Fecha (AAAA-MM)");
    public static readonly TabularColumn Source = new("source", Hxl.Source.Tag, "Source", "Fuente", "Fonte", "Fuente");
    public static readonly TabularColumn Disclosure = new("disclosure", Hxl.Disclosure.Tag, "Disclosure control", "Control de divulgación", "Controle de divulgação", "Kontrol di divulgashon");
    public static readonly TabularColumn Partners = new("partners", Hxl.PartnerCount.Tag, "Partner organisations", "Organizaciones socias", "Organizações parceiras", "Organisashonnan socio");
}

public static class Exports
{
    /// <summary>The disclosure column of a row: "suppressed" when its count is hidden.</summary>
    private static string? Disclosed(bool suppressed) => suppressed ? OpenData.Disclosure.ActivityDisclosure.Suppressed : null;

    public static ExportTable ResponseTable(ResponseFigures f, string by) => by switch
    {
        "country" => new ExportTable("reached-by-country", [DashboardColumns.Year, DashboardColumns.Country, DashboardColumns.CountryName, DashboardColumns.Reached, DashboardColumns.Target, DashboardColumns.Disclosure],
            f.Countries.Select(c => new object?[] { (long)f.Year, c.Key, c.Name, c.Published, c.Target, Disclosed(c.Suppressed) }).ToList()),
        "cells" => new ExportTable("reached", [DashboardColumns.Year, DashboardColumns.Country, DashboardColumns.CountryName, DashboardColumns.Sector, DashboardColumns.SectorName, DashboardColumns.Reached, DashboardColumns.Target, DashboardColumns.Disclosure],
            f.Cells.Select(c => new object?[] { (long)f.Year, c.Country, c.CountryName, c.Sector, c.SectorName, c.Published, c.Target, Disclosed(c.Suppressed) }).ToList()),
        _ => new ExportTable("reached-by-sector", [DashboardColumns.Year, DashboardColumns.Sector, DashboardColumns.SectorName, DashboardColumns.Reached, DashboardColumns.Target, DashboardColumns.Disclosure],
            f.Sectors.Select(s => new object?[] { (long)f.Year, s.Key, s.Name, s.Published, s.Target, Disclosed(s.Suppressed) }).ToList()),
    };

    public static ExportTable FiguresTable(IEnumerable<FigurePoint> points, string name) =>
        new(name, [DashboardColumns.Country, DashboardColumns.CountryName, DashboardColumns.AsOf, DashboardColumns.Figure, DashboardColumns.Source],
            points.Select(p => new object?[] { p.Country, p.Name, p.AsOf, p.RefugeesAndMigrants, p.Source }).ToList());

    /// <summary>A country map's table: each admin1 area's people reached and partner organisations (sensitive sectors left out, as on the page).</summary>
    public static ExportTable AreasTable(Maps.CountryMapView v) =>
        new("reached-by-area", [DashboardColumns.Year, DashboardColumns.Country, DashboardColumns.CountryName, DashboardColumns.Admin1, DashboardColumns.Admin1Name, DashboardColumns.Reached, DashboardColumns.Partners],
            v.Areas.Select(a => new object?[] { (long)v.Year, v.Iso3, v.Name, a.PCode, a.Name, a.Reached, (long)a.Partners }).ToList());

    /// <summary>One area's people reached and partner organisations by sector (the dashboard filtered to an area).</summary>
    public static ExportTable AreaSectorsTable(Maps.AreaSectorsView v) =>
        new("reached-by-area-sector", [DashboardColumns.Year, DashboardColumns.Country, DashboardColumns.CountryName, DashboardColumns.Admin1, DashboardColumns.Admin1Name,
            DashboardColumns.Sector, DashboardColumns.SectorName, DashboardColumns.Reached, DashboardColumns.Partners],
            v.Sectors.Select(s => new object?[] { (long)v.Year, v.Iso3, v.CountryName, v.PCode, v.Name, s.Key, s.Name, s.Reached, (long)s.Partners }).ToList());

    public static ExportTable PartnersTable(PartnerFigures f) =>
        new("partners", [DashboardColumns.Year, DashboardColumns.Country, DashboardColumns.CountryName, DashboardColumns.Sector, DashboardColumns.SectorName, DashboardColumns.Partners],
            f.Cells.Select(c => new object?[] { (long)f.Year, c.Country, c.CountryName, c.Sector, c.SectorName, (long)c.Partners }).ToList());
}
