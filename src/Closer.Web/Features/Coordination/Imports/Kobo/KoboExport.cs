using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Imports.Kobo;

/// <summary>
/// An export of the 5W XLSForm (KoboToolbox or ODK Central, XLSX, CSV or the KPI API's JSON) turned into the rows the
/// 5W import reads: each answer column given its HXL tag, choice labels in any language given back as choice names,
/// metadata columns set aside, and each row's submission id kept as its key. The rules stay the import's.
/// </summary>
public sealed class KoboExport
{
    /// <summary>The synthetic header (HXL tags at the answers' positions) then the data rows, at their own line numbers.</summary>
    public required List<SheetRow> Rows { get; init; }
    /// <summary>The file's own header texts by position, for located errors ("column H 'grp_reached/women'").</summary>
    public required IReadOnlyList<string?> HeaderTexts { get; init; }
    /// <summary>Each data row's submission id, by line.</summary>
    public required Dictionary<int, string> Uuids { get; init; }
    /// <summary>Each data row's cells keyed by 5W column key (for matching rows with reports by submission id).</summary>
    public required Dictionary<int, Dictionary<string, string?>> Cells { get; init; }
    public required List<FieldError> Errors { get; init; }

    /// <summary>Columns every Kobo or ODK export adds; never 5W columns (anything starting with '_' is one too).</summary>
    private static readonly HashSet<string> MetaColumns = new(StringComparer.OrdinalIgnoreCase)
    {
        "start", "end", "today", "deviceid", "username", "phonenumber", "total_note", "SubmissionDate", "KEY", "SubmitterID", "SubmitterName",
        "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion", "instanceID", "instanceName",
    };

    /// <summary>Where the submission id is, best first: Kobo keeps <c>meta/rootUuid</c> across edits; <c>_uuid</c>, then the instance id.</summary>
    private static readonly string[] UuidColumns = ["meta/rootUuid", "meta-rootUuid", "_uuid", "meta/instanceID", "meta-instanceID", "instanceID", "KEY"];

