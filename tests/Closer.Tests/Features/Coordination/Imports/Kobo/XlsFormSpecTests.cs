using System.Net;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace Closer.Tests.Features.Coordination.Imports.Kobo;

/// <summary>
/// The 5W XLSForm checked against the XLSForm spec (xlsform.org; what pyxform, KoboToolbox and ODK Central read):
/// sheets, required columns, known types, list names, XML names, groups, language columns, references.
/// </summary>
public sealed partial class XlsFormSpecTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Question types of the spec (xlsform.org "Question types" and "Metadata"); select_one takes a list name.</summary>
    private static readonly HashSet<string> KnownTypes = new(StringComparer.Ordinal)
    {
        "integer", "decimal", "range", "text", "rank", "note", "geopoint", "geotrace", "geoshape", "date", "time", "dateTime", "image", "audio",
        "background-audio", "video", "file", "barcode", "calculate", "acknowledge", "hidden", "xml-external", "begin_group", "end_group",
        "begin_repeat", "end_repeat", "start", "end", "today", "deviceid", "phonenumber", "username", "email", "audit",
    };
    private static readonly HashSet<string> Metadata = new(StringComparer.Ordinal) { "start", "end", "today", "deviceid", "phonenumber", "username", "email", "audit" };
    private static readonly string[] Languages = ["English (en)", "Español (es)", "Português (pt)", "Papiamentu (pap)"];

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]*$")]
    private static partial Regex XmlName();
    [GeneratedRegex(@"^(label|hint|constraint_message|required_message|guidance_hint|image|audio|video)::(.+) \(([a-z]{2,3})\)$")]
    private static partial Regex LanguageColumn();
    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex Reference();

    private static List<Dictionary<string, string?>> Sheet(byte[] xlsx, string name)
    {
        using var stream = new MemoryStream(xlsx);
        return stream.Query(useHeaderRow: true, sheetName: name, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>()
            .Select(r => r.ToDictionary(p => p.Key, p => p.Value is null or "" ? null : Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture),
                StringComparer.Ordinal)).ToList();
    }

    private async Task<byte[]> FormAsync(string role, string? org, params string[] countries)
    {
        var client = await app.ApiClientAsync(role, org, countries);
        var response = await client.GetAsync("/api/v1/reports/template?format=xlsform", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    [Fact]
    public async Task XlsForm_FollowsTheSpec_SheetsTypesNamesListsGroupsAndLanguages()
    {
        var xlsx = await FormAsync(R.FocalPoint, "CAMPO", "COL");
        using (var stream = new MemoryStream(xlsx))
        {
            Assert.Equal(["survey", "choices", "settings"], stream.GetSheetNames());
        }
        var survey = Sheet(xlsx, "survey");
        var choices = Sheet(xlsx, "choices");
        var settings = Assert.Single(Sheet(xlsx, "settings"));
        Assert.Contains("type", survey[0].Keys);
        Assert.Contains("name", survey[0].Keys);
        Assert.Contains("list_name", choices[0].Keys);
        Assert.Contains("name", choices[0].Keys);

        // Language columns: every translated column is "column::Name (code)", and both sheets carry the same four languages.
        foreach (var sheet in new[] { survey, choices })
        {
            var translated = sheet[0].Keys.Where(k => k.Contains("::", StringComparison.Ordinal)).ToList();
            Assert.All(translated, k => Assert.Matches(LanguageColumn(), k));
            Assert.DoesNotContain("label", sheet[0].Keys); // no untranslated label beside the translated ones
            Assert.Equal(Languages, translated.Where(k => k.StartsWith("label::", StringComparison.Ordinal)).Select(k => k["label::".Length..]));
        }
        Assert.Contains(settings["default_language"], Languages);
        Assert.Matches(XmlName(), settings["form_id"]!);
        Assert.False(string.IsNullOrWhiteSpace(settings["version"]));
        Assert.False(string.IsNullOrWhiteSpace(settings["form_title"]));

        var lists = choices.GroupBy(c => c["list_name"]!).ToDictionary(g => g.Key, g => g.ToList());
        var names = new HashSet<string>(StringComparer.Ordinal);
        var depth = new Stack<string>();
        foreach (var q in survey)
        {
            var type = q["type"]!;
            var name = q["name"];
            var list = type.StartsWith("select_one ", StringComparison.Ordinal) ? type["select_one ".Length..] : null;
            Assert.True(list is not null || KnownTypes.Contains(type), $"unknown type '{type}'");
            if (list is not null)
            {
                Assert.True(lists.ContainsKey(list), $"select_one list '{list}' is not in choices");
            }
            Assert.NotNull(name);
            Assert.Matches(XmlName(), name);
            if (type == "end_group")
            {
                Assert.Equal(depth.Pop(), name);
                continue;
            }
            Assert.True(names.Add(name), $"name '{name}' repeats");
            if (type == "begin_group")
            {
                depth.Push(name);
            }
            // Everything a person sees has a label in each language; calculations and metadata have none.
            if (type != "calculate" && !Metadata.Contains(type))
            {
                Assert.All(Languages, l => Assert.False(string.IsNullOrWhiteSpace(q["label::" + l]), $"'{name}' has no label in {l}"));
            }
            if (q.GetValueOrDefault("constraint") is not null && q["constraint"] is { } constraint)
            {
                Assert.All(Languages, l => Assert.False(string.IsNullOrWhiteSpace(q["constraint_message::" + l]), $"'{name}' has no constraint message in {l}"));
                Assert.Contains(".", constraint, StringComparison.Ordinal);
            }
            Assert.True(q["required"] is null or "yes", $"'{name}' required is '{q["required"]}'");
        }
        Assert.Empty(depth);

        // ${references} in expressions and labels name questions of the form; choice filters name columns of the choices sheet.
        foreach (var q in survey)
        {
            foreach (var column in new[] { "relevant", "constraint", "calculation", "choice_filter" }.Concat(Languages.Select(l => "label::" + l)))
            {
                foreach (Match m in Reference().Matches(q.GetValueOrDefault(column) ?? ""))
                {
                    Assert.Contains(m.Groups[1].Value, names);
                }
            }
            if (q["choice_filter"] is { } filter)
            {
                var field = filter.Split('=')[0].Trim();
                Assert.Contains(field, choices[0].Keys);
            }
        }
        foreach (var (list, rows) in lists)
        {
            Assert.Matches(XmlName(), list);
            Assert.Equal(rows.Count, rows.Select(r => r["name"]).Distinct(StringComparer.Ordinal).Count());
            Assert.All(rows, r => Assert.DoesNotContain(" ", r["name"]!, StringComparison.Ordinal));
            Assert.All(rows, r => Assert.All(Languages, l => Assert.False(string.IsNullOrWhiteSpace(r["label::" + l]), $"{list}/{r["name"]} has no label in {l}")));
        }
    }

    [Fact]
    public async Task XlsForm_OffersThePlanAndTheCallersCountry_WithCloserChecksAsConstraints()
    {
        var xlsx = await FormAsync(R.FocalPoint, "CAMPO", "COL");
        var survey = Sheet(xlsx, "survey").ToDictionary(q => q["name"]! + "|" + q["type"], StringComparer.Ordinal);
        var choices = Sheet(xlsx, "choices");
        List<Dictionary<string, string?>> List(string name) => choices.Where(c => c["list_name"] == name).ToList();

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        Assert.Equal((await db.Sectors.Select(s => s.Code).ToListAsync(Ct)).Order(StringComparer.Ordinal), List("sector").Select(c => c["name"]!).Order(StringComparer.Ordinal));
        var indicators = await db.Indicators.ToDictionaryAsync(i => i.Code, i => i.SectorCode, Ct);
        Assert.Equal(indicators.Count, List("indicator").Count);
        Assert.All(List("indicator"), c => Assert.Equal(indicators[c["name"]!], c["sector"]));
        Assert.Equal(PopulationGroups.All, List("population_group").Select(c => c["name"]));
        Assert.Equal(["COL"], List("country").Select(c => c["name"]));
        Assert.Equal(["CAMPO"], List("org").Select(c => c["name"]));
        var admin1 = await db.Admin1Areas.Where(a => a.CountryIso3 == "COL" && a.RetiredAt == null).Select(a => a.PCode).ToListAsync(Ct);
        Assert.Equal(admin1.Order(StringComparer.Ordinal), List("admin1").Select(c => c["name"]!).Order(StringComparer.Ordinal));
        Assert.All(List("admin1"), c => Assert.Equal("COL", c["country"]));
        Assert.Equal("Bogotá D.C.", List("admin1").Single(c => c["name"] == "CO11")["label::Español (es)"]);

        Assert.Equal("country=${country}", survey["admin1|select_one admin1"]["choice_filter"]);
        Assert.Equal("sector=${sector}", survey["indicator|select_one indicator"]["choice_filter"]);
        Assert.Equal("CAMPO", survey["org|select_one org"]["default"]);
        foreach (var n in new[] { "girls", "boys", "women", "men" })
        {
            Assert.Equal("yes", survey[n + "|integer"]["required"]);
            Assert.Equal(". >= 0", survey[n + "|integer"]["constraint"]);
            Assert.Equal("Los números no pueden ser negativos.", survey[n + "|integer"]["constraint_message::Español (es)"]);
        }
        Assert.Equal(". >= 0", survey["other|integer"]["constraint"]);
        Assert.Contains("${girls}", survey["total|calculate"]["calculation"], StringComparison.Ordinal);
        Assert.Contains("${other}", survey["total|calculate"]["calculation"], StringComparison.Ordinal);
        Assert.Equal("${cash} = 'yes'", survey["cashusd|integer"]["relevant"]);
        Assert.Equal("string-length(.) <= 200", survey["partner|text"]["constraint"]);
        Assert.Equal("month-year", survey["month|date"]["appearance"]);
        Assert.Equal("Mucha muhé", survey["girls|integer"]["label::Papiamentu (pap)"]);
        Assert.True(survey.ContainsKey("grp_reached|begin_group"));
    }
}
