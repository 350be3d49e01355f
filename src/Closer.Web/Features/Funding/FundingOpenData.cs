using System.Globalization;
using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Features.Coordination.Reports;
using MiniExcelLibs;

namespace Closer.Web.Features.Funding;

/// <summary>The open-data tables of funding: coverage per level and the donor breakdown, as CSV or XLSX with an HXL row.</summary>
public static class FundingOpenData
{
    public static readonly ReportColumn Level = new("level", "#meta+level", "Level", "Nivel", "Nível", "Nivel", false);
    public static readonly ReportColumn Year = new("year", "#date+year", "Plan year", "Año del plan", "Ano do plano", "Aña di plan", false);
    public static readonly ReportColumn Country = new("country", "#country+code", "Country", "País", "País", "Pais", false);
    public static readonly ReportColumn CountryName = new("countryname", "#country+name", "Country name", "Nombre del país", "Nome do país", "Nòmber di pais", false);
    public static readonly ReportColumn Sector = new("sector", "#sector", "Sector", "Sector", "Setor", "Sektor", false);
    public static readonly ReportColumn SectorName = new("sectorname", "#sector+name", "Sector name", "Nombre del sector", "Nome do setor", "Nòmber di sektor", false);
    public static readonly ReportColumn Requirement = new("requirement", "#value+requirement+usd", "Requirement (USD)", "Requerimiento (USD)", "Necessidade (USD)", "Nesesidat (USD)", false);
    public static readonly ReportColumn Received = new("received", "#value+funding+usd", "Funding received (USD)", "Fondos recibidos (USD)", "Recursos recebidos (USD)", "Fondo risibí (USD)", false);
    public static readonly ReportColumn Paid = new("paid", "#value+paid+usd", "Paid (USD)", "Pagado (USD)", "Pago (USD)", "Pagá (USD)", false);
    public static readonly ReportColumn Committed = new("committed", "#value+committed+usd", "Committed (USD)", "Comprometido (USD)", "Comprometido (USD)", "Komprometé (USD)", false);
    public static readonly ReportColumn Pledged = new("pledged", "#value+pledged+usd", "Pledged (USD)", "Prometido (USD)", "Prometido (USD)", "Primintí (USD)", false);
    public static readonly ReportColumn Coverage = new("coverage", "#indicator+coverage+pct", "Coverage (%)", "Cobertura (%)", "Cobertura (%)", "Kobertura (%)", false);
    public static readonly ReportColumn Donor = new("donor", "#org+funding", "Donor", "Donante", "Doador", "Donante", false);
    public static readonly ReportColumn DonorType = new("donortype", "#org+funding+type", "Donor type", "Tipo de donante", "Tipo de doador", "Tipo di donante", false);
    public static readonly ReportColumn Count = new("count", "#meta+count", "Contributions", "Contribuciones", "Contribuições", "Kontribushon", false);

    public static IReadOnlyList<ReportColumn> CoverageColumns { get; } =
        [Level, Year, Country, CountryName, Sector, SectorName, Requirement, Received, Paid, Committed, Pledged, Coverage];

    public static IReadOnlyList<ReportColumn> DonorColumns { get; } = [Year, Donor, DonorType, Received, Paid, Committed, Pledged, Count];

    /// <summary>The rows of the coverage table: total, then countries, sectors and country × sector cells.</summary>
    public static IEnumerable<IReadOnlyList<object?>> CoverageRows(CoverageReport r)
    {
        IReadOnlyList<object?> Row(string level, CoverageLine l, string? countryName, string? sectorName) =>
        [
            level, r.Year, l.Country ?? "", countryName ?? "", l.Sector ?? "", sectorName ?? "",
            Usd(l.RequirementCents), Usd(l.ReceivedCents), Usd(l.PaidCents), Usd(l.CommittedCents), Usd(l.PledgedCents), l.CoveragePct,
        ];
        yield return Row("total", r.Total, null, null);
        foreach (var l in r.Countries)
        {
            yield return Row("country", l, l.Label, null);
        }
        foreach (var l in r.Sectors)
        {
            yield return Row("sector", l, null, l.Label);
        }
        foreach (var l in r.Cells)
        {
            var parts = l.Label.Split(" · ", 2);
            yield return Row("cell", l, parts[0], parts.Length > 1 ? parts[1] : null);
        }
    }

    public sealed record DonorLine(string Donor, string? DonorType, long PaidCents, long CommittedCents, long PledgedCents, int Count)
    {
        public long ReceivedCents => PaidCents + CommittedCents;
    }

    public static IEnumerable<IReadOnlyList<object?>> DonorRows(int year, IEnumerable<DonorLine> donors) =>
        donors.Select(d => (IReadOnlyList<object?>)[year, d.Donor, d.DonorType ?? "", Usd(d.ReceivedCents), Usd(d.PaidCents), Usd(d.CommittedCents), Usd(d.PledgedCents), d.Count]);

    /// <summary>Dollars, exact (cents as decimals).</summary>
    public static decimal Usd(long cents) => cents / 100m;

    public static string Text(object? value) => value switch
    {
        null => "",
        decimal d => d.ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static byte[] Csv(IReadOnlyList<ReportColumn> columns, string language, IEnumerable<IReadOnlyList<object?>> rows) =>
        Spreadsheets.WriteCsv(columns, language, rows.Select(r => (IReadOnlyList<string?>)r.Select(Text).ToList()));

    /// <summary>XLSX with the header row and the HXL row, numbers as numbers.</summary>
    public static byte[] Xlsx(IReadOnlyList<ReportColumn> columns, string language, IEnumerable<IReadOnlyList<object?>> rows, string sheet)
    {
        var headers = columns.Select(c => c.Header(language)).ToList();
        var data = new List<Dictionary<string, object?>>
        {
            headers.Zip(columns).ToDictionary(x => x.First, x => (object?)x.Second.Hxl, StringComparer.Ordinal),
        };
        foreach (var row in rows)
        {
            data.Add(headers.Select((h, i) => (h, v: i < row.Count ? row[i] : null)).ToDictionary(x => x.h, x => x.v, StringComparer.Ordinal));
        }
        using var ms = new MemoryStream();
        ms.SaveAs(new Dictionary<string, object> { [sheet] = data }, printHeader: true, excelType: ExcelType.XLSX);
        return ms.ToArray();
    }
}
