using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace Closer.Tests.Features.Coordination.Imports.Kobo;

/// <summary>
/// The XLSForm round trip: the form generated, filled as KoboToolbox exports it (group paths, metadata columns, choice
/// names or labels), imported, compared with what was filled; imported again without doubles; edits and moves picked up.
/// </summary>
public abstract class KoboRoundTripSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string Month => TimeProvider.System.GetUtcNow().ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>One filled submission: the answers by question name and its Kobo ids.</summary>
    private sealed record Submission(string Uuid, int Id, Dictionary<string, string?> Answers);

    private static List<Dictionary<string, string?>> Sheet(byte[] xlsx, string name)
    {
        using var stream = new MemoryStream(xlsx);
        return stream.Query(useHeaderRow: true, sheetName: name, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>()
            .Select(r => r.ToDictionary(p => p.Key, p => p.Value is null or "" ? null : Convert.ToString(p.Value, CultureInfo.InvariantCulture), StringComparer.Ordinal))
            .ToList();
    }

    /// <summary>
    /// The export as Kobo writes it ("XML values and headers", group names in headers, "/" separator): start and end,
    /// every answer under its group path, the calculated total, then the metadata columns.
    /// </summary>
    private static byte[] KoboExport(List<Dictionary<string, string?>> survey, IEnumerable<Submission> submissions, Func<Dictionary<string, string?>, string>? header = null)
    {
        var columns = new List<(string Header, string? Name)> { ("start", null), ("end", null) };
        var path = new Stack<string>();
        foreach (var q in survey)
        {
            var type = q["type"]!;
            if (type == "begin_group")
            {
                path.Push(q["name"]!);
            }
            else if (type == "end_group")
            {
                path.Pop();
            }
            else if (type is not ("note" or "start" or "end"))
            {
                var h = header?.Invoke(q) ?? string.Join('/', path.Reverse().Append(q["name"]!));
                columns.Add((h, q["name"]));
            }
        }
        string[] meta = ["meta/instanceID", "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index"];
        var rows = new List<Dictionary<string, object?>>();
        var index = 0;
        foreach (var s in submissions)
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["start"] = $"{Month}-03T09:12:44.000-05:00", ["end"] = $"{Month}-03T09:20:01.000-05:00",
            };
            foreach (var (h, name) in columns.Skip(2))
            {
                row[h] = s.Answers.GetValueOrDefault(name!);
            }
            row["meta/instanceID"] = "uuid:" + s.Uuid;
            row["_id"] = s.Id;
            row["_uuid"] = s.Uuid;
            row["_submission_time"] = $"{Month}-03T14:20:05";
            row["_validation_status"] = "";
            row["_notes"] = "";
            row["_status"] = "submitted_via_web";
            row["_submitted_by"] = "campo_enumerator";
            row["__version__"] = "vGq8sQyxJdS2TPiLq7gzRb";
            row["_tags"] = "";
            row["_index"] = ++index;
            rows.Add(row);
        }
        Assert.All(meta, m => Assert.Contains(m, rows[0].Keys));
        using var stream = new MemoryStream();
        stream.SaveAs(new Dictionary<string, object> { ["Closer 5W monthly report"] = rows }, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private static Submission Fill(string uuid, int id, string admin1, string indicator, string group, int girls, int boys, int women, int men, string cash = "no",
        string? cashUsd = null) => new(uuid, id, new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["org"] = "CAMPO", ["partner"] = "Red local " + id.ToString(CultureInfo.InvariantCulture), ["country"] = "COL", ["admin1"] = admin1,
            ["sector"] = indicator.Split('-')[0], ["indicator"] = indicator, ["month"] = Month + "-01", ["group"] = group,
            ["girls"] = girls.ToString(CultureInfo.InvariantCulture), ["boys"] = boys.ToString(CultureInfo.InvariantCulture),
            ["women"] = women.ToString(CultureInfo.InvariantCulture), ["men"] = men.ToString(CultureInfo.InvariantCulture), ["other"] = "0",
            ["total"] = (girls + boys + women + men).ToString(CultureInfo.InvariantCulture), ["todate"] = null, ["cash"] = cash, ["cashusd"] = cashUsd,
        });

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] file, string name = "closer_5w_export.xlsx")
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(file), "file", name);
        return await client.PostAsync("/api/v1/reports/import/kobo", form, Ct);
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<List<ActivityReport>> ReportsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CloserDbContext>().ActivityReports.AsNoTracking()
            .Where(r => r.SourceUuid != null || r.ImplementingPartner!.StartsWith("Red local")).ToListAsync(Ct);
    }

    [Fact]
    public async Task XlsForm_FilledAsKoboExports_ImportsWhatWasFilled_AndAgainWithoutDoubles()
    {
        var client = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        var xlsform = await (await client.GetAsync("/api/v1/reports/template?format=xlsform", Ct)).Content.ReadAsByteArrayAsync(Ct);
        var survey = Sheet(xlsform, "survey");
        var choices = Sheet(xlsform, "choices");
        // Fill with what the form offers: admin1 areas of the chosen country, indicators of the chosen sector.
        var areas = choices.Where(c => c["list_name"] == "admin1" && c["country"] == "COL").Select(c => c["name"]!).ToList();
        var edu = choices.First(c => c["list_name"] == "indicator" && c["sector"] == "EDU")["name"]!;
        var hea = choices.First(c => c["list_name"] == "indicator" && c["sector"] == "HEA")["name"]!;
        var filled = new List<Submission>
        {
            Fill("3f1c2a4e-8d7b-4c3e-9a61-0b5d2e7f9c10", 170001, areas[0], edu, "destination", 4, 6, 11, 9),
            Fill("b2e9d5c1-6a4f-4f0e-8c2d-7e1a9b3c5d20", 170002, areas[1], hea, "transit", 0, 1, 25, 30, "yes", "1500"),
            Fill("c7a3e8f2-1b5d-4a9c-b6e0-3d2f8a4c1e30", 170003, areas[2], edu, "host", 12, 10, 3, 2),
        };
        var export = KoboExport(survey, filled);

        var first = await OkAsync(await PostAsync(client, export));
        Assert.Equal(3, first.GetProperty("imported").GetInt32());
        var stored = await ReportsAsync();
        Assert.Equal(3, stored.Count);
        foreach (var s in filled)
        {
            var r = Assert.Single(stored, r => r.SourceUuid == s.Uuid);
            var a = s.Answers;
            Assert.Equal((a["country"], a["admin1"], a["indicator"], Month, a["group"], a["partner"]), (r.CountryIso3, r.Admin1PCode, r.IndicatorCode, r.Month, r.PopulationGroup, r.ImplementingPartner));
            Assert.Equal((long.Parse(a["girls"]!, CultureInfo.InvariantCulture), long.Parse(a["boys"]!, CultureInfo.InvariantCulture),
                long.Parse(a["women"]!, CultureInfo.InvariantCulture), long.Parse(a["men"]!, CultureInfo.InvariantCulture), long.Parse(a["total"]!, CultureInfo.InvariantCulture)),
                (r.Girls, r.Boys, r.Women, r.Men, r.Total));
            Assert.Equal(a["cash"] == "yes", r.IsCash);
            Assert.Equal(a["cashusd"] is { } usd ? long.Parse(usd, CultureInfo.InvariantCulture) : null, r.CashUsd);
            Assert.Equal(ReportStatus.Draft, r.Status);
        }

        // The same export again: no doubles, nothing changes.
        var again = await OkAsync(await PostAsync(client, export));
        Assert.Equal((0, 0, 3), (again.GetProperty("imported").GetInt32(), again.GetProperty("updated").GetInt32(), again.GetProperty("unchanged").GetInt32()));
        Assert.Equal(3, (await ReportsAsync()).Count);

        // Edited on the server: one figure changed, one submission moved to another area. Exported with Spanish labels
        // as headers and values this time. The move withdraws the old report (soft-deleted, restorable).
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        filled[0].Answers["women"] = "12";
        filled[0].Answers["total"] = "31";
        filled[1].Answers["admin1"] = areas[3];
        var spanish = filled.Select(s => s with
        {
            Answers = s.Answers.ToDictionary(p => p.Key, p => p.Key is "group" or "cash" or "admin1" or "sector"
                ? choices.Single(c => c["list_name"] == (p.Key == "group" ? "population_group" : p.Key == "cash" ? "yes_no" : p.Key) && c["name"] == p.Value)["label::Español (es)"]
                : p.Value, StringComparer.Ordinal),
        });
        var edited = KoboExport(survey, spanish, q => q["label::Español (es)"] ?? q["name"]!);
        var third = await OkAsync(await PostAsync(client, edited));
        Assert.Equal((1, 1, 1, 1), (third.GetProperty("imported").GetInt32(), third.GetProperty("updated").GetInt32(),
            third.GetProperty("unchanged").GetInt32(), third.GetProperty("withdrawn").GetInt32()));
        var after = await ReportsAsync();
        Assert.Equal(12, after.Single(r => r.SourceUuid == filled[0].Uuid).Women);
        Assert.Equal(areas[3], after.Single(r => r.SourceUuid == filled[1].Uuid).Admin1PCode);
        var old = after.Single(r => r.Admin1PCode == areas[1] && r.IndicatorCode == hea);
        Assert.NotNull(old.DeletedAt);
        Assert.Null(old.SourceUuid);
        Assert.Equal(3, after.Count(r => r.DeletedAt is null));
    }

    [Fact]
    public async Task KoboExport_WithANegativeNumber_IsRefusedWithItsRowAndColumn_AndStoresNothing()
    {
        var client = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        var xlsform = await (await client.GetAsync("/api/v1/reports/template?format=xlsform", Ct)).Content.ReadAsByteArrayAsync(Ct);
        var survey = Sheet(xlsform, "survey");
        var bad = Fill("0d9e7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c60", 170009, "CO05", "NUT-01", "pendular", 1, 1, -3, 1);
        var before = (await ReportsAsync()).Count;
        var response = await PostAsync(client, KoboExport(survey, [bad, Fill("0d9e7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c61", 170010, "CO08", "NUT-01", "pendular", 1, 1, 1, 1)]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        // Row 2 of the export, the column's letter and Kobo's own header.
        Assert.Contains("Row 2, column", body, StringComparison.Ordinal);
        Assert.Contains("'grp_reached/women': «-3» — Numbers may not be negative.", body, StringComparison.Ordinal);
        Assert.Equal(before, (await ReportsAsync()).Count);
    }

    [Fact]
    public async Task KoboCsvExport_WithoutSubmissionIds_IsRefused()
    {
        var client = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        var csv = "grp_activity/org;grp_activity/country;grp_activity/admin1;grp_activity/indicator;grp_activity/month;grp_activity/group;grp_reached/girls;grp_reached/boys;grp_reached/women;grp_reached/men\n"
            .Replace(';', ',') + $"CAMPO,COL,CO13,WSH-01,{Month}-01,returnees,1,2,3,4\n";
        var response = await PostAsync(client, Encoding.UTF8.GetBytes(csv), "export.csv");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("_uuid", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}

public sealed class KoboRoundTripSqlite(SqliteApp app) : KoboRoundTripSuite<SqliteApp>(app);
public sealed class KoboRoundTripPostgres(PostgresApp app) : KoboRoundTripSuite<PostgresApp>(app);
