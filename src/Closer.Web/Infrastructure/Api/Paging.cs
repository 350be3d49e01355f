using System.Collections;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Closer.Web.Infrastructure.Api;

/// <summary>A page of a list: 1-based number and size, or the whole list (a CSV/XLSX download without paging parameters).</summary>
public readonly record struct PageRequest(int Page, int PageSize, bool Whole)
{
    public int Skip => Whole ? 0 : (Page - 1) * PageSize;

    /// <summary>The rows of this page out of the whole list.</summary>
    public IReadOnlyList<T> Of<T>(IReadOnlyList<T> rows) => Whole ? rows : rows.Skip(Skip).Take(PageSize).ToList();
}

/// <summary>
/// The values an endpoint's <c>format</c> parameter takes when they are not the tables' three (json, csv, xlsx): the
/// OpenAPI document declares these, and the API contract test calls each.
/// </summary>
public sealed record ApiFormats(params string[] Formats);

/// <summary>Marks a list endpoint as paged (<c>page</c>, <c>pageSize</c>): the OpenAPI document declares both, the API contract accepts them.</summary>
public sealed record PagedList(int DefaultPageSize);

/// <summary>
/// The paging rules of every list endpoint under <c>/api/v1</c>: <c>page</c> (from 1) and <c>pageSize</c> (1 to 5000,
/// the endpoint's default when absent); the answer carries <c>X-Total-Count</c> and an RFC 8288 <c>Link</c>
/// header (first, prev, next, last). A CSV or XLSX asked without either parameter is the whole table (a download).
/// <see cref="Paged"/> marks an endpoint; its filter validates the parameters before the handler runs and pages a JSON
/// list the handler returns whole. A handler that pages itself (in the database, or a table it writes as CSV/XLSX)
/// reads <see cref="Current"/> and calls <see cref="WriteHeaders"/> or <see cref="Page{T}"/>.
/// </summary>
public static class Paging
{
    public const int DefaultPageSize = 5000;
    public const int MaxPageSize = 5000;

    public static readonly string[] Parameters = ["page", "pageSize"];

    private const string RequestKey = "closer:page-request";
    private const string DoneKey = "closer:paged";

    /// <summary>Marks the endpoint as a paged list and validates its paging parameters (a 400 problem when wrong).</summary>
    public static RouteHandlerBuilder Paged(this RouteHandlerBuilder builder, int defaultPageSize = DefaultPageSize) =>
        builder.WithMetadata(new PagedList(defaultPageSize)).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var download = http.Request.Query["format"].ToString().Trim().ToLowerInvariant() is "csv" or "xlsx";
            var (request, error) = Read(http.Request.Query["page"], http.Request.Query["pageSize"], download, defaultPageSize);
            if (error is not null)
            {
                return error.ToProblem(http);
            }
            http.Items[RequestKey] = request;
            var result = await next(context);
            // Typed unions (Results<Ok<T>, ProblemHttpResult>) carry the answer inside.
            var inner = result is INestedHttpResult nested ? nested.Result : result;
            if (http.Items.ContainsKey(DoneKey))
            {
                return result;
            }
            if (inner is IValueHttpResult { Value: IList list } and IStatusCodeHttpResult { StatusCode: null or 200 })
            {
                WriteHeaders(http, request, list.Count);
                var type = list.GetType().GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IList<>))?.GetGenericArguments()[0] ?? typeof(object);
                var page = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(type))!;
                foreach (var item in request.Whole ? list.Cast<object?>() : list.Cast<object?>().Skip(request.Skip).Take(request.PageSize))
                {
                    page.Add(item);
                }
                return TypedResults.Ok<object>(page);
            }
            // A table written as CSV or XLSX cannot be paged afterwards: its handler pages the rows (Paging.Page).
            if (inner is FileContentHttpResult && !request.Whole)
            {
                throw new InvalidOperationException($"{http.Request.Path} is a paged list but wrote a file without paging its rows.");
            }
            return result;
        });

    /// <summary>The page asked for (validated by <see cref="Paged"/>), or the first page when the endpoint is not marked.</summary>
    public static PageRequest Current(HttpContext http) =>
        http.Items.TryGetValue(RequestKey, out var value) && value is PageRequest request ? request : new PageRequest(1, DefaultPageSize, Whole: false);

    /// <summary>The rows of the asked page, with X-Total-Count and Link written for the whole list.</summary>
    public static IReadOnlyList<T> Page<T>(HttpContext http, IReadOnlyList<T> rows)
    {
        var request = Current(http);
        WriteHeaders(http, request, rows.Count);
        return request.Of(rows);
    }

    /// <summary>
    /// Reads page and pageSize. Without either, a download (CSV or XLSX) is the whole table and JSON the first page.
    /// </summary>
    public static Result<PageRequest> Read(string? pageText, string? pageSizeText, bool download, int defaultPageSize = DefaultPageSize)
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
        if (page is null && pageSize is null && download)
        {
            return new PageRequest(1, int.MaxValue, Whole: true);
        }
        return new PageRequest(page ?? 1, pageSize ?? defaultPageSize, Whole: false);
    }

    /// <summary>Writes X-Total-Count and the Link header of the page (the request's own URL with page and pageSize replaced).</summary>
    public static void WriteHeaders(HttpContext http, PageRequest request, int total)
    {
        http.Items[DoneKey] = true;
        http.Response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers.AccessControlExposeHeaders = "Link, X-Total-Count";
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
