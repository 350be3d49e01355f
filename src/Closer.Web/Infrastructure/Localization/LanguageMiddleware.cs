using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Infrastructure.Localization;

/// <summary>Matches the language prefix of public URLs: en, es, pt or pap.</summary>
public sealed class LanguageRouteConstraint : IRouteConstraint
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && Languages.IsSupported(Convert.ToString(value, CultureInfo.InvariantCulture));
}

public static class LanguageExtensions
{
    public const string ClaimType = "closer:lang";
    private const string ItemKey = "closer.lang";

    public static IServiceCollection AddCloserLocalization(this IServiceCollection services)
    {
        services.AddSingleton<StringTable>();
        services.AddSingleton<JsonStringLocalizer>();
        services.AddSingleton<IStringLocalizerFactory, JsonStringLocalizerFactory>();
        // Our own IStringLocalizer<T> (not the framework's wrapper) so that t.Plural(...) reaches the plural forms.
        services.AddSingleton(typeof(IStringLocalizer<>), typeof(JsonStringLocalizer<>));
        services.Configure<RouteOptions>(o => o.ConstraintMap["lang"] = typeof(LanguageRouteConstraint));
        return services;
    }

    /// <summary>Sets the language of a request built in process (the open-data packages run a dataset's endpoint as a reader would).</summary>
    public static void SetLanguage(this HttpContext context, string language) => context.Items[ItemKey] = language;

    /// <summary>The language of this request: en, es, pt or pap.</summary>
    public static string Language(this HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var value) && value is string s ? s : Languages.Default;

    /// <summary>True when the language came from the URL prefix (a public, language-addressed page).</summary>
    public static bool HasLanguagePrefix(this HttpContext context) =>
        Languages.IsSupported(context.GetRouteValue("lang") as string);

    /// <summary>
    /// Sets the request's culture, in this order: the URL prefix (/es/...), a <c>?lang=</c> query on
    /// pages without prefix, the signed-in user's preferred language, Accept-Language, English.
    /// Runs after routing so the prefix is known.
    /// </summary>
    public static IApplicationBuilder UseCloserLanguage(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var language = context.GetRouteValue("lang") as string;
        if (!Languages.IsSupported(language)
            && (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>()?.OriginalPath
                ?? context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>()?.Path) is { } originalPath)
        {
            // An error page for /es/... speaks Spanish, whether it follows a status code or an exception.
            language = originalPath.TrimStart('/').Split('/', 2)[0];
        }
        if (!Languages.IsSupported(language))
        {
            var query = context.Request.Query["lang"].ToString();
            var claim = context.User.FindFirstValue(ClaimType);
            language = Languages.IsSupported(query) ? query
                : Languages.IsSupported(claim) ? claim
                : Languages.Negotiate(context.Request.Headers.AcceptLanguage);
        }
        context.Items[ItemKey] = language!;
        var culture = Languages.Culture(language!);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        context.Features.Set<IRequestCultureFeature>(new RequestCultureFeature(new RequestCulture(culture), provider: null));
        await next(context);
    });
}
