using System.Globalization;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Infrastructure;

/// <summary>An expected failure, returned as a value and mapped to RFC 7807 problem details in one place.</summary>
public abstract record Error(string Code, string Message);

public sealed record BadRequestError(string Code, string Message) : Error(Code, Message);
public sealed record NotFoundError(string Code, string Message) : Error(Code, Message);
public sealed record ForbiddenError(string Code, string Message) : Error(Code, Message);
public sealed record ConflictError(string Code, string Message) : Error(Code, Message);
/// <summary>A per-person limit was reached (forum posts, flags...): 429.</summary>
public sealed record TooManyRequestsError(string Code, string Message) : Error(Code, Message);

/// <summary>
/// A parameter's value the endpoint cannot take (malformed, not one of its values, a code no directory knows): 400, naming
/// the parameter and the value. <paramref name="Message"/> is a string key with {0} for the parameter, {1} for the value and
/// {2} for <paramref name="Expected"/> (the values or the shape the parameter takes).
/// </summary>
public sealed record ParameterError(string Code, string Message, string Parameter, string Value, string? Expected = null) : Error(Code, Message);

/// <summary>One invalid field or spreadsheet cell.</summary>
public sealed record FieldError(int? Row, string Column, string Message);

/// <summary>Invalid fields or cells; <paramref name="Total"/> counts them when <paramref name="Errors"/> lists only the first ones.</summary>
public sealed record ValidationError(string Code, string Message, IReadOnlyList<FieldError> Errors, int? Total = null) : Error(Code, Message);

/// <summary>An upload over its size limit: 413, the limit in the message.</summary>
public sealed record TooLargeError(string Code, string Message) : Error(Code, Message);

public static class Errors
{
    public static int Status(Error error) => error switch
    {
        NotFoundError => StatusCodes.Status404NotFound,
        ForbiddenError => StatusCodes.Status403Forbidden,
        ConflictError => StatusCodes.Status409Conflict,
        ValidationError => StatusCodes.Status422UnprocessableEntity,
        TooManyRequestsError => StatusCodes.Status429TooManyRequests,
        TooLargeError => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>The problem details of an error, with its message in the request's language.</summary>
    public static ProblemDetails ToProblemDetails(Error error, IStringLocalizer? localizer = null)
    {
        var status = Status(error);
        var problem = new ProblemDetails
        {
            Status = status,
            Title = error is ParameterError p
                ? localizer?[p.Message, p.Parameter, p.Value, p.Expected ?? ""] ?? string.Format(CultureInfo.InvariantCulture, p.Message, p.Parameter, p.Value, p.Expected)
                : localizer?[error.Message] ?? error.Message,
            Type = TypeOf(error.Code),
        };
        problem.Extensions["code"] = error.Code;
        if (error is ParameterError parameter)
        {
            problem.Extensions["parameter"] = parameter.Parameter;
            problem.Extensions["value"] = parameter.Value;
        }
        if (error is ValidationError v)
        {
            problem.Extensions["errors"] = Localized(v.Errors, localizer);
            if (v.Total is { } total)
            {
                problem.Extensions["errorCount"] = total;
            }
        }
        return problem;
    }

    /// <summary>The problem type of an error code: one URI per code, for every problem Closer answers.</summary>
    public static string TypeOf(string code) => $"https://closer.invalid/problems/{code}";

    /// <summary>
    /// The code of a failure known only by its status (the error page's, for requests that failed before or outside a
    /// handler: a body that could not be read, a route that does not exist): the same scheme as the handlers' errors.
    /// </summary>
    public static string CodeOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "bad-request",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not-found",
        StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
        StatusCodes.Status413PayloadTooLarge => "too-large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
        StatusCodes.Status429TooManyRequests => "too-many-requests",
        StatusCodes.Status503ServiceUnavailable => "unavailable",
        _ => "server-error",
    };

    /// <summary>
    /// What a form shows for a failed upload or import: a validation error's row errors as they are, any other error as
    /// one localized message on <paramref name="column"/>.
    /// </summary>
    public static IReadOnlyList<FieldError> FieldErrors(this Error error, IStringLocalizer t, string column = "file") =>
        error is ValidationError v ? Localized(v.Errors, t) : [new FieldError(null, column, t[error.Message])];

    /// <summary>
    /// Field errors whose message is a string key (written where no localizer is at hand, like the upload guards) in the
    /// request's language; messages already localized are not keys and stay as they are.
    /// </summary>
    private static IReadOnlyList<FieldError> Localized(IReadOnlyList<FieldError> errors, IStringLocalizer? t) =>
        t is null ? errors : errors.Select(e => t[e.Message] is { ResourceNotFound: false } s ? e with { Message = s.Value } : e).ToList();

    public static ProblemHttpResult ToProblem(this Error error, HttpContext context) =>
        TypedResults.Problem(ToProblemDetails(error, context.RequestServices.GetService<IStringLocalizer<SharedResource>>()));

    public static Task Write(HttpContext context, Error error) =>
        error.ToProblem(context).ExecuteAsync(context);

    /// <summary>
    /// The status an unhandled exception stands for: a request the server could not read is the client's error, not a
    /// bug. Kestrel's body-size limit (413) and malformed framing arrive as <see cref="BadHttpRequestException"/>;
    /// the form reader's own limits and a multipart body without a boundary as <see cref="InvalidDataException"/>
    /// raised while the request's form is read. Null: a real failure (500, or 503 for a database outage).
    /// </summary>
    public static int? StatusOf(Exception exception, HttpContext context) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        InvalidDataException data when data.Message.StartsWith("Multipart body length limit", StringComparison.Ordinal) => StatusCodes.Status413PayloadTooLarge,
        InvalidDataException when context.Request.HasFormContentType => StatusCodes.Status400BadRequest,
        IOException { InnerException: BadHttpRequestException bad } => bad.StatusCode,
        _ => null,
    };

    /// <summary>The largest body the endpoint that failed accepts, for telling the client the limit (in MB, rounded up).</summary>
    public static long? BodyLimitMegabytes(Endpoint? endpoint, HttpContext context)
    {
        var bytes = endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? context.RequestServices.GetService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>>()?.Value.Limits.MaxRequestBodySize;
        return bytes is { } b ? (b + 1024 * 1024 - 1) / (1024 * 1024) : null;
    }
}
