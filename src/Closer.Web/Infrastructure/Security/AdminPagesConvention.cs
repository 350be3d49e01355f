using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace Closer.Web.Infrastructure.Security;

/// <summary>
/// Every page under /admin requires the Staff policy, whatever feature folder it lives in; a page can only
/// ask for more (its own [Authorize]). So a new back-office page cannot be left open by forgetting an attribute.
/// </summary>
public sealed class AdminPagesConvention : IPageApplicationModelConvention
{
    public void Apply(PageApplicationModel model)
    {
        var isAdmin = model.ActionDescriptor.AttributeRouteInfo?.Template is { } t
            && (t.Equals("admin", StringComparison.OrdinalIgnoreCase) || t.StartsWith("admin/", StringComparison.OrdinalIgnoreCase));
        if (isAdmin)
        {
            // As endpoint metadata, so the authorization middleware (and the endpoint audit test) sees it.
            model.EndpointMetadata.Add(new AuthorizeAttribute(Policies.Staff));
        }
    }
}
