using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.OpenData;

/// <summary>
/// Each dataset as HDX and any CKAN or Frictionless tool picks it up: a Frictionless Data Package
/// (<c>datapackage.json</c>: a tabular resource per CSV with its table schema, licence, sources, version), a CKAN
/// metadata record with the fields HDX asks for (<c>ckan.json</c>), and for coordinators a ready-to-upload ZIP of both
/// with the CSV and a README. Everything is built from the public CSV (<see cref="DatasetTables"/>), so a package is
/// the disclosure-controlled table anyone can download, never a signed-in caller's unsuppressed scope.
/// </summary>
public static class DatasetPackages
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Map(RouteGroupBuilder publicApi, IEndpointRouteBuilder app)
    {
        publicApi.MapGet("/datasets/{id}/datapackage.json", DataPackageAsync).FromDatasets([.. DataStamps.Known])
            .WithSummary("A dataset as a Frictionless Data Package: CSV resources with table schemas (HXL tags in the field descriptions), licence, sources, version");
        publicApi.MapGet("/datasets/{id}/ckan.json", CkanAsync).FromDatasets([.. DataStamps.Known])
            .WithSummary("A dataset's CKAN metadata record with the fields HDX asks for (title, notes, methodology, licence, update frequency, dataset date, locations, tags, maintainer, caveats, resources)");
        app.MapGet("/api/v1/datasets/{id}/package.zip", PackageAsync).WithTags("Open data").RequireAuthorization(Policies.ApiUser)
            .WithSummary("Coordinators and administrators: a ready-to-upload ZIP of a dataset (datapackage.json, ckan.json, the public CSV, README)");
    }

    /// <summary>Who may download a package (and sees its link on the downloads page): coordinators and administrators.</summary>
    public static bool CanDownload(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && (user.IsInRole(Roles.CountryCoordinator) || user.IsInRole(Roles.PlatformAdmin));

    private static readonly NotFoundError NoDataset = new("dataset-not-found", "No such dataset.");

    private static async Task<(DatasetTable? Table, Error? Error)> TableAsync(string id, HttpContext http, DatasetCatalog catalog, DatasetTables tables, CancellationToken ct)
    {
        var dataset = (await catalog.ListAsync(http.Language(), ct)).FirstOrDefault(d => d.Id == id);
        if (dataset is null)
        {
            return (null, NoDataset);
        }
        var table = await tables.CsvAsync(http, dataset, ct);
        return table is null ? (null, new NotFoundError("dataset-not-published", "This dataset has no table to publish yet.")) : (table, null);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> DataPackageAsync(string id, HttpContext http, DatasetCatalog catalog, DatasetTables tables,
        IStringLocalizer<SharedResource> t, CancellationToken ct)
    {
        var (table, error) = await TableAsync(id, http, catalog, tables, ct);
        return error is not null ? error.ToProblem(http) : TypedResults.Text(DataPackage(table!, table!.Url, http, t).ToJsonString(Indented), "application/json", Encoding.UTF8);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> CkanAsync(string id, HttpContext http, DatasetCatalog catalog, DatasetTables tables,
        IStringLocalizer<SharedResource> t, IConfiguration config, CancellationToken ct)
    {
        var (table, error) = await TableAsync(id, http, catalog, tables, ct);
        return error is not null ? error.ToProblem(http) : TypedResults.Text(Ckan(table!, http, t, config).ToJsonString(Indented), "application/json", Encoding.UTF8);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PackageAsync(string id, HttpContext http, DatasetCatalog catalog, DatasetTables tables,
        IStringLocalizer<SharedResource> t, IConfiguration config, TimeProvider time, DisclosureControl disclosure, CancellationToken ct)
    {
        if (!CanDownload(http.User))
        {
            return new ForbiddenError("packages-forbidden", "Dataset packages are for coordinators and administrators.").ToProblem(http);
        }
        var (table, error) = await TableAsync(id, http, catalog, tables, ct);
        if (error is not null)
        {
            return error.ToProblem(http);
        }
        var csvPath = $"data/{table!.Dataset.Id}.csv";
        var stamp = table.Dataset.LastUpdated ?? time.GetUtcNow();
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] content)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = stamp;
                using var s = entry.Open();
                s.Write(content);
            }
            Add("datapackage.json", Encoding.UTF8.GetBytes(DataPackage(table, csvPath, http, t).ToJsonString(Indented)));
            Add("ckan.json", Encoding.UTF8.GetBytes(Ckan(table, http, t, config).ToJsonString(Indented)));
            Add(csvPath, table.Csv);
            Add("README.md", Encoding.UTF8.GetBytes(Readme(table, csvPath, t, disclosure.Threshold)));
        }
        http.Response.Headers.CacheControl = "private, no-store";
        http.Response.Headers[DisclosureResponse.Header] = table.DisclosureApplied ? "applied" : "none";
        return TypedResults.File(zip.ToArray(), "application/zip", $"{table.Dataset.Id}-package.zip");
    }

    /// <summary>The Frictionless Data Package of a dataset; <paramref name="csvPath"/> is the CSV's URL, or its path inside a ZIP.</summary>
    public static JsonObject DataPackage(DatasetTable table, string csvPath, HttpContext http, IStringLocalizer t)
    {
        var d = table.Dataset;
        var fields = new JsonArray([.. table.Fields.Select(f => (JsonNode)new JsonObject
        {
            ["name"] = f.Name,
            ["title"] = f.Name,
            ["type"] = f.Type,
            // The HXL term's meaning in the caller's language (lang or Accept-Language, as the title and the CSV header); the tag as it is.
            ["description"] = f.Meaning is null ? $"HXL: {f.Hxl}" : $"HXL: {f.Hxl} ({t[f.Meaning].Value})",
            ["hxl"] = f.Hxl,
        })]);
        return new JsonObject
        {
            ["profile"] = "tabular-data-package",
            ["name"] = d.Id,
            ["id"] = $"{Site(http)}/api/v1/datasets/{d.Id}/datapackage.json",
            ["title"] = d.Title,
            ["description"] = d.Description,
            ["version"] = Version(d.LastUpdated),
            ["created"] = (d.LastUpdated ?? DataStamps.Epoch).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["homepage"] = $"{Site(http)}/{http.Language()}/data/downloads#{d.Id}",
            ["keywords"] = new JsonArray([.. Tags(d.Id).Select(x => (JsonNode)x)]),
            ["licenses"] = new JsonArray(Licence(d)),
            ["sources"] = new JsonArray(new JsonObject { ["title"] = d.Hdx.DatasetSource, ["path"] = $"{Site(http)}/{http.Language()}/data/downloads#{d.Id}" }),
            ["resources"] = new JsonArray(new JsonObject
            {
                ["profile"] = "tabular-data-resource",
                ["name"] = d.Id,
                ["path"] = csvPath,
                ["title"] = d.Title,
                ["format"] = "csv",
                ["mediatype"] = TabularContentTypes.CsvMediaType,
                // IANA's name; the file starts with a BOM, which Frictionless readers skip under utf-8.
                ["encoding"] = "utf-8",
                // Row 1 is the header, row 2 the HXL hashtags: Table Dialect v2 names them; v1 readers skip row 2 by commentRows.
                ["dialect"] = new JsonObject { ["header"] = true, ["headerRows"] = new JsonArray(1), ["commentRows"] = new JsonArray(2) },
                ["schema"] = new JsonObject { ["fields"] = fields, ["missingValues"] = new JsonArray("") },
            }),
            ["caveats"] = Caveats(table, t),
        };
    }

    /// <summary>The CKAN package record, with HDX's own fields (methodology, dataset_date, data_update_frequency, caveats, groups as locations).</summary>
    public static JsonObject Ckan(DatasetTable table, HttpContext http, IStringLocalizer t, IConfiguration config)
    {
        var d = table.Dataset;
        // The whole table only: a JSON answer is one page of the list (at most 5,000 rows), so HDX would harvest a part of
        // it; the CSV and XLSX downloads are the whole table.
        var resources = new JsonArray([.. d.Downloads.Where(r => r.Format != "json").Select(r => (JsonNode)new JsonObject
        {
            ["name"] = $"{d.Id}.{r.Format}",
            ["description"] = r.Format == "csv" ? t["CSV with a header row and an HXL hashtag row."].Value : d.Title,
            ["url"] = $"{Site(http)}{r.Url}",
            ["format"] = r.Format.ToUpperInvariant(),
            ["mimetype"] = r.MediaType,
        })]);
        resources.Add(new JsonObject
        {
            ["name"] = "datapackage.json",
            ["description"] = t["Frictionless Data Package: table schema with HXL hashtags."].Value,
            ["url"] = $"{Site(http)}/api/v1/datasets/{d.Id}/datapackage.json",
            ["format"] = "JSON",
            ["mimetype"] = "application/json",
        });
        var record = new JsonObject
        {
            ["name"] = $"closer-{d.Id}",
            ["title"] = d.Title,
            ["notes"] = d.Description,
            ["methodology"] = d.Hdx.Methodology,
            ["methodology_other"] = d.Methodology,
            ["license_id"] = d.Hdx.LicenseId,
            ["license_title"] = d.Licence,
            ["license_other"] = d.Hdx.LicenseOther,
            ["data_update_frequency"] = d.Hdx.DataUpdateFrequency,
            ["dataset_date"] = DatasetDate(table.FirstDate, table.LastDate),
            ["dataset_source"] = d.Hdx.DatasetSource,
            ["groups"] = new JsonArray([.. table.Countries.Select(c => (JsonNode)new JsonObject { ["name"] = c.ToLowerInvariant() })]),
            ["tags"] = new JsonArray([.. Tags(d.Id).Select(x => (JsonNode)new JsonObject { ["name"] = x })]),
            ["maintainer"] = config["OpenData:Maintainer"] ?? "Closer regional platform",
            ["owner_org"] = config["OpenData:HdxOrganisation"],
            ["caveats"] = Caveats(table, t),
            ["subnational"] = table.Fields.Any(f => f.Hxl.StartsWith("#adm1", StringComparison.Ordinal)) ? "1" : "0",
            ["private"] = false,
            ["url"] = $"{Site(http)}/{http.Language()}/data/downloads#{d.Id}",
            ["num_resources"] = resources.Count,
            ["resources"] = resources,
        };
        // The contact HDX shows (OpenData:MaintainerEmail); left out, never null, when none is configured.
        if (config["OpenData:MaintainerEmail"] is { Length: > 0 } email)
        {
            record["maintainer_email"] = email;
        }
        return record;
    }

    private static string Readme(DatasetTable table, string csvPath, IStringLocalizer t, int threshold)
    {
        var d = table.Dataset;
        var sb = new StringBuilder();
        sb.Append("# ").AppendLine(d.Title).AppendLine().AppendLine(d.Description).AppendLine();
        sb.Append("## ").AppendLine(t["Public version"]).AppendLine()
            .AppendLine(string.Format(CultureInfo.InvariantCulture, t["This package is the public version of the dataset: the same table anyone can download, with disclosure control applied (counts of 1 to {0} people in sensitive sectors suppressed or rolled up). It is not the unsuppressed data of your countries or organisation, whatever your role."].Value, threshold - 1))
            .AppendLine();
        sb.Append("## ").AppendLine(t["Files"]).AppendLine()
            .Append("- `").Append(csvPath).Append("`: ").AppendLine(t["CSV with a header row and an HXL hashtag row."])
            .Append("- `datapackage.json`: ").AppendLine(t["Frictionless Data Package: table schema with HXL hashtags."])
            .Append("- `ckan.json`: ").AppendLine(t["The metadata HDX asks for, as a CKAN record: copy it into the HDX dataset form or send it with the CKAN API (package_create)."])
            .AppendLine();
        void Item(string label, string? value) => sb.Append("- **").Append(t[label]).Append("**: ").AppendLine(value ?? "—");
        Item("Licence", d.LicenceUrl is null ? d.Licence : $"{d.Licence} ({d.LicenceUrl})");
        Item("Source", d.Hdx.DatasetSource);
        Item("Update frequency", d.UpdateFrequency);
        Item("Last update", d.LastUpdated?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Item("Methodology", d.Methodology);
        Item("Caveats", Caveats(table, t));
        Item("Rows", table.Rows.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static string Caveats(DatasetTable table, IStringLocalizer t) =>
        table.DisclosureApplied || table.Fields.Any(f => f.Hxl == Hxl.Disclosure.Tag)
            ? t["Small counts of people in sensitive sectors (gender-based violence, child protection, trafficking) are suppressed or rolled up to the country or the quarter; the disclosure column says which rows. Demo data, where present, is fictional and marked as such."].Value
            : t["Figures keep the precision and source of each row. Demo data, where present, is fictional and marked as such."].Value;

    private static JsonObject Licence(DatasetInfo d) => d.LicenceUrl is { } url
        ? new JsonObject { ["name"] = "CC-BY-4.0", ["path"] = url, ["title"] = d.Licence }
        : new JsonObject { ["name"] = "other-at", ["title"] = d.Licence };

    /// <summary>HDX's dataset date: "[start TO end]" from the first and last dates of the data (a year or month covers its whole span).</summary>
    internal static string? DatasetDate(string? first, string? last)
    {
        if (first is null || last is null)
        {
            return null;
        }
        static DateOnly Start(string v) => v.Length switch { 4 => new DateOnly(int.Parse(v, CultureInfo.InvariantCulture), 1, 1), 7 => DateOnly.ParseExact(v + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture), _ => DateOnly.ParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture) };
        static DateOnly End(string v) => v.Length switch { 4 => Start(v).AddYears(1).AddDays(-1), 7 => Start(v).AddMonths(1).AddDays(-1), _ => Start(v) };
        return $"[{Start(first):yyyy-MM-dd}T00:00:00 TO {End(last):yyyy-MM-dd}T23:59:59]";
    }

    /// <summary>Tags from HDX's approved vocabulary.</summary>
    private static string[] Tags(string id) => id switch
    {
        "population-figures" => ["hxl", "refugees", "migration"],
        "response-plan" => ["hxl", "people in need-pin", "funding"],
        "response-reached" => ["hxl", "refugees", "migration"],
        "activities-5w" => ["hxl", "who is doing what and where-3w-4w-5w", "operational presence"],
        "organisations" => ["hxl", "operational presence"],
        "funding" => ["hxl", "funding"],
        _ => ["hxl"],
    };

    private static string Version(DateTimeOffset? at) => at is { } d ? FormattableString.Invariant($"{d.Year}.{d.Month}.{d.Day}") : "0.0.0";

    private static string Site(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";
}
