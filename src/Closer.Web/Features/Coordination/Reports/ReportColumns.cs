namespace Closer.Web.Features.Coordination.Reports;

/// <summary>A column of the 5W spreadsheet: its key, HXL hashtag and header in the four languages.</summary>
public sealed record ReportColumn(string Key, string Hxl, string En, string Es, string Pt, string Pap, bool Required)
{
    public string Header(string language) => language switch { "es" => Es, "pt" => Pt, "pap" => Pap, _ => En };
}

public static class ReportColumns
{
    public static readonly ReportColumn Org = new("org", "#org", "Organisation", "Organización", "Organização", "Organisashon", true);
    public static readonly ReportColumn Partner = new("partner", "#org+impl", "Implementing partner", "Socio implementador", "Parceiro implementador", "Socio implementadó", false);
    public static readonly ReportColumn Country = new("country", "#country+code", "Country", "País", "País", "Pais", true);
    public static readonly ReportColumn Admin1 = new("admin1", "#adm1+code", "Admin1 P-code", "Código P admin1", "Código P admin1", "Kódigo P admin1", true);
    public static readonly ReportColumn Sector = new("sector", "#sector", "Sector", "Sector", "Setor", "Sektor", false);
    public static readonly ReportColumn Indicator = new("indicator", "#indicator+code", "Indicator", "Indicador", "Indicador", "Indikadó", true);
    public static readonly ReportColumn Month = new("month", "#date+reported", "Month (YYYY-MM)", "Mes (AAAA-MM)", "Mês (AAAA-MM)", "Luna (AAAA-MM)", true);
    public static readonly ReportColumn Group = new("group", "#population+type", "Population group", "Grupo de población", "Grupo populacional", "Grupo di poblashon", true);
    public static readonly ReportColumn Girls = new("girls", "#reached+f+children", "Girls", "Niñas", "Meninas", "Mucha muhé", true);
    public static readonly ReportColumn Boys = new("boys", "#reached+m+children", "Boys", "Niños", "Meninos", "Mucha hòmber", true);
    public static readonly ReportColumn Women = new("women", "#reached+f+adults", "Women", "Mujeres", "Mulheres", "Muhé", true);
    public static readonly ReportColumn Men = new("men", "#reached+m+adults", "Men", "Hombres", "Homens", "Hòmber", true);
    public static readonly ReportColumn Other = new("other", "#reached+unknown", "Other or unknown", "Otro o desconocido", "Outro ou desconhecido", "Otro òf deskonosí", false);
    public static readonly ReportColumn Total = new("total", "#reached+total", "Total", "Total", "Total", "Total", false);
    public static readonly ReportColumn ToDate = new("todate", "#reached+todate", "Reached to date (de-duplicated)", "Alcanzados a la fecha (sin duplicados)", "Alcançados até a data (sem duplicação)", "Alkansá te awe (sin duplikashon)", false);
    public static readonly ReportColumn Cash = new("cash", "#modality+cash", "Cash-based (yes/no)", "Basado en efectivo (sí/no)", "Baseado em dinheiro (sim/não)", "Basá riba plaka (si/no)", false);
    public static readonly ReportColumn CashUsd = new("cashusd", "#value+cash+usd", "Cash value (USD)", "Valor del efectivo (USD)", "Valor em dinheiro (USD)", "Balor di plaka (USD)", false);
    public static readonly ReportColumn Id = new("id", "#meta+id", "Id", "Id", "Id", "Id", false);
    public static readonly ReportColumn Status = new("status", "#status", "Status", "Estado", "Situação", "Estado", false);

    /// <summary>The columns of the import template, in order.</summary>
    public static IReadOnlyList<ReportColumn> Import { get; } =
        [Org, Partner, Country, Admin1, Sector, Indicator, Month, Group, Girls, Boys, Women, Men, Other, Total, ToDate, Cash, CashUsd];

    /// <summary>The columns of an export: the import columns plus id and status (so an export can be re-imported).</summary>
    public static IReadOnlyList<ReportColumn> Export { get; } = [Id, Status, .. Import];

    /// <summary>Finds the report column a header cell names (see <see cref="Match(string?, IReadOnlyList{ReportColumn})"/>).</summary>
    public static ReportColumn? Match(string? cell) => Match(cell, Export);

    /// <summary>
    /// Finds which of <paramref name="columns"/> a header cell names: an HXL hashtag (attributes in any order) or a
    /// header in any of the four languages (accents, case, spaces and punctuation ignored). Shared by every import.
    /// </summary>
    public static ReportColumn? Match(string? cell, IReadOnlyList<ReportColumn> columns)
    {
        if (string.IsNullOrWhiteSpace(cell))
        {
            return null;
        }
        var text = cell.Trim();
        if (text.StartsWith('#'))
        {
            var tag = HxlKey(text);
            return columns.FirstOrDefault(c => string.Equals(HxlKey(c.Hxl), tag, StringComparison.Ordinal));
        }
        var norm = Normalize(text);
        return columns.FirstOrDefault(c => norm == Normalize(c.Key) || norm == Normalize(c.En) || norm == Normalize(c.Es)
            || norm == Normalize(c.Pt) || norm == Normalize(c.Pap));
    }

    public static bool IsHxlRow(IReadOnlyList<string?> cells) =>
        cells.Any(c => !string.IsNullOrWhiteSpace(c)) && cells.All(c => string.IsNullOrWhiteSpace(c) || c.TrimStart().StartsWith('#'));

    private static string HxlKey(string tag)
    {
        var parts = tag.Trim().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).Split('+');
        return parts[0] + string.Concat(parts.Skip(1).Order(StringComparer.Ordinal).Select(a => "+" + a));
    }

    /// <summary>A header folded for matching: accents, case, spaces and punctuation ignored.</summary>
    private static string Normalize(string text) =>
        string.Concat(Infrastructure.Text.SearchText.Fold(text).Where(char.IsLetterOrDigit));
}
