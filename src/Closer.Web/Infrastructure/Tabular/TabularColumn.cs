namespace Closer.Web.Infrastructure.Tabular;

/// <summary>
/// The one description of a spreadsheet column, for every table Closer reads or writes (5W reports, funding,
/// dashboards, open data): a stable key (JSON name, matching key), the HXL hashtag, the header in the four languages
/// and whether an import needs it. A writer that reads its cells from typed rows uses <see cref="TabularColumn{TRow}"/>,
/// the same column bound to a value accessor.
/// </summary>
public record TabularColumn(string Key, string Hxl, string En, string Es, string Pt, string Pap, bool Required = false)
{
    public string Header(string language) => language switch { "es" => Es, "pt" => Pt, "pap" => Pap, _ => En };
}

/// <summary>A <see cref="TabularColumn"/> that knows how a row of <typeparamref name="TRow"/> gives its value.</summary>
public sealed record TabularColumn<TRow>(string Key, string Hxl, string En, string Es, string Pt, string Pap, Func<TRow, object?> Value)
    : TabularColumn(Key, Hxl, En, Es, Pt, Pap);

/// <summary>The content types of the two file formats; JSON answers go through the framework's own.</summary>
public static class TabularContentTypes
{
    /// <summary>The media type alone, as an OpenAPI content key or a dataset's download type.</summary>
    public const string CsvMediaType = "text/csv";

    /// <summary>The value of a CSV response's Content-Type header (the writer emits UTF-8).</summary>
    public const string Csv = CsvMediaType + "; charset=utf-8";

    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}
