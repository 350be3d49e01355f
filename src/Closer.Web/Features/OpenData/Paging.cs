using System.Globalization;
using Closer.Web.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Closer.Web.Features.OpenData;

/// <summary>A page of a list: 1-based number and size, or the whole list (a CSV/XLSX download without paging parameters).</summary>
public readonly record struct PageRequest(int Page, int PageSize, bool Whole)
{
    public int Skip => Whole ? 0 : (Page - 1) * PageSize;
}

/// <summary>
/// The paging and parameter rules of the list endpoints under <c>/api/v1</c>: <c>page</c> (from 1) and <c>pageSize</c>
/// (1 to <see cref="MaxPageSize"/>, <see cref="DefaultPageSize"/> when absent); the answer carries <c>X-Total-Count</c>
/// and an RFC 8288 <c>Link</c> header (first, prev, next, last). A query parameter the endpoint does not document is a
/// 400, never silently ignored.
/// </summary>
public static class Paging
{
    public const int DefaultPageSize = 5000;
    public const int MaxPageSize = 5000;

    public static readonly string[] Parameters = ["page", "pageSize"];

    /// <summary>The first query parameter not in <paramref name="allowed"/> (case-insensitive), as a 400, or null.</summary>
    public static Error? Unknown(HttpContext http, params IEnumerable<string> allowed)
    {
        var known = allowed.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = http.Request.Query.Keys.FirstOrDefault(k => !known.Contains(k));
        return unknown is null ? null : new BadRequestError("unknown-parameter", "This endpoint does not take that query parameter.");
    }

    /// <summary>
    /// Reads page and pageSize. Without either, a CSV or XLSX answer is the whole table (a download) and JSON the first page.
    /// </summary>
    public static Result<PageRequest> Read(string? pageText, string? pageSizeText, TabularFormat format)
    {
        int? page = null, pageSize = null;
        if (!string.IsNullOrEmpty(pageText))
        {
            page = int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
        }
        if (!string.IsNullOrEmpty(pageSizeText))
        {
            pageSize = int.TryParse(pageSizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        }
        if (page is < 1)
        {
            return new BadRequestError("bad-page", "The page is a whole number from 1.");
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            return new BadRequestError("bad-page-size", "The page size is a whole number from 1 to 5000.");
        }
        if (page is null && pageSize is null && format != TabularFormat.Json)
        {
            return new PageRequest(1, int.MaxValue, Whole: true);
        }
        return new PageRequest(page ?? 1, pageSize ?? DefaultPageSize, Whole: false);
    }

    /// <summary>Writes X-Total-Count and the Link header of the page (the request's own URL with page and pageSize replaced).</summary>
    public static void WriteHeaders(HttpContext http, PageRequest request, int total)
    {
        http.Response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        if (request.Whole)
        {
            return;
        }
        var last = Math.Max(1, (total + request.PageSize - 1) / request.PageSize);
        var links = new List<string> { Link(http, 1, request.PageSize, "first") };
        if (request.Page > 1)
        {
            links.Add(Link(http, Math.Min(request.Page - 1, last), request.PageSize, "prev"));
        }
        if (request.Page < last)
        {
            links.Add(Link(http, request.Page + 1, request.PageSize, "next"));
        }
        links.Add(Link(http, last, request.PageSize, "last"));
        http.Response.Headers.Link = string.Join(", ", links);
        http.Response.Headers.AccessControlExposeHeaders = "Link, X-Total-Count";
    }

    private static string Link(HttpContext http, int page, int pageSize, string rel)
    {
        var query = http.Request.Query
            .Where(q => !Parameters.Contains(q.Key, StringComparer.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new("page", page.ToString(CultureInfo.InvariantCulture)))
            .Append(new("pageSize", pageSize.ToString(CultureInfo.InvariantCulture)));
        return $"<{QueryHelpers.AddQueryString(http.Request.Path, query)}>; rel=\"{rel}\"";
    }
}
