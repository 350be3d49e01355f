using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Markdown;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OutputCaching;

namespace Closer.Web.Features.Campaign.Public;

[AllowAnonymous]
[OutputCache(PolicyName = CampaignFeature.CachePolicy)]
public sealed class PressReleaseModel(ContentService content, MarkdownRenderer markdown) : ArticlePageModel(content, markdown, ContentKind.PressRelease);
