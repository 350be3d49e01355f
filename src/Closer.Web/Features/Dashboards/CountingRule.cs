namespace Closer.Web.Features.Dashboards;

/// <summary>
/// The rule every "people reached" figure of the dashboards follows (Features/Coordination/README.md, "Counting"): per
/// organisation × country × indicator × population group, the highest monthly figure of the period (the partner's
/// de-duplicated figure to date where given), never a sum of months; then added up over series. Pages show it as a note
/// under each chart; the API names it in every answer (a field in JSON, a header on CSV and XLSX), so a figure taken
/// from a download can still say how it was counted.
/// </summary>
public static class CountingRule
{
    /// <summary>The rule's name in the API (field <c>reachedRule</c>, header <see cref="Header"/>).</summary>
    public const string Code = "highest-month-per-series";

    public const string Header = "Closer-Reached-Rule";

    public static void Mark(HttpResponse response) => response.Headers[Header] = Code;
}
