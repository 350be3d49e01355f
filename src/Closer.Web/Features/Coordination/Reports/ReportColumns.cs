using Closer.Web.Infrastructure.Tabular;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>The columns of the 5W spreadsheet (template, import, export), on the one <see cref="TabularColumn"/> type.</summary>
public static class ReportColumns
{
    public static readonly TabularColumn Org = new("org", "#org", "Organisation", "Organización", "Organização", "Organisashon", true);
    public static readonly TabularColumn Partner = new("partner", "#org+impl", "Implementing partner", "Socio implementador", "Parceiro implementador", "Socio implementadó", false);
    public static readonly TabularColumn Country = new("country", "#country+code", "Country", "País", "País", "Pais", true);
    public static readonly TabularColumn Admin1 = new("admin1", "#adm1+code", "Admin1 P-code", "Código P admin1", "Código P admin1", "Kódigo P admin1", true);
    public static readonly TabularColumn Sector = new("sector", "#sector", "Sector", "Sector", "Setor", "Sektor", false);
    public static readonly TabularColumn Indicator = new("indicator", "#indicator+code", "Indicator", "Indicador", "Indicador", "Indikadó", true);
    public static readonly TabularColumn Month = new("month", "#date+reported", "Month (YYYY-MM)", "Mes (AAAA-MM)", "Mês (AAAA-MM)", "Luna (AAAA-MM)", true);
    public static readonly TabularColumn Group = new("group", "#population+type", "Population group", "Grupo de población", "Grupo populacional", "Grupo di poblashon", true);
    public static readonly TabularColumn Girls = new("girls", "#reached+f+children", "Girls", "Niñas", "Meninas", "Mucha muhé", true);
    public static readonly TabularColumn Boys = new("boys", "#reached+m+children", "Boys", "Niños", "Meninos", "Mucha hòmber", true);
    public static readonly TabularColumn Women = new("women", "#reached+f+adults", "Women", "Mujeres", "Mulheres", "Muhé", true);
    public static readonly TabularColumn Men = new("men", "#reached+m+adults", "Men", "Hombres", "Homens", "Hòmber", true);
    public static readonly TabularColumn Other = new("other", "#reached+unknown", "Other or unknown", "Otro o desconocido", "Outro ou desconhecido", "Otro òf deskonosí", false);
    public static readonly TabularColumn Total = new("total", "#reached+total", "Total", "Total", "Total", "Total", false);
    public static readonly TabularColumn ToDate = new("todate", "#reached+todate", "Reached to date (de-duplicated)", "Alcanzados a la fecha (sin duplicados)", "Alcançados até a data (sem duplicação)", "Alkansá te awe (sin duplikashon)", false);
    public static readonly TabularColumn Cash = new("cash", "#modality+cash", "Cash-based (yes/no)", "Basado en efectivo (sí/no)", "Baseado em dinheiro (sim/não)", "Basá riba plaka (si/no)", false);
    public static readonly TabularColumn CashUsd = new("cashusd", "#value+cash+usd", "Cash value (USD)", "Valor del efectivo (USD)", "Valor em dinheiro (USD)", "Balor di plaka (USD)", false);
    public static readonly TabularColumn Id = new("id", "#meta+id", "Id", "Id", "Id", "Id", false);
    public static readonly TabularColumn Status = new("status", "#status", "Status", "Estado", "Situação", "Estado", false);

    /// <summary>The columns of the import template, in order.</summary>
    public static IReadOnlyList<TabularColumn> Import { get; } =
        [Org, Partner, Country, Admin1, Sector, Indicator, Month, Group, Girls, Boys, Women, Men, Other, Total, ToDate, Cash, CashUsd];

    /// <summary>The columns of an export: the import columns plus id and status (so an export can be re-imported).</summary>
    public static IReadOnlyList<TabularColumn> Export { get; } = [Id, Status, .. Import];
}
