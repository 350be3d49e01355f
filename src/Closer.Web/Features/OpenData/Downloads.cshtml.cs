using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace Closer.Web.Features.OpenData;

/// <summary>Every published dataset with licence, update frequency, last update, methodology and HXL tags (for HDX).</summary>
[AllowAnonymous]
[OutputCache(PolicyName = OpenDataFeature.PagePolicy)]
public sealed class DownloadsModel(DatasetCatalog catalog) : PageModel
{
    public IReadOnlyList<DatasetInfo> Datasets { get; private set; } = [];

    /// <summary>
    /// Whether the reader may download the ready-to-upload packages (the rule of the ZIP endpoint). Only a signed-in
    /// reader can: the output cache never stores or serves a signed-in reader's page, so anonymous readers never see the link.
    /// </summary>
    public bool CanDownloadPackages { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Datasets = await catalog.ListAsync(HttpContext.Language(), ct);
        CanDownloadPackages = DatasetPackages.CanDownload(User);
    }
}
