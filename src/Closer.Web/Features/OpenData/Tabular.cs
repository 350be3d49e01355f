using System.Globalization;
using System.Text.Json;
using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure;
using MiniExcelLibs;

namespace Closer.Web.Features.OpenData;

/// <summary>The three formats every open-data table is published in.</summary>
public enum TabularFormat
{
    Json,
    Csv,
    Xlsx,
}

/// <summary>
/// One column of a published table: a stable key (the JSON name), the HXL hashtag, the header in the four
/// languages, and how a row gives its value. Numbers stay numbers in JSON and XLSX.
/// </summary>
public sealed record TabularColumn<T>(string Key, string Hxl, string En, string Es, string Pt, string Pap, Func<T, object?> Value)
{
    public string Header(string language) => language switch { "es" => Es, "pt" => Pt, "pap" => Pap, _ => En };
}

/// <summary>
/// A small reusable writer: a list of columns (header + HXL tag) turns rows into CSV (header row, HXL row,
/// rows), XLSX (the same two header rows) or JSON (an array of objects keyed by column key). CSV quoting and
/// formula neutralisation are the coordination spreadsheets' own (<see cref="Spreadsheets.WriteCsv"/>).
/// </summary>
public static class Tabular
{
    public const string CsvType = "text/csv; charset=utf-8";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static bool TryParseFormat(string? value, out TabularFormat format)
    {
        format = TabularFormat.Json;
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "json":
                return true;
            case "csv":
                format = TabularFormat.Csv;
                return true;
            case "xlsx":
                format = TabularFormat.Xlsx;
                return true;
            default:
                return false;
        }
    }

    public static BadRequestError BadFormat { get; } = new("bad-format", "The format is json, csv or xlsx.");

    /// <summary>A cell as text for CSV: invariant numbers, ISO dates.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public static byte[] Csv<T>(IReadOnlyList<TabularColumn<T>> columns, IEnumerable<T> rows, string language)
    {
        // The report spreadsheet's column shape carries header and HXL; the writer itself is shared.
        var shaped = columns.Select(c => new ReportColumn(c.Key, c.Hxl, c.En, c.Es, c.Pt, c.Pap, false)).ToList();
        return Spreadsheets.WriteCsv(shaped, language, rows.Select(r => (IReadOnlyList<string?>)columns.Select(c => Text(c.Value(r))).ToList()));
    }

    public static byte[] Xlsx<T>(IReadOnlyList<TabularColumn<T>> columns, IEnumerable<T> rows, string language, string sheet = "data")
    {
        var headers = columns.Select(c => c.Header(language)).ToList();
        var data = new List<Dictionary<string, object?>>
        {
            headers.Zip(columns).ToDictionary(x => x.First, x => (object?)x.Second.Hxl, StringComparer.Ordinal),
        };
        foreach (var row in rows)
        {
            var d = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < columns.Count; i++)
            {
                d[headers[i]] = columns[i].Value(row) switch
                {
                    null => null,
                    long or int or double or decimal => columns[i].Value(row),
                    var v => Text(v),
                };
            }
            data.Add(d);
        }
        using var ms = new MemoryStream();
        ms.SaveAs(new Dictionary<string, object> { [sheet] = data }, printHeader: true, excelType: ExcelType.XLSX);
        return ms.ToArray();
    }

    public static List<Dictionary<string, object?>> Objects<T>(IReadOnlyList<TabularColumn<T>> columns, IEnumerable<T> rows) =>
        rows.Select(r => columns.ToDictionary(c => c.Key, c => c.Value(r), StringComparer.Ordinal)).ToList();

    /// <summary>The rows in the asked format; <paramref name="json"/> replaces the flat JSON rows when given.</summary>
    public static IResult Result<T>(TabularFormat format, IReadOnlyList<TabularColumn<T>> columns, IReadOnlyList<T> rows, string language,
        string fileName, object? json = null) => format switch
        {
            TabularFormat.Csv => TypedResults.File(Csv(columns, rows, language), CsvType, fileName + ".csv"),
            TabularFormat.Xlsx => TypedResults.File(Xlsx(columns, rows, language), XlsxType, fileName + ".xlsx"),
            _ => TypedResults.Json(json ?? Objects(columns, rows), JsonOptions),
        };

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
