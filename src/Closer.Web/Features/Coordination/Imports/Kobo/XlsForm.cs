using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Tabular;

namespace Closer.Web.Features.Coordination.Imports.Kobo;

/// <summary>A text in the four languages, by language code.</summary>
public sealed record Localized(string En, string Es, string Pt, string Pap)
{
    public string In(string language) => language switch { "es" => Es, "pt" => Pt, "pap" => Pap, _ => En };
    public IEnumerable<string> All => [En, Es, Pt, Pap];
}

/// <summary>
/// One row of the XLSForm's survey sheet. <paramref name="Column"/> is the 5W column the answer fills (null for
/// groups, notes and form metadata): the same form definition writes the XLSForm and reads its exports.
/// </summary>
public sealed record FormQuestion(string Type, string Name, TabularColumn? Column = null, Localized? Label = null, Localized? Hint = null,
    bool Required = false, string? Constraint = null, Localized? ConstraintMessage = null, string? Relevant = null,
    string? Calculation = null, string? ChoiceFilter = null, string? Appearance = null, string? Default = null)
{
    /// <summary>The list a select_one question offers (null for other types).</summary>
    public string? ListName => Type.StartsWith("select_one ", StringComparison.Ordinal) ? Type["select_one ".Length..].Trim() : null;
}

/// <summary>One row of the choices sheet; <paramref name="Filters"/> are the extra columns a choice_filter reads (sector, country).</summary>
public sealed record FormChoice(string ListName, string Name, Localized Label, IReadOnlyDictionary<string, string>? Filters = null);

/// <summary>The 5W form as an XLSForm: survey rows in order, choices, settings.</summary>
public sealed record XlsForm(IReadOnlyList<FormQuestion> Survey, IReadOnlyList<FormChoice> Choices, IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>The form's id (settings <c>form_id</c>): the same for every caller, so exports of any copy import alike.</summary>
    public const string FormId = "closer_5w";

    /// <summary>XLSForm language suffixes: <c>label::English (en)</c>. The code in brackets is what ODK and Kobo use.</summary>
    public static IReadOnlyList<(string Code, string Column)> LanguageColumns { get; } =
    [
        (Languages.English, "English (en)"), (Languages.Spanish, "Español (es)"), (Languages.Portuguese, "Português (pt)"),
        (Languages.Papiamentu, "Papiamentu (pap)"),
    ];

    /// <summary>The questions that fill a 5W column, by column key.</summary>
    public IEnumerable<FormQuestion> Answers => Survey.Where(q => q.Column is not null);

    /// <summary>The group names (begin_group rows): a Kobo or ODK export prefixes answers with them (<c>grp_reached/women</c>).</summary>
    public IReadOnlyList<string> Groups => Survey.Where(q => q.Type == "begin_group").Select(q => q.Name).ToList();

    public IEnumerable<FormChoice> List(string listName) => Choices.Where(c => string.Equals(c.ListName, listName, StringComparison.Ordinal));
}
