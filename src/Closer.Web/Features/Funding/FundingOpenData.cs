using Closer.Web.Infrastructure.Tabular;

namespace Closer.Web.Features.Funding;

/// <summary>The open-data tables of funding: coverage per level and the donor breakdown, as CSV or XLSX with an HXL row (the shared writers).</summary>
public static class FundingOpenData
{
    public static readonly TabularColumn Level = new("level", Hxl.Level.Tag, "Level", "Nivel", "Nível", "Nivel");
    public static readonly TabularColumn Year = new("year", Hxl.Year.Tag, "Plan year", "Año del plan", "Ano do plano", "Aña di plan");
    public static readonly TabularColumn Country = new("country", Hxl.CountryCode.Tag, "Country", "País", "País", "Pais");
    public static readonly TabularColumn CountryName = new("countryname", Hxl.CountryName.Tag, "Country name", "Nombre del país", "Nome do país", "Nòmber di pais");
    public static readonly TabularColumn Sector = new("sector", Hxl.SectorCode.Tag, "Sector", "Sector", "Setor", "Sektor");
    public static readonly TabularColumn SectorName = new("sectorname", Hxl.SectorName.Tag, "Sector name", "Nombre del sector", "Nome do setor", "Nòmber di sektor");
    public static readonly TabularColumn Requirement = new("requirement", Hxl.RequirementUsd.Tag, "Requirement (USD)", "Requerimiento (USD)", "Necessidade (USD)", "Nesesidat (USD)");
    public static readonly TabularColumn Received = new("received", Hxl.FundingUsd.Tag, "Funding received (USD)", "Fondos recibidos (USD)", "Recursos recebidos (USD)", "Fondo risibí (USD)");
    public static readonly TabularColumn Paid = new("paid", Hxl.PaidUsd.Tag, "Paid (USD)", "Pagado (USD)", "Pago (USD)", "Pagá (USD)");
    public static readonly TabularColumn Committed = new("committed", Hxl.CommittedUsd.Tag, "Committed (USD)", "Comprometido (USD)", "Comprometido (USD)", "Komprometé (USD)");
    public static readonly TabularColumn Pledged = new("pledged", Hxl.PledgedUsd.Tag, "Pledged (USD)", "Prometido (USD)", "Prometido (USD)", "Primintí (USD)");
    public static readonly TabularColumn Coverage = new("coverage", Hxl.CoveragePct.Tag, "Coverage (%)", "Cobertura (%)", "Cobertura (%)", "Kobertura (%)");
    public static readonly TabularColumn Donor = new("donor", Hxl.OrgFunder.Tag, "Donor", "Donante", "Doador", "Donante");
    public static readonly TabularColumn DonorType = new("donortype", Hxl.OrgFunderType.Tag, "Donor type", "Tipo de donante", "Tipo de doador", "Tipo di donante");
    public static readonly TabularColumn Count = new("count", Hxl.Count.Tag, "Contributions", "Contribuciones", "Contribuições", "Kontribushon");

    public static IReadOnlyList<TabularColumn> CoverageColumns { get; } =
        [Level, Year, Country, CountryName, Sector, SectorName, Requirement, Received, Paid, Committed, Pledged, Coverage];

    public static IReadOnlyList<TabularColumn> DonorColumns { get; } = [Year, Donor, DonorType, Received, Paid, Committed, Pledged, Count];

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
}
