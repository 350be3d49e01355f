using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Markdown;
using Microsoft.AspNetCore.Mvc;

namespace Closer.Web.Features.Campaign.Public;

/// <summary>A detail page of one content item (story, press release, page) in the reader's language or its fallback.</summary>
public abstract class ArticlePageModel(ContentService content, MarkdownRenderer markdown, ContentKind kind) : CampaignPageModel
{
    public ContentView View { get; private set; } = null!;
    public string BodyHtml { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var view = await content.FindAsync(Lang, kind, slug, ct);
        if (view is null)
        {
            return NotFound();
        }
        if (!string.Equals(view.Shown.Slug, slug, StringComparison.Ordinal))
        {
            // The reader's language has this item under its own address: send them there.
            return RedirectPermanent(ContentService.Url(Lang, kind, view.Shown.Slug));
        }
        View = view;
        // Live figures ({{figure:...}} tokens) are resolved at render time from the data.
        BodyHtml = await HttpContext.RequestServices.GetRequiredService<OpenData.LiveFigures>().ExpandHtmlAsync(markdown.ToHtml(view.Shown.Body), Lang, ct);
        DescribeContent(view);
        await LoadMoreAsync(view, ct);
        return Page();
    }

    protected virtual Task LoadMoreAsync(ContentView view, CancellationToken ct) => Task.CompletedTask;
}
