namespace Closer.Web.Features.Dashboards;

public enum PivotDimension
{
    Country,
    /// <summary>The admin1 area (P-code; named in the reader's language), read from the reports by area.</summary>
    Admin1,
    Sector,
    Indicator,
    Organisation,
    Month,
    Group,
}

/// <summary>
/// A pivot of people reached (people-unit indicators) by two dimensions. Every cell, row total, column total and the
/// grand total applies the same definition to its own rows (per series the maximum over months, summed over
/// series), so totals are not sums of months.
/// </summary>
public sealed record PivotTable(
    PivotDimension Rows, PivotDimension Columns, IReadOnlyList<string> RowKeys, IReadOnlyList<string> ColumnKeys,
    IReadOnlyDictionary<(string Row, string Column), long> Cells, IReadOnlyDictionary<string, long> RowTotals,
    IReadOnlyDictionary<string, long> ColumnTotals, long Total)
{
    public long Cell(string row, string column) => Cells.GetValueOrDefault((row, column));

    public static string KeyOf(MonthRow r, PivotDimension d, Names names) => d switch
    {
        PivotDimension.Country => r.Country,
        PivotDimension.Sector => r.Sector,
        PivotDimension.Indicator => r.Indicator,
        PivotDimension.Organisation => names.Org(r.Org),
        PivotDimension.Month => r.Month,
        PivotDimension.Admin1 => r.Admin1,
        _ => r.Group,
    };

    public static PivotTable Build(IEnumerable<MonthRow> rows, PivotDimension rowDim, PivotDimension columnDim, Names names)
    {
        var people = rows.Where(r => r.IsPeople).ToList();
        var rowKeys = people.Select(r => KeyOf(r, rowDim, names)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var columnKeys = people.Select(r => KeyOf(r, columnDim, names)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var cells = people.GroupBy(r => (KeyOf(r, rowDim, names), KeyOf(r, columnDim, names))).ToDictionary(g => g.Key, PartnerData.Reached);
        var rowTotals = people.GroupBy(r => KeyOf(r, rowDim, names), StringComparer.Ordinal).ToDictionary(g => g.Key, PartnerData.Reached, StringComparer.Ordinal);
        var columnTotals = people.GroupBy(r => KeyOf(r, columnDim, names), StringComparer.Ordinal).ToDictionary(g => g.Key, PartnerData.Reached, StringComparer.Ordinal);
        return new PivotTable(rowDim, columnDim, rowKeys, columnKeys, cells, rowTotals, columnTotals, PartnerData.Reached(people));
    }
}
