namespace Closer.Web.Features.Coordination.Audit;

/// <summary>
/// The kinds of record and the actions the audit log holds, with their English labels (UI-string keys): the viewer's
/// filters offer every one the code writes, named in the reader's language, and the table shows the same names.
/// </summary>
public static class AuditCatalogue
{
    public static readonly IReadOnlyList<(string Code, string Label)> Kinds =
    [
        ("report", "Activity report"), ("import", "Spreadsheet import"), ("period", "Reporting month lock"),
        ("figure", "Population figure"), ("admin1", "First-level area"), ("target", "Plan target"),
        ("contribution", "Funding contribution"), ("contribution-import", "Funding import"),
        ("organisation", "Organisation"), ("user", "User account"), ("supporters", "Supporter list"), ("saved-view", "Saved view"),
    ];

    public static readonly IReadOnlyList<(string Code, string Label)> Actions =
    [
        ("create", "Creation"), ("update", "Change (audit)"), ("delete", "Deletion"), ("restore", "Restoration"), ("retire", "Retirement"),
        ("submit", "Submission"), ("validate", "Validation (audit)"), ("return", "Return to the author"), ("lock", "Month lock"), ("unlock", "Month unlock"),
        ("import", "Import (audit)"), ("invite", "Invitation (audit)"), ("resend-invite", "Invitation sent again"),
        ("accept-invite", "Invitation accepted"), ("update-roles", "Roles changed"), ("deactivate", "Deactivation"),
        ("reactivate", "Reactivation"), ("export", "Export (audit)"),
    ];

    /// <summary>The label of a code, or the code itself for one this list does not know (older entries stay readable).</summary>
    public static string Label(IReadOnlyList<(string Code, string Label)> list, string code)
    {
        foreach (var (c, label) in list)
        {
            if (c == code)
            {
                return label;
            }
        }
        return code;
    }
}
