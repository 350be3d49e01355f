using MiniExcelLibs;

namespace Closer.Web.Features.Coordination.Imports.Kobo;

/// <summary>Writes an <see cref="XlsForm"/> as the XLSX KoboToolbox and ODK Central load: survey, choices and settings sheets.</summary>
public static class XlsFormWriter
{
    public const string FileName = "closer-5w-xlsform.xlsx";

    /// <summary>The survey sheet's columns, in order (labels, hints and constraint messages once per language).</summary>
    public static IReadOnlyList<string> SurveyColumns { get; } =
    [
        "type", "name", .. Translated("label"), .. Translated("hint"), "required", "relevant", "constraint", .. Translated("constraint_message"),
        "calculation", "choice_filter", "appearance", "default",
    ];

    public static IEnumerable<string> Translated(string column) => XlsForm.LanguageColumns.Select(l => $"{column}::{l.Column}");

    public static IReadOnlyList<Dictionary<string, object?>> SurveyRows(XlsForm form) => form.Survey.Select(q =>
    {
        var row = new Dictionary<string, object?>(StringComparer.Ordinal) { ["type"] = q.Type, ["name"] = q.Name };
        Put(row, "label", q.Label);
        Put(row, "hint", q.Hint);
        row["required"] = q.Required ? "yes" : null;
        row["relevant"] = q.Relevant;
        row["constraint"] = q.Constraint;
        Put(row, "constraint_message", q.ConstraintMessage);
        row["calculation"] = q.Calculation;
        row["choice_filter"] = q.ChoiceFilter;
        row["appearance"] = q.Appearance;
        row["default"] = q.Default;
        return row;
    }).ToList();

    public static IReadOnlyList<Dictionary<string, object?>> ChoiceRows(XlsForm form)
    {
        var filters = form.Choices.SelectMany(c => c.Filters?.Keys ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return form.Choices.Select(c =>
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal) { ["list_name"] = c.ListName, ["name"] = c.Name };
            Put(row, "label", c.Label);
            foreach (var f in filters)
            {
                row[f] = c.Filters?.GetValueOrDefault(f);
            }
            return row;
        }).ToList();
    }

    public static byte[] Write(XlsForm form)
    {
        var settings = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in form.Settings)
        {
            settings[key] = value;
        }
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["survey"] = SurveyRows(form),
            ["choices"] = ChoiceRows(form),
            ["settings"] = new[] { settings },
        };
        using var stream = new MemoryStream();
        stream.SaveAs(sheets, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private static void Put(Dictionary<string, object?> row, string column, Localized? text)
    {
        foreach (var (code, suffix) in XlsForm.LanguageColumns)
        {
            row[$"{column}::{suffix}"] = text?.In(code);
        }
    }
}
