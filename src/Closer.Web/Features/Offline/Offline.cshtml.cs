using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Offline;

/// <summary>
/// What a reader sees offline for a page this device has not kept: the service worker keeps this page in the four
/// languages when it installs and shows it in the language of the address asked for.
/// </summary>
[AllowAnonymous]
public sealed class OfflineModel(IStringLocalizer<SharedResource> t) : Shared.PublicPageModel
{
    public void OnGet() => Describe(t["You are offline"], t["This page is not kept on this device. Pages you read recently, the home page and the facts stay readable offline."]);
}
