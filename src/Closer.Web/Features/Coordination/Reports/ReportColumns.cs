using Closer.Web.Infrastructure.Tabular;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>The columns of the 5W spreadsheet (template, import, export), on the one <see cref="TabularColumn"/> type.</summary>
public static class ReportColumns
{
    public static readonly TabularColumn Org = new("org", Hxl.OrgCode.Tag, "Organisation", "Organización", "Organização", "Organisashon", true);
    public static readonly TabularColumn Partner = new("partner", Hxl.OrgImplementing.Tag, "Implementing partner", "Socio implementador", "Parceiro implementador", "Socio implementadó", false);
    public static readonly TabularColumn Country = new("country", Hxl.CountryCode.Tag, "Country", "País", "País", "Pais", true);
    public static readonly TabularColumn Admin1 = new("admin1", Hxl.Adm1Code.Tag, "Admin1 P-code", "Código P admin1", "Código P admin1", "Kódigo P admin1", true);
    public static readonly TabularColumn Sector = new("sector", Hxl.SectorCode.Tag, "Sector", "Sector", "Setor", "Sektor", false);
    public static readonly TabularColumn Indicator = new("indicator", Hxl.IndicatorCode.Tag, "Indicator", "Indicador", "Indicador", "Indikadó", true);
    public static readonly TabularColumn Month = new("month", Hxl.Month.Tag, "Month (YYYY-MM)", "Mes (AAAA-MM)", "Mês (AAAA-MM)", "Luna (AAAA-MM)", true);
    public static readonly TabularColumn Group = new("group", Hxl.PopulationGroup.Tag, "Population group", "Grupo de población", "Grupo populacional", "Grupo di poblashon", true);
    public static readonly TabularColumn Girls = new("girls", Hxl.ReachedGirls.Tag, "Girls", "Niñas", "Meninas", "Mucha muhé", true);
    public static readonly TabularColumn Boys = new("boys", Hxl.ReachedBoys.Tag, "Boys", "Niños", "Meninos", "Mucha hòmber", true);
    public static readonly TabularColumn Women = new("women", Hxl.ReachedWomen.Tag, "Women", "Mujeres", "Mulheres", "Muhé", true);
    public static readonly TabularColumn Men = new("men", Hxl.ReachedMen.Tag, "Men", "Hombres", "Homens", "Hòmber", true);
    public static readonly TabularColumn Other = new("other", Hxl.ReachedOther.Tag, "Other or unknown", "Otro o desconocido", "Outro ou desconhecido", "Otro òf deskonosí", false);
    public static readonly TabularColumn Total = new("total", Hxl.ReachedTotal.Tag, "Total", "Total", "Total", "Total", false);
    public static readonly TabularColumn ToDate = new("todate", Hxl.ReachedToDate.Tag, "Reached to date (de-duplicated)", "Alcanzados a la fecha (sin duplicados)", "Alcançados até a data (sem duplicação)", "Alkansá te awe (sin duplikashon)", false);
    public static readonly TabularColumn Cash = new("cash", Hxl.Cash.Tag, "Cash-based (yes/no)", "Basado en efectivo (sí/no)", "Baseado em dinheiro (sim/não)", "Basá riba plaka (si/no)", false);
    public static readonly TabularColumn CashUsd = new("cashusd", Hxl.CashUsd.Tag, "Cash value (USD)", "Valor del efectivo (USD)", "Valor em dinheiro (USD)", "Balor di plaka (USD)", false);
    // Names next to the codes (exports only, in the asked language); an import matches them and reads nothing from them.
    public static readonly TabularColumn OrgName = new("orgName", Hxl.OrgName.Tag, "Organisation name", "Nombre de la organización", "Nome da organização", "Nòmber di organisashon", false);
    public static readonly TabularColumn CountryName = new("countryName", Hxl.CountryName.Tag, "Country name", "Nombre del país", "Nome do país", "Nòmber di pais", false);
    public static readonly TabularColumn Admin1Name = new("admin1Name", Hxl.Adm1Name.Tag, "Admin1 name", "Nombre admin1", "Nome admin1", "Nòmber admin1", false);
    public static readonly TabularColumn SectorName = new("sectorName", Hxl.SectorName.Tag, "Sector name", "Nombre del sector", "Nome do setor", "Nòmber di sektor", false);
    public static readonly TabularColumn IndicatorName = new("indicatorName", Hxl.IndicatorName.Tag, "Indicator name", "Nombre del indicador", "Nome do indicador", "Nòmber di indikadó", false);
    public static readonly TabularColumn Id = new("id", Hxl.Id.Tag, "Id", "Id", "Id", "Id", false);
    public static readonly TabularColumn Status = new("status", Hxl.Status.Tag, "Status", "Estado", "Situação", "Estado", false);

    /// <summary>The columns of the import template, in order.</summary>
    public static IReadOnlyList<TabularColumn> Import { get; } =
        [Org, Partner, Country, Admin1, Sector, Indicator, Month, Group, Girls, Boys, Women, Men, Other, Total, ToDate, Cash, CashUsd];

    /// <summary>
    /// The columns of an export: the import columns plus id and status (so an export can be re-imported), and a name
    /// column next to each code (the import matches them as known columns and ignores their cells).
    /// </summary>
    public static IReadOnlyList<TabularColumn> Export { get; } =
        [Id, Status, Org, OrgName, Partner, Country, CountryName, Admin1, Admin1Name, Sector, SectorName, Indicator, IndicatorName,
            Month, Group, Girls, Boys, Women, Men, Other, Total, ToDate, Cash, CashUsd];
}
