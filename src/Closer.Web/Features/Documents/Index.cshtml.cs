using Closer.Web.Features.Geography;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Documents;

[AllowAnonymous]
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = DocumentsFeature.CachePolicy)]
public sealed class IndexModel(DocumentService documents, CloserDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public DocumentType? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? Country { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sector { get; set; }
    [BindProperty(SupportsGet = true, Name = "flang")] public string? FileLanguage { get; set; }
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public DocumentPage Result { get; private set; } = new([], 0, 1, 20);
    public List<Country> Countries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Countries = await db.Countries.AsNoTracking().OrderBy(c => c.NameEn).ToListAsync(ct);
        Result = await documents.SearchAsync(new DocumentQuery(Q, Type, Country, Sector, FileLanguage, Year, PageNumber), DocumentsFeature.IsPartner(User), HttpContext.Language(), ct);
    }

    public string PageLink(int page)
    {
        var query = Request.Query.Where(q => q.Key != "page").ToDictionary(q => q.Key, q => q.Value.ToString());
        query["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(Request.Path, query!);
    }
}
