using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Documents;

/// <summary>The library and its public documents in every language (the page falls back visibly); partner-only never.</summary>
public sealed class DocumentsSitemap(DocumentService documents) : ISitemapSource
{
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> PagesAsync(CancellationToken ct)
    {
        var ids = await documents.Visible(partner: false).AsNoTracking().OrderBy(d => d.Id).Select(d => d.Id).ToListAsync(ct);
        var pages = new List<IReadOnlyDictionary<string, string>> { Languages.All.ToDictionary(l => l, l => $"/{l}/documents", StringComparer.Ordinal) };
        pages.AddRange(ids.Select(id => Languages.All.ToDictionary(l => l, l => $"/{l}/documents/{id}", StringComparer.Ordinal)));
        return pages;
    }
}
