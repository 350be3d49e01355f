using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Reports;
using Closer.Web.Infrastructure.Data;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace Closer.Tests.Features.Coordination;

/// <summary>
/// Issue 16's imports: files as partners make them (translated headers, labels for codes, months as typed, files saved by
/// Spanish, Portuguese and English Excel), never a column dropped silently, errors a partner can act on, the template's
/// example never imported, malformed and oversized files refused with a reason.
/// </summary>
public abstract class PartnerFilesSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string M => ReportsSuite<TApp>.ThisMonth;
    private static int Year => int.Parse(M[..4], CultureInfo.InvariantCulture);
    private static int MonthNumber => int.Parse(M[5..], CultureInfo.InvariantCulture);
    private const string Header = "org,partner,country,admin1,sector,indicator,month,group,girls,boys,women,men,other,total,todate,cash,cashusd";

    private static readonly string[] Es = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"];
    private static readonly string[] EsLong = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];
    private static readonly string[] Pt = ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"];
    private static readonly string[] En = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private static string Row(string admin1, string group = "destination", string indicator = "EDU-01", string month = "", string girls = "1", string total = "10",
        string partner = "") =>
        $"CAMPO,{partner},COL,{admin1},,{indicator},{(month.Length == 0 ? M : month)},{group},{girls},2,3,4,0,{total},,no,";

    private Task<HttpClient> FocalPointAsync(string? language = null) => ClientAsync(language);

    private async Task<HttpClient> ClientAsync(string? language)
    {
        var client = await ReportsSuite<TApp>.ApiAsAsync(app, R.FocalPoint, "CAMPO", "COL");
        if (language is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        }
        return client;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] content, string fileName = "5w.csv", params string[] ignore)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(content), "file", fileName);
        foreach (var i in ignore)
        {
            form.Add(new StringContent(i), "ignore");
        }
        // The signed-in test user's own language would win over Accept-Language: the query names the language.
        var language = client.DefaultRequestHeaders.AcceptLanguage.FirstOrDefault()?.Value;
        return await client.PostAsync("/api/v1/reports/import" + (language is null ? "" : "?lang=" + language), form, Ct);
    }

    private static Task<HttpResponseMessage> PostCsvAsync(HttpClient client, params string[] lines) =>
        PostAsync(client, Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n"));

    private static async Task<(List<(int? Row, string Column, string Message)> Errors, int Count)> ErrorsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, body);
        using var doc = JsonDocument.Parse(body);
        var errors = doc.RootElement.GetProperty("errors").EnumerateArray().Select(e => (
            e.GetProperty("row").ValueKind == JsonValueKind.Null ? (int?)null : e.GetProperty("row").GetInt32(),
            e.GetProperty("column").GetString()!, e.GetProperty("message").GetString()!)).ToList();
        return (errors, doc.RootElement.TryGetProperty("errorCount", out var c) ? c.GetInt32() : errors.Count);
    }

    private static async Task<(int Imported, int Updated)> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        return (doc.RootElement.GetProperty("imported").GetInt32(), doc.RootElement.GetProperty("updated").GetInt32());
    }

    private async Task<List<ActivityReport>> ReportsAsync(string admin1)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CloserDbContext>().ActivityReports.AsNoTracking()
            .Where(r => r.Admin1PCode == admin1 && r.Month == M).ToListAsync(Ct);
    }

    [Fact]
    public async Task UnknownColumns_AreErrorsNamingLetterHeaderAndTheClosestColumn_UnlessIgnored()
    {
        var client = await FocalPointAsync();
        var header = Header.Replace(",cash,cashusd", ",Efectivo,Valor efectivo USD", StringComparison.Ordinal);
        var row = Row("CO05").Replace(",no,", ",sí,700", StringComparison.Ordinal);
        var (errors, _) = await ErrorsAsync(await PostCsvAsync(client, header, row));
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Row == 1 && e.Column == "Efectivo" && e.Message.Contains("Column P 'Efectivo'", StringComparison.Ordinal)
            && e.Message.Contains("did you mean 'Cash-based (yes/no)'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Column == "Valor efectivo USD" && e.Message.Contains("Column Q", StringComparison.Ordinal)
            && e.Message.Contains("'Cash value (USD)'", StringComparison.Ordinal));
        Assert.Empty(await ReportsAsync("CO05"));

        // Ignored by header text and by letter, the columns are left out on purpose and the row is stored.
        var file = Encoding.UTF8.GetBytes(header + "\r\n" + row + "\r\n");
        Assert.Equal((1, 0), await OkAsync(await PostAsync(client, file, "5w.csv", "efectivo", "Q")));
        Assert.False(Assert.Single(await ReportsAsync("CO05")).IsCash);
    }

    [Fact]
    public async Task RepeatedColumn_IsAnError_NotSilentlyDropped()
    {
        var client = await FocalPointAsync();
        var (errors, _) = await ErrorsAsync(await PostCsvAsync(client, Header + ",Girls", Row("CO08") + ",5"));
        var e = Assert.Single(errors);
        Assert.Contains("Column R 'Girls'", e.Message, StringComparison.Ordinal);
        Assert.Contains("column I", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pt", "Organização,Parceiro implementador,País,Código P admin1,Setor,Indicador,Mês,Grupo populacional,Meninas,Meninos,Mulheres,Homens,Outro ou desconhecido,Total", "CO13")]
    [InlineData("pap", "Organisashon,Socio implementadó,Pais,Kódigo P admin1,Sektor,Indikadó,Luna (AAAA-MM),Grupo di poblashon,Mucha muhé,Mucha hòmber,Muhé,Hòmber,Otro òf deskonosí,Total", "CO15")]
    [InlineData("variants", "ORGANISATION , implementing partner,country,ADMIN1,sector,indicator,Month,population group,GIRLS,boys,Women,men,other,total", "CO17")]
    [InlineData("hxl", "#org,#org+impl,#country+code,#adm1+code,#sector,#indicator+code,#date+reported,#population+type,#reached+children+f,#reached+m+children,#reached+adults+f,#reached+m+adults,#reached+unknown,#reached+total", "CO18")]
    public async Task Headers_InEveryLanguage_AndTheirVariants_Map(string _, string header, string admin1)
    {
        var client = await FocalPointAsync();
        Assert.Equal((1, 0), await OkAsync(await PostCsvAsync(client, header, $"CAMPO,,COL,{admin1},EDU,EDU-01,{M},destination,1,2,3,4,0,10")));
    }

    public static TheoryData<string, string, string, string, string> ValuesAsTyped => new()
    {
        // admin1, sector, indicator, group as a partner writes them, and the P-code they must resolve to
        { "bogota d.c.", "Educación", "EDU-01", "En destino", "CO11" },
        { "ATLÁNTICO", "Edukashon", "Niñas, niños y adolescentes matriculados en educación formal", "Em trânsito", "CO08" },
        { "Norte de Santander", "education", "edu-01 — whatever the label says", "Comunidad de acogida", "CO54" },
        { "CO19", "EDU", "Crianças e adolescentes matriculados na educação formal", "pendular", "CO19" },
    };

    [Theory]
    [MemberData(nameof(ValuesAsTyped))]
    public async Task Values_ByCodeOrByLabel_InAnyLanguage_AreRead(string admin1, string sector, string indicator, string group, string pcode)
    {
        var client = await FocalPointAsync();
        var line = string.Join(',', new[] { "CAMPO", "", "COL", admin1, sector, indicator, M, group, "1", "1", "1", "1", "0", "4" }
            .Select(v => v.Contains(',', StringComparison.Ordinal) ? $"\"{v}\"" : v));
        Assert.Equal((1, 0), await OkAsync(await PostCsvAsync(client, "org,partner,country,admin1,sector,indicator,month,group,girls,boys,women,men,other,total", line)));
        var stored = Assert.Single(await ReportsAsync(pcode), r => r.IndicatorCode == "EDU-01" && r.Girls == 1);
        Assert.Equal(4, stored.Total);
    }

    public static TheoryData<string> MonthsAsTyped()
    {
        var first = new DateOnly(Year, MonthNumber, 1);
        var serial = first.DayNumber - new DateOnly(1899, 12, 30).DayNumber;
        var (yy, mm) = ((Year % 100).ToString("D2", CultureInfo.InvariantCulture), MonthNumber.ToString(CultureInfo.InvariantCulture));
        return new TheoryData<string>(
            $"{MonthNumber}/{Year}", $"{Es[MonthNumber - 1]}-{yy}", $"{EsLong[MonthNumber - 1]} {Year}", $"{EsLong[MonthNumber - 1].ToUpperInvariant()} de {Year}",
            $"{Pt[MonthNumber - 1]}/{Year}", $"{En[MonthNumber - 1]}-{yy}", $"{Year}-{mm}", $"01/{MonthNumber:D2}/{Year}", $"{Year}-{MonthNumber:D2}-01",
            serial.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(MonthsAsTyped))]
    public async Task Months_AsPartnersTypeThem_AreRead(string month)
    {
        Assert.Equal(M, MonthText.Parse(month));
        var client = await FocalPointAsync();
        // Every form names the same month: the first import stores the row, the others find it unchanged.
        await OkAsync(await PostCsvAsync(client, Header, Row("CO41", indicator: "HEA-01", month: $"\"{month}\"")));
        Assert.Single(await ReportsAsync("CO41"), r => r.IndicatorCode == "HEA-01");
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("13/2026")]
    [InlineData("03/04/2026")]
    [InlineData("Marchh 2026")]
    [InlineData("next month")]
    public void Months_ThatAreNotOne_AreRefused(string month) => Assert.Null(MonthText.Parse(month));

    [Fact]
    public async Task EmptyTotal_IsTheSumOfTheBreakdown_AndAWrongOneWithABadBreakdownIsOneError()
    {
        var client = await FocalPointAsync();
        Assert.Equal((1, 0), await OkAsync(await PostCsvAsync(client, Header, Row("CO20", total: ""))));
        Assert.Equal(10, Assert.Single(await ReportsAsync("CO20")).Total);
        var (errors, _) = await ErrorsAsync(await PostCsvAsync(client, Header, Row("CO23", girls: "-3", total: "99")));
        Assert.Equal("girls", Assert.Single(errors).Column);
        (errors, _) = await ErrorsAsync(await PostCsvAsync(client, Header, Row("CO23", total: "99")));
        Assert.Equal("total", Assert.Single(errors).Column);
    }

    [Fact]
    public async Task Errors_NameTheRowColumnLetterHeaderAndValue_InTheUsersLanguage()
    {
        var client = await FocalPointAsync("es");
        var header = "Organización;Socio implementador;País;Código P admin1;Sector;Indicador;Mes;Grupo de población;Niñas;Niños;Mujeres;Hombres;Otro o desconocido;Total";
        var (errors, _) = await ErrorsAsync(await PostAsync(client, Encoding.UTF8.GetBytes($"{header}\r\nCAMPO;;COL;CO25;;EDU-01;{M};destination;1;1;-3;1;0;0\r\n")));
        var e = Assert.Single(errors);
        Assert.Equal("Fila 2, columna K 'Mujeres': «-3» — Los números no pueden ser negativos.", e.Message);
    }

    [Fact]
    public async Task ManyErrors_ListTheFirst200_WithTheTotalCount()
    {
        var client = await FocalPointAsync();
        var rows = Enumerable.Range(0, 260).Select(i => Row("CO27", girls: "x", group: $"g{i}"));
        var (errors, count) = await ErrorsAsync(await PostCsvAsync(client, [Header, .. rows]));
        Assert.Equal(200, errors.Count);
        Assert.Equal(520, count);
    }

    [Fact]
    public async Task TheTemplateUnchanged_StoresNothing_AndSaysWhy_InBothFormats()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            var before = await db.ActivityReports.CountAsync(Ct);
            var client = await FocalPointAsync();
            foreach (var format in new[] { "csv", "xlsx" })
            {
                var template = await client.GetByteArrayAsync($"/api/v1/reports/template?format={format}", Ct);
                var (errors, _) = await ErrorsAsync(await PostAsync(client, template, $"5w.{format}"));
                Assert.Contains("template's example row", Assert.Single(errors).Message, StringComparison.Ordinal);
                Assert.Equal(3, errors[0].Row);
            }
            Assert.Equal(before, await db.ActivityReports.CountAsync(Ct));
        }
    }

    [Fact]
    public async Task TheTemplatesDropDowns_ListLabelsInTheUsersLanguage()
    {
        var client = await FocalPointAsync("es");
        var xlsx = await client.GetByteArrayAsync("/api/v1/reports/template?format=xlsx&lang=es", Ct);
        var codes = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: "codes", excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>().ToList();
        Assert.Contains(codes, r => Equals(r["group"], "En destino"));
        Assert.Contains(codes, r => Equals(r["sector"], "Educación"));
        Assert.Contains(codes, r => Equals(r["admin1"], "Bogotá D.C."));
    }

    [Fact]
    public async Task MalformedCsv_Is422WithTheRow_AndOversizedUploadIs413WithTheLimit()
    {
        var client = await FocalPointAsync();
        var (errors, _) = await ErrorsAsync(await PostCsvAsync(client, Header, Row("CO44"), "CAMPO,\"unclosed,COL,CO44", Row("CO47")));
        Assert.Equal(3, Assert.Single(errors).Row);
        Assert.Contains("never closed", errors[0].Message, StringComparison.Ordinal);

        var giant = Header + "\r\n" + Row("CO44").Replace("CAMPO,", "CAMPO," + new string('x', 200_000), StringComparison.Ordinal) + "\r\n";
        (errors, _) = await ErrorsAsync(await PostAsync(client, Encoding.UTF8.GetBytes(giant)));
        Assert.Equal(2, Assert.Single(errors).Row);

        var big = new byte[Closer.Web.Infrastructure.Tabular.SheetReader.MaxUploadBytes + 10];
        Array.Fill(big, (byte)'a');
        var response = await PostAsync(client, big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("20 MB", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(await ReportsAsync("CO44"));
    }

    [Fact]
    public async Task ErrorsFile_IsThePartnersOwnFile_WithAnErrorColumn_InCsvAndXlsx_AndStoresNothing()
    {
        var client = await FocalPointAsync();
        var csv = Encoding.UTF8.GetBytes(string.Join("\r\n", Header + ",Notas", "Informe,,,", Row("CO68") + ",ok", Row("CO70", girls: "-3") + ",x") + "\r\n");
        foreach (var format in new[] { "csv", "xlsx" })
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(csv), "file", "mis datos.csv" } };
            var response = await client.PostAsync($"/api/v1/reports/import/errors?format={format}", form, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"misdatos-errors.{format}", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
            var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
            List<string?[]> rows = format == "csv"
                ? Closer.Web.Infrastructure.Tabular.SheetReader.EnumerateCsv(new MemoryStream(bytes)).Select(r => r.Cells.ToArray()).ToList()
                : MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>()
                    .Select(r => r.Values.Select(v => v?.ToString()).ToArray()).ToList();
            // Header, the partner's title-like row, a valid row, an invalid row: in place, with one column more.
            Assert.Equal(4, rows.Count);
            Assert.StartsWith("Errors: Column R 'Notas'", rows[0][18], StringComparison.Ordinal);
            Assert.Contains(rows[1], c => c == "Informe");
            Assert.True(string.IsNullOrEmpty(rows[2][18]));
            Assert.Contains("negative", rows[3][18], StringComparison.Ordinal);
            Assert.Equal("-3", rows[3][8]);
        }
        Assert.Empty(await ReportsAsync("CO68"));
    }

    [Fact]
    public async Task AnImport_RecordsItsPhasesAsMetrics()
    {
        var phases = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == Closer.Web.Features.Coordination.Imports.ImportMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "phase" && tag.Value is string phase)
                {
                    phases.Add(phase);
                }
            }
        });
        listener.Start();
        var client = await FocalPointAsync();
        Assert.Equal((1, 0), await OkAsync(await PostCsvAsync(client, Header, Row("CO73", group: "host"))));
        Assert.Contains("read-check", phases);
        Assert.Contains("write-reports", phases);
        Assert.Contains("commit-aggregates", phases);
    }

    /// <summary>CSV as Spanish-locale Excel saves it: BOM, ';', CRLF, translated headers, no HXL row, dates as text, trailing empty rows.</summary>
    [Fact]
    public async Task Csv_SavedBySpanishExcel_Imports()
    {
        var client = await FocalPointAsync("es");
        var csv = "\uFEFFOrganización;Socio implementador;País;Código P admin1;Sector;Indicador;Mes (AAAA-MM);Grupo de población;Niñas;Niños;Mujeres;Hombres;Otro o desconocido;Total;Alcanzados a la fecha (sin duplicados);Basado en efectivo (sí/no);Valor del efectivo (USD)\r\n"
            + $"CAMPO;;COL;Meta;Educación;EDU-01;01/{MonthNumber:D2}/{Year};En destino;1;2;3;4;0;10;;sí;250\r\n"
            + $"CAMPO;;COL;CO50;Salud;HEA-01;{Es[MonthNumber - 1]}-{Year % 100:D2};Retornados;1;1;1;1;0;;;no;\r\n"
            + ";;;;;;;;;;;;;;;;\r\n;;;;;;;;;;;;;;;;\r\n";
        Assert.Equal((2, 0), await OkAsync(await PostAsync(client, Encoding.UTF8.GetBytes(csv))));
        var stored = await ReportsAsync("CO50");
        Assert.Contains(stored, r => r.IndicatorCode == "EDU-01" && r.IsCash && r.CashUsd == 250 && r.PopulationGroup == "destination");
        Assert.Contains(stored, r => r.IndicatorCode == "HEA-01" && r.Total == 4 && r.PopulationGroup == "returnees");
    }

    /// <summary>CSV as Portuguese- and English-locale Excel save it: Portuguese with ';' and month names, English with ',' and LF-free CRLF.</summary>
    [Fact]
    public async Task Csv_SavedByPortugueseAndEnglishExcel_Imports()
    {
        var client = await FocalPointAsync("pt");
        var pt = "\uFEFFOrganização;Parceiro implementador;País;Código P admin1;Setor;Indicador;Mês (AAAA-MM);Grupo populacional;Meninas;Meninos;Mulheres;Homens;Outro ou desconhecido;Total\r\n"
            + $"CAMPO;Parceiro local;COL;Nariño;Educação;EDU-01;{Pt[MonthNumber - 1]}/{Year};No destino;1;2;3;4;0;10\r\n";
        Assert.Equal((1, 0), await OkAsync(await PostAsync(client, Encoding.UTF8.GetBytes(pt))));
        var en = "\uFEFFOrganisation,Implementing partner,Country,Admin1 P-code,Sector,Indicator,Month (YYYY-MM),Population group,Girls,Boys,Women,Men,Other or unknown,Total\r\n"
            + $"CAMPO,,COL,Cauca,Health,HEA-01,{En[MonthNumber - 1]}-{Year % 100:D2},In transit,1,2,3,4,0,10\r\n,,,,,,,,,,,,,\r\n";
        Assert.Equal((1, 0), await OkAsync(await PostAsync(client, Encoding.UTF8.GetBytes(en))));
        Assert.Single(await ReportsAsync("CO52"), r => r.ImplementingPartner == "Parceiro local");
        Assert.Single(await ReportsAsync("CO19"), r => r.PopulationGroup == "transit");
    }

    /// <summary>
    /// An XLSX as partners keep it: a notes sheet before the data, a merged title row above the header, translated
    /// headers, no HXL row, the month as a date cell, trailing empty rows; an error names the row as Excel shows it.
    /// </summary>
    [Fact]
    public async Task Xlsx_WithNotesSheet_MergedTitle_DateCells_Imports_AndErrorsUseExcelRows()
    {
        var client = await FocalPointAsync("es");
        var date = new DateTime(Year, MonthNumber, 1, 0, 0, 0, DateTimeKind.Unspecified);
        Assert.Equal((1, 0), await OkAsync(await PostAsync(client, Workbook(date, "CO63", "3"), "5w.xlsx")));
        Assert.Single(await ReportsAsync("CO63"), r => r.Girls == 3);

        var (errors, _) = await ErrorsAsync(await PostAsync(client, Workbook(date, "CO66", "-1"), "5w.xlsx"));
        var e = Assert.Single(errors);
        Assert.Equal(3, e.Row);
        Assert.StartsWith("Fila 3, columna I 'Niñas'", e.Message, StringComparison.Ordinal);
    }

    private static byte[] Workbook(DateTime month, string admin1, string girls)
    {
        var keys = Enumerable.Range(0, 14).Select(i => ((char)('A' + i)).ToString()).ToArray();
        Dictionary<string, object?> Line(params object?[] cells) => keys.Select((k, i) => (k, i < cells.Length ? cells[i] : null)).ToDictionary(x => x.k, x => x.Item2);
        var notes = new List<Dictionary<string, object?>> { Line("Instrucciones: una fila por actividad."), Line("Las cifras son personas alcanzadas.") };
        var data = new List<Dictionary<string, object?>>
        {
            Line("Informe 5W — CAMPO"),
            Line("Organización", "Socio implementador", "País", "Código P admin1", "Sector", "Indicador", "Mes", "Grupo de población", "Niñas", "Niños", "Mujeres", "Hombres", "Otro o desconocido", "Total"),
            Line("CAMPO", null, "COL", admin1, "Educación", "EDU-01", month, "Comunidad de acogida", long.Parse(girls, CultureInfo.InvariantCulture), 2L, 3L, 4L, 0L, null),
            Line(),
            Line(),
        };
        using var ms = new MemoryStream();
        ms.SaveAs(new Dictionary<string, object> { ["Notas"] = notes, ["Datos"] = data }, printHeader: false, excelType: ExcelType.XLSX);
        using (var doc = SpreadsheetDocument.Open(ms, true))
        {
            var book = doc.WorkbookPart!;
            var sheet = book.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "Datos");
            var worksheet = ((WorksheetPart)book.GetPartById(sheet.Id!)).Worksheet;
            worksheet.InsertAfter(new MergeCells(new MergeCell { Reference = "A1:N1" }) { Count = 1 }, worksheet.GetFirstChild<SheetData>());
            worksheet.Save();
        }
        return ms.ToArray();
    }
}

public sealed class PartnerFilesSqlite(SqliteApp app) : PartnerFilesSuite<SqliteApp>(app);
public sealed class PartnerFilesPostgres(PostgresApp app) : PartnerFilesSuite<PostgresApp>(app);
