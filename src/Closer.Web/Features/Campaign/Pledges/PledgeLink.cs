namespace Closer.Web.Features.Campaign.Pledges;

/// <summary>
/// The pledge link on a page that was opened from a shared link: it passes the page's own <c>ref</c> (or
/// <c>utm_source</c>) on to the pledge form, so a pledge made after a shared story is counted by the share link's
/// source — carried in the address only, no cookie. Pages vary their output cache by query, so each source gets its own copy.
/// </summary>
public static class PledgeLink
{
    public static string For(HttpContext context, string language)
    {
        var query = context.Request.Query;
        var source = Supporters.NormaliseSource(query["ref"].FirstOrDefault() ?? query["utm_source"].FirstOrDefault());
        return source is null ? $"/{language}/pledge" : $"/{language}/pledge?ref={Uri.EscapeDataString(source)}";
    }
}
