using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Errors;

/// <summary>
/// The one error page, for status codes and unexpected exceptions alike. It never shows exception text.
/// For /api paths it answers problem details instead of HTML; for the OData feed (/odata), an OData error (code and
/// message only) that the feed's clients can read.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ErrorModel(IStringLocalizer<SharedResource> t) : PageModel
{
    public string Title { get; private set; } = "";
    public string Explanation { get; private set; } = "";
    public string Home => $"/{HttpContext.Language()}/";

    public IActionResult OnGet(int code) => Render(code);
    public IActionResult OnPost(int code) => Render(code);
    public IActionResult OnPut(int code) => Render(code);
    public IActionResult OnDelete(int code) => Render(code);
    public IActionResult OnPatch(int code) => Render(code);

    private IActionResult Render(int code)
    {
        var exception = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        var reExecute = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        var original = exception?.Path ?? reExecute?.OriginalPath ?? HttpContext.Request.Path.Value ?? "";
        if (exception is not null)
        {
            // A database that is restarting or refusing connections is an outage, not a bug: say so, and when to retry.
            // A body too large or unreadable is the client's error (Errors.StatusOf), answered as such.
            code = DatabaseOutage.IsOutage(exception.Error) ? StatusCodes.Status503ServiceUnavailable
                : Infrastructure.Errors.StatusOf(exception.Error, HttpContext) ?? StatusCodes.Status500InternalServerError;
        }
        if (code is < 400 or > 599)
        {
            code = StatusCodes.Status404NotFound;
        }
        (Title, Explanation) = code switch
        {
            404 => (t["Page not found"].Value, t["We could not find this page. It may have moved, or the address may be mistyped."].Value),
            403 => (t["Access denied"].Value, t["You do not have permission to see this page."].Value),
            400 => (t["Bad request"].Value, t["The request could not be understood. Please go back and try again."].Value),
            401 => (t["Sign-in required"].Value, t["Sign in, or send a valid API token, to use this."].Value),
            405 => (t["Method not allowed"].Value, t["This address does not accept this kind of request."].Value),
            413 => (t["Too large"].Value, Infrastructure.Errors.BodyLimitMegabytes(exception?.Endpoint ?? reExecute?.Endpoint, HttpContext) is { } mb
                ? t["The upload is too large: the limit is {0} MB.", mb].Value
                : t["The upload is too large."].Value),
            415 => (t["Unsupported media type"].Value, t["This content type is not accepted here. Send JSON, or a form with a file where one is expected."].Value),
            429 => (t["Too many requests"].Value, t["Too many attempts. Please wait a minute and try again."].Value),
            503 => (t["Temporarily unavailable"].Value, t["The service is busy or under maintenance. Please try again in a moment."].Value),
            _ => (t["Something went wrong"].Value, t["An unexpected error occurred. It has been logged; please try again later."].Value),
        };
        Response.StatusCode = code;
        if (code == StatusCodes.Status503ServiceUnavailable)
        {
            Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (original.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) || original.Equals("/api", StringComparison.OrdinalIgnoreCase))
        {
            if (code == StatusCodes.Status400BadRequest)
            {
                Explanation = t["A parameter or the body of the request is malformed."].Value;
            }
            // The same problem type and code scheme as the handlers' errors (Infrastructure/Errors.cs): a request refused
            // before its handler ran (a body or value that could not be bound, an unknown route) is a problem like any other.
            var problem = new ProblemDetails { Status = code, Title = Title, Detail = Explanation, Type = Infrastructure.Errors.TypeOf(Infrastructure.Errors.CodeOf(code)) };
            problem.Extensions["code"] = Infrastructure.Errors.CodeOf(code);
            return new ObjectResult(problem)
            {
                StatusCode = code,
                ContentTypes = { "application/problem+json" },
            };
        }
        if (original.StartsWith("/odata/", StringComparison.OrdinalIgnoreCase) || original.Equals("/odata", StringComparison.OrdinalIgnoreCase))
        {
            return new JsonResult(new { error = new { code = code.ToString(System.Globalization.CultureInfo.InvariantCulture), message = Explanation } })
            {
                StatusCode = code,
                ContentType = "application/json; odata.metadata=minimal",
            };
        }
        return Page();
    }
}
