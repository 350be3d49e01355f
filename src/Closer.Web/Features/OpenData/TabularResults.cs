using System.Text.Json;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Closer.Web.Features.OpenData;

/// <summary>The three formats every open-data table is published in.</summary>
public enum TabularFormat
{
    Json,
    Csv,
    Xlsx,
}

/// <summary>
/// An open-data table in the asked format: JSON (an array of objects keyed by column key), or CSV / XLSX through the
/// shared writers (<see cref="TabularCsv"/>, <see cref="TabularXlsx"/>: header row, HXL row, rows).
/// </summary>
public static class TabularResults
{
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

    public static List<Dictionary<string, object?>> Objects<T>(IReadOnlyList<TabularColumn<T>> columns, IEnumerable<T> rows) =>
        rows.Select(r => columns.ToDictionary(c => c.Key, c => c.Value(r), StringComparer.Ordinal)).ToList();

    /// <summary>
    /// The rows in the asked format; <paramref name="json"/> replaces the flat JSON rows when given. The result type carries
    /// the problem answer too, so an endpoint returns this and its own <c>ToProblem</c> answers under one declared type.
    /// </summary>
    public static Results<JsonHttpResult<object>, FileContentHttpResult, ProblemHttpResult> Result<T>(TabularFormat format, IReadOnlyList<TabularColumn<T>> columns, IReadOnlyList<T> rows, string language,
        string fileName, object? json = null) => format switch
        {
            TabularFormat.Csv => (Results<JsonHttpResult<object>, FileContentHttpResult, ProblemHttpResult>)TypedResults.File(TabularCsv.Write(columns, language, rows), TabularContentTypes.Csv, fileName + ".csv"),
            TabularFormat.Xlsx => TypedResults.File(TabularXlsx.Write(columns, language, rows, "data"), TabularContentTypes.Xlsx, fileName + ".xlsx"),
            _ => TypedResults.Json<object>(json ?? Objects(columns, rows), JsonOptions),
        };

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
