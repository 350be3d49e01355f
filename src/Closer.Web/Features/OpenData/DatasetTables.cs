using System.Security.Claims;
using System.Text.RegularExpressions;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Caching.Memory;

namespace Closer.Web.Features.OpenData;

/// <summary>A field of a dataset's CSV as a Frictionless table schema describes it: header, HXL tag, type.</summary>
public sealed record DatasetField(string Name, string Hxl, string Type, string? Meaning);

/// <summary>A dataset's public CSV: its bytes, the URL it is published at, the fields, and the values of its date and country columns.</summary>
public sealed record DatasetTable(DatasetInfo Dataset, string Url, byte[] Csv, IReadOnlyList<DatasetField> Fields, int Rows,
    string? FirstDate, string? LastDate, IReadOnlyList<string> Countries, bool DisclosureApplied);

/// <summary>
/// Reads a dataset's CSV exactly as an anonymous reader downloads it: the dataset's own endpoint runs in process (its
/// filters, disclosure control and writers included) for a caller without identity, so packages and metadata describe,
/// and ship, the public and suppressed table, whoever asks. The schema comes from the CSV's header and HXL rows, so it
/// cannot drift from the file.
/// </summary>
public sealed partial class DatasetTables(EndpointDataSource endpoints, IMemoryCache cache, CloserDbContext db)
{
    /// <summary>What a rendered CSV says, whoever asks: kept per dataset URL, language, host and data version.</summary>
    private sealed record Rendered(string Url, byte[] Csv, IReadOnlyList<DatasetField> Fields, int Rows, string? FirstDate, string? LastDate,
        IReadOnlyList<string> Countries, bool DisclosureApplied);

