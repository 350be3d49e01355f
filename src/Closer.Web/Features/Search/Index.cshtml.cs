using Closer.Web.Features.Geography;
using Closer.Web.Features.Shared;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Search;

/// <summary>The one search of the site: everything a reader may see, ranked, filterable, without JavaScript.</summary>
[AllowAnonymous]
[EnableRateLimiting(SearchFeature.Limiter)]
public sealed class IndexModel(SearchService search, CloserDbContext db, IStringLocalizer<SharedResource> t) : PublicPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Country { get; set; }

    /// <summary>The language of the texts (the page's own language is in the path).</summary>
    [BindProperty(SupportsGet = true, Name = "language")]
    public string? Language { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Year { get; set; }

    // "p", not "page": Razor Pages keeps the route value "page" for the page's own name, which would win the binding.
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public SearchResults? Results { get; private set; }
    public IReadOnlyList<FieldError> Errors { get; private set; } = [];
    public List<Country> Countries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Describe(t["Search"], t["Search stories, facts, videos, documents and the forum"], "search");
        Countries = await db.Countries.AsNoTracking().OrderBy(c => c.Iso3).ToListAsync(ct);
        Countries = [.. Countries.OrderBy(c => c.Name(Lang), StringComparer.Create(Languages.Culture(Lang), true))];
        if (string.IsNullOrWhiteSpace(Q) && Kind is null && Country is null && Language is null && Year is null)
        {
            return;
        }
        if (Q is { Length: > SearchQuery.MaxLength })
        {
            Q = TextLimits.Truncate(Q, SearchQuery.MaxLength);
        }
        var request = new SearchRequest(Q, Blank(Kind), Blank(Country), Blank(Language), Year, PageNumber);
        if (SearchFeature.Validate(request) is { } error)
        {
            Errors = error.Errors;
            return;
        }
        Results = await search.SearchAsync(request, SearchFeature.SeesPartnerRows(User), Lang, ct);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>This search with another query or page (filters kept).</summary>
    public string Link(string? q = null, int? page = null)
    {
        var query = new List<string> { "q=" + Uri.EscapeDataString(q ?? Q ?? "") };
        void Add(string name, object? value)
        {
            if (value is not null && !string.IsNullOrEmpty(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)))
            {
                query.Add(name + "=" + Uri.EscapeDataString(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!));
            }
        }
        Add("kind", Blank(Kind));
        Add("country", Blank(Country));
        Add("language", Blank(Language));
        Add("year", Year);
        Add("p", page is > 1 ? page : null);
        return $"/{Lang}/search?{string.Join('&', query)}";
    }

    /// <summary>The label of a kind of result, in the reader's language.</summary>
    public static string KindLabel(string kind) => kind switch
    {
        "story" => "Story",
        "fact" => "Fact",
        "video" => "Video",
        "press" => "Press release",
        "page" => "Page",
        "country" => "Country page",
        "document" => "Document",
        _ => "Forum",
    };
}
