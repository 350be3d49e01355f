using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace Closer.Tests.Features.Coordination;

/// <summary>The spreadsheet import and exports: every error kind, all-or-nothing, idempotence, HXL rows.</summary>
public abstract class ImportSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string M => ReportsSuite<TApp>.ThisMonth;
    private const string Header = "org,partner,country,admin1,sector,indicator,month,group,girls,boys,women,men,other,total,todate,cash,cashusd";
    private const string Hxl = "#org,#org+impl,#country+code,#adm1+code,#sector,#indicator+code,#date+reported,#population+type,#reached+f+children,#reached+m+children,#reached+f+adults,#reached+m+adults,#reached+unknown,#reached+total,#reached+todate,#modality+cash,#value+cash+usd";

    /// <summary>A valid CAMPO row in Colombia for this month; <paramref name="admin1"/> keeps tests apart.</summary>
    private static string Row(string admin1, string indicator = "EDU-01", string girls = "1", string total = "10", string group = "destination",
        string org = "CAMPO", string month = "", string country = "COL", string cash = "no", string cashUsd = "") =>
        $"{org},,{country},{admin1},{indicator.Split('-')[0]},{indicator},{(month.Length == 0 ? M : month)},{group},{girls},2,3,4,0,{total},,{cash},{cashUsd}";

    private static async Task<HttpResponseMessage> PostFileAsync(HttpClient client, byte[] content, string fileName = "5w.csv")
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(content), "file", fileName);
        return await client.PostAsync("/api/v1/reports/import", form, Ct);
    }

    private static Task<HttpResponseMessage> PostCsvAsync(HttpClient client, params string[] lines) =>
        PostFileAsync(client, Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n"));

    private Task<HttpClient> FocalPointAsync(string org = "CAMPO") => ReportsSuite<TApp>.ApiAsAsync(app, R.FocalPoint, org, "COL");

    private async Task<int> CountReportsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CloserDbContext>().ActivityReports.CountAsync(Ct);
    }

    private static async Task<List<(int? Row, string Column, string Message)>> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return doc.RootElement.GetProperty("errors").EnumerateArray().Select(e => (
            e.GetProperty("row").ValueKind == JsonValueKind.Null ? (int?)null : e.GetProperty("row").GetInt32(),
            e.GetProperty("column").GetString()!, e.GetProperty("message").GetString()!)).ToList();
    }

    private static async Task<(int Imported, int Updated)> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        return (doc.RootElement.GetProperty("imported").GetInt32(), doc.RootElement.GetProperty("updated").GetInt32());
    }

    [Fact]
    public async Task Import_StampsTheReportsDataset_OnlyWhenItStoresSomething()
    {
        // The bulk path bypasses EF's change tracking, so it stamps the open-data "reports" dataset itself: that
        // stamp (in the import's transaction) is what evicts cached public answers and moves Last-Modified.
        async Task<int> StampsAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<CloserDbContext>().DataStamps.CountAsync(s => s.Dataset == "reports", Ct);
        }
        var client = await FocalPointAsync();
        var before = await StampsAsync();
        await ErrorsAsync(await PostCsvAsync(client, Header, Hxl, Row("XX99", indicator: "NUT-01", group: "pendular")));
        Assert.Equal(before, await StampsAsync());
        string[] lines = [Header, Hxl, Row("CO27", indicator: "NUT-01", group: "pendular")];
        Assert.Equal((1, 0), await OkAsync(await PostCsvAsync(client, lines)));
        Assert.Equal(before + 1, await StampsAsync());
        Assert.Equal((0, 0), await OkAsync(await PostCsvAsync(client, lines)));
        Assert.Equal(before + 1, await StampsAsync());
    }

    [Fact]
    public async Task Import_SeesAnAreaAddedToTheDirectory_AtTheNextFile()
    {
        // The directory's codes are kept between imports until a change of theirs is stamped: an area added after a
        // file named it is found by the next file, by its name as by its code.
        var client = await FocalPointAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var code = "COQ" + suffix.ToUpperInvariant();
        var name = "Quorbin Alto " + suffix;
        var errors = await ErrorsAsync(await PostCsvAsync(client, Header, Hxl, Row(name, indicator: "NUT-01", group: "pendular")));
        Assert.Contains(errors, e => e.Column == "admin1");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            db.Admin1Areas.Add(new Closer.Web.Features.Geography.Admin1Area { PCode = code, CountryIso3 = "COL", Name = name });
            await db.SaveChangesAsync(Ct);
        }
        Assert.Equal((1, 0), await OkAsync(await PostCsvAsync(client, Header, Hxl, Row(name, indicator: "NUT-01", group: "pendular"))));
        Assert.Equal((1, 0), await OkAsync(await PostCsvAsync(client, Header, Hxl, Row(code, indicator: "EDU-01", group: "pendular"))));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            Assert.Equal(2, await db.ActivityReports.CountAsync(r => r.Admin1PCode == code, Ct));
        }
    }

    [Fact]
    public async Task Import_ValidFileWithHxlRow_StoresEveryRow_AndReimportChangesNothing()
    {
        var client = await FocalPointAsync();
        string[] lines = [Header, Hxl, Row("CO50"), Row("CO50", group: "host"), Row("CO52", indicator: "HEA-01")];
        Assert.Equal((3, 0), await OkAsync(await PostCsvAsync(client, lines)));
        var before = await CountReportsAsync();
        Assert.Equal((0, 0), await OkAsync(await PostCsvAsync(client, lines)));
        Assert.Equal(before, await CountReportsAsync());

        lines[2] = Row("CO50", girls: "5", total: "14");
        Assert.Equal((0, 1), await OkAsync(await PostCsvAsync(client, lines)));
        var list = await client.GetFromJsonAsync<ReportPage>($"/api/v1/reports?org=CAMPO&month={M}&pageSize=1000", Ct);
        Assert.Contains(list!.Items, r => r.Admin1 == "CO50" && r.PopulationGroup == "destination" && r.Girls == 5 && r.Total == 14 && r.Status == "Draft");
    }

    [Fact]
    public async Task Import_UpdatingAReport_WritesARevisionAndAnAuditEntry_AndAnIdenticalRowWritesNeither()
    {
        var client = await FocalPointAsync();
        Assert.Equal((1, 0), await OkAsync(await PostCsvAsync(client, Header, Row("CO97"))));
        Assert.Equal((0, 1), await OkAsync(await PostCsvAsync(client, Header, Row("CO97", girls: "5", total: "14"))));
        Assert.Equal((0, 0), await OkAsync(await PostCsvAsync(client, Header, Row("CO97", girls: "5", total: "14"))));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var report = await db.ActivityReports.SingleAsync(r => r.Admin1PCode == "CO97" && r.Month == M, Ct);
        Assert.Equal((2, 5L, 14L), (report.Version, report.Girls, report.Total));
        var revisions = await db.ReportRevisions.Where(r => r.ReportId == report.Id).OrderBy(r => r.Version).ToListAsync(Ct);
        Assert.Equal([1, 2], revisions.Select(r => r.Version));
        Assert.Equal("1", JsonDocument.Parse(revisions[0].Snapshot).RootElement.GetProperty("girls").GetString());
        Assert.Equal("5", JsonDocument.Parse(revisions[1].Snapshot).RootElement.GetProperty("girls").GetString());
        var key = $"CAMPO|COL|CO97|EDU-01|{M}|destination";
        var audit = await db.AuditEntries.Where(a => a.EntityType == "report" && a.EntityKey == key).OrderBy(a => a.Id).ToListAsync(Ct);
        Assert.Equal(["create", "update"], audit.Select(a => a.Action));
        using var changes = JsonDocument.Parse(audit[1].Changes!);
        Assert.Equal(["1", "5"], changes.RootElement.GetProperty("girls").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["10", "14"], changes.RootElement.GetProperty("total").EnumerateArray().Select(e => e.GetString()));
        Assert.False(changes.RootElement.TryGetProperty("boys", out _));
        Assert.All(audit, a => Assert.Equal("COL", a.CountryIso3));
    }

    [Fact]
    public async Task Import_MatchesHeadersInSpanish_WithoutHxlRow_AndSemicolons()
    {
        var client = await FocalPointAsync();
        var header = "Organización;Socio implementador;País;Código P admin1;Sector;Indicador;Mes (AAAA-MM);Grupo de población;Niñas;Niños;Mujeres;Hombres;Otro o desconocido;Total;Alcanzados a la fecha (sin duplicados);Basado en efectivo (sí/no);Valor del efectivo (USD)";
        Assert.Equal((1, 0), await OkAsync(await PostCsvAsync(client, header, $"CAMPO;Socio;COL;CO54;Salud;HEA-02;{M};transit;1;1;1;1;1;5;40;sí;")));
    }

    [Fact]
    public async Task Import_HxlRowAsTheOnlyHeader_InAnotherColumnOrder_IsAccepted()
    {
        var client = await FocalPointAsync();
        var header = "#date+reported,#org,#country+code,#adm1+code,#indicator+code,#population+type,#reached+children+f,#reached+m+children,#reached+f+adults,#reached+m+adults";
        Assert.Equal((1, 0), await OkAsync(await PostCsvAsync(client, header, $"{M},CAMPO,COL,CO63,NUT-01,destination,4,4,0,0")));
    }

    public static TheoryData<string, string, string> ErrorKinds => new()
    {
        // the faulty row, the column expected in the error, a word of the message
        { Row("CO66", indicator: "NOPE-99"), "indicator", "Unknown indicator" },
        { Row("CO66", org: "ZZZZ"), "org", "Unknown organisation" },
        { Row("XX99"), "admin1", "admin1" },
        { Row("PE15"), "admin1", "not in the country" },
        { Row("CO66", country: "VEN"), "country", "Unknown country" },
        { Row("CO66", month: "2026-13"), "month", "YYYY-MM" },
        { Row("CO66", month: "Marchh 2026"), "month", "YYYY-MM" },
        { Row("CO66", month: "1999-01"), "month", "no reporting period" },
        { Row("CO66", girls: "-3", total: "6"), "girls", "negative" },
        { Row("CO66", girls: "abc"), "girls", "whole number" },
        { Row("CO66", girls: "1.5"), "girls", "whole number" },
        { Row("CO66", total: "11"), "total", "not the sum" },
        { Row("CO66", group: "tourists"), "group", "population group" },
        { Row("CO66", org: "FPUENTE"), "org", "your own organisation" },
        { Row("CO66", cash: "maybe"), "cash", "yes or no" },
        { Row("CO66", cashUsd: "500"), "cashusd", "cash-based" },
    };

    [Theory]
    [MemberData(nameof(ErrorKinds))]
    public async Task Import_InvalidRow_Is422WithItsLineAndColumn_AndStoresNothing(string bad, string column, string word)
    {
        var client = await FocalPointAsync();
        var before = await CountReportsAsync();
        var errors = await ErrorsAsync(await PostCsvAsync(client, Header, Hxl, Row("CO68"), bad, Row("CO70")));
        Assert.Contains(errors, e => e.Row == 4 && e.Column == column && e.Message.Contains(word, StringComparison.OrdinalIgnoreCase));
        Assert.All(errors, e => Assert.Equal(4, e.Row));
        Assert.Equal(before, await CountReportsAsync());
    }

    [Fact]
    public async Task Import_ListsEveryErrorOfEveryRow_CountingTheHeaderAsLineOne()
    {
        var client = await FocalPointAsync();
        var errors = await ErrorsAsync(await PostCsvAsync(client, Header, Row("CO73", girls: "x"), Row("CO73"), Row("CO76", indicator: "NOPE", month: "13-2026")));
        Assert.Contains(errors, e => e.Row == 2 && e.Column == "girls");
        Assert.Contains(errors, e => e.Row == 4 && e.Column == "indicator");
        Assert.Contains(errors, e => e.Row == 4 && e.Column == "month");
    }

    [Fact]
    public async Task Import_DuplicateRowInTheFile_NamesTheFirstOccurrence()
    {
        var client = await FocalPointAsync();
        var errors = await ErrorsAsync(await PostCsvAsync(client, Header, Hxl, Row("CO81"), Row("CO85"), Row("CO81", girls: "2", total: "11")));
        var e = Assert.Single(errors);
        Assert.Equal(5, e.Row);
        Assert.Contains("3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_MissingColumn_IsReportedOnTheHeaderLine()
    {
        var client = await FocalPointAsync();
        var errors = await ErrorsAsync(await PostCsvAsync(client, "org,country,admin1,indicator,month,girls,boys,women,men", $"CAMPO,COL,CO86,EDU-01,{M},1,1,1,1"));
        Assert.Equal((1, "group"), (errors.Single().Row!.Value, errors.Single().Column));
    }

    [Fact]
    public async Task Import_EmptyFile_AndHeaderOnly_Are422()
    {
        var client = await FocalPointAsync();
        Assert.Contains(await ErrorsAsync(await PostFileAsync(client, [])), e => e.Column == "file");
        Assert.Contains(await ErrorsAsync(await PostCsvAsync(client, Header, Hxl)), e => e.Column == "file");
    }

    [Fact]
    public async Task Import_WrongFileType_IsRefusedWithAReason()
    {
        var client = await FocalPointAsync();
        var pdf = await PostFileAsync(client, Encoding.ASCII.GetBytes("%PDF-1.7\n%âãÏÓ\n1 0 obj"), "report.pdf");
        Assert.Equal(HttpStatusCode.BadRequest, pdf.StatusCode);
        Assert.Contains("unsupported-file-type", await pdf.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        byte[] xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFileAsync(client, xls, "old.xls")).StatusCode);
        using var plainZip = new MemoryStream();
        using (var zip = new ZipArchive(plainZip, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var w = new StreamWriter(zip.CreateEntry("hello.txt").Open());
            await w.WriteAsync("not a workbook");
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFileAsync(client, plainZip.ToArray(), "x.xlsx")).StatusCode);
    }

    [Fact]
    public async Task Import_XlsxArchiveBomb_IsRefusedBeforeReading()
    {
        var client = await FocalPointAsync();
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("[Content_Types].xml");
            await using var s = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 50; i++)
            {
                await s.WriteAsync(zeros, Ct);
            }
        }
        var response = await PostFileAsync(client, ms.ToArray(), "bomb.xlsx");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unsafe-spreadsheet", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xl/externalLinks/externalLink1.xml")]
    [InlineData("xl/vbaProject.bin")]
    [InlineData("xl/embeddings/oleObject1.bin")]
    public async Task Import_XlsxWithExternalLinksMacrosOrEmbeddings_IsRefused_AndStoresNothing(string part)
    {
        var client = await FocalPointAsync();
        var before = await CountReportsAsync();
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in new[] { "[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", part })
            {
                await using var s = zip.CreateEntry(name).Open();
                await s.WriteAsync(Encoding.UTF8.GetBytes("<x/>"), Ct);
            }
        }
        var response = await PostFileAsync(client, ms.ToArray(), "linked.xlsx");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("unsafe-spreadsheet", body, StringComparison.Ordinal);
        Assert.Contains("plain workbook", body, StringComparison.Ordinal);
        Assert.Equal(before, await CountReportsAsync());
    }

    /// <summary>20 CAMPO rows in one admin1 area (4 indicators × 5 groups) as cells, header first; totals add up.</summary>
    private static List<SheetRow> ChunkedRows(string admin1, Func<int, string, string>? girls = null)
    {
        string[] indicators = ["EDU-01", "EDU-02", "HEA-01", "HEA-02"];
        var rows = new List<SheetRow> { new(1, Header.Split(',')) };
        foreach (var (i, g) in from i in indicators from g in PopulationGroups.All select (i, g))
        {
            var line = rows.Count + 1;
            var n = girls?.Invoke(line, g) ?? "1";
            var total = int.TryParse(n, out var value) ? (value + 9).ToString(System.Globalization.CultureInfo.InvariantCulture) : "10";
            rows.Add(new(line, Row(admin1, indicator: i, group: g, girls: n, total: total).Split(',')));
        }
        return rows;
    }

    /// <summary>Imports through the importer itself, handing over 1 row, then 3 at a time, so a file of 20 crosses 8 chunks.</summary>
    private async Task<(ImportResult? Result, Closer.Web.Infrastructure.Error? Error)> ImportInChunksAsync(List<SheetRow> rows)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<ReportImporter>();
        var actor = new Actor(null, "chunks@example.org", new Closer.Web.Infrastructure.Security.ScopeUser(
            new HashSet<string> { R.Admin }, null, new HashSet<string>()));
        var csv = Encoding.UTF8.GetBytes(string.Join("\n", rows.Select(r => string.Join(',', r.Cells))) + "\n");
        var (upload, refusal) = await SheetReader.CheckUploadAsync(new MemoryStream(csv), csv.Length, Ct);
        Assert.Null(refusal);
        var (result, error) = await importer.ImportCheckedAsync(upload!, actor, new ImportHooks { ChunkRows = 3 }, Ct);
        return (result, error);
    }

    private async Task<(int Reports, int Revisions, int Audit)> StoredAsync(string admin1)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var ids = await db.ActivityReports.Where(r => r.Admin1PCode == admin1 && r.Month == M).Select(r => r.Id).ToListAsync(Ct);
        return (ids.Count, await db.ReportRevisions.CountAsync(r => ids.Contains(r.ReportId), Ct),
            await db.AuditEntries.CountAsync(a => a.EntityType == "report" && a.EntityKey.Contains("|" + admin1 + "|"), Ct));
    }

    [Fact]
    public async Task Import_AcrossManyChunks_StoresEveryRowOnce_UpdatesInLaterChunks_AndReimportChangesNothing()
    {
        var rows = ChunkedRows("CO41");
        var (result, error) = await ImportInChunksAsync(rows);
        Assert.Null(error);
        Assert.Equal(new ImportResult(20, 0, 0), result);
        Assert.Equal((20, 20, 20), await StoredAsync("CO41"));
        Assert.Equal(new ImportResult(0, 0, 20), (await ImportInChunksAsync(rows)).Result);
        // Rows 6 and 20 (chunks 2 and 7) change; the rest is identical.
        var changed = ChunkedRows("CO41", (line, _) => line is 6 or 20 ? "9" : "1");
        Assert.Equal(new ImportResult(0, 2, 18), (await ImportInChunksAsync(changed)).Result);
        Assert.Equal((20, 22, 22), await StoredAsync("CO41"));
    }

    [Fact]
    public async Task Import_AcrossManyChunks_AnInvalidRowInTheLastChunk_RollsBackTheChunksAlreadyWritten()
    {
        // On PostgreSQL the first chunks are written while the last is still being read: the bad row must undo them.
        var rows = ChunkedRows("CO44", (line, _) => line == 21 ? "-4" : "1");
        var (result, error) = await ImportInChunksAsync(rows);
        Assert.Null(result);
        var invalid = Assert.IsType<Closer.Web.Infrastructure.ValidationError>(error);
        Assert.NotEmpty(invalid.Errors);
        Assert.All(invalid.Errors, e => Assert.Equal(21, e.Row));
        Assert.Equal((0, 0, 0), await StoredAsync("CO44"));
    }

    [Fact]
    public async Task Import_AcrossManyChunks_ChangingASubmittedReportInALaterChunk_StoresNothing_AndListsEveryError()
    {
        var client = await FocalPointAsync();
        Assert.Equal((1, 0), await OkAsync(await PostCsvAsync(client, Header, Row("CO47", indicator: "HEA-02", group: "host"))));
        var id = (await client.GetFromJsonAsync<ReportPage>($"/api/v1/reports?org=CAMPO&month={M}&pageSize=1000", Ct))!.Items.Single(r => r.Admin1 == "CO47").Id;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/reports/{id}/submit", null, Ct)).StatusCode);
        var before = await StoredAsync("CO47");
        Assert.Equal(1, before.Reports);
        // The submitted report is the file's last row, with other figures; row 3 is also invalid (a bad number).
        var rows = ChunkedRows("CO47", (line, _) => line switch { 3 => "x", 21 => "5", _ => "1" });
        var (result, error) = await ImportInChunksAsync(rows);
        Assert.Null(result);
        var invalid = Assert.IsType<Closer.Web.Infrastructure.ValidationError>(error);
        Assert.Equal([3, 21], invalid.Errors.Select(e => e.Row ?? 0).Where(r => r is 3 or 21).Distinct().Order());
        Assert.Equal(before, await StoredAsync("CO47"));
    }

    [Fact]
    public async Task Import_IntoALockedMonth_IsRefused()
    {
        var client = await FocalPointAsync();
        var admin = await ReportsSuite<TApp>.ApiAsAsync(app, R.Admin);
        var month = "2020-03";
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/periods/COL/{month}/lock", null, Ct)).StatusCode);
        var errors = await ErrorsAsync(await PostCsvAsync(client, Header, Row("CO88", month: month)));
        Assert.Contains(errors, e => e.Row == 2 && e.Column == "month" && e.Message.Contains("locked", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/periods/COL/{month}/unlock", new { reason = "test over" }, Ct)).StatusCode);
        Assert.Equal((1, 0), await OkAsync(await PostCsvAsync(client, Header, Row("CO88", month: month))));
    }

    [Fact]
    public async Task Import_ChangingASubmittedReport_IsRefused()
    {
        var client = await FocalPointAsync();
        Assert.Equal((1, 0), await OkAsync(await PostCsvAsync(client, Header, Row("CO91"))));
        var id = (await client.GetFromJsonAsync<ReportPage>($"/api/v1/reports?org=CAMPO&month={M}&pageSize=1000", Ct))!.Items.Single(r => r.Admin1 == "CO91").Id;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/reports/{id}/submit", null, Ct)).StatusCode);
        Assert.Equal((0, 0), await OkAsync(await PostCsvAsync(client, Header, Row("CO91"))));
        var errors = await ErrorsAsync(await PostCsvAsync(client, Header, Row("CO91", girls: "7", total: "16")));
        Assert.Equal(2, errors.Single().Row);
    }

    [Fact]
    public async Task Template_HasHeaderHxlAndAMarkedExampleForTheCaller_InBothFormats()
    {
        var client = await FocalPointAsync("JUNTOS");
        var csv = await client.GetByteArrayAsync("/api/v1/reports/template?format=csv", Ct);
        var lines = Encoding.UTF8.GetString(csv).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        // The template writes the vocabulary's tags; the older ones of Hxl (above) still import (issue 21).
        Assert.Equal(string.Join(',', ReportColumns.Import.Select(c => c.Hxl)), lines[1]);
        // The example row says it is one, and is never imported as it is (issue 16); without that mark it is a valid row.
        Assert.StartsWith("JUNTOS,Example: delete this row,COL,", lines[2], StringComparison.Ordinal);
        Assert.Contains("example row", (await ErrorsAsync(await PostFileAsync(client, csv))).Single().Message, StringComparison.Ordinal);
        lines[2] = lines[2].Replace("Example: delete this row", "", StringComparison.Ordinal);
        Assert.Equal((1, 0), await OkAsync(await PostFileAsync(client, Encoding.UTF8.GetBytes(string.Join("\r\n", lines)))));

        var xlsx = await client.GetByteArrayAsync("/api/v1/reports/template?format=xlsx", Ct);
        var rows = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal("#org+code", rows[1]["A"]);
        Assert.Equal("JUNTOS", rows[2]["A"]);
        Assert.Contains("codes", MiniExcel.GetSheetNames(new MemoryStream(xlsx)));
        using (var doc = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(xlsx), false))
        {
            var book = doc.WorkbookPart!;
            var first = book.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().First();
            var sheet = ((DocumentFormat.OpenXml.Packaging.WorksheetPart)book.GetPartById(first.Id!)).Worksheet;
            var lists = sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.DataValidation>().ToDictionary(d => d.SequenceOfReferences!.InnerText!, d => d.Formula1!.Text, StringComparer.Ordinal);
            Assert.Equal("codes!$D$2:$D$19", lists["F3:F10000"]); // the indicator column offers the 18 indicator codes
            Assert.StartsWith("codes!$A$2:", lists["C3:C10000"], StringComparison.Ordinal);
            Assert.DoesNotContain(new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(doc),
                e => e.Node is DocumentFormat.OpenXml.Spreadsheet.DataValidations or DocumentFormat.OpenXml.Spreadsheet.DataValidation || e.Description.Contains("dataValidation", StringComparison.OrdinalIgnoreCase));
        }
        // The same example from the XLSX: refused as the template's example, nothing changes.
        Assert.Contains("example row", (await ErrorsAsync(await PostFileAsync(client, xlsx, "template.xlsx"))).Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exports_HaveHxlRowsMatchingTheirColumns_AndCanBeReimported()
    {
        var client = await FocalPointAsync("CAMPO");
        Assert.Equal((1, 0), await OkAsync(await PostCsvAsync(client, Header, Row("CO94"))));

        var csv = Encoding.UTF8.GetString(await client.GetByteArrayAsync($"/api/v1/reports?format=csv&org=CAMPO&month={M}", Ct)).TrimStart('\uFEFF');
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headers = lines[0].Split(',');
        var tags = lines[1].Split(',');
        Assert.Equal(headers.Length, tags.Length);
        for (var i = 0; i < headers.Length; i++)
        {
            Assert.Same(HeaderMatcher.Match(headers[i], ReportColumns.Export), HeaderMatcher.Match(tags[i], ReportColumns.Export));
            Assert.NotNull(HeaderMatcher.Match(tags[i], ReportColumns.Export));
        }
        Assert.All(lines.Skip(2), l => Assert.Equal(headers.Length, l.Split(',').Length));
        Assert.Contains(lines.Skip(2), l => l.Contains(",CO94,", StringComparison.Ordinal));

        var xlsx = await client.GetByteArrayAsync($"/api/v1/reports?format=xlsx&org=CAMPO&month={M}", Ct);
        var rows = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(rows[0].Count, rows[1].Count);
        foreach (var key in rows[0].Keys)
        {
            Assert.Same(HeaderMatcher.Match(rows[0][key]?.ToString(), ReportColumns.Export), HeaderMatcher.Match(rows[1][key]?.ToString(), ReportColumns.Export));
        }
        // An export is an import file: nothing changes when it comes back.
        Assert.Equal((0, 0), await OkAsync(await PostFileAsync(client, Encoding.UTF8.GetBytes(csv))));
        Assert.Equal((0, 0), await OkAsync(await PostFileAsync(client, xlsx, "export.xlsx")));
    }

    [Fact]
    public async Task Exports_NameEveryCode_InTheAskedLanguage_AndStillImportBack()
    {
        var client = await FocalPointAsync("CAMPO");
        // New or already there (the suite shares its database): either way the row exists.
        await OkAsync(await PostCsvAsync(client, Header, Row("CO99")));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var org = await db.Organisations.SingleAsync(o => o.Acronym == "CAMPO", Ct);
        var indicator = await db.Indicators.SingleAsync(i => i.Code == "EDU-01", Ct);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["#org+name"] = org.Name,
            ["#country+name"] = (await db.Countries.SingleAsync(c => c.Iso3 == "COL", Ct)).NameEs,
            ["#adm1+name"] = (await db.Admin1Areas.SingleAsync(a => a.PCode == "CO99", Ct)).LocalName("es"),
            ["#sector+name"] = (await db.Sectors.SingleAsync(x => x.Code == indicator.SectorCode, Ct)).NameEs,
            ["#indicator+name"] = indicator.NameEs,
        };

        var xlsx = await client.GetByteArrayAsync($"/api/v1/reports?format=xlsx&org=CAMPO&month={M}&lang=es", Ct);
        var rows = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        var columns = rows[1].Where(c => c.Value is not null).ToDictionary(c => c.Value!.ToString()!, c => c.Key, StringComparer.Ordinal);
        var row = rows.Skip(2).Single(r => r[columns["#adm1+code"]]?.ToString() == "CO99");
        foreach (var (tag, name) in expected)
        {
            Assert.Equal(name, row[columns[tag]]?.ToString());
        }
        // Each name stands right after its code, headed in the asked language.
        foreach (var (code, name) in new[] { ("#org+code", "#org+name"), ("#country+code", "#country+name"), ("#adm1+code", "#adm1+name"),
            ("#sector+code", "#sector+name"), ("#indicator+code", "#indicator+name") })
        {
            var keys = rows[1].Keys.ToList();
            Assert.Equal(keys.IndexOf(columns[code]) + 1, keys.IndexOf(columns[name]));
        }
        Assert.Equal("Nombre del indicador", rows[0][columns["#indicator+name"]]?.ToString());

        var json = await client.GetFromJsonAsync<ReportPage>($"/api/v1/reports?org=CAMPO&month={M}&lang=es&pageSize=1000", Ct);
        var item = json!.Items.Single(r => r.Admin1 == "CO99");
        Assert.Equal(string.Join('|', org.Name, expected["#country+name"], expected["#adm1+name"], expected["#sector+name"], indicator.NameEs),
            string.Join('|', item.OrgName, item.CountryName, item.Admin1Name, item.SectorName, item.IndicatorName));

        // The named export, in any language, is still an import file that changes nothing.
        Assert.Equal((0, 0), await OkAsync(await PostFileAsync(client, xlsx, "export.xlsx")));
        var csv = await client.GetByteArrayAsync($"/api/v1/reports?format=csv&org=CAMPO&month={M}&lang=pt", Ct);
        Assert.Equal((0, 0), await OkAsync(await PostFileAsync(client, csv)));
    }

    [Fact]
    public async Task JsonList_IsPaged_AndFiltersBySectorStatusAndCountry()
    {
        var viewer = await ReportsSuite<TApp>.ApiAsAsync(app, R.Viewer);
        var page1 = await viewer.GetFromJsonAsync<ReportPage>("/api/v1/reports?page=1&pageSize=10", Ct);
        var page2 = await viewer.GetFromJsonAsync<ReportPage>("/api/v1/reports?page=2&pageSize=10", Ct);
        Assert.Equal(10, page1!.Items.Count);
        Assert.True(page1.Total > 100);
        Assert.Empty(page1.Items.Select(i => i.Id).Intersect(page2!.Items.Select(i => i.Id)));
        var protection = await viewer.GetFromJsonAsync<ReportPage>("/api/v1/reports?sector=PRO&country=COL&status=validated&pageSize=1000", Ct);
        Assert.NotEmpty(protection!.Items);
        Assert.All(protection.Items, r => Assert.True(r.Sector.StartsWith("PRO", StringComparison.Ordinal) && r.Country == "COL" && r.Status == "Validated"));
    }
}

public sealed class ImportSqlite(SqliteApp app) : ImportSuite<SqliteApp>(app);
public sealed class ImportPostgres(PostgresApp app) : ImportSuite<PostgresApp>(app);