    /// <summary>
    /// The dataset's public CSV and what it says. Rendering a table (the activities: every validated report, disclosure
    /// control, the CSV writer, then reading it back) is kept per dataset, language, host and version of the published
    /// data (<see cref="DataStamps.VersionAsync"/> of every dataset, as the package endpoints' output cache tags are):
    /// a repeated datapackage.json, ckan.json or package.zip costs one stamp query, and a commit that changes any
    /// published data changes the key. Ten minutes at most, for tables that also depend on the date (the plan year).
    /// </summary>
    public async Task<DatasetTable?> CsvAsync(HttpContext caller, DatasetInfo dataset, CancellationToken ct)
    {
        var csv = dataset.Downloads.FirstOrDefault(d => d.Format == "csv");
        if (csv is null)
        {
            return null;
        }
        var lang = caller.Language();
        var url = QueryHelpers.AddQueryString(csv.Url, "lang", lang);
        var key = $"opendata:dataset-csv:{caller.Request.Scheme}://{caller.Request.Host}{url}:{await DataStamps.VersionAsync(db, DataStamps.Known, ct)}";
        if (!cache.TryGetValue(key, out Rendered? rendered) || rendered is null)
        {
            rendered = await RenderAsync(caller, url, lang, ct);
            if (rendered is null)
            {
                return null;
            }
            cache.Set(key, rendered, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10), SlidingExpiration = TimeSpan.FromMinutes(2) });
        }
        return new DatasetTable(dataset, rendered.Url, rendered.Csv, rendered.Fields, rendered.Rows, rendered.FirstDate, rendered.LastDate, rendered.Countries,
            rendered.DisclosureApplied);
    }

    private async Task<Rendered?> RenderAsync(HttpContext caller, string url, string lang, CancellationToken ct)
    {
        var uri = new Uri(new Uri("http://local"), url);
        var context = new DefaultHttpContext { RequestServices = caller.RequestServices, User = new ClaimsPrincipal(new ClaimsIdentity()) };
        context.Request.Method = HttpMethods.Get;
        context.Request.Scheme = caller.Request.Scheme;
        context.Request.Host = caller.Request.Host;
        context.Request.Path = uri.AbsolutePath;
        context.Request.QueryString = new QueryString(uri.Query);
        context.SetLanguage(lang);
        context.RequestAborted = ct;
        using var body = new MemoryStream();
        context.Response.Body = body;
        var endpoint = Match(context);
        if (endpoint?.RequestDelegate is null)
        {
            return null;
        }
        context.SetEndpoint(endpoint);
        await endpoint.RequestDelegate(context);
        if (context.Response.StatusCode != StatusCodes.Status200OK)
        {
            return null;
        }
        var bytes = body.ToArray();
        var rows = SheetReader.ReadCsv(new MemoryStream(bytes)).Select(r => r.Cells.Select(c => c ?? "").ToArray()).ToList();
        if (rows.Count < 2)
        {
            return null;
        }
        var (header, hxl, data) = (rows[0], rows[1], rows.Skip(2).ToList());
        var fields = header.Select((name, i) =>
        {
            var tag = i < hxl.Length ? hxl[i] : "";
            var term = Hxl.Term(tag);
            return new DatasetField(name, tag, TypeOf(term, data.Select(r => i < r.Length ? r[i] : "").Where(v => v.Length > 0)), term?.Meaning);
        }).ToList();
        var dates = Column(hxl, data, t => t.StartsWith("#date", StringComparison.Ordinal)).Where(v => DateLike().IsMatch(v)).Order(StringComparer.Ordinal).ToList();
        var countries = Column(hxl, data, t => Infrastructure.Tabular.Hxl.Key(t) == Infrastructure.Tabular.Hxl.Key(Infrastructure.Tabular.Hxl.CountryCode.Tag))
            .SelectMany(v => v.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)).Where(v => v.Length == 3).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var disclosed = context.Response.Headers["Disclosure-Control"].ToString().StartsWith("applied", StringComparison.Ordinal);
        return new Rendered($"{caller.Request.Scheme}://{caller.Request.Host}{url}", bytes, fields, data.Count,
            dates.FirstOrDefault(), dates.LastOrDefault(), countries, disclosed);
    }

    private static IEnumerable<string> Column(string[] hxl, List<string[]> data, Func<string, bool> tag)
    {
        var index = Array.FindIndex(hxl, t => tag(t.Trim().ToLowerInvariant()));
        return index < 0 ? [] : data.Select(r => index < r.Length ? r[index].Trim() : "").Where(v => v.Length > 0);
    }

    /// <summary>The Frictionless type of a column: numbers under a number hashtag, dates by their written form, text otherwise.</summary>
    internal static string TypeOf(HxlTerm? term, IEnumerable<string> values)
    {
        var list = values.ToList();
        return term?.Value switch
        {
            HxlValue.Number => list.All(v => long.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _)) ? "integer" : "number",
            HxlValue.Date when list.Count > 0 && list.All(v => YearOnly().IsMatch(v)) => "year",
            HxlValue.Date when list.Count > 0 && list.All(v => YearMonth().IsMatch(v)) => "yearmonth",
            HxlValue.Date when list.Count > 0 && list.All(v => FullDate().IsMatch(v)) => "date",
            _ => "string",
        };
    }

    private RouteEndpoint? Match(HttpContext context) =>
        endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/v1/", StringComparison.Ordinal)
                && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Get) == true)
            .FirstOrDefault(e =>
            {
                var values = new RouteValueDictionary();
                if (!new TemplateMatcher(TemplateParser.Parse(e.RoutePattern.RawText!.TrimStart('/')), new RouteValueDictionary()).TryMatch(context.Request.Path, values))
                {
                    return false;
                }
                context.Request.RouteValues = values;
                return true;
            });

    [GeneratedRegex(@"^\d{4}$")]
    private static partial Regex YearOnly();

    [GeneratedRegex(@"^\d{4}-(0[1-9]|1[0-2])$")]
    private static partial Regex YearMonth();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex FullDate();

    [GeneratedRegex(@"^\d{4}(-\d{2}(-\d{2})?)?$")]
    private static partial Regex DateLike();
}
