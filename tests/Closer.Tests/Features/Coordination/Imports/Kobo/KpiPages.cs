using System.Globalization;

namespace Closer.Tests.Features.Coordination.Imports.Kobo;

/// <summary>
/// Recorded-style KPI v2 data pages of the 5W XLSForm, written from KoboToolbox's documented format
/// (<c>{"count", "next", "previous", "results"}</c>; answers keyed by group path as strings; metadata keys with '_';
/// <c>meta/rootUuid</c> kept across edits while <c>meta/instanceID</c> and <c>_uuid</c> change, <c>meta/deprecatedID</c>
/// and <c>_last_edited</c> set on an edit). The page size is 2, as a server asked for <c>limit=2</c> would answer.
/// </summary>
public static class KpiPages
{
    public const int PageSize = 2;
    public const string Uuid1 = "3f1c2a4e-8d7b-4c3e-9a61-0b5d2e7f9c10";
    public const string Uuid1Edited = "8a0e4c2d-7f1b-4d9e-a3c5-6b2e1f0d9a71";
    public const string Uuid2 = "b2e9d5c1-6a4f-4f0e-8c2d-7e1a9b3c5d20";
    public const string Uuid3 = "c7a3e8f2-1b5d-4a9c-b6e0-3d2f8a4c1e30";
    public static string Month => TimeProvider.System.GetUtcNow().ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public const string Empty = """{"count": 0, "next": null, "previous": null, "results": []}""";

    private static string Submission(int id, string uuid, string root, string admin1, string indicator, string group, string girls, string boys, string women,
        string men, string total, string? edited = null, string? deprecated = null) => $$"""
        {
            "_id": {{id}},
            "formhub/uuid": "b7c5d0e8a1f24c0d9e3f6a2b1c4d5e6f",
            "start": "{{Month}}-03T09:12:44.000-05:00",
            "end": "{{Month}}-03T09:20:01.000-05:00",
            "grp_activity/org": "CAMPO",
            "grp_activity/partner": "Fundación Red Local",
            "grp_activity/country": "COL",
            "grp_activity/admin1": "{{admin1}}",
            "grp_activity/sector": "{{indicator.Split('-')[0]}}",
            "grp_activity/indicator": "{{indicator}}",
            "grp_activity/month": "{{Month}}-01",
            "grp_activity/group": "{{group}}",
            "grp_reached/girls": "{{girls}}",
            "grp_reached/boys": "{{boys}}",
            "grp_reached/women": "{{women}}",
            "grp_reached/men": "{{men}}",
            "grp_reached/other": "0",
            "grp_reached/total": "{{total}}",
            "grp_cash/cash": "no",
            "__version__": "vGq8sQyxJdS2TPiLq7gzRb",
            "meta/instanceID": "uuid:{{uuid}}",
            {{(deprecated is null ? "" : $"\"meta/deprecatedID\": \"uuid:{deprecated}\",")}}
            "meta/rootUuid": "uuid:{{root}}",
            "_xform_id_string": "{{FakeKpi.AssetUid}}",
            "_uuid": "{{uuid}}",
            "_attachments": [],
            "_status": "submitted_via_web",
            "_geolocation": [null, null],
            "_submission_time": "{{Month}}-03T14:20:05",
            {{(edited is null ? "" : $"\"_last_edited\": \"{edited}\",")}}
            "_tags": [],
            "_notes": [],
            "_validation_status": {},
            "_submitted_by": "campo_enumerator"
        }
        """;

    private static string Page(int count, params string[] results) =>
        $$"""{"count": {{count}}, "next": {{"{{NEXT}}"}}, "previous": {{"{{PREVIOUS}}"}}, "results": [{{string.Join(",\n", results)}}]}""";

    private static string One => Submission(341870001, Uuid1, Uuid1, "CO11", "EDU-01", "destination", "4", "6", "11", "9", "30");
    private static string OneEdited => Submission(341870001, Uuid1Edited, Uuid1, "CO11", "EDU-01", "destination", "4", "6", "14", "9", "33",
        edited: $"{Month}-05T10:02:11.481226Z", deprecated: Uuid1);
    private static string Two => Submission(341870002, Uuid2, Uuid2, "CO05", "HEA-01", "transit", "0", "1", "25", "30", "56");
    private static string Three => Submission(341870003, Uuid3, Uuid3, "CO08", "WSH-01", "host", "12", "10", "3", "2", "27");

    /// <summary>First pull: three submissions on two pages.</summary>
    public static List<string> ThreeSubmissions => [Page(3, One, Two), Page(3, Three)];

    /// <summary>Later pull: the first edited on the server (new instance id, same root), the third deleted.</summary>
    public static List<string> EditedAndDeleted => [Page(2, OneEdited, Two)];

    public const string Uuid4 = "e4b8c1d2-3f5a-4b6c-8d7e-9f0a1b2c3d40";
    public const string BadNegative = "f5c9d2e3-4a6b-4c7d-9e8f-0a1b2c3d4e50";
    public const string BadTotal = "a6d0e3f4-5b7c-4d8e-8f9a-1b2c3d4e5f60";
    private static string Four => Submission(341870004, Uuid4, Uuid4, "CO17", "HEA-01", "host", "2", "3", "4", "5", "14");

    /// <summary>Later pull: the first edited, the third deleted, a new fourth: an update, a withdrawal and an insert in one pull.</summary>
    public static List<string> EditedDeletedAndNew => [Page(3, OneEdited, Two), Page(3, Four)];

    /// <summary>The same, with two submissions the import refuses on the last two pages (a negative count, a total that is not the sum).</summary>
    public static List<string> EditedDeletedNewAndTwoInvalid =>
    [
        Page(5, OneEdited, Two),
        Page(5, Four, Submission(341870010, BadNegative, BadNegative, "CO13", "NUT-01", "pendular", "1", "1", "-3", "1", "0")),
        Page(5, Submission(341870011, BadTotal, BadTotal, "CO15", "NUT-01", "pendular", "1", "1", "1", "1", "9")),
    ];

    /// <summary>A submission the import refuses (a negative count, which the form's constraint would have stopped).</summary>
    public static List<string> Invalid => [Page(1, Submission(341870009, "0d9e7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c60", "0d9e7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c60",
        "CO13", "NUT-01", "pendular", "1", "1", "-3", "1", "0"))];
}
