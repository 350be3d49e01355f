using System.Globalization;

namespace Closer.Web.Features.OpenData.Disclosure;

/// <summary>How an API answer or download says that disclosure control ran.</summary>
public static class DisclosureResponse
{
    /// <summary>The response header every disclosure-controlled answer carries: <c>applied</c> or <c>none</c>, and the threshold.</summary>
    public const string Header = "Disclosure-Control";

    /// <summary>
    /// Sets <see cref="Header"/>; an answer that shows the caller's own scope unsuppressed is marked <c>private</c> so that no
    /// shared cache keeps it (the output cache never stores a signed-in caller's answer: PublicApi.IsPersonal).
    /// </summary>
    public static void Mark(HttpContext http, bool applied, DisclosureAudience audience, DisclosureControl control)
    {
        http.Response.Headers[Header] = string.Create(CultureInfo.InvariantCulture, $"{(applied ? "applied" : "none")}; threshold={control.Threshold}");
        if (!audience.IsPublic)
        {
            http.Response.Headers.CacheControl = "private, no-cache";
        }
    }
}