    public static bool IsMeta(string header)
    {
        var h = header.Trim();
        return h.Length == 0 || h.StartsWith('_') || MetaColumns.Contains(h)
            || h.StartsWith("meta/", StringComparison.OrdinalIgnoreCase) || h.StartsWith("meta-", StringComparison.OrdinalIgnoreCase)
            || h.StartsWith("formhub/", StringComparison.OrdinalIgnoreCase) || h.StartsWith("formhub-", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A submission's id from its cells by header (the KPI API's JSON keys), by the same preference as an export's columns.</summary>
    public static string? UuidOf(Func<string, string?> cell) => UuidColumns.Select(c => Uuid(cell(c))).FirstOrDefault(u => u is not null);

    /// <summary>A submission id without ODK's <c>uuid:</c> prefix.</summary>
    public static string? Uuid(string? value)
    {
        var v = value?.Trim() ?? "";
        if (v.StartsWith("uuid:", StringComparison.OrdinalIgnoreCase))
        {
            v = v[5..];
        }
        return v.Length is > 0 and <= 64 ? v : null;
    }

    /// <summary>
    /// The question a header names: its name or its label in any of the four languages, with or without the group path
    /// Kobo and ODK put in front (<c>grp_reached/women</c>, <c>People reached this month/Women</c>, <c>grp_reached-women</c>).
    /// </summary>
    public static FormQuestion? Question(XlsForm form, string header)
    {
        var names = QuestionNames(form);
        var text = header.Trim();
        if (names.TryGetValue(HeaderMatcher.Normalize(text), out var q))
        {
            return q;
        }
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '/' or '-' or '.' or ':' && names.TryGetValue(HeaderMatcher.Normalize(text[(i + 1)..]), out q))
            {
                return q;
            }
        }
        // A column renamed to the 5W template's own header or HXL tag.
        var column = HeaderMatcher.Match(text, ReportColumns.Import);
        return column is null ? null : form.Answers.FirstOrDefault(a => ReferenceEquals(a.Column, column));
    }

    private static Dictionary<string, FormQuestion> QuestionNames(XlsForm form)
    {
        var names = new Dictionary<string, FormQuestion>(StringComparer.Ordinal);
        foreach (var q in form.Answers)
        {
            foreach (var n in new[] { q.Name }.Concat(q.Label?.All ?? []))
            {
                if (HeaderMatcher.Normalize(n) is { Length: > 0 } key)
                {
                    names.TryAdd(key, q);
                }
            }
        }
        return names;
    }

    /// <summary>Reads a table whose first row is the header (a Kobo or ODK export), for the caller's organisation when the form set it.</summary>
    public static KoboExport Read(XlsForm form, SheetRow header, IEnumerable<SheetRow> data, string? callerOrg, IStringLocalizer t)
    {
        var width = header.Cells.Count;
        var questions = new FormQuestion?[width];
        var meta = new bool[width];
        var synthetic = new string?[width + 1];
        var errors = new List<FieldError>();
        for (var i = 0; i < width; i++)
        {
            var text = header.Cells[i]?.Trim() ?? "";
            questions[i] = text.Length == 0 ? null : Question(form, text);
            meta[i] = questions[i] is null && IsMeta(text);
            synthetic[i] = questions[i]?.Column!.Hxl ?? (meta[i] ? null : text);
        }
        var uuidAt = UuidColumns.Select(u => header.Cells.ToList().FindIndex(c => string.Equals(c?.Trim(), u, StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault(i => i >= 0, -1);
        if (uuidAt < 0)
        {
            errors.Add(new FieldError(header.Line, "_uuid", t["The export has no submission id (_uuid or meta/instanceID): export it again with its metadata columns."]));
        }
        // A form made for one organisation may leave the organisation out of the export: it is the caller's.
        var orgAt = Array.FindIndex(questions, q => q?.Column == ReportColumns.Org);
        var addOrg = orgAt < 0 && callerOrg is not null;
        if (addOrg)
        {
            synthetic[width] = ReportColumns.Org.Hxl;
        }
        var lists = form.Choices.GroupBy(c => c.ListName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => ChoiceNames(g), StringComparer.Ordinal);
        var rows = new List<SheetRow> { new(header.Line, addOrg ? synthetic : synthetic[..width]) };
        var uuids = new Dictionary<int, string>();
        var byKey = new Dictionary<int, Dictionary<string, string?>>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in data)
        {
            var cells = new string?[addOrg ? width + 1 : width];
            var keyed = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < width; i++)
            {
                var value = i < row.Cells.Count ? row.Cells[i] : null;
                if (meta[i])
                {
                    continue;
                }
                if (questions[i] is { } q)
                {
                    value = q.ListName is { } list && value is not null && lists.TryGetValue(list, out var names)
                        && names.TryGetValue(HeaderMatcher.Normalize(value), out var name) ? name : value;
                    if (q.Column == ReportColumns.Org && string.IsNullOrWhiteSpace(value))
                    {
                        value = callerOrg;
                    }
                    keyed[q.Column!.Key] = value;
                }
                cells[i] = value;
            }
            if (addOrg)
            {
                cells[width] = callerOrg;
                keyed[ReportColumns.Org.Key] = callerOrg;
            }
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            rows.Add(new SheetRow(row.Line, cells));
            byKey[row.Line] = keyed;
            if (uuidAt >= 0)
            {
                var uuid = Uuid(uuidAt < row.Cells.Count ? row.Cells[uuidAt] : null);
                var (letter, name) = (HeaderMatcher.Letter(uuidAt), header.Cells[uuidAt]!.Trim());
                if (uuid is null)
                {
                    errors.Add(new FieldError(row.Line, "_uuid", t["Row {0}, column {1} '{2}' (empty): {3}", row.Line, letter, name,
                        t["This submission has no id (_uuid): export it again with its metadata columns."]]));
                }
                else if (!seen.TryAdd(uuid, row.Line))
                {
                    errors.Add(new FieldError(row.Line, "_uuid", t["Row {0}, column {1} '{2}': «{3}» — {4}", row.Line, letter, name, uuid,
                        t["The same submission as row {0}.", seen[uuid]]]));
                }
                else
                {
                    uuids[row.Line] = uuid;
                }
            }
        }
        var texts = header.Cells.Concat(addOrg ? [ReportColumns.Org.Key] : []).ToList();
        return new KoboExport { Rows = rows, HeaderTexts = texts, Uuids = uuids, Cells = byKey, Errors = errors };
    }

    /// <summary>A list's choice names by folded name and by folded label in each language.</summary>
    private static Dictionary<string, string> ChoiceNames(IEnumerable<FormChoice> choices)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var all = choices.ToList();
        foreach (var c in all)
        {
            names.TryAdd(HeaderMatcher.Normalize(c.Name), c.Name);
        }
        foreach (var c in all)
        {
            foreach (var label in c.Label.All)
            {
                names.TryAdd(HeaderMatcher.Normalize(label), c.Name);
            }
        }
        return names;
    }
}
